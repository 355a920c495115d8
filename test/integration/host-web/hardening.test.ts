// The web host under abuse, on real sockets: an oversized body gets a Danish 413 on a connection that
// still answers, slow and surplus connections are cut off, idle operator sessions are swept with their AD
// bind closed, a short CONSOLE_TOKEN stops the host, and what it writes is its user's alone.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectorySession } from '../../../src-main/connectors/directory-port.ts';
import { startWebHost, type WebHost } from '../../../src-main/host-web/server.ts';
import { testCore, TRAINING_PASSWORD } from '../../support/core.ts';

const token = randomBytes(24).toString('base64url');
let env: Awaited<ReturnType<typeof testCore>>;
let host: WebHost;
let closedBinds = 0;

beforeAll(async () => {
  env = await testCore();
  // Count every close of an operator's directory session (the AD bind in live mode).
  const directory = env.core.connections().directory;
  const signIn = directory.signIn.bind(directory);
  directory.signIn = async (u: string, p: string): Promise<DirectorySession> => {
    const s = await signIn(u, p);
    const close = s.close.bind(s);
    s.close = async () => {
      closedBinds++;
      await close();
    };
    return s;
  };
  host = await startWebHost({
    core: env.core, port: 0, token, sessionIdleMs: 400, sweepEveryMs: 50,
    limits: { headersTimeoutMs: 500, requestTimeoutMs: 2000, maxConnections: 8 },
  });
});
afterAll(async () => {
  await host?.close();
  await env?.dispose();
});

interface RawReply {
  status: number;
  headers: string;
  body: string;
  /** The socket failed (reset) before a complete answer arrived. */
  error: string | null;
}

/** One request on a raw socket: the test controls exactly what is sent and sees exactly what comes back. */
function raw(write: (s: Socket) => void, timeoutMs = 10_000): Promise<RawReply> {
  return new Promise((resolve) => {
    const s = connect(host.port, '127.0.0.1');
    let data = '';
    let error: string | null = null;
    const done = () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: rest.join('\r\n\r\n'), error });
    };
    s.on('data', (d) => (data += d.toString('utf8')));
    s.on('error', (e) => (error = (e as NodeJS.ErrnoException).code ?? e.message));
    s.on('close', done);
    s.setTimeout(timeoutMs, () => s.destroy());
    s.on('connect', () => write(s));
  });
}

const head = (path: string, extra: string) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nConnection: close\r\n${extra}\r\n`;

describe('an oversized body', () => {
  it('gets 413 with a Danish JSON error, not a reset (declared length)', async () => {
    const body = `{"text":"${'x'.repeat(2 * 1024 * 1024)}"}`;
    const r = await raw((s) => {
      s.write(head('/api/op/app.info', `Content-Length: ${Buffer.byteLength(body)}\r\n`));
      s.end(body);
    });
    expect(r.error).toBeNull();
    expect(r.status).toBe(413);
    expect(r.headers).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'validation', message: 'Forespørgslen er for stor: højst 1 MiB pr. kald.' } });
  });

  it('gets 413 too when sent in chunks without a length', async () => {
    const r = await raw((s) => {
      s.write(head('/api/op/app.info', 'Transfer-Encoding: chunked\r\n'));
      const chunk = 'y'.repeat(256 * 1024);
      for (let i = 0; i < 6; i++) s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      s.end('0\r\n\r\n');
    });
    expect(r.error).toBeNull();
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.message).toContain('for stor');
  });

  it('a body just under the limit is still read', async () => {
    const body = JSON.stringify({ pad: 'z'.repeat(1024 * 1024 - 20) });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1024 * 1024);
    const r = await raw((s) => {
      s.write(head('/api/op/app.info', `Content-Length: ${Buffer.byteLength(body)}\r\n`));
      s.end(body);
    });
    // Read and parsed: app.info refuses the unknown field, which proves the body got through.
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.code).toBe('validation');
  });
});

describe('slow and surplus connections', () => {
  it('a client that never finishes its request head is answered 408 and disconnected', async () => {
    const started = Date.now();
    const r = await raw((s) => s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Slow: `), 10_000);
    expect(r.status).toBe(408);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('connections past the cap are refused while the first ones stay open', async () => {
    const open: Socket[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const s = connect(host.port, '127.0.0.1');
        await new Promise((r) => s.once('connect', r));
        open.push(s);
      }
      await new Promise((r) => setTimeout(r, 100));
      const extra = await raw((s) => s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`), 3000);
      expect(extra.status).toBe(0);
    } finally {
      for (const s of open) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    const after = await raw((s) => s.write(`GET /api/ops HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`));
    expect(after.status).toBe(200);
  });
});

describe('operator sessions', () => {
  const op = async (name: string, input: unknown, sid?: string) => {
    const body = JSON.stringify(input);
    const r = await raw((s) => {
      s.write(head(`/api/op/${name}`, `Content-Length: ${Buffer.byteLength(body)}\r\n${sid ? `X-Console-Session: ${sid}\r\n` : ''}`));
      s.end(body);
    });
    return { ...r, sid: /x-console-session: (\S+)/i.exec(r.headers)?.[1] ?? sid, json: JSON.parse(r.body) as { ok: boolean; data?: { operator: { username: string } | null } } };
  };

  it('an abandoned session is swept on a timer and its AD bind closed; one in use stays', async () => {
    await host.sweep();
    const closedBefore = closedBinds;
    const abandoned = await op('session.login', { username: 'helpdesk', password: TRAINING_PASSWORD });
    const busy = await op('session.login', { username: 'revisor', password: TRAINING_PASSWORD });
    expect(abandoned.json.ok && busy.json.ok).toBe(true);
    expect(host.sessionCount()).toBeGreaterThanOrEqual(2);
    // The busy one keeps working; the abandoned one is left alone past the idle time.
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 100));
      expect((await op('session.current', {}, busy.sid)).json.data?.operator?.username).toBe('revisor');
    }
    expect(closedBinds).toBe(closedBefore + 1);
    expect((await op('session.current', {}, abandoned.sid)).json.data?.operator).toBeNull();
    expect((await op('session.current', {}, busy.sid)).json.data?.operator?.username).toBe('revisor');
  });

  it('closing the host closes every bind still held', async () => {
    const other = await startWebHost({ core: env.core, port: 0, token });
    try {
      const before = closedBinds;
      const body = JSON.stringify({ username: 'admin', password: TRAINING_PASSWORD });
      const res = await fetch(`${other.url}api/op/session.login`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
      expect(res.status).toBe(200);
      expect(other.sessionCount()).toBe(1);
      await other.close();
      expect(closedBinds).toBe(before + 1);
      expect(other.sessionCount()).toBe(0);
    } finally {
      await other.close().catch(() => {});
    }
  });
});

describe('the token', () => {
  it('startWebHost refuses a token under 32 characters', async () => {
    await expect(startWebHost({ core: env.core, port: 0, token: 'x'.repeat(31) })).rejects.toThrow('CONSOLE_TOKEN skal være mindst 32 tegn (den angivne har 31)');
  });
});

/** The host as a user starts it; resolves with how it ended (or READY). */
function startProcess(env: Record<string, string>): Promise<{ ready: boolean; code: number | null; out: string; err: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['src-main/host-web/main.ts'], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^READY /m.test(out)) resolve({ ready: true, code: null, out, err, stop });
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => resolve({ ready: false, code, out, err, stop }));
    setTimeout(() => resolve({ ready: false, code: null, out, err, stop }), 30_000);
  });
}

describe('the host process', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'lia-harden-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stops with a clear Danish message when CONSOLE_TOKEN is too short', async () => {
    const r = await startProcess({ CONSOLE_TOKEN: 'kort-token-123', LOKALIDP_DATA_DIR: join(root, 'short') });
    await r.stop();
    expect(r.ready).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err).toContain('CONSOLE_TOKEN er for kort: den skal være mindst 32 tegn (den har 14)');
  });

  it.runIf(process.platform !== 'win32')('creates its data folder 0700 and every file in it 0600, and tightens a folder others could read', async () => {
    const fresh = join(root, 'ny', 'data');
    const loose = join(root, 'loose');
    mkdirSync(loose);
    chmodSync(loose, 0o755);
    writeFileSync(join(loose, 'retention.json'), '{}', { mode: 0o600 });
    for (const dir of [fresh, loose]) {
      const r = await startProcess({ CONSOLE_TOKEN: token, LOKALIDP_DATA_DIR: dir });
      try {
        expect(r.ready, r.err).toBe(true);
        // Make it write its settings file too, through the API as an administrator would.
        const url = /^READY (\S+)$/m.exec(r.out)![1]!;
        const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
        const login = await fetch(`${url}api/op/session.login`, { method: 'POST', headers, body: JSON.stringify({ username: 'admin', password: TRAINING_PASSWORD }) });
        const sid = login.headers.get('x-console-session')!;
        const saved = await fetch(`${url}api/op/settings.update`, { method: 'POST', headers: { ...headers, 'X-Console-Session': sid }, body: JSON.stringify({ settings: { language: 'da' } }) });
        expect(saved.status).toBe(200);
      } finally {
        await r.stop();
      }
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
      expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(['journal.sqlite', 'settings.json']));
      for (const e of entries) {
        const mode = statSync(join(e.parentPath, e.name)).mode & 0o777;
        expect([e.name, mode.toString(8)]).toEqual([e.name, e.isDirectory() ? '700' : '600']);
      }
    }
  });

  it('stops instead of falling back to training when the settings file cannot be read', async () => {
    for (const [name, setup] of [
      ['not JSON', (d: string) => writeFileSync(join(d, 'settings.json'), '{"mode":"live", "idp": {')],
      ['invalid', (d: string) => writeFileSync(join(d, 'settings.json'), JSON.stringify({ mode: 'live', idp: { baseUrl: 'http://idp.fjordby.invalid' } }))],
      ['unreadable', (d: string) => mkdirSync(join(d, 'settings.json'))],
    ] as const) {
      const dir = join(root, `bad-${name.replace(' ', '-')}`);
      mkdirSync(dir, { mode: 0o700 });
      setup(dir);
      const r = await startProcess({ CONSOLE_TOKEN: token, LOKALIDP_DATA_DIR: dir });
      await r.stop();
      expect([name, r.ready, r.code]).toEqual([name, false, 2]);
      expect(r.err).toContain('Lokal IdP Admin kan ikke starte: Indstillingerne i');
      expect(r.err).toContain('Konsollen starter ikke i træningsmiljøet i stedet');
      expect(r.out).not.toContain('Træningsmiljø');
    }
  });

  it('a missing settings file is a fresh install: it starts in the training environment', async () => {
    const r = await startProcess({ CONSOLE_TOKEN: token, LOKALIDP_DATA_DIR: join(root, 'fresh-install') });
    await r.stop();
    expect(r.ready, r.err).toBe(true);
    expect(r.out).toContain('Træningsmiljø (fiktiv kommune)');
  });
});
