// The Local IdP on the shared HTTP stack (../http/): what is the IdP's own — its auth header, which answers
// mean "try again", and what its 4xx answers mean (its error body carries a code and a message for the
// operator). TLS, timeouts, retries, the https-only check and zod parsing are the stack's.
import type { z } from 'zod';
import { ConsoleError } from '../../../shared/errors.ts';
import { API_KEY_HEADER, CORRELATION_HEADER, CorrelationId, IDP_API_BASE, IdpErrorBody } from '../../../shared/idp/common.ts';
import { currentCorrelationId } from '../../correlation.ts';
import { createHttpClient, type HttpMethod, type TextResponse } from '../http/client.ts';
import { unexpectedAnswer } from '../http/errors.ts';
import { getJson, sendExpecting } from '../http/json.ts';
import type { HttpSystem } from '../http/system.ts';

export const IDP: HttpSystem = {
  name: 'Lokal IdP',
  genitive: "Lokal IdP's",
  unavailable: 'unavailable-idp',
  timeoutMessage: (s) => `Lokal IdP svarede ikke inden for ${s} s`,
};

export type IdpAuth = { kind: 'api-key'; apiKey: string } | { kind: 'bearer'; token: string };

export interface IdpClientOptions {
  /** The IdP's address without the API path, e.g. https://idp.kommune.dk */
  baseUrl: string;
  auth: IdpAuth;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  ca?: string | Buffer;
  /** Extra attempts for idempotent calls (default 2). */
  retries?: number;
  retryDelayMs?: number;
}

export interface IdpHttpOptions {
  /** Full base URL incl. the API path. */
  baseURL: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** PEM CA(s) for an IdP whose certificate is not in the system store. */
  ca?: string | Buffer;
  /** Extra attempts for idempotent calls (default 2). */
  retries?: number;
  /** First back-off delay; doubles per attempt, with jitter (default 200 ms). */
  retryDelayMs?: number;
}

export interface RequestSpec<T extends z.ZodType> {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Expected answer; null for 204 No Content. */
  schema: T | null;
  /** May be repeated safely: GETs, and writes made idempotent by the contract (audit events by id). */
  idempotent: boolean;
  /** Cancels the call and its retries: ConsoleError('cancelled'). */
  signal?: AbortSignal | undefined;
}

export interface IdpHttp {
  request<T extends z.ZodType>(spec: RequestSpec<T>): Promise<z.output<T>>;
  close(): void;
}

/** Answers that mean "not now": retried like a timeout when the call is idempotent. */
const RETRY_STATUS = new Set([429, 502, 503, 504]);

/** The IdP's own message, cleaned: shown to the operator, so no control characters and bounded. */
function serverMessage(text: string): { code: string | null; message: string | null; details: Record<string, unknown> | undefined } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // A body that is not JSON carries no IdP message; the caller reports the status instead.
    return { code: null, message: null, details: undefined };
  }
  const parsed = IdpErrorBody.safeParse(raw);
  if (!parsed.success) return { code: null, message: null, details: undefined };
  // eslint-disable-next-line no-control-regex
  const clean = parsed.data.message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 300);
  return { code: parsed.data.code, message: clean || null, details: parsed.data.details };
}

/** What a non-2xx answer of the IdP means for the operator. */
export function idpAnswerError(res: TextResponse): ConsoleError {
  const s = res.status;
  const { code, message, details } = serverMessage(res.text);
  const base = { status: s, ...(code ? { idpCode: code } : {}) };
  const withMsg = (prefix: string) => (message ? `${prefix}: ${message}` : prefix);
  // Only the violations are passed on from the IdP's details: they are what the operator must fix.
  const violations = details && Array.isArray(details['violations']) ? { violations: details['violations'] } : {};
  switch (s) {
    case 400:
      return new ConsoleError('validation', withMsg('Lokal IdP afviste forespørgslen som ugyldig'), base).withKey('idpBadRequest', { detail: message ?? '' });
    case 401:
      // The console's key, not the operator's sign-in: so not 'unauthenticated'.
      return new ConsoleError('unavailable-idp', 'Lokal IdP afviste konsollens adgangsnøgle (401) – kontrollér indstillingerne', base).withKey('idpKeyRefused');
    case 403:
      return new ConsoleError('forbidden', withMsg('Lokal IdP nægtede adgang (403)'), base).withKey('idpForbidden', { detail: message ?? '' });
    case 404:
      return new ConsoleError('not-found', withMsg('Lokal IdP kender ikke det ønskede (404)'), base).withKey('idpNotFound', { detail: message ?? '' });
    case 409:
      return new ConsoleError('conflict', withMsg('Lokal IdP meldte konflikt (409)'), base).withKey('idpConflict', { detail: message ?? '' });
    case 422:
      return new ConsoleError('refused', withMsg('Lokal IdP afviste ændringen'), { ...base, ...violations }).withKey('idpRefused', { detail: message ?? '' });
    default:
      return unexpectedAnswer(IDP, s);
  }
}

/** The IdP's stack: retries only when safe, zod on every answer, ConsoleErrors only. */
export function createIdpHttp(opts: IdpHttpOptions): IdpHttp {
  const h = createHttpClient({
    system: IDP,
    baseUrl: opts.baseURL,
    // Every request carries the console's API key or token: https, or plain http to a loopback address
    // only (the training environment runs its simulator in-process).
    allowLoopbackHttp: true,
    ca: opts.ca,
    headers: opts.headers,
    timeoutMs: opts.timeoutMs,
    retry: { retries: opts.retries ?? 2, baseDelayMs: opts.retryDelayMs ?? 200, maxDelayMs: 30_000, random: Math.random },
    isUnavailable: (status) => RETRY_STATUS.has(status),
    answerError: idpAnswerError,
  });
  return {
    async request<T extends z.ZodType>(spec: RequestSpec<T>): Promise<z.output<T>> {
      // The console operation this call is part of: the IdP stores it on the audit events it writes.
      const correlation = CorrelationId.safeParse(currentCorrelationId());
      const headers = correlation.success ? { [CORRELATION_HEADER]: correlation.data } : undefined;
      const call = { method: spec.method, path: spec.path, query: spec.query, body: spec.body, idempotent: spec.idempotent, signal: spec.signal, headers };
      if (spec.schema !== null) return getJson(h, spec.schema, call);
      await sendExpecting(h, call);
      return undefined as z.output<T>;
    },
    close: () => h.close(),
  };
}

/** The IdP admin API's stack from the client options: base URL + API path, and the auth header. */
export function idpHttpFor(opts: IdpClientOptions): IdpHttp {
  const headers: Record<string, string> =
    opts.auth.kind === 'api-key' ? { [API_KEY_HEADER]: opts.auth.apiKey } : { Authorization: `Bearer ${opts.auth.token}` };
  return createIdpHttp({
    baseURL: `${opts.baseUrl.replace(/\/+$/, '')}${IDP_API_BASE}`,
    headers,
    timeoutMs: opts.timeoutMs ?? 30_000,
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
    ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}),
  });
}

/** Options build a stack of their own (closed with the client); a stack handed in is shared, not closed. */
export function idpHttpFrom(source: IdpClientOptions | IdpHttp): { h: IdpHttp; close: () => void } {
  if ('request' in source) return { h: source, close: () => {} };
  const h = idpHttpFor(source);
  return { h, close: () => h.close() };
}
