// zod on every answer: the one way a response body becomes data. A broken answer is the system's fault,
// not the operator's, so it is reported as the system being unavailable — with which fields did not fit,
// never their values.
import type { z } from 'zod';
import { ConsoleError } from '../../../shared/errors.ts';
import { send, type Call, type Exchange, type TextResponse } from './client.ts';
import type { HttpSystem } from './system.ts';

export function parseJson<S extends z.ZodType>(system: HttpSystem, text: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConsoleError(system.unavailable, `${system.name} svarede med et uventet format (ikke JSON)`).withKey('httpNotJson', { system: system.name });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    throw new ConsoleError(system.unavailable, `${system.name} svarede med et uventet format`, {
      issues: r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(svaret)'}: ${i.message}`),
    }).withKey('httpBadFormat', { system: system.name });
  }
  return r.data;
}

export interface JsonCall extends Call {
  /** The answers that carry the data (default: any 2xx). */
  ok?: readonly number[];
  /** Names the call in an error message ("SE-numre"). */
  what?: string;
}

const isOk = (res: TextResponse, ok: readonly number[] | undefined) => (ok ? ok.includes(res.status) : res.status >= 200 && res.status < 300);

/** Send (retried when idempotent), expect an ok answer, parse it with `schema`. */
export async function getJson<S extends z.ZodType>(x: Exchange, schema: S, call: JsonCall): Promise<z.output<S>> {
  const res = await send(x, call);
  if (!isOk(res, call.ok)) throw x.answerError(res, call.what);
  return parseJson(x.system, res.text, schema);
}

/** Send (retried when idempotent) and expect an ok answer whose body does not matter. */
export async function sendExpecting(x: Exchange, call: JsonCall): Promise<TextResponse> {
  const res = await send(x, call);
  if (!isOk(res, call.ok)) throw x.answerError(res, call.what);
  return res;
}
