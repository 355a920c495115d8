// A live-mode web host as its own process, so a test can kill it (SIGKILL, as a crash would) and start
// it again on the same data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface LiveHost {
  url: string;
  process: ChildProcess;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait: no shutdown code runs. */
  kill(): Promise<void>;
}

const root = resolve(import.meta.dirname, '../../..');

export async function startLiveHost(opts: { dataDir: string; token: string; port?: number; env?: Record<string, string> }): Promise<LiveHost> {
  const child = spawn(process.execPath, ['src-main/host-web/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(opts.port ?? 0), CONSOLE_TOKEN: opts.token, LOKALIDP_DATA_DIR: opts.dataDir, ...opts.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`live web host did not start: ${out}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (\S+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.once('exit', (c) => {
      clearTimeout(timer);
      reject(new Error(`live web host exited ${c}: ${out}`));
    });
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, process: child, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

/**
 * A host of its own on a fresh folder with a machine policy where IT would drop it (LIA_MACHINE_POLICY
 * points there). `dispose` stops it and removes the folder.
 */
export async function startPolicyHost(policy: Record<string, unknown>, token: string): Promise<{ host: LiveHost; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lia-e2e-policy-'));
  const file = join(dir, 'policy.json');
  writeFileSync(file, JSON.stringify(policy));
  const host = await startLiveHost({ dataDir: join(dir, 'data'), token, env: { LIA_MACHINE_POLICY: file } });
  return {
    host,
    async dispose() {
      await host.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
