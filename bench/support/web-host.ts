import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningHost {
  url: string;
  token: string;
  pid: number;
  stop(): void;
}

/** Starts the real web host (built renderer required) on a free port, as `npm run start:web` does. */
export async function startHost(env: Record<string, string> = {}): Promise<RunningHost> {
  const token = randomBytes(24).toString('base64url');
  const dataDir = mkdtempSync(join(tmpdir(), 'lia-bench-'));
  const child: ChildProcess = spawn(process.execPath, ['src-main/host-web/main.ts'], {
    env: { ...process.env, PORT: '0', CONSOLE_TOKEN: token, LOKALIDP_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\S+)$/m.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`web host exited ${c}: ${out}`)));
    setTimeout(() => reject(new Error('web host did not start in 60 s')), 60_000);
  });
  return {
    url,
    token,
    pid: child.pid ?? 0,
    stop() {
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
