import http from 'node:http';
import https from 'node:https';
import axios from 'axios';
import type { AxiosError, AxiosInstance, AxiosResponse, Method } from 'axios';
import type { z } from 'zod';
import { ConsoleError } from '../../../shared/errors.ts';
import { IdpErrorBody } from '../../../shared/idp/common.ts';
import { insecureUrlProblem } from '../../../shared/domain/settings.ts';

export interface IdpHttpOptions {
  /** Full base URL incl. the API path. */
  baseURL: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** PEM CA(s) for an IdP whose certificate is not in the system store. */
  ca?: string | Buffer;
  /** Extra attempts for idempotent calls (default 2). */
  retries?: number;
  /** First back-off delay; doubles per attempt (default 200 ms). */
  retryDelayMs?: number;
}

export interface RequestSpec<T extends z.ZodType> {
  method: Method;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Expected answer; null for 204 No Content. */
  schema: T | null;
  /** May be repeated safely: GETs, and writes made idempotent by the contract (audit events by id). */
  idempotent: boolean;
}

const RETRY_STATUS = new Set([429, 502, 503, 504]);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The IdP's own message, cleaned: shown to the operator, so no control characters and bounded. */
function serverMessage(data: unknown): { code: string | null; message: string | null; details: Record<string, unknown> | undefined } {
  const parsed = IdpErrorBody.safeParse(data);
  if (!parsed.success) return { code: null, message: null, details: undefined };
  // eslint-disable-next-line no-control-regex
  const clean = parsed.data.message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 300);
  return { code: parsed.data.code, message: clean || null, details: parsed.data.details };
}

function networkError(e: AxiosError, timeoutMs: number): ConsoleError {
  const code = e.code ?? '';
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') {
    return new ConsoleError('unavailable-idp', `Lokal IdP svarede ikke inden for ${Number((timeoutMs / 1000).toFixed(1)).toLocaleString('da-DK')} s`, { reason: 'timeout' });
  }
  if (code === 'ECONNREFUSED') return new ConsoleError('unavailable-idp', 'Lokal IdP kan ikke nås (forbindelsen blev afvist)', { reason: code });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConsoleError('unavailable-idp', 'Lokal IdP kan ikke nås (ukendt værtsnavn)', { reason: code });
  if (/CERT|SSL|TLS|SELF_SIGNED/i.test(code) || /certificate/i.test(e.message)) {
    return new ConsoleError('unavailable-idp', 'Lokal IdP kan ikke nås: serverens certifikat kan ikke godkendes', { reason: 'tls' });
  }
  return new ConsoleError('unavailable-idp', 'Forbindelsen til Lokal IdP blev afbrudt uden svar', { reason: code || 'network' });
}

function statusError(res: AxiosResponse): ConsoleError {
  const s = res.status;
  const { code, message, details } = serverMessage(res.data);
  const base = { status: s, ...(code ? { idpCode: code } : {}) };
  const withMsg = (prefix: string) => (message ? `${prefix}: ${message}` : prefix);
  // Only the violations are passed on from the IdP's details: they are what the operator must fix.
  const violations = details && Array.isArray(details['violations']) ? { violations: details['violations'] } : {};
  switch (true) {
    case s === 400:
      return new ConsoleError('validation', withMsg('Lokal IdP afviste forespørgslen som ugyldig'), base);
    case s === 401:
      // The console's key, not the operator's sign-in: so not 'unauthenticated'.
      return new ConsoleError('unavailable-idp', 'Lokal IdP afviste konsollens adgangsnøgle (401) – kontrollér indstillingerne', base);
    case s === 403:
      return new ConsoleError('forbidden', withMsg('Lokal IdP nægtede adgang (403)'), base);
    case s === 404:
      return new ConsoleError('not-found', withMsg('Lokal IdP kender ikke det ønskede (404)'), base);
    case s === 409:
      return new ConsoleError('conflict', withMsg('Lokal IdP meldte konflikt (409)'), base);
    case s === 422:
      return new ConsoleError('refused', withMsg('Lokal IdP afviste ændringen'), { ...base, ...violations });
    case s === 503 || s === 502 || s === 504 || s === 429:
      return new ConsoleError('unavailable-idp', `Lokal IdP svarer ikke (${s})`, base);
    case s >= 500:
      return new ConsoleError('unavailable-idp', `Lokal IdP fejlede (${s})`, base);
    default:
      return new ConsoleError('unavailable-idp', `Lokal IdP svarede uventet (${s})`, base);
  }
}

export interface IdpHttp {
  request<T extends z.ZodType>(spec: RequestSpec<T>): Promise<z.output<T>>;
  close(): void;
}

/** axios with the IdP rules: timeouts, retries only when safe, zod on every answer, ConsoleErrors only. */
export function createIdpHttp(opts: IdpHttpOptions): IdpHttp {
  // Every request carries the console's API key or token: never over plain http to another machine.
  const insecure = insecureUrlProblem(opts.baseURL, { allowLoopbackHttp: true });
  if (insecure) throw new ConsoleError('validation', `Lokal IdP-adressen afvist: ${insecure}.`);
  const retries = opts.retries ?? 2;
  const delay = opts.retryDelayMs ?? 200;
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true, ...(opts.ca ? { ca: opts.ca } : {}) });
  const ax: AxiosInstance = axios.create({
    baseURL: opts.baseURL,
    timeout: opts.timeoutMs,
    headers: { Accept: 'application/json', ...opts.headers },
    httpAgent,
    httpsAgent,
    // The IdP is reached directly; a proxy from the environment must not capture the API key.
    proxy: false,
    maxRedirects: 0,
    validateStatus: () => true,
  });

  async function once(spec: RequestSpec<z.ZodType>): Promise<AxiosResponse> {
    try {
      return await ax.request({
        method: spec.method,
        url: spec.path,
        params: spec.query,
        data: spec.body,
        headers: spec.body === undefined ? {} : { 'Content-Type': 'application/json' },
        // axios' own timeout is per socket inactivity; this bounds the whole exchange, slow bodies included.
        signal: AbortSignal.timeout(opts.timeoutMs + 50),
      });
    } catch (e) {
      if (axios.isAxiosError(e)) throw networkError(e, opts.timeoutMs);
      throw new ConsoleError('internal', 'Uventet fejl i forbindelsen til Lokal IdP', undefined, { cause: e });
    }
  }

  return {
    async request<T extends z.ZodType>(spec: RequestSpec<T>): Promise<z.output<T>> {
      const attempts = spec.idempotent ? retries + 1 : 1;
      let last: ConsoleError | undefined;
      for (let i = 0; i < attempts; i++) {
        if (i > 0) await sleep(delay * 2 ** (i - 1) * (0.75 + Math.random() * 0.5));
        let res: AxiosResponse;
        try {
          res = await once(spec);
        } catch (e) {
          last = e as ConsoleError;
          if (last.code === 'unavailable-idp') continue;
          throw last;
        }
        if (res.status >= 200 && res.status < 300) {
          if (spec.schema === null) return undefined as z.output<T>;
          const parsed = spec.schema.safeParse(res.data);
          if (!parsed.success) {
            throw new ConsoleError('unavailable-idp', 'Lokal IdP sendte et svar, der ikke følger IdP-admin-API’et', {
              issues: parsed.error.issues.slice(0, 5).map((x) => `${x.path.join('.')}: ${x.message}`),
            });
          }
          return parsed.data;
        }
        last = statusError(res);
        if (!RETRY_STATUS.has(res.status)) throw last;
      }
      throw last ?? new ConsoleError('unavailable-idp', 'Lokal IdP svarer ikke');
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
