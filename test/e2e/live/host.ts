// A live-mode web host as its own process, so a test can kill it (SIGKILL, as a crash would) and start
// it again on the same data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface LiveHost {
  url: string;
  process: ChildProcess;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait: no shutdown code runs. */
  kill(): Promise<void>;
}

const root = resolve(import.meta.dirname, '../../..');

export async function startLiveHost(opts: { dataDir: string; token: string; port?: number }): Promise<LiveHost> {
  const child = spawn(process.execPath, ['src-main/host-web/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(opts.port ?? 0), CONSOLE_TOKEN: opts.token, LOKALIDP_DATA_DIR: opts.dataDir },
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
