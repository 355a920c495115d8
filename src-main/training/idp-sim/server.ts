import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { API_KEY_HEADER, CORRELATION_HEADER, CorrelationId, Domain, IDP_API_BASE, PageQuery, Username, idpStatusFor } from '../../../shared/idp/common.ts';
import type { IdpErrorCode, PersonKey } from '../../../shared/idp/common.ts';
import { PasswordPolicyUpdate } from '../../../shared/idp/password-policy.ts';
import { PublishTermsVersion } from '../../../shared/idp/terms.ts';
import { SerialNumber } from '../../../shared/idp/people.ts';
import { AuditEventWrite, AuditReadQuery } from '../../../shared/idp/audit.ts';
import { AssignTokenBody, LockDeviceBody, TokenStatusQuery, WriteBody } from '../../../shared/idp/api.ts';
import { AttestationRequest, HeadReadQuery, JournalBatch, JournalId, JournalListQuery } from '../../../shared/idp/journal.ts';
import { PersonChangesQuery } from '../../../shared/idp/changes.ts';
import { IdpState, SimError, pageSlice } from './state.ts';
import type { IdpSnapshot } from './state.ts';
import type { IdpSeedOptions } from './seed.ts';
import { seedIdpState } from './seed.ts';
import { IdpSimFaults } from './faults.ts';
import { registerCreateClaimRoutes } from './claims.ts';
import { registerMailTemplateRoutes } from './mail-templates.ts';

export interface IdpSimulatorOptions extends IdpSeedOptions {
  host?: string;
  port?: number;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Defaults to a random key per run. */
  apiKey?: string;
  bearerToken?: string;
  /** Seed for the fault PRNG (default: Math.random). */
  faultSeed?: number;
  /** A ready state instead of seeding one (e.g. shared with another simulator instance). */
  state?: IdpState;
  /**
   * Keep the state in this JSON file: loaded at start when it exists (instead of seeding), written by
   * save() and on stop(), so a training session's changes survive a restart.
   */
  file?: string;
  /**
   * Keep the state as a change log instead (the training environment): the state is seeded from the same
   * people, seed and seeding time each start, then every write applied since is replayed from this file.
   * Each write costs one appended line, never a rewrite of the whole state (tens of MB for 100,000 people).
   * Ignored when `state` or `file` is given.
   */
  changeLog?: string;
  /** Run OS2faktor's retention (13 months; logins 3 months) at start and daily (default true). */
  retention?: boolean;
}

export interface IdpSimulator {
  /** Base URL without the API path, e.g. http://127.0.0.1:43121 */
  url: string;
  apiKey: string;
  bearerToken: string;
  state: IdpState;
  faults: IdpSimFaults;
  /** Number of requests that reached the router (for tests of retry behaviour). */
  requestCount(): number;
  /**
   * Calls per endpoint, as "METHOD /path/{param}" (e.g. "GET /people/changes", "GET /people/{domain}/{username}"),
   * whatever their outcome: what tests and benchmarks count a console's calls by. A copy.
   */
  calls(): Record<string, number>;
  resetCalls(): void;
  /** Writes held back by late application that have not been applied yet. */
  pendingApplies(): number;
  /** Writes the state to `file` (no-op without one). */
  save(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_BODY = 1_000_000;

async function loadState(file: string, opts: IdpSimulatorOptions): Promise<IdpState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return IdpState.fromSnapshot(JSON.parse(text) as IdpSnapshot, opts.clock);
}

type LogEntry = { t: number; m: string; p: string; b: unknown; c?: string | null } | { key: { keyPem: string; certPem: string } };

/**
 * The change log: a header naming what the state was seeded from (people, seed, size, time), then one JSON
 * line per applied write. A log made from other people (say, another training size) is set aside, not
 * replayed onto the wrong state.
 */
function openChangeLog(file: string, opts: IdpSimulatorOptions): { seededAt: number; entries: LogEntry[]; append(e: LogEntry): void } {
  const seed = createHash('sha256').update(JSON.stringify([opts.people ?? null, opts.seed ?? null, opts.auditEvents ?? null, ...(opts.otherDomains?.length ? [opts.otherDomains] : [])])).digest('hex');
  let seededAt = opts.now ?? Date.now();
  let entries: LogEntry[] = [];
  let fresh = true;
  if (existsSync(file)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    type Header = { format?: string; seed?: string; seededAt?: number };
    let header: Header | null = null;
    try {
      header = JSON.parse(lines[0] ?? '') as Header;
    } catch {
      header = null;
    }
    if (header?.format === 'lokal-idp-sim-log/1' && header.seed === seed && typeof header.seededAt === 'number') {
      seededAt = header.seededAt;
      fresh = false;
      for (const line of lines.slice(1)) {
        if (!line) continue;
        try {
          entries.push(JSON.parse(line) as LogEntry);
        } catch {
          // A line cut off by a crash mid-write: that write was never acknowledged.
        }
      }
    } else {
      renameSync(file, `${file}.forrige`);
      entries = [];
    }
  }
  if (fresh) writeFileSync(file, `${JSON.stringify({ format: 'lokal-idp-sim-log/1', seed, seededAt })}\n`, { mode: 0o600 });
  return {
    seededAt,
    entries,
    append(e) {
      appendFileSync(file, `${JSON.stringify(e)}\n`, { mode: 0o600 });
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': data.length });
  res.end(data);
}

function sendError(res: ServerResponse, code: IdpErrorCode, message: string, details?: Record<string, unknown>): void {
  sendJson(res, idpStatusFor[code], details ? { code, message, details } : { code, message });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new SimError('validation', 'Forespørgslen er for stor');
    chunks.push(c);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new SimError('validation', 'Forespørgslen er ikke gyldig JSON');
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new SimError('validation', 'Ugyldige data i forespørgslen', {
      issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return r.data;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Ctx {
  params: string[];
  query: URLSearchParams;
  /** Read before the handler runs, so a handler is synchronous and can run with a pinned clock. */
  body: unknown;
}

type Handler = (ctx: Ctx) => { status: number; body?: unknown };

interface Route {
  method: string;
  /** The endpoint as counted: "GET /people/{domain}/{username}". */
  name: string;
  pattern: RegExp;
  write: boolean;
  handler: Handler;
}

const seg = '([^/]+)';

/** A route's path with its parameters named, for the per-endpoint call counts. */
function endpointName(path: string): string {
  const names = path.startsWith('/people/') ? ['{domain}', '{username}', '{id}'] : ['{id}', '{id2}'];
  let n = 0;
  return path.replaceAll(seg, () => names[n++] ?? '{x}');
}

function buildRoutes(state: IdpState): Route[] {
  const routes: Route[] = [];
  const add = (method: string, path: string, handler: Handler) =>
    routes.push({ method, name: `${method} ${endpointName(path)}`, pattern: new RegExp(`^${IDP_API_BASE}${path}$`), write: method !== 'GET', handler });
  const q = (ctx: Ctx) => Object.fromEntries(ctx.query);
  const person = (ctx: Ctx): PersonKey => ({ domain: parse(Domain, ctx.params[0]), username: parse(Username, ctx.params[1]) });
  const pageQ = (ctx: Ctx) => parse(PageQuery, { cursor: ctx.query.get('cursor') ?? undefined, limit: ctx.query.get('limit') ?? undefined });
  const ok = (body: unknown) => ({ status: 200, body });
  const version = (s: string | undefined) => parse(z.coerce.number().int().min(1), s);

  add('GET', '/health', () => ok({ status: 'ok', apiVersion: '1', product: 'Lokal IdP-simulator' }));

  add('GET', '/password-policies', (ctx) => {
    const p = pageQ(ctx);
    return ok(pageSlice([...state.policies.values()], p.cursor, p.limit));
  });
  add('GET', `/password-policies/${seg}`, (ctx) => ok(state.policy(ctx.params[0]!)));
  add('PUT', `/password-policies/${seg}`, (ctx) => ok(state.updatePolicy(ctx.params[0]!, parse(PasswordPolicyUpdate, ctx.body))));

  add('GET', '/terms/nsis', () => ok(state.nsisTerms));
  add('GET', '/terms/addendum/current', () => ok({ current: state.currentTerms() }));
  add('GET', '/terms/addendum/versions', (ctx) => {
    const p = pageQ(ctx);
    return ok(pageSlice([...state.termsVersions].reverse(), p.cursor, p.limit));
  });
  add('POST', '/terms/addendum/versions', (ctx) => ({ status: 201, body: state.publishTerms(parse(PublishTermsVersion, ctx.body)) }));
  add('GET', `/terms/addendum/versions/${seg}`, (ctx) => ok(state.termsVersion(version(ctx.params[0]))));
  add('GET', `/terms/addendum/versions/${seg}/acceptances`, (ctx) => {
    const p = pageQ(ctx);
    return ok(state.acceptancesOfVersion(version(ctx.params[0]), p.cursor, p.limit));
  });

  // The change feed: one call per page of changed people, not one per person.
  add('GET', '/people/changes', (ctx) => {
    const { after, limit } = parse(PersonChangesQuery, q(ctx));
    return ok(state.readChanges(after, limit));
  });
  add('GET', `/people/${seg}/${seg}`, (ctx) => ok(state.personView(person(ctx))));
  add('POST', `/people/${seg}/${seg}/lock`, (ctx) => ok(state.lockIdentity(person(ctx), parse(WriteBody, ctx.body))));
  add('POST', `/people/${seg}/${seg}/unlock`, (ctx) => ok(state.unlockIdentity(person(ctx), parse(WriteBody, ctx.body))));
  add('GET', `/people/${seg}/${seg}/terms-acceptances`, (ctx) => {
    const p = pageQ(ctx);
    return ok(state.acceptancesOfPerson(person(ctx), p.cursor, p.limit));
  });
  add('GET', `/people/${seg}/${seg}/devices`, (ctx) => {
    const p = pageQ(ctx);
    return ok(state.listDevices(person(ctx), p.cursor, p.limit));
  });
  add('POST', `/people/${seg}/${seg}/devices/${seg}/lock`, (ctx) =>
    ok(state.lockDevice(person(ctx), ctx.params[2]!, parse(LockDeviceBody, ctx.body))),
  );
  add('POST', `/people/${seg}/${seg}/devices/${seg}/unlock`, (ctx) =>
    ok(state.unlockDevice(person(ctx), ctx.params[2]!, parse(WriteBody, ctx.body))),
  );
  add('POST', `/people/${seg}/${seg}/devices/${seg}/remove`, (ctx) => {
    state.removeDevice(person(ctx), ctx.params[2]!, parse(WriteBody, ctx.body));
    return { status: 204 };
  });
  add('POST', `/people/${seg}/${seg}/devices/${seg}/test-push`, (ctx) =>
    ok(state.testPush(person(ctx), ctx.params[2]!, parse(WriteBody, ctx.body))),
  );
  add('POST', `/people/${seg}/${seg}/hardware-tokens`, (ctx) =>
    ok(state.assignHardwareToken(person(ctx), parse(AssignTokenBody, ctx.body))),
  );
  add('POST', `/people/${seg}/${seg}/hardware-tokens/${seg}/release`, (ctx) => {
    state.releaseHardwareToken(person(ctx), parse(SerialNumber, ctx.params[2]), parse(WriteBody, ctx.body));
    return { status: 204 };
  });
  add('GET', `/hardware-tokens/${seg}`, (ctx) => ok(state.hardwareToken(parse(SerialNumber, ctx.params[0]))));
  add('GET', '/hardware-tokens', (ctx) => {
    const p = pageQ(ctx);
    const status = ctx.query.get('status');
    return ok(state.listHardwareTokens(status === null ? undefined : parse(TokenStatusQuery, status), p.cursor, p.limit));
  });

  add('GET', '/audit/head', () => ok({ head: state.auditHeadAnswer() }));
  add('GET', '/audit/events', (ctx) => {
    const { after, limit } = parse(AuditReadQuery, q(ctx));
    return ok(state.readAudit(after, limit));
  });
  add('POST', '/audit/events', (ctx) => {
    const { result } = state.writeAudit(parse(AuditEventWrite, ctx.body));
    return { status: result.created ? 201 : 200, body: result };
  });

  // The console's journal anchor: batches with the chain head, and the acknowledged heads read back.
  const journalId = (ctx: Ctx) => parse(JournalId, ctx.params[0]);
  add('GET', '/audit/journals', (ctx) => ok({ items: state.journalsOf(parse(JournalListQuery, q(ctx)).workstation) }));
  add('GET', `/audit/journals/${seg}`, (ctx) => ok(state.journal(journalId(ctx))));
  add('POST', `/audit/journals/${seg}/batches`, (ctx) => ok(state.shipJournalBatch(journalId(ctx), parse(JournalBatch, ctx.body))));
  add('GET', `/audit/journals/${seg}/heads`, (ctx) => {
    const { after, limit } = parse(HeadReadQuery, q(ctx));
    return ok(state.journalHeads(journalId(ctx), after, limit));
  });
  add('GET', `/audit/journals/${seg}/heads/${seg}`, (ctx) => ok(state.journalHeadAt(journalId(ctx), parse(z.coerce.number().int().min(1), ctx.params[1]))));

  add('GET', '/attestation/certificate', () => ok(state.attestationCertificate()));
  add('POST', '/attestation/signatures', (ctx) => ({ status: 201, body: state.attestEvidence(parse(AttestationRequest, ctx.body)) }));
  registerCreateClaimRoutes(add, state);
  registerMailTemplateRoutes(add, state);
  return routes;
}

/**
 * The project's Local IdP simulator: the whole IdP admin API (v1) in memory over HTTP(S), with the
 * training data seeded deterministically and fault controls for failure drills and tests.
 */
export async function startIdpSimulator(opts: IdpSimulatorOptions = {}): Promise<IdpSimulator> {
  // Writes run with the clock pinned to one instant, so replaying them from the change log gives the
  // same state (times, expiries) as when they were applied.
  const baseClock = opts.clock ?? Date.now;
  let pinned: number | null = null;
  const clock = () => pinned ?? baseClock();
  const log = opts.state || opts.file || !opts.changeLog ? null : openChangeLog(opts.changeLog, opts);
  const state =
    opts.state ??
    (opts.file ? await loadState(opts.file, opts) : null) ??
    seedIdpState({ ...opts, clock, ...(log ? { now: log.seededAt } : {}) });
  const apiKey = opts.apiKey ?? randomBytes(24).toString('hex');
  const bearerToken = opts.bearerToken ?? randomBytes(24).toString('hex');
  const routes = buildRoutes(state);
  // The fault PRNG gets its own seed so a test's pattern of faults repeats.
  const faults = new IdpSimFaults(opts.faultSeed);
  state.feedLag = () => faults.feedLagMs;
  let requests = 0;
  let calls: Record<string, number> = {};
  const scheduled = new Set<ReturnType<typeof setTimeout>>();

  const authorized = (req: IncomingMessage): boolean => {
    const key = req.headers[API_KEY_HEADER.toLowerCase()];
    if (typeof key === 'string' && safeEqual(key, apiKey)) return true;
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ') && safeEqual(auth.slice(7), bearerToken)) return true;
    return false;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = req.method ?? 'GET';
    const endpoint = routes.find((r) => r.method === method && r.pattern.test(url.pathname))?.name ?? `${method} (ukendt)`;
    calls[endpoint] = (calls[endpoint] ?? 0) + 1;
    const latency = faults.latency();
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (faults.chance(faults.unavailableRate)) {
      sendError(res, 'unavailable', 'Lokal IdP er midlertidigt utilgængelig');
      return;
    }
    if (faults.chance(faults.serverErrorRate)) {
      sendError(res, 'internal', 'Intern fejl i Lokal IdP');
      return;
    }
    if (!authorized(req)) {
      sendError(res, 'unauthenticated', 'Manglende eller forkert API-nøgle');
      return;
    }
    let matchedPath = false;
    for (const route of routes) {
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      matchedPath = true;
      if (route.method !== method) continue;
      const params = m.slice(1).map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          throw new SimError('validation', 'Ugyldig adresse');
        }
      });
      const body = route.write ? await readBody(req) : undefined;
      const ctx = { params, query: url.searchParams, body };
      if (route.write && faults.chance(faults.applyAfterTimeout.rate)) {
        // Applied late, whether or not anyone still waits: with the time (and feed position) of then.
        const { applyDelayMs, holdMs } = faults.applyAfterTimeout;
        const timer = setTimeout(() => {
          scheduled.delete(timer);
          const at = clock();
          pinned = at;
          try {
            const r = route.handler(ctx);
            if (log && r.status < 300) log.append({ t: at, m: method, p: url.pathname, b: body });
          } catch {
            // Refused when it landed: nothing changed.
          } finally {
            pinned = null;
          }
        }, applyDelayMs);
        scheduled.add(timer);
        await new Promise((r) => setTimeout(r, holdMs));
        req.socket.destroy();
        return;
      }
      // Attestation keys are made on first use and must outlive a restart like the rest of the state.
      const hadKey = state.attestation !== null;
      let result: { status: number; body?: unknown };
      const at = clock();
      // The console operation the call belongs to: stored on the audit events the write causes.
      const header = req.headers[CORRELATION_HEADER.toLowerCase()];
      const correlation = CorrelationId.safeParse(typeof header === 'string' ? header : undefined);
      const correlationId = correlation.success ? correlation.data : null;
      pinned = at;
      state.correlationId = correlationId;
      try {
        result = route.handler(ctx);
      } finally {
        pinned = null;
        state.correlationId = null;
        if (log && !hadKey && state.attestation) log.append({ key: state.attestation });
      }
      // Written before the answer: an acknowledged write is never lost by a restart.
      if (log && route.write && result.status < 300) log.append({ t: at, m: method, p: url.pathname, b: body, c: correlationId });
      if (route.write && result.status < 300 && faults.dropThisWrite()) {
        // The write is applied; the client never hears about it.
        req.socket.destroy();
        return;
      }
      if (result.body === undefined) {
        res.writeHead(result.status);
        res.end();
      } else sendJson(res, result.status, result.body);
      return;
    }
    if (matchedPath) sendError(res, 'validation', `Metoden ${method} understøttes ikke her`);
    else sendError(res, 'not-found', 'Ukendt adresse');
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return;
      if (e instanceof SimError) sendError(res, e.code, e.message, e.details);
      else sendError(res, 'internal', 'Intern fejl i Lokal IdP');
    });
  };
  if (log) {
    // Replay what was written before this start, with each write's own time.
    for (const entry of log.entries) {
      if ('key' in entry) {
        state.attestation = entry.key;
        continue;
      }
      const route = routes.find((r) => r.method === entry.m && r.pattern.test(entry.p));
      if (!route) continue;
      const params = route.pattern.exec(entry.p)!.slice(1).map((x) => decodeURIComponent(x));
      pinned = entry.t;
      state.correlationId = entry.c ?? null;
      try {
        route.handler({ params, query: new URLSearchParams(), body: entry.b });
      } catch {
        // A write refused now was refused then too, and changed nothing.
      } finally {
        pinned = null;
        state.correlationId = null;
      }
    }
  }
  // OS2faktor's nightly cleanup: events older than 13 months go, login events after 3 months.
  if (opts.retention !== false) state.applyRetention();
  const retention = setInterval(() => {
    if (opts.retention !== false) state.applyRetention();
  }, 24 * 3_600_000);
  retention.unref();
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const save = async () => {
    if (!opts.file) return;
    // Write then rename, so a crash mid-write never leaves half a file.
    const tmp = `${opts.file}.tmp`;
    await writeFile(tmp, JSON.stringify(state.snapshot()));
    await rename(tmp, opts.file);
  };
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${addr.port}`,
    apiKey,
    bearerToken,
    state,
    faults,
    requestCount: () => requests,
    calls: () => ({ ...calls }),
    resetCalls: () => {
      calls = {};
    },
    pendingApplies: () => scheduled.size,
    save,
    async stop() {
      for (const t of scheduled) clearTimeout(t);
      scheduled.clear();
      clearInterval(retention);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await save();
    },
  };
}
