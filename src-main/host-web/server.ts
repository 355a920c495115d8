import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import sirv from 'sirv';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';
import { httpStatusFor, type ErrorPayload } from '../../shared/errors.ts';
import { operations } from '../../shared/operations/index.ts';
import { logBackgroundError, runInBackground } from '../background.ts';
import type { Core } from '../composition/core.ts';
import { memorySlot, type SessionSlot } from '../dispatch/session.ts';
import { closeSession } from '../session-binds.ts';

export interface WebHostOptions {
  core: Core;
  port: number;
  /** The per-run bearer token; at least MIN_TOKEN_LENGTH characters. */
  token: string;
  /** Built renderer (index.html + assets); omitted in API-only tests. */
  rendererDir?: string;
  /** An operator session unused this long is dropped and its AD bind closed (default 60 minutes). */
  sessionIdleMs?: number;
  /** How often idle sessions are swept (default every minute). */
  sweepEveryMs?: number;
  /** Connection limits and timeouts (defaults below); tests shorten them. */
  limits?: Partial<typeof DEFAULT_LIMITS>;
}

export interface WebHost {
  url: string;
  port: number;
  server: Server;
  /** Sessions held now (signed in or not), for tests and the status line. */
  sessionCount(): number;
  /** Drop idle sessions now (the timer does this on its own). */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

/** A shorter CONSOLE_TOKEN is refused: the token is all that stands between a local process and the API. */
export const MIN_TOKEN_LENGTH = 32;

const DEFAULT_LIMITS = {
  /** The whole request head must arrive within this (slowloris). */
  headersTimeoutMs: 15_000,
  /** The whole request, body included, must arrive within this. */
  requestTimeoutMs: 60_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** A socket with no traffic at all is closed after this (long operations answer well within it). */
  socketIdleMs: 10 * 60_000,
  /** At most this many open connections; more are refused at once. */
  maxConnections: 64,
  /** Sessions held at most; past it the least recently used that nobody signed in to go first. */
  maxSessions: 1000,
};

const SESSION_COOKIE = 'lia_session';
const SESSION_HEADER = 'x-console-session';
const MAX_BODY = 1024 * 1024;
/**
 * A body over MAX_BODY is read to its end and thrown away, so the client gets its 413 on an intact
 * connection (answering while it still sends would reset the socket and lose the answer). Past this
 * much, the host stops listening: 413 and the connection is closed.
 */
const DRAIN_LIMIT = 16 * MAX_BODY;
const TOO_LARGE: ErrorPayload = { code: 'validation', message: 'Forespørgslen er for stor: højst 1 MiB pr. kald.' };

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

class TooLarge extends Error {
  /** True when the client was still sending past DRAIN_LIMIT: the connection must be closed. */
  readonly abandon: boolean;
  constructor(abandon: boolean) {
    super('too-large');
    this.abandon = abandon;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > DRAIN_LIMIT) {
      reject(new TooLarge(true));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
      else if (chunks.length) chunks.length = 0; // over the limit: keep reading, keep nothing
      if (size > DRAIN_LIMIT && !settled) {
        settled = true;
        reject(new TooLarge(true));
      }
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      if (size > MAX_BODY) reject(new TooLarge(false));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => {
      if (!settled) {
        settled = true;
        reject(e);
      }
    });
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
  if (opts.token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`CONSOLE_TOKEN skal være mindst ${MIN_TOKEN_LENGTH} tegn (den angivne har ${opts.token.length}). Udelad den, så laver konsollen selv en tilfældig.`);
  }
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const idleMs = opts.sessionIdleMs ?? 60 * 60_000;
  // Each holds an operator's own AD bind once signed in: swept when idle, so an abandoned browser tab
  // does not keep the bind (and what it authenticated with) alive in memory.
  const sessions = new Map<string, { slot: SessionSlot; seenAt: number }>();
  const workstation = `${hostname()} (web)`;
  let allowedHosts: Set<string> = new Set();
  const statics = opts.rendererDir
    ? sirv(opts.rendererDir, { dev: false, etag: true, single: true, setHeaders: (res) => {
        for (const [k, v] of Object.entries(securityHeaders)) if (k !== 'Cache-Control') res.setHeader(k, v);
      } })
    : null;

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often the two timeouts above are checked (Node's default, 30 s, would let them overrun).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    (req, res) => {
      // Node's request listener cannot wait for the answer. handle() answers every failure it knows;
      // anything else is logged and answered with a 500 (or the half-sent answer is cut off).
      runInBackground('Forespørgslen til webværten', handle(req, res), (e) => {
        logBackgroundError(`Forespørgslen ${req.method ?? ''} ${(req.url ?? '').split('?')[0] ?? ''}`)(e);
        if (!res.headersSent) sendError(res, { code: 'internal', message: 'Der opstod en intern fejl.' });
        else res.destroy();
      });
    },
  );

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
      if (e instanceof TooLarge) {
        // 413 on a connection that still answers; one that kept sending past the drain limit is closed.
        sendJson(res, 413, { ok: false, error: TOO_LARGE }, { Connection: 'close' });
        if (e.abandon) res.once('finish', () => req.socket.destroySoon());
        return;
      }
      sendError(res, { code: 'validation', message: 'Ugyldig JSON.' });
      return;
    }

    let sid = (req.headers[SESSION_HEADER] as string | undefined) ?? cookieValue(req, SESSION_COOKIE);
    const known = sid ? sessions.get(sid) : undefined;
    let slot = known?.slot;
    const extra: Record<string, string> = {};
    if (known) known.seenAt = Date.now();
    if (!slot) {
      if (sessions.size >= limits.maxSessions) await makeRoom();
      sid = randomBytes(24).toString('base64url');
      slot = memorySlot();
      sessions.set(sid, { slot, seenAt: Date.now() });
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

  /** Drops a session and closes its operator's AD bind. */
  async function drop(sid: string): Promise<void> {
    const entry = sessions.get(sid);
    if (!entry) return;
    sessions.delete(sid);
    const active = entry.slot.get();
    entry.slot.set(null);
    // A bind that fails to close is dropped all the same: the session is gone either way.
    if (active) await closeSession(active);
  }

  /** Sessions unused for `idleMs` (by the host's clock or the dispatcher's) are dropped. */
  async function sweep(): Promise<number> {
    const now = Date.now();
    const idle = [...sessions.entries()].filter(([, e]) => now - Math.max(e.seenAt, e.slot.get()?.lastUsedAt ?? 0) > idleMs).map(([sid]) => sid);
    for (const sid of idle) await drop(sid);
    return idle.length;
  }

  /** At the session cap: the least recently seen sessions nobody is signed in to make way first. */
  async function makeRoom(): Promise<void> {
    await sweep();
    const spare = [...sessions.entries()].filter(([, e]) => !e.slot.get()).sort((a, b) => a[1].seenAt - b[1].seenAt);
    for (const [sid] of spare.slice(0, Math.max(1, sessions.size - limits.maxSessions + 1))) await drop(sid);
  }

  // A timer's tick: nobody waits for it, and the next tick sweeps again.
  const sweeper = setInterval(() => runInBackground('Oprydningen af webværtens sessioner', sweep()), opts.sweepEveryMs ?? 60_000);
  sweeper.unref();

  server.maxConnections = limits.maxConnections;
  server.timeout = limits.socketIdleMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  }).catch((e: unknown) => {
    clearInterval(sweeper);
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    server,
    sessionCount: () => sessions.size,
    sweep,
    close: async () => {
      clearInterval(sweeper);
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      for (const sid of [...sessions.keys()]) await drop(sid);
    },
  };
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
