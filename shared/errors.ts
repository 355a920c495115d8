import { z } from 'zod';

/**
 * The closed set of error codes that may cross the boundary between main and the renderer
 * (IPC or the web host). Anything else is mapped to `internal` by the dispatcher.
 */
export const errorCodes = [
  'validation',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  /** An external system understood the request and refused it (e.g. AD password policy). */
  'refused',
  'unavailable-ad',
  'unavailable-mitid',
  'unavailable-idp',
  'cancelled',
  'internal',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorPayload = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

/** HTTP status used by the web host (and any HTTP simulator) for each code. */
export const httpStatusFor: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  refused: 422,
  'unavailable-ad': 503,
  'unavailable-mitid': 503,
  'unavailable-idp': 503,
  cancelled: 499,
  internal: 500,
};

/**
 * The one error type services and connectors throw on purpose. `message` is Danish and shown to the
 * operator as is; `details` must never hold secrets.
 */
export class ConsoleError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConsoleError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isConsoleError(e: unknown): e is ConsoleError {
  return e instanceof ConsoleError;
}
