import { z } from 'zod';

/**
 * Shared building blocks of the IdP admin API contract (`/api/v1`). The contract is the console's own,
 * modelled on OS2faktor Login's data model; a Local IdP (or an adapter in front of one) implements it.
 * Everything that crosses the wire is described here with zod, so the client and the simulator check
 * the same shapes.
 */
export const IDP_API_BASE = '/api/v1';

/** Header for API-key authentication (same name as OS2faktor's machine API). */
export const API_KEY_HEADER = 'ApiKey';

/**
 * Header naming the console operation a call belongs to (the journal's correlation id). The IdP stores it on
 * the audit events the call causes, so the console folds them into the row of the action that caused them.
 */
export const CORRELATION_HEADER = 'X-Correlation-Id';
/** What the IdP accepts as a correlation id; anything else is ignored, never stored. */
export const CorrelationId = z.string().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/);

/** ISO 8601 timestamp with offset, e.g. 2026-11-23T11:40:41.000Z. */
export const Timestamp = z.iso.datetime({ offset: true });

/**
 * Error codes the IdP admin API answers with. Closed in this version of the contract; the client treats
 * an unknown code by its HTTP status.
 */
export const idpErrorCodes = [
  'validation',
  'unauthenticated',
  'forbidden',
  'not-found',
  /** A stale `basedOnVersion`, or an event id reused with other content. */
  'conflict',
  /** NSIS domain policy below the Full Service IdP floor (min length 15, lockout ≤ 5 attempts / ≥ 5 min). */
  'full-service-rule',
  /** A device action the device does not support or its state forbids (e.g. test push to a locked device). */
  'device-state',
  /** A hardware token that is already assigned to someone else. */
  'token-assigned',
  'unavailable',
  'internal',
] as const;
export const IdpErrorCode = z.enum(idpErrorCodes);
export type IdpErrorCode = z.infer<typeof IdpErrorCode>;

export const idpStatusFor: Record<IdpErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'full-service-rule': 422,
  'device-state': 422,
  'token-assigned': 409,
  unavailable: 503,
  internal: 500,
};

/** Every error response body. `code` is read as an open string so a newer server cannot break the parse. */
export const IdpErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type IdpErrorBody = z.infer<typeof IdpErrorBody>;

export const Domain = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'Ugyldigt domænenavn');
/** sAMAccountName: at most 20 characters, none of " / \ [ ] : ; | = , + * ? < > @. */
export const Username = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[^"/\\[\]:;|=,+*?<>@\s]+$/, 'Ugyldigt brugernavn');

/** A person in the Local IdP: its user id is the AD sAMAccountName within a domain. */
export const PersonKey = z.object({ domain: Domain, username: Username });
export type PersonKey = z.infer<typeof PersonKey>;

/** The operator on whose behalf the console writes (the API key is the console's, not the person's). */
export const Actor = z.object({
  username: z.string().trim().min(1).max(100),
  displayName: z.string().trim().max(200).optional(),
});
export type Actor = z.infer<typeof Actor>;

export const WriteReason = z.string().trim().min(5, 'Angiv en begrundelse på mindst 5 tegn').max(500);

/** Every write names who and why; the IdP puts both in its audit log. */
export const WriteContext = z.object({ actor: Actor, reason: WriteReason });
export type WriteContext = z.infer<typeof WriteContext>;

export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 1000;

/** Query of every list that can grow: an opaque cursor from the previous page and a bounded size. */
export const PageQuery = z.object({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
});
export type PageQuery = z.input<typeof PageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('null on the last page.'),
  });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const Health = z.object({
  status: z.literal('ok'),
  apiVersion: z.string(),
  product: z.string(),
});
export type Health = z.infer<typeof Health>;

/**
 * The AD domain of a distinguished name, from its DC components: "CN=x,OU=y,DC=fjordby,DC=kommune,DC=test"
 * → "fjordby.kommune.test". With the sAMAccountName it makes the person's key in the Local IdP.
 */
export function domainFromDn(dn: string): string | null {
  const parts = dn
    .split(/,(?=(?:[^\\]|\\.)*$)/)
    .map((p) => p.trim())
    .filter((p) => /^dc=/i.test(p))
    .map((p) => p.slice(3).toLowerCase());
  return parts.length > 0 ? parts.join('.') : null;
}
