// Bad days: a DC that is down, one that stops answering mid-operation, one whose connection drops.
// "Stopped" is literal: the test DC is SIGSTOPped (and always SIGCONTed again), so every other test
// keeps its DC.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAdDirectory } from '../../../src-main/connectors/ad/ad-directory.ts';
import { testProfile } from '../../support/samba/context.ts';
import { expectConsoleError, setup } from './helpers.ts';

const { ctx } = setup();
const f = ctx.facts;
const TIMEOUT = 1500;

/** A TCP relay in front of the DC's LDAPS port that can count bytes and cut every connection. */
interface Relay {
  url: string;
  bytesDown: number;
  connections: number;
  onBytes: ((total: number) => void) | null;
  cut(): void;
  close(): Promise<void>;
}

async function relay(): Promise<Relay> {
  const target = new URL(ctx.url);
  const sockets = new Set<Socket>();
  const r: Relay = {
    url: '',
    bytesDown: 0,
    connections: 0,
    onBytes: null,
    cut() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    close: () => new Promise<void>((res) => {
      r.cut();
      server.close(() => res());
    }),
  };
  const server: Server = createServer((client) => {
    r.connections++;
    const up = connect(Number(target.port || 636), target.hostname);
    sockets.add(client);
    sockets.add(up);
    up.on('data', (d: Buffer) => {
      r.bytesDown += d.length;
      r.onBytes?.(r.bytesDown);
    });
    client.pipe(up);
    up.pipe(client);
    const drop = () => {
      client.destroy();
      up.destroy();
    };
    client.on('error', drop);
    up.on('error', drop);
    client.on('close', drop);
    up.on('close', drop);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('relay har ingen port');
  r.url = `ldaps://127.0.0.1:${addr.port}`;
  return r;
}

let suspended = false;
function suspendDc(): void {
  process.kill(-ctx.pid, 'SIGSTOP');
  suspended = true;
}
function resumeDc(): void {
  if (suspended) process.kill(-ctx.pid, 'SIGCONT');
  suspended = false;
}

let r: Relay;
beforeAll(async () => {
  r = await relay();
});
afterEach(() => {
  resumeDc();
  if (r) r.onBytes = null;
});
afterAll(async () => {
  resumeDc();
  await r?.close();
});

async function timed<T>(p: Promise<T>): Promise<number> {
  const t0 = Date.now();
  await p.catch(() => {});
  return Date.now() - t0;
}

describe('AD unreachable', () => {
  it('no DC answering at start → unavailable-ad naming the reason', async () => {
    const d = createAdDirectory(testProfile(ctx, { urls: ['ldaps://127.0.0.1:1'], timeoutMs: TIMEOUT }));
    await expectConsoleError(d.signIn(f.operators.helpdesk, f.password), 'unavailable-ad', /Active Directory svarer ikke \(127\.0\.0\.1:1: forbindelsen blev afvist/);
    const ping = await d.ping();
    expect(ping.ok).toBe(false);
    expect(ping.message).toMatch(/svarer ikke/);
  });

  it('fails over to the next DC in the profile', async () => {
    const d = createAdDirectory(testProfile(ctx, { urls: ['ldaps://127.0.0.1:1', ctx.url], timeoutMs: TIMEOUT }));
    const s = await d.signIn(f.operators.helpdesk, f.password);
    try {
      expect(s.server).toBe(new URL(ctx.url).host);
      expect((await s.searchPeople({ text: f.special.employee.username, limit: 1 })).total).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('a wrong password is not retried on the next DC (that would only lock the account sooner)', async () => {
    const d = createAdDirectory(testProfile(ctx, { urls: [ctx.url, r.url], timeoutMs: TIMEOUT }));
    const before = r.bytesDown;
    await expectConsoleError(d.signIn(f.special.wrongPassword.username, 'Forkert-Igen-1!'), 'unauthenticated');
    expect(r.bytesDown).toBe(before);
  });
});

describe('a DC that stops mid-operation', () => {
  it('a stopped DC gives unavailable-ad within the timeout, and the session recovers afterwards', async () => {
    const d = createAdDirectory(testProfile(ctx, { timeoutMs: TIMEOUT }));
    const s = await d.signIn(f.operators.helpdesk, f.password);
    try {
      suspendDc();
      const t0 = Date.now();
      await expectConsoleError(s.searchPeople({ text: 'hansen', limit: 10 }), 'unavailable-ad', /svarede ikke inden for 1,5 s/);
      expect(Date.now() - t0).toBeLessThan(TIMEOUT + 1000);
      // Signing in while it is stopped: TCP connects (the kernel accepts), TLS never completes.
      expect(await timed(expectConsoleError(d.signIn(f.operators.helpdesk, f.password), 'unavailable-ad'))).toBeLessThan(TIMEOUT + 1000);
      resumeDc();
      // The broken connection was dropped; the next call binds again by itself.
      expect((await s.searchPeople({ text: f.special.employee.username, limit: 1 })).total).toBe(1);
    } finally {
      resumeDc();
      await s.close();
    }
  });

  it('stopping the DC in the middle of a paged load of all users', async () => {
    const d = createAdDirectory(testProfile(ctx, { urls: [r.url], timeoutMs: TIMEOUT }), { pageSize: 50 });
    const s = await d.signIn(f.operators.helpdesk, f.password);
    try {
      let stoppedAt = 0;
      const start = r.bytesDown;
      r.onBytes = (total) => {
        if (!suspended && total - start > 100_000) {
          suspendDc();
          stoppedAt = Date.now();
        }
      };
      await expectConsoleError(s.loadAllPeople(), 'unavailable-ad', /svarede ikke/);
      expect(stoppedAt).toBeGreaterThan(0);
      expect(Date.now() - stoppedAt).toBeLessThan(TIMEOUT + 1000);
    } finally {
      resumeDc();
      await s.close();
    }
  });

  it('a connection that drops in the middle of a paged load → unavailable-ad at once', async () => {
    const d = createAdDirectory(testProfile(ctx, { urls: [r.url], timeoutMs: 10_000 }), { pageSize: 50 });
    const s = await d.signIn(f.operators.helpdesk, f.password);
    try {
      let cutAt = 0;
      const start = r.bytesDown;
      r.onBytes = (total) => {
        if (!cutAt && total - start > 100_000) {
          cutAt = Date.now();
          r.cut();
        }
      };
      await expectConsoleError(s.loadAllPeople(), 'unavailable-ad', /afbrudt/);
      expect(Date.now() - cutAt).toBeLessThan(1000);
      r.onBytes = null;
      // The relay still listens, so the session reconnects and rebinds on the next calls (together).
      const connectionsBefore = r.connections;
      const [all, one] = await Promise.all([s.loadAllPeople(), s.searchPeople({ text: f.special.employee.username, limit: 1 })]);
      expect(all.length).toBeGreaterThanOrEqual(f.bulkUserCount);
      expect(one.total).toBe(1);
      expect(r.connections - connectionsBefore).toBe(1);
    } finally {
      await s.close();
    }
  });
});
