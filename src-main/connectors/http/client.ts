// The one HTTP stack the connectors share: an axios instance per system with its TLS (CA bundle, client
// certificate, validation always on), keep-alive agents, https only, per-attempt timeouts, an optional
// concurrency limit and circuit breaker, and every failure mapped to the console's closed error set.
// What is a system's own — a token, an auth header, what its 4xx answers mean — stays in its connector.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import pLimit from 'p-limit';
import { ConsoleError } from '../../../shared/errors.ts';
import { insecureUrlProblem } from '../../../shared/domain/settings.ts';
import { AttemptFailure, cancelled, closedUnderUs, excerpt, transportFailure, unavailableAnswer, unexpectedAnswer } from './errors.ts';
import { CircuitBreaker, withRetry, type BreakerOptions, type RetryEvent, type RetryPolicy } from './resilience.ts';
import type { HttpSystem } from './system.ts';
import { tlsOptions, type CaBundle, type ClientPkcs12 } from './tls.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Below the base URL. */
  path: string;
  query?: Record<string, string | number | undefined> | undefined;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /** This attempt's timeout, over the client's default. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Work nobody is waiting for (the people list's sync): it never takes the last free slot, so an
   * operator's call is not queued behind thousands of background reads.
   */
  background?: boolean | undefined;
}

export interface TextResponse {
  status: number;
  text: string;
  /** The Retry-After header of a 429/503 as sent (seconds or an HTTP date), for a caller that paces itself. */
  retryAfter?: string;
}

/** The Retry-After header, when there is one (axios lower-cases header names). */
function retryAfterOf(res: AxiosResponse): string | undefined {
  const v: unknown = (res.headers as Record<string, unknown> | undefined)?.['retry-after'];
  return typeof v === 'string' && v.length > 0 && v.length <= 100 ? v : undefined;
}

export interface HttpEvent {
  type: 'request' | 'retry' | 'circuit-open';
  method?: string;
  path?: string;
  status?: number;
  attempt?: number;
  ms?: number;
  /** Never a secret; for an error answer the first 200 characters of the body. */
  note?: string;
}

export interface HttpClientOptions {
  system: HttpSystem;
  baseUrl: string;
  /** Plain http only to a loopback address (a simulator in-process); anything else is https. */
  allowLoopbackHttp?: boolean;
  /** PEM CA bundle that verifies the server; undefined = the system's trust store. */
  ca?: CaBundle | undefined;
  /** A client certificate to present (mutual TLS). */
  clientCertificate?: ClientPkcs12 | undefined;
  /** Sent with every request (an API key, say). */
  headers?: Record<string, string>;
  /** Per attempt, for the whole exchange (a stream: until its headers; then per idle socket). */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Which answers mean "not available now": retriable like a timeout, and counted by the breaker. */
  isUnavailable: (status: number, text: string) => boolean;
  /** The system's meaning of a non-2xx answer; by default "failed" (5xx) or "answered unexpectedly". */
  answerError?: (res: TextResponse, what?: string) => ConsoleError;
  /** At most this many calls in flight (see `limited`); none when undefined. */
  concurrency?: number;
  breaker?: BreakerOptions;
  onEvent?: (e: HttpEvent) => void;
}

/** What the retrying and parsing helpers need from a stack: `HttpClient` and the MitID transport are both. */
export interface Exchange {
  readonly system: HttpSystem;
  readonly retry: RetryPolicy;
  /** One attempt (inside the concurrency limit, if any). Throws AttemptFailure when there was no usable answer. */
  attempt(req: HttpRequest): Promise<TextResponse>;
  answerError(res: TextResponse, what?: string): ConsoleError;
  emit(e: HttpEvent): void;
}

/** The one https-only check for every address a secret or certificate is sent to. */
export function assertSecureBaseUrl(system: HttpSystem, url: string, allowLoopbackHttp = false): string {
  const problem = insecureUrlProblem(url, { allowLoopbackHttp });
  if (problem) throw new ConsoleError('validation', `${system.name}-adressen afvist: ${problem}.`).withKey('httpAddressRefused', { system: system.name, problem });
  return url.replace(/\/+$/, '');
}

export class HttpClient implements Exchange {
  readonly system: HttpSystem;
  readonly retry: RetryPolicy;
  readonly breaker: CircuitBreaker | undefined;
  private readonly o: HttpClientOptions;
  private readonly ax: AxiosInstance;
  private readonly agents: Array<http.Agent | https.Agent>;
  private readonly limit: (<T>(fn: () => Promise<T>) => Promise<T>) | undefined;
  /** Background calls queue here first: at most concurrency − 1 of them are inside `limit` at once. */
  private readonly backgroundLimit: (<T>(fn: () => Promise<T>) => Promise<T>) | undefined;

  constructor(o: HttpClientOptions) {
    this.o = o;
    this.system = o.system;
    this.retry = o.retry;
    const baseURL = assertSecureBaseUrl(o.system, o.baseUrl, o.allowLoopbackHttp === true);
    const maxSockets = o.concurrency === undefined ? Infinity : o.concurrency + 1;
    const httpsAgent = new https.Agent({ ...tlsOptions(o.system, o.ca, o.clientCertificate), keepAlive: true, maxSockets });
    const httpAgent = o.allowLoopbackHttp ? new http.Agent({ keepAlive: true, maxSockets }) : undefined;
    this.agents = httpAgent ? [httpsAgent, httpAgent] : [httpsAgent];
    this.ax = axios.create({
      baseURL,
      httpsAgent,
      ...(httpAgent ? { httpAgent } : {}),
      // Reached directly: a proxy from the environment would see the secret and not carry the client certificate.
      proxy: false,
      maxRedirects: 0,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
      headers: { Accept: 'application/json', ...o.headers },
    });
    this.limit = o.concurrency === undefined ? undefined : pLimit(o.concurrency);
    this.backgroundLimit = o.concurrency === undefined || o.concurrency < 2 ? undefined : pLimit(o.concurrency - 1);
    this.breaker = o.breaker ? new CircuitBreaker(o.system, o.breaker) : undefined;
  }

  emit(e: HttpEvent): void {
    try {
      this.o.onEvent?.(e);
    } catch {
      // Logging must never break a call.
    }
  }

  answerError(res: TextResponse, what?: string): ConsoleError {
    return this.o.answerError?.(res, what) ?? unexpectedAnswer(this.system, res.status, what);
  }

  /**
   * Run `fn` in one of the concurrency slots (at once when there is no limit). A background call first
   * waits in its own lane of one slot fewer, so one slot is always free for a call someone waits for.
   */
  limited<T>(fn: () => Promise<T>, background = false): Promise<T> {
    const limit = this.limit;
    if (!limit) return fn();
    const bg = this.backgroundLimit;
    return background && bg ? bg(() => limit(fn)) : limit(fn);
  }

  attempt(req: HttpRequest): Promise<TextResponse> {
    return this.limited(() => this.attemptOutsideLimit(req), req.background === true);
  }

  /** One exchange, no limit, no retry (a token call must not wait for the slots its callers hold). */
  async attemptOutsideLimit(req: HttpRequest): Promise<TextResponse> {
    const { res, started } = await this.open<string>(req, false);
    const text = typeof res.data === 'string' ? res.data : '';
    this.emit({ type: 'request', method: req.method, path: req.path, status: res.status, ms: Date.now() - started, ...(res.status >= 400 ? { note: excerpt(text) } : {}) });
    const retryAfter = retryAfterOf(res);
    if (this.o.isUnavailable(res.status, text)) {
      this.breakerFailure();
      throw new AttemptFailure(unavailableAnswer(this.system, res.status, retryAfter), true);
    }
    this.breaker?.success();
    return retryAfter === undefined ? { status: res.status, text } : { status: res.status, text, retryAfter };
  }

  /**
   * One exchange whose 2xx body is handed to `consume` as a stream (the caller holds its slot until done).
   * Any other answer comes back as text (at most 64 KiB read), for the caller to judge.
   */
  async attemptStream<T>(req: HttpRequest, consume: (body: Readable) => Promise<T>): Promise<{ body: T } | { answer: TextResponse }> {
    const { res } = await this.open<Readable>(req, true);
    if (res.status < 200 || res.status >= 300) {
      const text = await readSome(res.data, 64 * 1024);
      this.emit({ type: 'request', method: req.method, path: req.path, status: res.status, note: excerpt(text) });
      const retryAfter = retryAfterOf(res);
      if (this.o.isUnavailable(res.status, text)) {
        this.breakerFailure();
        throw new AttemptFailure(unavailableAnswer(this.system, res.status, retryAfter), true);
      }
      this.breaker?.success();
      return { answer: retryAfter === undefined ? { status: res.status, text } : { status: res.status, text, retryAfter } };
    }
    this.breaker?.success();
    this.emit({ type: 'request', method: req.method, path: req.path, status: res.status });
    return { body: await consume(res.data) };
  }

  private async open<D>(req: HttpRequest, stream: boolean): Promise<{ res: AxiosResponse<D>; started: number }> {
    if (req.signal?.aborted) throw new AttemptFailure(cancelled(this.system), false);
    this.breaker?.admit();
    const timeoutMs = req.timeoutMs ?? this.o.timeoutMs;
    // axios' own timeout is per idle socket; this one bounds the exchange (a stream: until its headers).
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    // A whole answer is read before this returns, so the caller's signal is linked by hand and unlinked
    // below. AbortSignal.any would tie every call to a long-lived caller signal (a sync refresh makes
    // 144,000 calls under one) until a full GC: ~140 MB of old-generation heap per 150,000 calls.
    // A stream is read after this returns and keeps following the caller's signal through it.
    const follow = req.signal && !stream ? req.signal : null;
    const onCallerAbort = () => deadline.abort(follow?.reason);
    follow?.addEventListener('abort', onCallerAbort, { once: true });
    const started = Date.now();
    try {
      const res = await this.request<D>(req, stream, timeoutMs, deadline.signal);
      return { res, started };
    } catch (e) {
      const f = transportFailure(this.system, e, { timeoutMs, signal: req.signal, deadline: deadline.signal, clientCertificate: this.o.clientCertificate !== undefined });
      this.emit({ type: 'request', method: req.method, path: req.path, ms: Date.now() - started, note: f.message });
      this.breakerOutcome(f);
      throw f;
    } finally {
      clearTimeout(timer);
      follow?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * The exchange itself. A read sent on a kept-alive connection that the server closed just then (it closes
   * idle ones after a while) is sent once more on a new one: the server never read it, so it says nothing
   * of the server's health, and without this it would count as unavailability (a MitID Erhverv refresh
   * paused for a minute after one). Only reads: a write is never sent twice by this layer.
   */
  private async request<D>(req: HttpRequest, stream: boolean, timeoutMs: number, deadline: AbortSignal): Promise<AxiosResponse<D>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sendOnce<D>(req, stream, timeoutMs, deadline);
      } catch (e) {
        if (attempt > 0 || req.method !== 'GET' || !closedUnderUs(e) || deadline.aborted || req.signal?.aborted) throw e;
        this.emit({ type: 'request', method: req.method, path: req.path, note: 'forbindelsen var lukket af serveren; sendt igen på en ny' });
      }
    }
  }

  private sendOnce<D>(req: HttpRequest, stream: boolean, timeoutMs: number, deadline: AbortSignal): Promise<AxiosResponse<D>> {
    return this.ax.request<D>({
      method: req.method,
      url: req.path,
      ...(req.query ? { params: req.query } : {}),
      data: req.body === undefined ? undefined : JSON.stringify(req.body),
      headers: { ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...req.headers },
      timeout: timeoutMs,
      responseType: stream ? 'stream' : 'text',
      transformResponse: [(d: unknown) => d],
      signal: req.signal && stream ? AbortSignal.any([req.signal, deadline]) : deadline,
    });
  }

  /** Unavailability counts against the circuit; a TLS refusal is an answer; a cancel says nothing. */
  private breakerOutcome(f: AttemptFailure): void {
    if (!this.breaker) return;
    if (f.unavailable) this.breakerFailure();
    else if (f.error.code === 'cancelled') this.breaker.release();
    else this.breaker.success();
  }

  private breakerFailure(): void {
    if (!this.breaker) return;
    const before = this.breaker.status;
    this.breaker.failure();
    if (before !== 'open' && this.breaker.status === 'open') this.emit({ type: 'circuit-open' });
  }

  close(): void {
    for (const a of this.agents) a.destroy();
  }
}

export function createHttpClient(o: HttpClientOptions): HttpClient {
  return new HttpClient(o);
}

/** A call through a stack: retried by the policy when idempotent. */
export interface Call extends HttpRequest {
  /** May be repeated safely: reads, and writes the contract makes idempotent. */
  idempotent: boolean;
}

export function send(x: Exchange, call: Call): Promise<TextResponse> {
  return withRetry(x.system, x.retry, call.idempotent, call.signal, () => x.attempt(call), (e: RetryEvent) => x.emit(e));
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
