// What of the HTTP transport is MitID Erhverv's own: the mTLS identity (the organisation's PKCS#12 system
// certificate), the token endpoint and its refresh, the rule that a 401 gets one fresh token and one more
// try, and which answers mean "unavailable" here. TLS, timeouts, the concurrency limit, retries, the
// circuit breaker and the error mapping are the shared stack's (../http/).
import type { Readable } from 'node:stream';
import { ConsoleError } from '../../../shared/errors.ts';
import { TokenResponse } from '../../../shared/mitid/api.ts';
import { createHttpClient, type Exchange, type HttpClient, type HttpEvent, type HttpRequest, type TextResponse } from '../http/client.ts';
import { AttemptFailure, cancelled, unexpectedAnswer } from '../http/errors.ts';
import { parseJson } from '../http/json.ts';
import { withRetry, type BackoffOptions, type BreakerOptions, type CircuitBreaker, type RetryPolicy } from '../http/resilience.ts';
import type { HttpSystem } from '../http/system.ts';
import type { CaBundle } from '../http/tls.ts';

export type { CaBundle, TextResponse };
export { AttemptFailure };

export const MITID: HttpSystem = { name: 'MitID Erhverv', genitive: 'MitID Erhvervs', unavailable: 'unavailable-mitid' };

export interface TransportEvent extends Omit<HttpEvent, 'type'> {
  type: HttpEvent['type'] | 'token' | 'reconcile';
}

export interface TransportOptions {
  baseUrl: string;
  /** The organisation's system certificate (FOCES/OCES3) as PKCS#12 bytes, and its passphrase. */
  pkcs12: Uint8Array;
  passphrase: string;
  /** PEM CA bundle that verifies the server; undefined = the system's trust store. */
  ca?: CaBundle;
  /** Per-call timeout (the production clients use 180 s). */
  timeoutMs: number;
  /** The full-organisation search can be large and slow. */
  searchTimeoutMs: number;
  /** Refresh the token after this long even if it lives longer (both production clients: 30 min). */
  tokenRefreshAfterMs: number;
  /** …and at the latest this long before it expires. */
  tokenEarlyRefreshMs: number;
  backoff: BackoffOptions;
  breaker: BreakerOptions;
  concurrency: number;
  random: () => number;
  onEvent?: (e: TransportEvent) => void;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The sync's reads: they leave one slot free for an operator's call (HttpClient.limited). */
  background?: boolean | undefined;
}

/** 503 and its kin, and a 5xx whose (unstructured) body says ServiceUnavailable [C]. */
export function isServiceUnavailable(status: number, text: string): boolean {
  return status === 502 || status === 503 || status === 504 || (status >= 500 && /ServiceUnavailable/i.test(text));
}

/** A non-2xx answer we have no specific meaning for. The body is logged (excerpt), never parsed. */
export function unexpectedStatus(res: TextResponse, what: string): ConsoleError {
  if (res.status === 400) return new ConsoleError('refused', `MitID Erhverv afviste forespørgslen (400, ${what})`, { status: 400 }).withKey('mitidBadRequest', { what });
  if (res.status === 403) return new ConsoleError('refused', `MitID Erhverv nægtede adgang (403, ${what}) – mangler systemcertifikatet en rettighed?`, { status: 403 }).withKey('mitidForbidden', { what });
  if (res.status === 404) return new ConsoleError('not-found', 'Identiteten findes ikke i MitID Erhverv', { status: 404 }).withKey('mitidIdentityNotFound');
  if (res.status === 409) return new ConsoleError('conflict', `MitID Erhverv melder konflikt (409, ${what})`, { status: 409 }).withKey('mitidConflict', { what });
  if (res.status === 429) {
    // Not retried here: the caller's budget slows down (and honours Retry-After) instead of hammering.
    return new ConsoleError('unavailable-mitid', `MitID Erhverv beder konsollen om at sænke tempoet (429, ${what})`, {
      status: 429,
      ...(res.retryAfter === undefined ? {} : { retryAfter: res.retryAfter }),
    }).withKey('mitidSlowDown', { what });
  }
  return unexpectedAnswer(MITID, res.status, what);
}

const TOKEN_PATH = '/api/administration/idmlogin/tls/authenticate';

export class MitIdTransport implements Exchange {
  readonly system = MITID;
  readonly o: TransportOptions;
  readonly retry: RetryPolicy;
  private readonly http: HttpClient;
  private token: { value: string; refreshAt: number } | undefined;
  private inflightToken: Promise<string> | undefined;

  constructor(o: TransportOptions) {
    this.o = o;
    this.retry = { ...o.backoff, random: o.random };
    this.http = createHttpClient({
      system: MITID,
      baseUrl: o.baseUrl,
      ca: o.ca,
      clientCertificate: { pkcs12: o.pkcs12, passphrase: o.passphrase },
      timeoutMs: o.timeoutMs,
      retry: this.retry,
      isUnavailable: isServiceUnavailable,
      concurrency: o.concurrency,
      breaker: o.breaker,
      onEvent: (e) => this.emit(e),
    });
  }

  get breaker(): CircuitBreaker {
    return this.http.breaker as CircuitBreaker;
  }

  emit(e: TransportEvent): void {
    try {
      this.o.onEvent?.(e);
    } catch {
      // Logging must never break a call.
    }
  }

  answerError(res: TextResponse, what?: string): ConsoleError {
    return unexpectedStatus(res, what ?? 'kald');
  }

  // ---------------- token ----------------

  /** The cached token, or a fresh one (one fetch at a time however many callers wait). */
  async getToken(force = false): Promise<string> {
    if (!force && this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.inflightToken ??= this.fetchToken().finally(() => {
      this.inflightToken = undefined;
    });
    return this.inflightToken;
  }

  private invalidateToken(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private async fetchToken(): Promise<string> {
    // The token call runs outside the concurrency limit: every limited call may be waiting for it.
    let res: TextResponse;
    try {
      res = await this.withRetry(true, undefined, () => this.http.attemptOutsideLimit({ method: 'POST', path: TOKEN_PATH, body: {} }));
    } catch (e) {
      // Under TLS 1.3 a refused client certificate often arrives as a bare connection reset, not an alert.
      if (e instanceof ConsoleError && e.details?.reason === 'connection') {
        throw new ConsoleError(
          'unavailable-mitid',
          'MitID Erhverv afbrød forbindelsen ved login – sker det hver gang, er systemcertifikatet måske ikke godkendt eller udløbet',
          e.details,
        ).withKey('mitidLoginReset');
      }
      throw e;
    }
    if (res.status === 401 || res.status === 403) {
      throw new ConsoleError('refused', `MitID Erhverv afviste systemcertifikatet (${res.status}) – har det rettigheden "Adgang til IdM services i MitID Erhverv"?`, { status: res.status }).withKey('mitidCertificateRefused', { status: res.status });
    }
    if (res.status !== 200) throw unexpectedStatus(res, 'log ind');
    const parsed = parseJson(MITID, res.text, TokenResponse);
    const lifetimeMs = parsed.expiresIn * 1000;
    const refreshIn = Math.min(this.o.tokenRefreshAfterMs, Math.max(lifetimeMs - this.o.tokenEarlyRefreshMs, lifetimeMs / 2));
    this.token = { value: parsed.accessToken, refreshAt: Date.now() + refreshIn };
    this.emit({ type: 'token', ms: refreshIn });
    return parsed.accessToken;
  }

  private withToken(spec: RequestSpec, token: string): HttpRequest {
    return { method: spec.method, path: spec.path, body: spec.body, timeoutMs: spec.timeoutMs, signal: spec.signal, headers: { Authorization: `Bearer ${token}` } };
  }

  // ---------------- attempts ----------------

  /** One authenticated attempt inside the concurrency limit; a 401 gets a fresh token and one more try. */
  attempt(spec: RequestSpec): Promise<TextResponse> {
    return this.http.limited(async () => {
      // Cancelled while waiting for a slot: not even a token is fetched.
      if (spec.signal?.aborted) throw new AttemptFailure(cancelled(MITID), false);
      let token = await this.getToken();
      let res = await this.http.attemptOutsideLimit(this.withToken(spec, token));
      if (res.status === 401) {
        this.invalidateToken(token);
        token = await this.getToken();
        res = await this.http.attemptOutsideLimit(this.withToken(spec, token));
        if (res.status === 401) {
          this.invalidateToken(token);
          throw new AttemptFailure(new ConsoleError('refused', 'MitID Erhverv afviste adgangen (401) selv med et nyt token', { status: 401 }).withKey('mitidTokenRefused'), false);
        }
      }
      return res;
    }, spec.background === true);
  }

  /** Streamed variant for the search: the slot is held until the consumer is done with the body. */
  attemptStream<T>(spec: RequestSpec, consume: (status: number, body: Readable) => Promise<T>): Promise<T> {
    return this.http.limited(async () => {
      let token = await this.getToken();
      for (let round = 0; ; round++) {
        const r = await this.http.attemptStream({ ...this.withToken(spec, token), timeoutMs: spec.timeoutMs ?? this.o.searchTimeoutMs }, (body) => consume(200, body));
        if ('body' in r) return r.body;
        if (r.answer.status === 401 && round === 0) {
          this.invalidateToken(token);
          token = await this.getToken();
          continue;
        }
        throw new AttemptFailure(unexpectedStatus(r.answer, 'søgning'), false);
      }
    }, spec.background === true);
  }

  /** Retries per the shared policy (or `retries` of them): idempotent calls only, on unavailability, with jittered backoff. */
  withRetry<T>(idempotent: boolean, signal: AbortSignal | undefined, fn: () => Promise<T>, retries?: number): Promise<T> {
    const policy = retries === undefined ? this.retry : { ...this.retry, retries: Math.max(0, Math.floor(retries)) };
    return withRetry(MITID, policy, idempotent, signal, fn, (e) => this.emit(e));
  }

  async close(): Promise<void> {
    this.http.close();
  }
}
