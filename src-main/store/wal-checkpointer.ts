// Checkpoints a WAL database from a thread of its own. SQLite's automatic checkpoint runs in the connection
// that commits, here the main process's event loop: after a 100,000-person refresh it copied the whole
// write-ahead log back into the database inside the COMMIT (0.5 s with nothing else answering). With the
// automatic one off, a commit only appends to the log, and a worker's own connection copies it back
// (PASSIVE: it takes no lock the main connection's readers or writer wait for).
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

// A script, not a module file: the same in the web host, the Electron main process and the tests.
const SCRIPT = `
const { DatabaseSync } = require('node:sqlite');
const { parentPort, workerData } = require('node:worker_threads');
const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA busy_timeout = 5000');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  let ok = true;
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    ok = false;
  }
  parentPort.postMessage(ok);
});
`;

export interface WalCheckpointer {
  /** A transaction was committed: copy the log back soon (one checkpoint at a time, one more after it). */
  committed(): void;
  /** Runs once every asked checkpoint has run (for tests and for close). */
  idle(): Promise<void>;
  /** Resolves once the worker's connection is closed. */
  close(): Promise<void>;
}

export function walCheckpointer(file: string): WalCheckpointer {
  // Started at the first commit: a store only read (a start that finds nothing changed) spawns no thread.
  let worker: Worker | null = null;
  let exited: Promise<unknown> = Promise.resolve();
  let running = false;
  let again = false;
  let closed = false;
  let waiters: (() => void)[] = [];
  const settle = () => {
    for (const w of waiters.splice(0)) w();
  };
  const start = (): Worker => {
    const w = new Worker(SCRIPT, { eval: true, workerData: { file } });
    // A checkpoint left undone is done by the next one, or by SQLite when the last connection closes.
    w.unref();
    exited = once(w, 'exit');
    w.on('message', () => {
      running = false;
      if (again) {
        again = false;
        run();
      } else settle();
    });
    w.on('error', () => {
      running = false;
      settle();
    });
    w.on('exit', () => {
      closed = true;
      running = false;
      settle();
    });
    return w;
  };
  const run = () => {
    if (closed) return;
    running = true;
    worker ??= start();
    worker.postMessage('checkpoint');
  };
  const idle = (): Promise<void> => (running || again ? new Promise((r) => waiters.push(r)) : Promise.resolve());
  return {
    committed() {
      if (closed) return;
      if (running) again = true;
      else run();
    },
    idle,
    async close() {
      if (closed) return;
      await idle();
      closed = true;
      if (!worker) return;
      worker.postMessage('close');
      const w = worker;
      const timer = setTimeout(() => {
        w.terminate().catch(() => undefined);
      }, 5_000);
      // Its connection is closed once it has exited: only then may the caller close or remove the files.
      await exited;
      clearTimeout(timer);
      waiters = [];
    },
  };
}
