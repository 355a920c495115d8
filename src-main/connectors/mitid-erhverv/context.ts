// What every resource module of the client shares: the transport, the options, the compat switches, and
// the three shapes of a call over the shared stack (call, read = getJson, write).
import type { z } from 'zod';
import { ConsoleError } from '../../../shared/errors.ts';
import { send, type Exchange } from '../http/client.ts';
import { getJson, sendExpecting } from '../http/json.ts';
import type { MitIdErhvervClientOptions } from './client.ts';
import type { CallOptions } from './port.ts';
import type { MitIdTransport, TextResponse } from './transport.ts';
import { unexpectedStatus } from './transport.ts';

export const A = '/api/administration';
export const enc = encodeURIComponent;

export interface Compat {
  allowSigningMethod: 'PUT' | 'POST';
  rightsWritesIdempotent: boolean;
  revokeNotFoundIsGone: boolean;
}

export interface ClientContext {
  readonly t: MitIdTransport;
  readonly o: MitIdErhvervClientOptions;
  readonly compat: Compat;
}

/** A call through the shared stack with the token; retried on unavailability when idempotent. */
export function call(
  ctx: ClientContext,
  method: 'GET' | 'PUT' | 'DELETE' | 'POST',
  path: string,
  body: unknown,
  opts?: CallOptions,
  idempotent = true,
): Promise<TextResponse> {
  return send(ctx.t, { method, path, body, signal: opts?.signal, timeoutMs: opts?.timeoutMs, background: opts?.background, idempotent });
}

/** The transport, or a view of it with the caller's number of retries. */
function exchangeFor(ctx: ClientContext, opts?: CallOptions): Exchange {
  const retries = opts?.retries;
  if (retries === undefined) return ctx.t;
  const t = ctx.t;
  return {
    system: t.system,
    retry: { ...t.retry, retries: Math.max(0, Math.floor(retries)) },
    attempt: (req) => t.attempt(req),
    answerError: (res, what) => t.answerError(res, what),
    emit: (e) => t.emit(e),
  };
}

/** An idempotent read whose 200 answer is parsed with `schema`; anything else is mapped with `what`. */
export function read<S extends z.ZodType>(ctx: ClientContext, schema: S, path: string, what: string, opts?: CallOptions): Promise<z.output<S>> {
  return getJson(exchangeFor(ctx, opts), schema, { method: 'GET', path, signal: opts?.signal, timeoutMs: opts?.timeoutMs, background: opts?.background, idempotent: true, ok: [200], what });
}

/** An idempotent write whose answer must be one of `ok`; anything else is mapped with `what`. */
export async function write(
  ctx: ClientContext,
  method: 'PUT' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  ok: readonly number[],
  what: string,
  opts?: CallOptions,
): Promise<void> {
  await sendExpecting(ctx.t, { method, path, body, signal: opts?.signal, timeoutMs: opts?.timeoutMs, idempotent: true, ok, what });
}

export function expectStatus(res: TextResponse, ok: readonly number[], what: string): void {
  if (!ok.includes(res.status)) throw unexpectedStatus(res, what);
}

export function assertUuid(uuid: string): string {
  const t = uuid.trim();
  if (!/^[0-9a-fA-F-]{8,64}$/.test(t)) throw new ConsoleError('validation', 'Ugyldigt MitID Erhverv-id (uuid)').withKey('mitidBadUuid');
  return t;
}
