// The simulator as its own process: what another test suite (or a person) starts from the command line.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createMitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';

describe('standalone simulator', () => {
  it('starts, writes its certificates, serves the real client over mTLS and stops on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mitid-sim-cli-'));
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../../src-main/training/mitid-sim/main.ts'), '--out', dir, '--people', '7'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`simulatoren stoppede (${code})`)));
      });
      const info = JSON.parse(line) as { url: string; caFile: string; p12File: string; passphraseFile: string };
      expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const client = createMitIdErhvervClient({
        baseUrl: info.url,
        pkcs12: await readFile(info.p12File),
        passphrase: await readFile(info.passphraseFile, 'utf8'),
        ca: await readFile(info.caFile),
      });
      try {
        expect((await client.searchAll(() => {})).count).toBe(7 + 1);
        const found = await client.findBySubjectNameId('bruger1@kommune.test');
        expect(found?.givenName).toBe('Fornavn1');
      } finally {
        await client.close();
      }
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
