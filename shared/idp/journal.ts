import { z } from 'zod';
import { Actor, Timestamp } from './common.ts';
import { AuditEventWrite, AuditWriteResult } from './audit.ts';

/**
 * The console's journal anchored at the IdP. Every outbox batch carries the journal's identity (a random
 * id made with the journal, and the workstation) and its chain head; the IdP checks that the batch
 * continues the chain it has acknowledged and keeps every acknowledged head, so a console can later be
 * asked "what was the hash at seq N" by someone who does not trust the console's own files.
 */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'En SHA-256 skrives som 64 hex-tegn');
export const JournalId = z.uuid();
export const Workstation = z.string().trim().min(1).max(255);

export const ChainHead = z.object({
  seq: z.number().int().min(1),
  hash: Sha256Hex,
});
export type ChainHead = z.infer<typeof ChainHead>;

export const JournalRef = z
  .object({
    journalId: JournalId,
    workstation: Workstation,
    createdAt: Timestamp.describe('When the console created the journal.'),
  })
  .strict();
export type JournalRef = z.infer<typeof JournalRef>;

/** One journal record as shipped: the event for the central log, with its place in the chain. */
export const ChainedEvent = z
  .object({
    seq: z.number().int().min(1),
    hash: Sha256Hex,
    prevHash: Sha256Hex.describe('The hash of the record before (all zeros for the first record).'),
    event: AuditEventWrite,
  })
  .strict();
export type ChainedEvent = z.infer<typeof ChainedEvent>;

export const JOURNAL_BATCH_MAX = 500;

export const JournalBatch = z
  .object({
    journal: JournalRef,
    events: z.array(ChainedEvent).min(1).max(JOURNAL_BATCH_MAX).describe('Consecutive records: seq +1 each, prevHash = the previous hash.'),
    head: ChainHead.describe('The last event\'s seq and hash: what the IdP acknowledges.'),
  })
  .strict()
  .superRefine((b, ctx) => {
    for (let i = 1; i < b.events.length; i++) {
      const [p, e] = [b.events[i - 1]!, b.events[i]!];
      if (e.seq !== p.seq + 1 || e.prevHash !== p.hash) {
        ctx.addIssue({ code: 'custom', path: ['events', i], message: `Partiet er ikke en sammenhængende kæde ved post ${e.seq}` });
        return;
      }
    }
    const lastEvent = b.events.at(-1)!;
    if (b.head.seq !== lastEvent.seq || b.head.hash !== lastEvent.hash) {
      ctx.addIssue({ code: 'custom', path: ['head'], message: 'Hovedet skal være partiets sidste post' });
    }
  });
export type JournalBatch = z.infer<typeof JournalBatch>;

export const AcknowledgedHead = ChainHead.extend({ acknowledgedAt: Timestamp });
export type AcknowledgedHead = z.infer<typeof AcknowledgedHead>;

export const JournalBatchResult = z.object({
  journalId: JournalId,
  head: AcknowledgedHead.describe('The head now acknowledged (the same one again for a repeated batch).'),
  events: z.array(AuditWriteResult),
});
export type JournalBatchResult = z.infer<typeof JournalBatchResult>;

/** What the IdP knows about one journal. */
export const JournalView = z.object({
  journalId: JournalId,
  workstation: Workstation,
  createdAt: Timestamp,
  firstSeenAt: Timestamp.describe('When the IdP acknowledged the journal\'s first batch.'),
  head: AcknowledgedHead.nullable().describe('The newest acknowledged head.'),
  heads: z.number().int().min(0).describe('How many heads the IdP keeps for it (one per acknowledged batch).'),
});
export type JournalView = z.infer<typeof JournalView>;

export const JournalList = z.object({ items: z.array(JournalView) });
export const JournalListQuery = z.object({ workstation: Workstation });

export const HeadReadQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});

export const HeadPage = z.object({
  items: z.array(AcknowledgedHead).describe('Heads with seq > after, ascending.'),
  next: z.number().int().min(0),
  hasMore: z.boolean(),
});
export type HeadPage = z.infer<typeof HeadPage>;

/** The key the IdP signs evidence with, and its certificate (self-signed or CA-issued). */
export const AttestationCertificate = z.object({
  certificatePem: z.string().min(1).max(20_000),
  publicKeyPem: z.string().min(1).max(20_000),
  fingerprintSha256: z
    .string()
    .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    .describe('SHA-256 of the DER certificate as `openssl x509 -noout -fingerprint -sha256` prints it.'),
  subject: z.string(),
  notAfter: Timestamp,
});
export type AttestationCertificate = z.infer<typeof AttestationCertificate>;

export const ATTESTATION_MANIFEST_MAX = 256 * 1024;

/**
 * A request to sign an evidence manifest. The manifest itself is sent (base64), not only its hash: the
 * IdP then signs exactly the bytes `openssl dgst -sha256 -verify` checks with an ordinary SHA256withRSA
 * signature (no pre-hashed signing, which many signing services and HSM policies do not offer), and it
 * can keep the manifest's digest in its own log. A manifest holds counts, period, scope and producer —
 * nothing the IdP does not already hold — and is a few kilobytes.
 */
export const AttestationRequest = z
  .object({
    purpose: z.literal('evidence-manifest'),
    manifestBase64: z.base64().max(Math.ceil(ATTESTATION_MANIFEST_MAX / 3) * 4),
    journalId: JournalId.nullable(),
    actor: Actor,
  })
  .strict();
export type AttestationRequest = z.infer<typeof AttestationRequest>;

export const Attestation = z.object({
  algorithm: z.literal('RSA-SHA256').describe('RSASSA-PKCS1-v1_5 with SHA-256 over the manifest bytes (openssl dgst -sha256 default).'),
  signatureBase64: z.base64(),
  manifestSha256: Sha256Hex,
  signedAt: Timestamp,
  certificate: AttestationCertificate,
});
export type Attestation = z.infer<typeof Attestation>;
