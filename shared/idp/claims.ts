import { z } from 'zod';
import { Timestamp } from './common.ts';

/**
 * Create claims: an idempotency key per person, registered with the IdP before a paid MitID Erhverv
 * create (20 DKK each), so two console workstations cannot both create the same person. The key is the
 * console's own (SHA-256 hex of the person's subjectNameId, lower-cased): no personal data is sent.
 *
 *   GET  /create-claims/{key}            the claim, or 404
 *   POST /create-claims/{key}            take it (granted, or who holds it); the same holder again = granted
 *   PUT  /create-claims/{key}            the holder says: pending (outcome unknown) or created (uuid)
 *   POST /create-claims/{key}/release    the holder gives it up (certain that nothing was created)
 *
 * A claim in state `created` is handed to any later caller as not granted, with the identity's uuid, so
 * the other workstation reconciles to it instead of paying again.
 */
export const ClaimKey = z.string().regex(/^[0-9a-f]{64}$/, 'Nøglen skal være 64 hex-tegn (SHA-256)');
export const ClaimHolder = z.string().trim().min(1).max(200).describe('The console installation that holds the claim (random id per data folder).');
export const ClaimState = z.enum(['claimed', 'pending', 'created']);
export type ClaimState = z.infer<typeof ClaimState>;

export const CreateClaim = z
  .object({
    key: ClaimKey,
    holder: ClaimHolder,
    workstation: z.string().max(200).nullable(),
    /** A label for people reading a conflict (the account name), never a CPR number. */
    label: z.string().max(300).nullable(),
    state: ClaimState,
    uuid: z.string().max(64).nullable(),
    claimedAt: Timestamp,
    updatedAt: Timestamp,
  })
  .strict();
export type CreateClaim = z.infer<typeof CreateClaim>;

export const AcquireClaimBody = z
  .object({ holder: ClaimHolder, workstation: z.string().trim().max(200).nullable().default(null), label: z.string().trim().max(300).nullable().default(null) })
  .strict();
export type AcquireClaimBody = z.input<typeof AcquireClaimBody>;

export const AcquireClaimResult = z.object({ granted: z.boolean(), claim: CreateClaim }).strict();
export type AcquireClaimResult = z.infer<typeof AcquireClaimResult>;

export const UpdateClaimBody = z
  .object({ holder: ClaimHolder, state: z.enum(['pending', 'created']), uuid: z.string().trim().min(1).max(64).nullable().default(null) })
  .strict()
  .refine((b) => b.state !== 'created' || b.uuid !== null, { message: 'uuid kræves, når state er created', path: ['uuid'] });
export type UpdateClaimBody = z.input<typeof UpdateClaimBody>;

export const ReleaseClaimBody = z.object({ holder: ClaimHolder }).strict();

/** For shared/idp/openapi.ts: the components and operations of the claims endpoints. */
export const claimComponents: [string, z.ZodType, string][] = [
  ['CreateClaim', CreateClaim, 'A create claim: who holds the key for a person and how far their create got.'],
  ['AcquireClaimBody', AcquireClaimBody, 'Take the claim for a person before a paid MitID Erhverv create.'],
  ['AcquireClaimResult', AcquireClaimResult, 'granted = the caller holds the claim now (also when it already did); otherwise the claim shows who holds it, and its uuid once created.'],
  ['UpdateClaimBody', UpdateClaimBody, 'The holder reports the outcome: pending (unknown, being confirmed) or created (with the identity uuid).'],
  ['ReleaseClaimBody', ReleaseClaimBody, 'The holder gives the claim up: it is certain that nothing was created.'],
];

const C = '/create-claims/{key}';
export const claimOps = [
  { method: 'get', path: C, id: 'getCreateClaim', tag: 'Create claims', summary: 'The claim for a person', ok: { status: 200, schema: 'CreateClaim', description: 'The claim' }, errors: [404] },
  {
    method: 'post', path: C, id: 'acquireCreateClaim', tag: 'Create claims', summary: 'Take the claim before a paid create (idempotent for the same holder)',
    description: 'Atomic: of two callers at once, exactly one is granted. A created claim is never granted again; its uuid tells the caller which identity to reconcile to.',
    body: 'AcquireClaimBody', ok: { status: 200, schema: 'AcquireClaimResult', description: 'Granted, or held by someone (see claim)' }, errors: [],
  },
  { method: 'put', path: C, id: 'updateCreateClaim', tag: 'Create claims', summary: 'The holder reports pending or created', body: 'UpdateClaimBody', ok: { status: 200, schema: 'CreateClaim', description: 'Updated' }, errors: [404, 409] },
  { method: 'post', path: `${C}/release`, id: 'releaseCreateClaim', tag: 'Create claims', summary: 'The holder gives the claim up', body: 'ReleaseClaimBody', ok: { status: 204, description: 'Released (also when there was none)' }, errors: [409] },
] as const;

export const claimKeyParam = { name: 'key', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' }, description: "SHA-256 (hex) of the person's subjectNameId, lower-cased" } as const;
