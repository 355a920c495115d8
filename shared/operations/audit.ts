import { z } from 'zod';
import { op } from '../operation.ts';
import { AttestationCertificateView, AuditFilter, AuditRow, JournalCheck, PackageCheck, RetentionSettings } from '../domain/audit.ts';
import { isSafeReasonText, Reason } from '../domain/person.ts';
import { DomainId } from '../domain/settings.ts';

const auditors = ['administrator', 'auditor'] as const;

/** The raw bytes of one upload chunk, and their base64 length. */
export const PACKAGE_CHUNK_BYTES = 512 * 1024;
export const PACKAGE_CHUNK_BASE64 = Math.ceil(PACKAGE_CHUNK_BYTES / 3) * 4;

/** What a long job is doing, by code (the renderer words it in the operator's language). */
export const jobPhases = ['start', 'events', 'chain', 'report', 'signature', 'done'] as const;
export const JobPhase = z.enum(jobPhases);
export type JobPhase = z.infer<typeof JobPhase>;

export const JobView = z.object({
  id: z.string(),
  kind: z.string(),
  owner: z.string(),
  state: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  progress: z.object({ phase: JobPhase, done: z.number(), total: z.number().nullable() }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: z.unknown(),
  error: z.object({ code: z.string(), message: z.string() }).passthrough().nullable(),
});

export const EvidenceScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('admin') }),
  z.object({ kind: z.literal('person'), person: z.string().trim().min(1, 'Angiv en person').max(200) }),
  z.object({ kind: z.literal('ou'), ou: z.string().trim().min(1, 'Angiv en enhed (OU)').max(1000) }),
  z.object({ kind: z.literal('policy') }),
]);
export type EvidenceScope = z.infer<typeof EvidenceScope>;

export const auditOps = {
  'audit.search': op({
    summary: 'Søg i revisionssporet',
    access: auditors,
    scope: 'none',
    writes: false,
    input: z.object({ filter: AuditFilter, cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(500).default(200) }).strict(),
    output: z.object({ rows: z.array(AuditRow), nextCursor: z.string().nullable() }),
  }),
  'audit.stats': op({
    summary: 'Overblik over revisionssporet',
    access: auditors,
    scope: 'none',
    writes: false,
    input: z.object({ filter: AuditFilter }).strict(),
    output: z.object({
      total: z.number().int(),
      perDay: z.array(z.object({ day: z.string(), action: z.string(), count: z.number() })),
      perOperator: z.array(z.object({ operator: z.string(), count: z.number() })),
      failedLoginsPerDay: z.array(z.object({ day: z.string(), count: z.number() })),
      /** The domains the operator may pick in the filter (none with one domain, or for an operator confined to theirs). */
      domains: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  }),
  'audit.refresh': op({
    summary: 'Hent nye hændelser fra den lokale IdP',
    access: auditors,
    scope: 'none',
    writes: false,
    invalidates: ['audit.search', 'audit.stats', 'system.status'],
    input: z.object({}).strict(),
    output: z.object({ pending: z.number().int(), lastError: z.string().nullable(), lastPulledAt: z.string().nullable() }),
  }),
  'audit.verifyJournal': op({
    summary: 'Kontrollér journalens hash-kæde',
    access: auditors,
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: JournalCheck,
  }),
  'audit.exportEvidence': op({
    summary: 'Eksportér revisionspakke',
    access: auditors,
    scope: 'none',
    writes: false,
    sensitive: true,
    input: z
      .object({
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Angiv startdato'),
        to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Angiv slutdato'),
        scope: EvidenceScope,
        fullCpr: z.boolean().default(false),
        reason: z.string().trim().max(500).refine(isSafeReasonText, 'Begrundelsen indeholder usynlige styretegn eller ufuldstændige tegn.').optional(),
        /** The operator's console language: the report and the events files' headers follow it. */
        language: z.enum(['da', 'en']).default('da'),
        /** One AD domain's events (#19); an operator of another domain than the municipality's gets theirs only, always. */
        domain: DomainId.optional(),
      })
      .strict()
      .refine((i) => i.from <= i.to, { message: 'Slutdatoen ligger før startdatoen', path: ['to'] })
      .refine((i) => !i.fullCpr || (i.reason?.length ?? 0) >= 5, { message: 'Fulde CPR-numre kræver en begrundelse', path: ['reason'] }),
    output: z.object({ job: JobView }),
  }),
  'audit.downloadEvidence': op({
    summary: 'Hent en revisionspakke som zip-fil',
    access: auditors,
    scope: 'none',
    writes: false,
    sensitive: true,
    /** The export job that wrote the package (only its owner may fetch it); main finds the folder. */
    input: z.object({ job: z.string().uuid() }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),
  'audit.uploadPackageFile': op({
    summary: 'Send en del af en pakke til kontrol',
    access: auditors,
    scope: 'none',
    writes: false,
    /** One chunk of one picked file (≤ 512 KiB before base64, under the web host's body limit). */
    input: z
      .object({
        upload: z.string().uuid().optional(),
        name: z.string().min(1).max(200),
        offset: z.number().int().min(0),
        data: z.string().max(PACKAGE_CHUNK_BASE64).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Ugyldige data'),
      })
      .strict(),
    output: z.object({ upload: z.string().uuid(), bytes: z.number().int() }),
  }),
  'audit.verifyPackage': op({
    summary: 'Kontrollér en revisionspakke',
    access: auditors,
    scope: 'none',
    writes: false,
    /** A folder on this machine, or the files the auditor picked and sent (audit.uploadPackageFile). */
    input: z.union([
      z.object({ folder: z.string().trim().min(1, 'Angiv mappen').max(4096) }).strict(),
      z.object({ upload: z.string().uuid() }).strict(),
    ]),
    output: PackageCheck,
  }),
  'audit.attestationCertificate': op({
    summary: 'Vis IdP\'ens attesteringscertifikat',
    access: auditors,
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({ certificate: AttestationCertificateView.nullable(), message: z.string().nullable() }),
  }),
  'audit.getRetention': op({
    summary: 'Vis opbevaringsperioder',
    access: auditors,
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({ settings: RetentionSettings, pendingShipment: z.number().int() }),
  }),
  'audit.setRetention': op({
    summary: 'Ret opbevaringsperioder',
    access: ['administrator'],
    municipalityOnly: true,
    scope: 'none',
    writes: true,
    invalidates: ['audit.getRetention'],
    input: z.object({ settings: RetentionSettings, reason: Reason }).strict(),
    output: z.object({ settings: RetentionSettings }),
  }),
  'audit.purgeNow': op({
    summary: 'Slet hændelser ældre end opbevaringsperioden',
    access: ['administrator'],
    municipalityOnly: true,
    scope: 'none',
    writes: true,
    invalidates: ['audit.search', 'audit.stats'],
    input: z.object({ reason: Reason }).strict(),
    output: z.object({ journalRemoved: z.number().int(), idpRemoved: z.number().int(), anchorSeq: z.number().int().nullable() }),
  }),
  'jobs.get': op({
    summary: 'Status for en opgave',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    input: z.object({ id: z.string().uuid() }).strict(),
    output: z.object({ job: JobView }),
  }),
  'jobs.cancel': op({
    summary: 'Annullér en opgave',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    input: z.object({ id: z.string().uuid() }).strict(),
    output: z.object({ job: JobView }),
  }),
};
