// The project's own MitID Erhverv IdM API simulator: HTTPS with a required client certificate from its
// own CA, expiring tokens, every endpoint of shared/reference/mitid-erhverv-idm-api.md with the observed
// status codes and quirks, a create counter, and switchable faults. Used in-process by the training
// environment and by the tests.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createCertificateAuthority,
  issueClientPkcs12,
  issueServerCertificate,
  type CertificateAuthority,
  type ClientPkcs12,
  type IssuedCertificate,
} from '../pki.ts';
import { MitIdSimFaults } from './faults.ts';
import { MitIdSimState, type SimIdentity } from './state.ts';

export interface MitIdSimulatorOptions {
  /** Reuse a CA (e.g. the training environment's); default: a fresh test CA. */
  ca?: CertificateAuthority;
  server?: IssuedCertificate;
  /** Fixed port; default 0 (any free port). Always bound to 127.0.0.1. */
  port?: number;
  /** Seed for the fault PRNG, so a test's pattern of faults repeats. */
  seed?: number;
  /** Status a freshly created identity gets (the create sends `Pending`). */
  createdStatus?: string;
  /** Items per written chunk of the search answer. */
  searchChunkSize?: number;
  /** Keep the identities in this JSON file: loaded at start when present, written by saveState() and stop(). */
  statePath?: string;
}

export interface MitIdSimStats {
  requests: number;
  /** POSTs that reached the create endpoint with a valid token, whatever became of them. */
  createRequests: number;
  /** Creates applied (each one 20 DKK for real), including those applied after the client gave up. */
  createsApplied: number;
  searches: number;
  /** Calls answered 429/503 by a storm (see faults.storm). */
  throttled: number;
  tokensIssued: number;
  unauthorized: number;
  /** Requests being handled right now, and the most at once (to check a client's concurrency limit). */
  inFlight: number;
  maxInFlight: number;
  byRoute: Record<string, number>;
  /** Calls per endpoint, as "METHOD /path/{uuid}", whatever their outcome (token calls and 401s included). */
  calls: Record<string, number>;
}

/** One request as it arrived: the raw body, before any case-insensitive binding. */
export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  /** The endpoint, as in `stats.calls`. */
  endpoint: string;
  rawBody: string;
}

export interface MitIdSimulator {
  /** Base URL, e.g. https://127.0.0.1:54321 */
  url: string;
  /** The CA that signed both the server certificate and valid client certificates. */
  caPem: string;
  ca: CertificateAuthority;
  /** A valid client certificate (the "system certificate") for this simulator. */
  client: ClientPkcs12;
  /** Issue another valid client certificate. */
  issueClientCertificate(commonName?: string): ClientPkcs12;
  state: MitIdSimState;
  faults: MitIdSimFaults;
  stats: MitIdSimStats;
  resetStats(): void;
  /** Write requests as they arrived (raw body), newest last; at most the last 5,000. */
  readonly recorded: RecordedRequest[];
  /** Creates scheduled by apply-after-timeout that have not landed yet. */
  pendingApplies(): number;
  /** Write the state file (when `statePath` was given). */
  saveState(): Promise<void>;
  /** Creates applied through the API. */
  readonly createCount: number;
  stop(): Promise<void>;
}

const base = '/api/administration';
/** The simulator's own control endpoint (not part of the API). */
const CONTROL = '/_sim';
const SEE_LOG = 'See log for exception details';

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Lower-case every property name: the real server binds property names case-insensitively [I:
 * `registeredIAL` and `registeredIal` both work]. The raw body is recorded before this, so a test can
 * still pin the exact spelling the client sends.
 */
function lowerKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(lowerKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), lowerKeys(x)]));
  }
  return v;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const strOf = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Property names the create endpoint knows, lower-cased (case-insensitive binding). */
const createFields: Record<string, ReadonlySet<string>> = {
  '': new Set(['identityprofile', 'identityorganizationprofile', 'identityauthenticators']),
  identityprofile: new Set([
    'status', 'registeredial', 'targetial', 'givenname', 'surname', 'emailaddress', 'cprnumber', 'rid', 'pseudonym', 'allowqualifiedcertificateissuance',
  ]),
  identityorganizationprofile: new Set(['invoicemethoduuid']),
  identityauthenticators: new Set(['authenticatortypes', 'subjectnameid']),
};

/** The first property of a (lower-cased) create body the API does not know, as "parent.field". */
function unknownCreateField(body: Json): string | null {
  for (const k of Object.keys(body)) if (!createFields['']?.has(k)) return k;
  for (const part of ['identityprofile', 'identityorganizationprofile', 'identityauthenticators']) {
    const v = body[part];
    if (v === undefined || v === null) continue;
    for (const k of Object.keys(obj(v))) if (!createFields[part]?.has(k)) return `${part}.${k}`;
  }
  return null;
}

/** "METHOD /path" with ids replaced, so calls are counted per endpoint. */
function endpointOf(method: string, path: string): string {
  const p = path
    .replace(/^\/api\/administration/, '')
    .replace(/^\/identity\/employee\/(?!search$)[^/]+/, '/identity/employee/{uuid}')
    .replace(/^\/rights\/identity\/[^/]+/, '/rights/identity/{uuid}')
    .replace(/\/revokecredential\/[^/]+/, '/revokecredential/{authenticatorUuid}');
  return `${method} ${p}`;
}

function searchItem(i: SimIdentity, withUuid: boolean): Json {
  const item: Json = {
    id: i.id,
    status: i.status,
    emailAddress: i.emailAddress,
    rid: i.rid,
    profile: { givenName: i.givenName, surname: i.surname, cprNumber: i.cprNumber },
  };
  if (withUuid) item.uuid = i.uuid;
  return item;
}

function readIdentity(i: SimIdentity): Json {
  return {
    uuid: i.uuid,
    identityProfile: {
      status: i.status,
      rid: i.rid,
      allowQualifiedCertificateIssuance: i.allowQualifiedCertificateIssuance,
      roles: i.adminRoles,
      givenName: i.givenName,
      surname: i.surname,
      emailAddress: i.emailAddress,
    },
    identityPermissions: { authorizedToRepresent: i.authorizedToRepresent, allowSigning: i.allowSigning },
  };
}

export async function startMitIdSimulator(opts: MitIdSimulatorOptions = {}): Promise<MitIdSimulator> {
  const ca = opts.ca ?? createCertificateAuthority('MitID Erhverv simulator test-CA');
  const serverCert = opts.server ?? issueServerCertificate(ca);
  const client = issueClientPkcs12(ca, { commonName: 'Træningskommune systemcertifikat' });
  const state = new MitIdSimState();
  const faults = new MitIdSimFaults(opts.seed);
  const freshStats = (): MitIdSimStats => ({
    requests: 0, createRequests: 0, createsApplied: 0, searches: 0, throttled: 0, tokensIssued: 0, unauthorized: 0, inFlight: 0, maxInFlight: 0, byRoute: {}, calls: {},
  });
  const stats: MitIdSimStats = freshStats();
  const recorded: RecordedRequest[] = [];
  const scheduled = new Set<ReturnType<typeof setTimeout>>();
  const tokens = new Map<string, number>();
  faults.bindExpire(() => tokens.clear());
  const createdStatus = opts.createdStatus ?? 'Active';
  if (opts.statePath) {
    const text = await readFile(opts.statePath, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (text !== null) state.restore(JSON.parse(text) as ReturnType<MitIdSimState['snapshot']>);
  }
  const saveState = async (): Promise<void> => {
    if (!opts.statePath) return;
    // Write-then-rename, so a crash never leaves half a file; a temp name of its own, because two
    // simulators on the same file (the old and the new environment after a settings change) may save at once.
    const tmp = `${opts.statePath}.${randomUUID()}.tmp`;
    await writeFile(tmp, JSON.stringify(state.snapshot()));
    await rename(tmp, opts.statePath);
  };
  const chunkSize = opts.searchChunkSize ?? 500;

  const send = (res: ServerResponse, status: number, body?: unknown): void => {
    if (body === undefined) {
      res.writeHead(status).end();
    } else if (typeof body === 'string') {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
    } else {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    }
  };

  const identityOr404 = (uuid: string): SimIdentity => {
    const i = state.get(uuid);
    if (!i) throw new HttpError(404, 'Identity not found');
    return i;
  };
  // Rights endpoints answer an unknown uuid with a generic 500, not 404 (observed).
  const identityOr500 = (uuid: string): SimIdentity => {
    const i = state.get(uuid);
    if (!i) throw new HttpError(500, SEE_LOG);
    return i;
  };

  /** Drop the connection without (the rest of) an answer, after the change was applied. */
  const drop = (req: IncomingMessage): 'dropped' => {
    // end(), not destroy(): what was already written (half a search) still reaches the client first.
    req.socket.end();
    return 'dropped';
  };

  async function writeSearch(req: IncomingMessage, res: ServerResponse, withUuid: boolean, maxCount: number): Promise<void> {
    const all = state.searchable();
    const items = maxCount > 0 ? all.slice(0, maxCount) : all;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    const write = (s: string): Promise<void> =>
      res.write(s) ? Promise.resolve() : new Promise((resolve) => res.once('drain', () => resolve()));
    await write('{"employees":[');
    for (let n = 0; n < items.length; n += chunkSize) {
      if (faults.search.dropMidway && n >= items.length / 2) {
        drop(req);
        return;
      }
      const part = items.slice(n, n + chunkSize).map((i) => JSON.stringify(searchItem(i, withUuid)));
      await write((n > 0 ? ',' : '') + part.join(','));
      if (faults.search.chunkDelayMs > 0) await sleep(faults.search.chunkDelayMs);
      if (res.destroyed) return;
    }
    res.end(']}');
  }

  async function route(req: IncomingMessage, res: ServerResponse, method: string, path: string, body: Json): Promise<string> {
    const isWrite = method !== 'GET' && !path.endsWith('/employee/search') && !path.endsWith('/tls/authenticate');
    const dropWrite = isWrite && faults.chance(faults.dropAfterApplyRate);
    const failWrite = isWrite && faults.chance(faults.failAfterApply.rate);
    if (isWrite && faults.chance(faults.failBeforeApply.rate)) {
      const answer = faults.failBeforeApply.answer;
      if (answer === 'drop') return drop(req);
      throw answer === '503' ? new HttpError(503, 'ServiceUnavailable') : new HttpError(500, SEE_LOG);
    }
    /** The change is applied: answer as the switches say (a dropped connection, a 503/500, or normally: null). */
    const afterApplied = (): 'dropped' | null => {
      if (dropWrite) return drop(req);
      if (!failWrite) return null;
      const answer = faults.failAfterApply.answer;
      if (answer === 'drop') return drop(req);
      throw answer === '503' ? new HttpError(503, 'ServiceUnavailable') : new HttpError(500, SEE_LOG);
    };
    let m: RegExpMatchArray | null;

    if (path === `${base}/idmlogin/tls/authenticate`) {
      if (method !== 'POST') throw new HttpError(405, 'Method Not Allowed');
      const token = randomBytes(24).toString('base64url');
      const lifetime = faults.tokenLifetimeSec;
      tokens.set(token, Date.now() + lifetime * 1000);
      stats.tokensIssued++;
      send(res, 200, { accessToken: token, tokenType: 'Bearer', expiresIn: lifetime });
      return 'authenticate';
    }

    // Everything else needs a live token.
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/i.exec(auth)?.[1];
    const expiresAt = bearer ? tokens.get(bearer) : undefined;
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      if (bearer) tokens.delete(bearer);
      stats.unauthorized++;
      send(res, 401, 'Unauthorized');
      return 'unauthorized';
    }

    if (path === `${base}/identity/employee`) {
      if (method !== 'POST') throw new HttpError(405, 'Method Not Allowed');
      stats.createRequests++;
      if (faults.rejectUnknownFields) {
        const unknown = unknownCreateField(body);
        if (unknown) throw new HttpError(400, `Unrecognized field "${unknown}"`);
      }
      const profile = obj(body.identityprofile);
      const auths = obj(body.identityauthenticators);
      const email = strOf(profile.emailaddress)?.trim();
      if (!email) throw new HttpError(400, 'emailAddress is required');
      const givenName = (strOf(profile.givenname) ?? '').trim();
      const surname = (strOf(profile.surname) ?? '').trim();
      const cpr = strOf(profile.cprnumber);
      const types = Array.isArray(auths.authenticatortypes) ? auths.authenticatortypes.filter((t): t is string => typeof t === 'string') : [];
      const subjectNameId = strOf(auths.subjectnameid);
      if (types.includes('LocalIdentityProvider') && !subjectNameId) throw new HttpError(400, 'subjectNameId is required');
      // Checked and inserted in one synchronous step: with refusal on, two racing creates cannot both land.
      const apply = (): SimIdentity => {
        if (faults.duplicateRefusal) {
          if (subjectNameId && state.findBySubjectNameId(subjectNameId, faults.subjectNameIdMatch)) throw new HttpError(409, 'Conflict: subjectNameId already in use');
          if (cpr && state.findByCpr(cpr)) throw new HttpError(409, 'Conflict: person already has an identity');
        }
        const identity = state.insert({
          status: createdStatus,
          givenName,
          surname,
          emailAddress: email,
          cprNumber: cpr,
          rid: strOf(profile.rid),
          pseudonym: profile.pseudonym === true,
          registeredIal: strOf(profile.registeredial) ?? 'Substantial',
          targetIal: strOf(profile.targetial) ?? 'Substantial',
          allowQualifiedCertificateIssuance: profile.allowqualifiedcertificateissuance === true,
          ...(faults.searchLagMs > 0 ? { visibleAt: Date.now() + faults.searchLagMs } : {}),
        });
        for (const t of types) {
          if (t === 'LocalIdentityProvider') identity.authenticators.push(state.newAuthenticator('LocalIdentityProvider', subjectNameId));
          // Requested as PrivateNemIdMitId, listed as PrivateMitId; pending until the person activates it.
          if (t === 'PrivateNemIdMitId') identity.authenticators.push(state.newAuthenticator('PrivateMitId', null, 'Pending'));
        }
        state.createCount++;
        stats.createsApplied++;
        return identity;
      };
      if (faults.chance(faults.applyAfterTimeout.rate)) {
        // The server goes on with the create after the client stopped waiting for it.
        const { applyDelayMs, holdMs } = faults.applyAfterTimeout;
        const timer = setTimeout(() => {
          scheduled.delete(timer);
          try {
            apply();
          } catch {
            // A refused late create changes nothing, as on the real service.
          }
        }, applyDelayMs);
        scheduled.add(timer);
        await sleep(holdMs);
        return drop(req);
      }
      const identity = apply();
      if (faults.dropNextCreates > 0) {
        faults.dropNextCreates--;
        return drop(req);
      }
      if (afterApplied()) return 'dropped';
      send(res, 200, { employeeUuid: identity.uuid });
      return 'create';
    }

    if (path === `${base}/identity/employee/search`) {
      if (method !== 'POST') throw new HttpError(405, 'Method Not Allowed');
      stats.searches++;
      if (faults.search.delayMs > 0) await sleep(faults.search.delayMs);
      if (faults.chance(faults.search.failRate)) throw faults.search.failStatus === 503 ? new HttpError(503, 'ServiceUnavailable') : new HttpError(500, SEE_LOG);
      const maxCount = typeof body.maxcount === 'number' ? body.maxcount : 0;
      await writeSearch(req, res, body.removeuuidfromresultset !== true, maxCount);
      return 'search';
    }

    if ((m = /^\/api\/administration\/identity\/employee\/([^/]+)$/.exec(path))) {
      const uuid = m[1] ?? '';
      if (method === 'GET') {
        send(res, 200, readIdentity(identityOr404(uuid)));
        return 'get';
      }
      if (method === 'DELETE') {
        const i = identityOr404(uuid);
        state.identities.delete(i.uuid);
        if (afterApplied()) return 'dropped';
        send(res, 204);
        return 'delete';
      }
      throw new HttpError(405, 'Method Not Allowed');
    }

    if ((m = /^\/api\/administration\/identity\/employee\/([^/]+)\/(suspend|reactivate|allowsigning|profile|profile\/nonsensitive|authenticators|requestcredentials)$/.exec(path))) {
      const uuid = m[1] ?? '';
      const action = m[2] ?? '';
      const expect = action === 'authenticators' ? 'GET' : action === 'requestcredentials' ? 'POST' : 'PUT';
      // allowsigning was POST until 2025 and is PUT now: the simulator follows today's API.
      if (method !== expect) throw new HttpError(405, 'Method Not Allowed');
      const i = identityOr404(uuid);
      switch (action) {
        case 'authenticators':
          send(res, 200, { authenticators: i.authenticators });
          return 'authenticators';
        case 'suspend':
          i.status = 'Suspended';
          break;
        case 'reactivate':
          i.status = 'Active';
          break;
        case 'allowsigning': {
          if (typeof body.allowsigning !== 'boolean') throw new HttpError(400, 'allowSigning is required');
          i.allowSigning = body.allowsigning;
          break;
        }
        case 'profile/nonsensitive': {
          const email = strOf(body.emailaddress)?.trim();
          if (!email) throw new HttpError(400, 'emailAddress is required');
          i.emailAddress = email;
          if (afterApplied()) return 'dropped';
          send(res, 200, {});
          return action;
        }
        case 'profile': {
          const email = strOf(body.emailaddress)?.trim();
          if (!email) throw new HttpError(400, 'emailAddress is required');
          const cpr = strOf(body.cprnumber);
          const other = cpr ? state.findByCpr(cpr) : undefined;
          if (other && other.uuid !== i.uuid) throw new HttpError(409, 'Conflict: person already has an identity');
          i.emailAddress = email;
          i.givenName = (strOf(body.givenname) ?? i.givenName).trim();
          i.surname = (strOf(body.surname) ?? i.surname).trim();
          if (cpr !== null) i.cprNumber = cpr;
          i.registeredIal = strOf(body.registeredial) ?? i.registeredIal;
          i.targetIal = strOf(body.targetial) ?? i.targetIal;
          // [?] not seen in production clients; the simulator accepts it so the feature flag can be tried.
          if (typeof body.allowqualifiedcertificateissuance === 'boolean') i.allowQualifiedCertificateIssuance = body.allowqualifiedcertificateissuance;
          break;
        }
        case 'requestcredentials': {
          const types = Array.isArray(body.authenticatorsettingtypes) ? body.authenticatorsettingtypes : [];
          if (types.includes('LocalIdentityProvider')) {
            const sni = strOf(body.subjectnameid);
            if (!sni) throw new HttpError(400, 'subjectNameId is required');
            const holder = state.findBySubjectNameId(sni, faults.subjectNameIdMatch);
            // Not idempotent: a second request is refused, as OS2faktor's list-first check suggests.
            if (holder || i.authenticators.some((a) => a.type === 'LocalIdentityProvider')) throw new HttpError(409, 'Conflict: credential already exists');
            i.authenticators.push(state.newAuthenticator('LocalIdentityProvider', sni));
          } else if (types.includes('PrivateNemIdMitId')) {
            if (i.authenticators.some((a) => a.type === 'PrivateMitId')) throw new HttpError(409, 'Conflict: credential already exists');
            i.authenticators.push(state.newAuthenticator('PrivateMitId', null, 'Pending'));
          } else {
            throw new HttpError(400, 'Unknown authenticatorSettingTypes');
          }
          if (afterApplied()) return 'dropped';
          send(res, 200, {});
          return action;
        }
      }
      if (afterApplied()) return 'dropped';
      send(res, 204);
      return action;
    }

    if ((m = /^\/api\/administration\/identity\/employee\/([^/]+)\/revokecredential\/([^/]+)$/.exec(path))) {
      if (method !== 'POST') throw new HttpError(405, 'Method Not Allowed');
      const i = identityOr404(m[1] ?? '');
      const before = i.authenticators.length;
      i.authenticators = i.authenticators.filter((a) => a.uuid !== (m?.[2] ?? '').toLowerCase());
      if (i.authenticators.length === before) throw new HttpError(404, 'Authenticator not found');
      if (afterApplied()) return 'dropped';
      send(res, 204);
      return 'revokecredential';
    }

    if (path === `${base}/rights/categorizedRoles`) {
      if (method !== 'GET') throw new HttpError(405, 'Method Not Allowed');
      send(res, 200, { roles: state.roles });
      return 'categorizedRoles';
    }

    if ((m = /^\/api\/administration\/rights\/identity\/([^/]+)\/roles$/.exec(path))) {
      const i = identityOr500(m[1] ?? '');
      if (method === 'GET') {
        const byUuid = new Map(state.roles.map((r) => [r.uuid, r]));
        send(res, 200, i.rights.map((r) => ({ uuid: r.roleUuid, name: byUuid.get(r.roleUuid)?.name ?? null, scope: r.scope })));
        return 'rights-get';
      }
      if (method !== 'POST' && method !== 'DELETE') throw new HttpError(405, 'Method Not Allowed');
      const scope = obj(body.scope);
      const type = strOf(scope.type);
      const value = strOf(scope.value);
      const roleUuids = Array.isArray(body.roleuuids) ? body.roleuuids.filter((r): r is string => typeof r === 'string') : [];
      if ((type !== 'Cvr' && type !== 'PU' && type !== 'SE') || !value || roleUuids.length === 0) throw new HttpError(400, 'Bad Request');
      if (roleUuids.some((r) => !state.roles.some((x) => x.uuid === r))) throw new HttpError(500, SEE_LOG);
      const same = (r: { roleUuid: string; scope: { type: string; value: string } }, roleUuid: string) =>
        r.roleUuid === roleUuid && r.scope.type === type && r.scope.value === value;
      if (method === 'POST') {
        for (const r of roleUuids) if (!i.rights.some((x) => same(x, r))) i.rights.push({ roleUuid: r, scope: { type, value } });
      } else {
        i.rights = i.rights.filter((x) => !roleUuids.some((r) => same(x, r)));
      }
      if (afterApplied()) return 'dropped';
      send(res, 204);
      return method === 'POST' ? 'rights-assign' : 'rights-remove';
    }

    if (path === `${base}/organization/senumber` && method === 'GET') {
      send(res, 200, state.seNumbers.map((seNumber) => ({ seNumber })));
      return 'senumber';
    }
    if (path === `${base}/organization/productionunits` && method === 'GET') {
      send(res, 200, state.productionUnits);
      return 'productionunits';
    }
    throw new HttpError(404, 'Not Found');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'https://sim.invalid').pathname;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1_000_000) {
        send(res, 413, 'Payload Too Large');
        return;
      }
      chunks.push(c as Buffer);
    }
    if (path.startsWith(CONTROL)) {
      control(method, path, Buffer.concat(chunks).toString('utf8'), res);
      return;
    }
    const endpoint = endpointOf(method, path);
    stats.calls[endpoint] = (stats.calls[endpoint] ?? 0) + 1;
    if (method !== 'GET' && !path.endsWith('/tls/authenticate')) {
      recorded.push({ at: new Date().toISOString(), method, path, endpoint, rawBody: Buffer.concat(chunks).toString('utf8') });
      if (recorded.length > 5000) recorded.splice(0, recorded.length - 5000);
    }
    if (faults.storming(method, path)) {
      // Counted above like any call: a client that hammers through a storm shows in the counts.
      const { status, retryAfterSeconds } = faults.storm;
      stats.throttled++;
      stats.byRoute[`storm-${status}`] = (stats.byRoute[`storm-${status}`] ?? 0) + 1;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(retryAfterSeconds > 0 ? { 'retry-after': String(retryAfterSeconds) } : {}) });
      res.end(status === 429 ? 'Too Many Requests' : 'ServiceUnavailable');
      return;
    }
    const latency = faults.latency();
    if (latency > 0) await sleep(latency);
    if (res.destroyed) return;
    let label = 'unknown';
    try {
      if (faults.chance(faults.unavailableRate)) throw new HttpError(503, 'ServiceUnavailable');
      if (faults.chance(faults.serverErrorRate)) throw new HttpError(500, SEE_LOG);
      let body: Json = {};
      if (size > 0) {
        try {
          body = obj(lowerKeys(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        } catch {
          throw new HttpError(400, 'Malformed JSON');
        }
      }
      label = await route(req, res, method, path, body);
    } catch (e) {
      if (e instanceof HttpError) {
        label = `error-${e.status}`;
        if (!res.headersSent && !res.destroyed) send(res, e.status, e.message);
      } else {
        label = 'error-500';
        if (!res.headersSent && !res.destroyed) send(res, 500, SEE_LOG);
        else res.destroy();
      }
    }
    stats.byRoute[label] = (stats.byRoute[label] ?? 0) + 1;
  }

  /**
   * The control endpoint, for tests in another process (two consoles, the live e2e host): GET/PUT
   * `/_sim/switches` (PUT takes any subset of MitIdSimSwitches; `{"reset": true}` first restores the
   * defaults), GET `/_sim/stats`, GET `/_sim/requests?endpoint=…` (raw bodies), POST `/_sim/reset-stats`.
   * Behind the same client-certificate check as the API; never part of the real service.
   */
  function control(method: string, path: string, text: string, res: ServerResponse): void {
    try {
      if (path === `${CONTROL}/switches` && method === 'GET') return send(res, 200, faults.view());
      if (path === `${CONTROL}/switches` && method === 'PUT') {
        const body = obj(text ? JSON.parse(text) : {});
        const { reset, ...switches } = body;
        if (reset === true) faults.reset();
        faults.apply(switches);
        return send(res, 200, faults.view());
      }
      if (path === `${CONTROL}/stats` && method === 'GET') return send(res, 200, { ...stats, createCount: state.createCount, identities: state.identities.size, pendingApplies: scheduled.size });
      if (path === `${CONTROL}/requests` && method === 'GET') return send(res, 200, { requests: recorded });
      if (path === `${CONTROL}/reset-stats` && method === 'POST') {
        Object.assign(stats, freshStats());
        recorded.length = 0;
        return send(res, 204);
      }
      send(res, 404, 'Not Found');
    } catch (e) {
      send(res, 400, e instanceof Error ? e.message.slice(0, 500) : 'Bad Request');
    }
  }

  /** Calls served on each kept-alive connection (faults.closeReusedConnections). */
  const callsOn = new WeakMap<object, number>();
  const server = https.createServer(
    {
      key: serverCert.keyPem,
      cert: serverCert.certPem,
      ca: ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const served = callsOn.get(req.socket) ?? 0;
      callsOn.set(req.socket, served + 1);
      if (served > 0 && faults.closeReusedConnections > 0) {
        faults.closeReusedConnections--;
        req.socket.destroy();
        return;
      }
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      handle(req, res)
        .catch(() => res.destroy())
        .finally(() => stats.inFlight--);
    },
  );
  // Refused handshakes are expected (that is the point of mTLS); don't let them surface as crashes.
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    caPem: ca.certPem,
    ca,
    client,
    issueClientCertificate: (commonName?: string) => issueClientPkcs12(ca, commonName === undefined ? {} : { commonName }),
    state,
    faults,
    stats,
    resetStats: () => {
      Object.assign(stats, freshStats());
      recorded.length = 0;
    },
    recorded,
    pendingApplies: () => scheduled.size,
    get createCount() {
      return state.createCount;
    },
    saveState,
    stop: async () => {
      for (const t of scheduled) clearTimeout(t);
      scheduled.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await saveState();
    },
  };
}
