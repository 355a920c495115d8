// HTTP transport to the MitID Erhverv IdM API: mTLS with the PKCS#12 system certificate, the token,
// per-call timeouts, a concurrency limit, retries for idempotent calls and the circuit breaker.
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import pLimit from 'p-limit';
import { ConsoleError } from '../../../shared/errors.ts';
import { TokenResponse } from '../../../shared/mitid/api.ts';
import { openPkcs12 } from './pkcs12.ts';
import { abortableSleep, backoffDelay, cancelled, CircuitBreaker, type BackoffOptions, type BreakerOptions } from './resilience.ts';

export interface TransportEvent {
  type: 'request' | 'retry' | 'token' | 'circuit-open' | 'reconcile';
  method?: string;
  path?: string;
  status?: number;
  attempt?: number;
  ms?: number;
  /** Never a secret; for an error answer the first 200 characters of the (unstructured) body. */
  note?: string;
}

/** PEM text (one or several certificates), as string or bytes. */
export type CaBundle = string | Buffer | Array<string | Buffer>;

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
}

export interface TextResponse {
  status: number;
  text: string;
}

/** A failed attempt. `unavailable` = 503/ServiceUnavailable, timeout or connection error: retriable, outcome unknown. */
export class AttemptFailure extends Error {
  readonly unavailable: boolean;
  readonly error: ConsoleError;
  constructor(error: ConsoleError, unavailable: boolean) {
    super(error.message);
    this.error = error;
    this.unavailable = unavailable;
  }
}

const tlsClientRefused = /ALERT_CERTIFICATE_REQUIRED|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|ALERT_HANDSHAKE_FAILURE|ALERT_CERTIFICATE_UNKNOWN|ALERT_ACCESS_DENIED|ALERT_DECRYPT_ERROR/;
const tlsServerUntrusted = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_SIGNATURE_FAILURE|CERT_UNTRUSTED)$/;

function excerpt(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 200);
}

export function isServiceUnavailable(status: number, text: string): boolean {
  return status === 502 || status === 503 || status === 504 || (status >= 500 && /ServiceUnavailable/i.test(text));
}

/** Map a transport error (no HTTP answer) to an attempt failure. */
function transportFailure(e: unknown, timeoutMs: number, signal?: AbortSignal): AttemptFailure {
  if (signal?.aborted) return new AttemptFailure(cancelled(), false);
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const message = err.message ?? '';
  if (tlsServerUntrusted.test(code)) {
    return new AttemptFailure(
      new ConsoleError('unavailable-mitid', 'MitID Erhvervs servercertifikat kunne ikke verificeres – tjek CA-filen i indstillingerne', { reason: 'tls-server', tlsCode: code }),
      false,
    );
  }
  if (tlsClientRefused.test(code) || tlsClientRefused.test(message)) {
    return new AttemptFailure(
      new ConsoleError('refused', 'MitID Erhverv afviste systemcertifikatet (TLS) – tjek at det rigtige certifikat er valgt og stadig er gyldigt', { reason: 'tls-client', tlsCode: code }),
      false,
    );
  }
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return new AttemptFailure(
      new ConsoleError('unavailable-mitid', `MitID Erhverv svarer ikke (intet svar inden for ${(timeoutMs / 1000).toLocaleString('da-DK', { maximumFractionDigits: 1 })} s)`, { reason: 'timeout' }),
      true,
    );
  }
  return new AttemptFailure(
    new ConsoleError('unavailable-mitid', 'MitID Erhverv svarer ikke (forbindelsen blev afbrudt)', { reason: 'connection', netCode: code || undefined }),
    true,
  );
}

export class MitIdTransport {
  readonly o: TransportOptions;
  private readonly http: AxiosInstance;
  private readonly agent: https.Agent;
  private readonly limit: ReturnType<typeof pLimit>;
  readonly breaker: CircuitBreaker;
  private token: { value: string; refreshAt: number } | undefined;
  private inflightToken: Promise<string> | undefined;

  constructor(o: TransportOptions) {
    this.o = o;
    // Opened now, so a wrong passphrase is reported at setup and not as a network error later.
    const credentials = openPkcs12(o.pkcs12, o.passphrase);
    this.agent = new https.Agent({
      ...(credentials.pfx ? { pfx: credentials.pfx, passphrase: credentials.passphrase } : { key: credentials.key, cert: credentials.cert }),
      ...(o.ca === undefined ? {} : { ca: o.ca }),
      rejectUnauthorized: true,
      keepAlive: true,
      maxSockets: o.concurrency + 1,
    });
    this.http = axios.create({
      baseURL: o.baseUrl.replace(/\/+$/, ''),
      httpsAgent: this.agent,
      // mTLS must reach the API directly: a proxy from the environment would not carry the client certificate.
      proxy: false,
      maxRedirects: 0,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
      headers: { Accept: 'application/json' },
    });
    this.limit = pLimit(o.concurrency);
    this.breaker = new CircuitBreaker(o.breaker);
  }

  private emit(e: TransportEvent): void {
    try {
      this.o.onEvent?.(e);
    } catch {
      // Logging must never break a call.
    }
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
      res = await this.withRetry(true, undefined, () => this.rawAttempt({ method: 'POST', path: '/api/administration/idmlogin/tls/authenticate', body: {} }, null));
    } catch (e) {
      // Under TLS 1.3 a refused client certificate often arrives as a bare connection reset, not an alert.
      if (e instanceof ConsoleError && e.details?.reason === 'connection') {
        throw new ConsoleError(
          'unavailable-mitid',
          'MitID Erhverv afbrød forbindelsen ved login – sker det hver gang, er systemcertifikatet måske ikke godkendt eller udløbet',
          e.details,
        );
      }
      throw e;
    }
    if (res.status === 401 || res.status === 403) {
      throw new ConsoleError('refused', `MitID Erhverv afviste systemcertifikatet (${res.status}) – har det rettigheden "Adgang til IdM services i MitID Erhverv"?`, { status: res.status });
    }
    if (res.status !== 200) throw unexpectedStatus(res, 'log ind');
    const parsed = parseJson(res.text, TokenResponse);
    const lifetimeMs = parsed.expiresIn * 1000;
    const refreshIn = Math.min(this.o.tokenRefreshAfterMs, Math.max(lifetimeMs - this.o.tokenEarlyRefreshMs, lifetimeMs / 2));
    this.token = { value: parsed.accessToken, refreshAt: Date.now() + refreshIn };
    this.emit({ type: 'token', ms: refreshIn });
    return parsed.accessToken;
  }

  // ---------------- attempts ----------------

  /** One HTTP exchange (no retry, no limit). Availability failures throw AttemptFailure. */
  private async rawAttempt(spec: RequestSpec, token: string | null): Promise<TextResponse> {
    this.breaker.admit();
    const timeoutMs = spec.timeoutMs ?? this.o.timeoutMs;
    const started = Date.now();
    let res: AxiosResponse<string>;
    try {
      res = await this.http.request<string>({
        method: spec.method,
        url: spec.path,
        data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        headers: {
          ...(spec.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
        },
        timeout: timeoutMs,
        responseType: 'text',
        transformResponse: [(d: unknown) => d],
        ...(spec.signal ? { signal: spec.signal } : {}),
      });
    } catch (e) {
      const f = transportFailure(e, timeoutMs, spec.signal);
      this.emit({ type: 'request', method: spec.method, path: spec.path, ms: Date.now() - started, note: f.message });
      this.breakerOutcome(f);
      throw f;
    }
    const text = typeof res.data === 'string' ? res.data : '';
    this.emit({ type: 'request', method: spec.method, path: spec.path, status: res.status, ms: Date.now() - started, ...(res.status >= 400 ? { note: excerpt(text) } : {}) });
    if (isServiceUnavailable(res.status, text)) {
      this.breakerFailure();
      throw new AttemptFailure(new ConsoleError('unavailable-mitid', `MitID Erhverv svarer ikke (${res.status})`, { status: res.status }), true);
    }
    this.breaker.success();
    return { status: res.status, text };
  }

  /** Unavailability counts against the circuit; a TLS refusal is an answer; a cancel says nothing. */
  private breakerOutcome(f: AttemptFailure): void {
    if (f.unavailable) this.breakerFailure();
    else if (f.error.code === 'cancelled') this.breaker.release();
    else this.breaker.success();
  }

  private breakerFailure(): void {
    const before = this.breaker.status;
    this.breaker.failure();
    if (before !== 'open' && this.breaker.status === 'open') this.emit({ type: 'circuit-open' });
  }

  /** One authenticated attempt inside the concurrency limit; a 401 gets a fresh token and one more try. */
  attempt(spec: RequestSpec): Promise<TextResponse> {
    return this.limit(async () => {
      if (spec.signal?.aborted) throw new AttemptFailure(cancelled(), false);
      let token = await this.getToken();
      let res = await this.rawAttempt(spec, token);
      if (res.status === 401) {
        this.invalidateToken(token);
        token = await this.getToken();
        res = await this.rawAttempt(spec, token);
        if (res.status === 401) {
          this.invalidateToken(token);
          throw new AttemptFailure(
            new ConsoleError('refused', 'MitID Erhverv afviste adgangen (401) selv med et nyt token', { status: 401 }),
            false,
          );
        }
      }
      return res;
    });
  }

  /** Streamed variant for the search: the slot is held until the consumer is done with the body. */
  async attemptStream<T>(spec: RequestSpec, consume: (status: number, body: Readable) => Promise<T>): Promise<T> {
    return this.limit(async () => {
      let token = await this.getToken();
      for (let round = 0; ; round++) {
        this.breaker.admit();
        const timeoutMs = spec.timeoutMs ?? this.o.searchTimeoutMs;
        let res: AxiosResponse<Readable>;
        try {
          res = await this.http.request<Readable>({
            method: spec.method,
            url: spec.path,
            data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            timeout: timeoutMs,
            responseType: 'stream',
            decompress: true,
            ...(spec.signal ? { signal: spec.signal } : {}),
          });
        } catch (e) {
          const f = transportFailure(e, timeoutMs, spec.signal);
          this.breakerOutcome(f);
          throw f;
        }
        if (res.status !== 200) {
          const text = await readSome(res.data, 64 * 1024);
          this.emit({ type: 'request', method: spec.method, path: spec.path, status: res.status, note: excerpt(text) });
          if (isServiceUnavailable(res.status, text)) {
            this.breakerFailure();
            throw new AttemptFailure(new ConsoleError('unavailable-mitid', `MitID Erhverv svarer ikke (${res.status})`, { status: res.status }), true);
          }
          this.breaker.success();
          if (res.status === 401 && round === 0) {
            this.invalidateToken(token);
            token = await this.getToken();
            continue;
          }
          throw new AttemptFailure(unexpectedStatus({ status: res.status, text }, 'søgning'), false);
        }
        this.breaker.success();
        this.emit({ type: 'request', method: spec.method, path: spec.path, status: res.status });
        return consume(res.status, res.data);
      }
    });
  }

  /**
   * Run `fn` with retries. Only idempotent calls are retried, and only on unavailability (503 /
   * ServiceUnavailable, timeout, connection error), with jittered exponential backoff.
   */
  async withRetry<T>(idempotent: boolean, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof AttemptFailure)) throw e;
        if (!idempotent || !e.unavailable || retry >= this.o.backoff.retries) throw e.error;
        const delay = backoffDelay(retry, this.o.backoff, this.o.random);
        this.emit({ type: 'retry', attempt: retry + 1, ms: delay, note: e.message });
        await abortableSleep(delay, signal);
      }
    }
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}

async function readSome(stream: Readable, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of stream) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(String(c));
      chunks.push(b);
      size += b.length;
      if (size >= max) break;
    }
  } catch {
    // An error body that breaks off is still an error; what we have is enough for the log.
  }
  stream.destroy();
  return Buffer.concat(chunks).toString('utf8').slice(0, max);
}

/** A non-2xx answer we have no specific meaning for. The body is logged (excerpt), never parsed. */
export function unexpectedStatus(res: TextResponse, what: string): ConsoleError {
  if (res.status === 400) return new ConsoleError('refused', `MitID Erhverv afviste forespørgslen (400, ${what})`, { status: 400 });
  if (res.status === 403) return new ConsoleError('refused', `MitID Erhverv nægtede adgang (403, ${what}) – mangler systemcertifikatet en rettighed?`, { status: 403 });
  if (res.status === 404) return new ConsoleError('not-found', 'Identiteten findes ikke i MitID Erhverv', { status: 404 });
  if (res.status === 409) return new ConsoleError('conflict', `MitID Erhverv melder konflikt (409, ${what})`, { status: 409 });
  if (res.status >= 500) return new ConsoleError('unavailable-mitid', `MitID Erhverv fejlede (${res.status}, ${what})`, { status: res.status });
  return new ConsoleError('unavailable-mitid', `MitID Erhverv svarede uventet (${res.status}, ${what})`, { status: res.status });
}

/** Parse a JSON answer with a zod schema; a broken answer is the service's fault, not the operator's. */
export function parseJson<T>(text: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConsoleError('unavailable-mitid', 'MitID Erhverv svarede med et uventet format (ikke JSON)');
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new ConsoleError('unavailable-mitid', 'MitID Erhverv svarede med et uventet format');
  return r.data;
}
