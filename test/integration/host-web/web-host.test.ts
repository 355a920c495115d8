import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The web host as a user starts it: the real entry point in a child process, on a free port.
// At least 32 characters: the host refuses a shorter CONSOLE_TOKEN.
const token = randomBytes(24).toString('base64url');
let child: ChildProcess;
let base: URL;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lia-web-'));
  child = spawn(process.execPath, ['src-main/host-web/main.ts'], {
    env: { ...process.env, PORT: '0', CONSOLE_TOKEN: token, LOKALIDP_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = await new Promise<URL>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
      if (m?.[1]) resolve(new URL(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`web host exited (${code}): ${out}`)));
    setTimeout(() => reject(new Error('no READY line within 20 s')), 20_000);
  });
});

afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { ok: boolean; data?: unknown; error?: { code: string; message: string; details?: { fields?: Record<string, string> } } } | string;
}

/** Raw HTTP, so the test controls Host and Origin exactly as an attacker could. */
function call(method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: base.port, method, path, headers: { Host: base.host, ...opts.headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          let body: Reply['body'] = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON (the renderer's HTML)
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const json = (payload: unknown, extra: Record<string, string> = {}) => ({
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...extra },
  body: JSON.stringify(payload),
});

async function login(username: string): Promise<string> {
  const r = await call('POST', '/api/op/session.login', json({ username, password: 'Traening-2026' }));
  expect(r.status).toBe(200);
  return String(r.headers['x-console-session']);
}

describe('web host', () => {
  it('binds to 127.0.0.1 and serves the renderer with a strict CSP', async () => {
    expect(base.hostname).toBe('127.0.0.1');
    const r = await call('GET', '/');
    expect(r.status).toBe(200);
    expect(String(r.body)).toContain('<div id="root">');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses a call without the token, or with a wrong one', async () => {
    const none = await call('POST', '/api/op/app.info', { headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const wrong = await call('POST', '/api/op/app.info', json({}, { Authorization: 'Bearer nope' }));
    expect(wrong.status).toBe(401);
  });

  it('answers with the token', async () => {
    const r = await call('POST', '/api/op/app.info', json({}));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, data: { training: true } });
  });

  it('rejects a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    const host = await call('POST', '/api/op/app.info', { ...json({}), headers: { ...json({}).headers, Host: 'evil.example:80' } });
    expect(host.status).toBe(403);
    const origin = await call('POST', '/api/op/app.info', json({}, { Origin: 'http://evil.example' }));
    expect(origin.status).toBe(403);
    const own = await call('POST', '/api/op/app.info', json({}, { Origin: `http://${base.host}` }));
    expect(own.status).toBe(200);
  });

  it('lists the operations with their permissions', async () => {
    const r = await call('GET', '/api/ops', { headers: { Authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    const ops = (r.body as { data: Array<{ name: string; access: unknown; writes: boolean }> }).data;
    expect(ops.find((o) => o.name === 'people.unlockAccount')).toMatchObject({ writes: true, access: ['administrator', 'useradmin', 'helpdesk'] });
  });

  it('returns validation with the field named for invalid input to any operation', async () => {
    const r = await call('POST', '/api/op/session.login', json({ username: 42 }));
    expect(r.status).toBe(400);
    const body = r.body as Exclude<Reply['body'], string>;
    expect(body.error?.code).toBe('validation');
    expect(Object.keys(body.error?.details?.fields ?? {})).toEqual(expect.arrayContaining(['username', 'password']));
    const bad = await call('POST', '/api/op/session.login', { ...json({}), body: '{not json' });
    expect(bad.status).toBe(400);
  });

  it('refuses a write by an Auditor with forbidden', async () => {
    const session = await login('revisor');
    const s = { 'X-Console-Session': session };
    const people = await call('POST', '/api/op/people.search', json({ text: '', limit: 1 }, s));
    const personId = ((people.body as { data: { items: Array<{ id: string }> } }).data.items[0] as { id: string }).id;
    const r = await call('POST', '/api/op/people.unlockAccount', json({ personId, reason: 'revisor forsøger' }, s));
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('keeps sessions apart per client', async () => {
    const a = await login('revisor');
    const b = await login('admin');
    const who = async (sid: string) =>
      ((await call('POST', '/api/op/session.current', json({}, { 'X-Console-Session': sid }))).body as { data: { operator: { username: string } } }).data.operator.username;
    expect(await who(a)).toBe('revisor');
    expect(await who(b)).toBe('admin');
  });

  it('never leaks a stack trace', async () => {
    const r = await call('POST', '/api/op/people.get', json({ personId: 'x'.repeat(50) }, { 'X-Console-Session': await login('helpdesk') }));
    expect(r.status).toBe(404);
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});
