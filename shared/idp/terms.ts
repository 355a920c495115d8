import { z } from 'zod';
import { Actor, Timestamp, WriteReason } from './common.ts';

/** Lower-case hex SHA-256 of the UTF-8 content: what an acceptance pins. */
export const ContentHash = z.string().regex(/^[0-9a-f]{64}$/, 'Ugyldig SHA-256');

/** The fixed NSIS obligations, maintained by the IdP vendor; read-only over this API. */
export const NsisTerms = z.object({
  label: z.string(),
  content: z.string(),
  contentHash: ContentHash,
  updatedAt: Timestamp,
});
export type NsisTerms = z.infer<typeof NsisTerms>;

/** One immutable version of the municipal addendum ("tillæg"). */
export const TermsVersion = z.object({
  version: z.number().int().min(1).describe('1, 2, 3 … in publishing order.'),
  content: z.string(),
  contentHash: ContentHash,
  author: z.string(),
  createdAt: Timestamp,
  requiresReacceptance: z.boolean().describe('Everyone must accept again at next login from `effectiveFrom`.'),
  effectiveFrom: Timestamp,
  reason: z.string().nullable(),
});
export type TermsVersion = z.infer<typeof TermsVersion>;

export const PublishTermsVersion = z
  .object({
    content: z.string().trim().min(1).max(200_000),
    requiresReacceptance: z.boolean(),
    effectiveFrom: Timestamp.optional().describe('Defaults to now; may be in the future.'),
    basedOnVersion: z.number().int().min(1).nullable().describe('The newest version the author saw (null when none exists); a stale one gets 409.'),
    actor: Actor,
    reason: WriteReason,
  })
  .strict();
export type PublishTermsVersion = z.infer<typeof PublishTermsVersion>;

/** A person's acceptance of one addendum version (together with the NSIS terms of that time). */
export const TermsAcceptance = z.object({
  domain: z.string(),
  username: z.string(),
  version: z.number().int().min(1),
  contentHash: ContentHash,
  nsisContentHash: ContentHash,
  acceptedAt: Timestamp,
});
export type TermsAcceptance = z.infer<typeof TermsAcceptance>;
