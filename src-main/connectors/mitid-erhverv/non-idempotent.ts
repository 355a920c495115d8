// The one way the client sends a write that is not idempotent (create, requestcredentials,
// revokecredential): never blindly again. Before any repeat, and after a last attempt whose outcome is
// unknown, it asks `landed()` whether the earlier attempt took effect. A create allows exactly one POST
// (each costs 20 DKK); free writes may allow a few.
import type { ConsoleError } from '../../../shared/errors.ts';
import type { ClientContext } from './context.ts';
import type { CallOptions } from './port.ts';
import { abortableSleep, backoffDelay } from '../http/resilience.ts';
import { AttemptFailure, MITID, type TextResponse } from './transport.ts';

export interface NonIdempotentWrite<T> {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  /** How many requests this call may send at most (1 for a create). */
  maxAttempts: number;
  /** Did an earlier attempt take effect? The result to return, or null for "not seen". */
  landed: () => Promise<T | null>;
  /** Turn an HTTP answer into the result (or throw). `uncertain`: an earlier attempt may have landed. */
  onAnswer: (res: TextResponse, uncertain: boolean) => Promise<T>;
  /** The error when every attempt ended without an answer and `landed()` saw nothing. */
  unknown: (last: ConsoleError) => ConsoleError;
}

export async function sendNonIdempotent<T>(ctx: ClientContext, w: NonIdempotentWrite<T>, opts?: CallOptions): Promise<T> {
  let last: ConsoleError | undefined;
  for (let attempt = 0; attempt < Math.max(1, w.maxAttempts); attempt++) {
    if (last) {
      const seen = await w.landed();
      if (seen !== null) return seen;
    }
    let res: TextResponse;
    try {
      res = await ctx.t.attempt({ method: w.method, path: w.path, body: w.body, signal: opts?.signal, timeoutMs: opts?.timeoutMs });
    } catch (e) {
      if (!(e instanceof AttemptFailure)) throw e;
      if (!e.unavailable) throw e.error;
      last = e.error;
      if (attempt + 1 < w.maxAttempts) await abortableSleep(backoffDelay(attempt, ctx.t.retry, ctx.t.retry.random), opts?.signal, MITID);
      continue;
    }
    return w.onAnswer(res, last !== undefined);
  }
  // Out of attempts with the outcome unknown: one last look, so the caller knows whether it exists.
  const seen = await w.landed();
  if (seen !== null) return seen;
  throw w.unknown(last as ConsoleError);
}
