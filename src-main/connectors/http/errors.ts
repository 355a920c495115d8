// The one mapping from what can go wrong on the wire to the console's closed error set, in Danish, with
// the system named by a parameter. A 4xx answer's meaning is the system's own (its connector maps those);
// everything about transport, availability and the shape of an answer is decided here.
import { ConsoleError } from '../../../shared/errors.ts';
import { danishSeconds, type HttpSystem } from './system.ts';

/**
 * A failed attempt. `unavailable`: no answer or an "unavailable" answer (503, timeout, dropped
 * connection) — the outcome is unknown and an idempotent call may be tried again.
 */
export class AttemptFailure extends Error {
  readonly unavailable: boolean;
  readonly error: ConsoleError;
  constructor(error: ConsoleError, unavailable: boolean) {
    super(error.message);
    this.error = error;
    this.unavailable = unavailable;
  }
}

export function cancelled(system: HttpSystem): ConsoleError {
  return new ConsoleError('cancelled', `Kaldet til ${system.name} blev annulleret`).withKey('httpCancelled', { system: system.name });
}

export function timedOut(system: HttpSystem, timeoutMs: number): ConsoleError {
  const s = danishSeconds(timeoutMs);
  return new ConsoleError(system.unavailable, system.timeoutMessage?.(s) ?? `${system.name} svarer ikke (intet svar inden for ${s} s)`, { reason: 'timeout' }).withKey('httpTimeout', { system: system.name, seconds: s });
}

const tlsClientRefused = /ALERT_CERTIFICATE_REQUIRED|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|ALERT_HANDSHAKE_FAILURE|ALERT_CERTIFICATE_UNKNOWN|ALERT_ACCESS_DENIED|ALERT_DECRYPT_ERROR/;
const tlsServerUntrusted = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_SIGNATURE_FAILURE|CERT_UNTRUSTED|CERT_REVOKED|CERT_REJECTED)$/;
const tlsOther = /^(EPROTO|ERR_SSL_|ERR_TLS_)/;

export interface TransportContext {
  timeoutMs: number;
  /** The caller's signal: aborted means cancelled, never a failure of the system. */
  signal?: AbortSignal | undefined;
  /** The per-attempt deadline: aborted means the time ran out. */
  deadline?: AbortSignal | undefined;
  /** Whether a client certificate was presented (a TLS refusal then names it). */
  clientCertificate: boolean;
}

/**
 * An exchange that produced no HTTP answer. Timeouts and connection errors are `unavailable` (retriable,
 * outcome unknown); TLS failures are not — the same certificate fails the same way again.
 */
export function transportFailure(system: HttpSystem, e: unknown, ctx: TransportContext): AttemptFailure {
  if (ctx.signal?.aborted) return new AttemptFailure(cancelled(system), false);
  const err = (e ?? {}) as { code?: string; message?: string; cause?: { code?: string }; isAxiosError?: boolean };
  const code = err.code ?? err.cause?.code ?? '';
  const message = err.message ?? '';
  if (ctx.deadline?.aborted || code === 'ETIMEDOUT' || code === 'ECONNABORTED') return new AttemptFailure(timedOut(system, ctx.timeoutMs), true);
  if (tlsServerUntrusted.test(code)) {
    return new AttemptFailure(
      new ConsoleError(system.unavailable, `${system.genitive} servercertifikat kunne ikke verificeres – tjek CA-filen i indstillingerne`, { reason: 'tls-server', tlsCode: code }).withKey('httpServerCertificate', { system: system.name }),
      false,
    );
  }
  if (tlsClientRefused.test(code) || tlsClientRefused.test(message)) {
    return new AttemptFailure(
      new ConsoleError(
        'refused',
        ctx.clientCertificate
          ? `${system.name} afviste systemcertifikatet (TLS) – tjek at det rigtige certifikat er valgt og stadig er gyldigt`
          : `${system.name} kræver et klientcertifikat (TLS), men der er ikke valgt noget`,
        { reason: 'tls-client', tlsCode: code },
      ).withKey('httpClientCertificate', { system: system.name, chosen: ctx.clientCertificate ? 1 : 0 }),
      false,
    );
  }
  if (tlsOther.test(code) || /certificate/i.test(message)) {
    return new AttemptFailure(new ConsoleError(system.unavailable, `${system.name} kan ikke nås: TLS-forbindelsen kunne ikke oprettes`, { reason: 'tls', tlsCode: code || undefined }).withKey('httpTls', { system: system.name }), false);
  }
  if (code === 'ECONNREFUSED') return new AttemptFailure(new ConsoleError(system.unavailable, `${system.name} kan ikke nås (forbindelsen blev afvist)`, { reason: 'connection-refused' }).withKey('httpRefused', { system: system.name }), true);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AttemptFailure(new ConsoleError(system.unavailable, `${system.name} kan ikke nås (ukendt værtsnavn)`, { reason: 'dns', netCode: code }).withKey('httpDns', { system: system.name }), true);
  }
  if (!code && err.isAxiosError !== true) {
    // Not from the network at all: a bug of ours, not a reason to try again.
    return new AttemptFailure(new ConsoleError('internal', `Uventet fejl i forbindelsen til ${system.name}`, undefined, { cause: e }).withKey('httpUnexpected', { system: system.name }), false);
  }
  return new AttemptFailure(new ConsoleError(system.unavailable, `${system.name} svarer ikke (forbindelsen blev afbrudt)`, { reason: 'connection', netCode: code || undefined }).withKey('httpConnectionLost', { system: system.name }), true);
}

/** A call sent on a kept-alive connection the server had closed (Node's `reusedSocket`): it was never read. */
export function closedUnderUs(e: unknown): boolean {
  const err = e as { code?: unknown; request?: { reusedSocket?: unknown } } | null;
  return err?.request?.reusedSocket === true && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
}

/** An answer that says "not now" (503 and friends): retriable, outcome unknown. */
export function unavailableAnswer(system: HttpSystem, status: number, retryAfter?: string): ConsoleError {
  return new ConsoleError(system.unavailable, `${system.name} svarer ikke (${status})`, retryAfter === undefined ? { status } : { status, retryAfter }).withKey('httpUnavailableStatus', { system: system.name, status });
}

/** A non-2xx answer with no meaning of the system's own. `what` names the call for the operator. */
export function unexpectedAnswer(system: HttpSystem, status: number, what?: string): ConsoleError {
  const call = what ? `, ${what}` : '';
  if (status >= 500) return new ConsoleError(system.unavailable, `${system.name} fejlede (${status}${call})`, { status }).withKey('httpServerError', { system: system.name, status });
  return new ConsoleError(system.unavailable, `${system.name} svarede uventet (${status}${call})`, { status }).withKey('httpUnexpectedStatus', { system: system.name, status });
}

/** A log excerpt of an error body: one line, bounded. Never parsed, never shown as is. */
export function excerpt(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 200);
}
