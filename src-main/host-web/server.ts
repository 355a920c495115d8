import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import sirv from 'sirv';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';
import { httpStatusFor, type ErrorPayload } from '../../shared/errors.ts';
import { operations } from '../../shared/operations/index.ts';
import type { Core } from '../core.ts';
import { memorySlot, type SessionSlot } from '../dispatch/session.ts';

export interface WebHostOptions {
  core: Core;
  port: number;
  token: string;
  /** Built renderer (index.html + assets); omitted in API-only tests. */
  rendererDir?: string;
}

export interface WebHost {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'lia_session';
const SESSION_HEADER = 'x-console-session';
const MAX_BODY = 1024 * 1024;

const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { ...securityHeaders, ...extra, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(data) });
  res.end(data);
}

function sendError(res: ServerResponse, error: ErrorPayload, extra: Record<string, string> = {}): void {
  sendJson(res, httpStatusFor[error.code], { ok: false, error }, extra);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too-large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/**
 * Serves the renderer and the dispatcher over HTTP on 127.0.0.1 only. Every API call needs the per-run
 * bearer token; Host and Origin must be this server (against DNS rebinding and cross-site requests).
 * Operator sessions are kept per browser session (cookie) or per API client (X-Console-Session header).
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const sessions = new Map<string, SessionSlot>();
  const workstation = `${hostname()} (web)`;
  let allowedHosts: Set<string> = new Set();
  const statics = opts.rendererDir
    ? sirv(opts.rendererDir, { dev: false, etag: true, single: true, setHeaders: (res) => {
        for (const [k, v] of Object.entries(securityHeaders)) if (k !== 'Cache-Control') res.setHeader(k, v);
      } })
    : null;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, { code: 'internal', message: 'Der opstod en intern fejl.' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) {
      sendError(res, { code: 'forbidden', message: 'Ukendt Host-header.' });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
      sendError(res, { code: 'forbidden', message: 'Fremmed Origin afvist.' });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (!url.pathname.startsWith('/api/')) {
      if (statics && (req.method === 'GET' || req.method === 'HEAD')) {
        statics(req, res, () => sendError(res, { code: 'not-found', message: 'Ikke fundet.' }));
      } else {
        sendError(res, { code: 'not-found', message: 'Ikke fundet.' });
      }
      return;
    }

    const auth = req.headers.authorization ?? '';
    const presented = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (!presented || !sameSecret(presented, opts.token)) {
      sendError(res, { code: 'unauthenticated', message: 'Manglende eller forkert adgangsnøgle til konsollen.' }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }

    if (req.method === 'GET' && url.pathname === '/api/ops') {
      sendJson(res, 200, {
        ok: true,
        data: Object.entries(operations).map(([name, spec]) => ({
          name,
          summary: spec.summary,
          access: spec.access,
          writes: spec.writes,
        })),
      });
      return;
    }

    const match = /^\/api\/op\/([A-Za-z0-9.]+)$/.exec(url.pathname);
    if (!match) {
      sendError(res, { code: 'not-found', message: 'Ukendt adresse.' });
      return;
    }
    if (req.method !== 'POST') {
      sendError(res, { code: 'validation', message: 'Brug POST.' }, { Allow: 'POST' });
      return;
    }
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      sendError(res, { code: 'validation', message: 'Forventede JSON (Content-Type: application/json).' });
      return;
    }

    let input: unknown;
    try {
      const body = await readBody(req);
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch (e) {
      const tooLarge = e instanceof Error && e.message === 'too-large';
      sendError(res, { code: 'validation', message: tooLarge ? 'Forespørgslen er for stor.' : 'Ugyldig JSON.' });
      return;
    }

    let sid = (req.headers[SESSION_HEADER] as string | undefined) ?? cookieValue(req, SESSION_COOKIE);
    let slot = sid ? sessions.get(sid) : undefined;
    const extra: Record<string, string> = {};
    if (!slot) {
      sid = randomBytes(24).toString('base64url');
      slot = memorySlot();
      sessions.set(sid, slot);
      extra['Set-Cookie'] = `${SESSION_COOKIE}=${sid}; Path=/api; HttpOnly; SameSite=Strict`;
      extra['X-Console-Session'] = sid;
    }
    const correlationId = req.headers['x-correlation-id'];
    const result = await opts.core.dispatch(match[1] ?? '', input, {
      slot,
      workstation,
      correlationId: typeof correlationId === 'string' && /^[\w-]{8,64}$/.test(correlationId) ? correlationId : undefined,
    });
    if (result.ok) sendJson(res, 200, result, extra);
    else sendError(res, result.error, extra);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
