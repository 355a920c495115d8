import { z } from 'zod';
import { op } from '../operation.ts';
import { Reason } from '../domain/person.ts';
import { MailBody, MailSubject, MailTemplate, MailTemplateType } from '../idp/mail-templates.ts';

// The switch to Full Service IdP: the readiness check (with its PDF for the audit file and the list of people
// who must change their password) and the IdP's mail templates.

/** The readiness screen is the administrators'; auditors read it and export it. */
const readinessRoles = ['administrator', 'auditor'] as const;
const templateReaders = ['administrator', 'useradmin', 'auditor'] as const;
const templateEditors = ['administrator', 'useradmin'] as const;
/** The operator's console language: every sentence of the check, its PDF and its CSV follows it. */
const Language = z.enum(['da', 'en']).default('da');

export const readinessItemKinds = [
  /** The IdP policy's minimum length reaches 15 on an NSIS domain. */
  'policy-length',
  /** Lockout at most 5 attempts, at least 5 minutes (the NSIS floor). */
  'policy-lockout',
  /** AD (the domain's PSO, or the domain's default policy when no group is mapped) is not weaker than the IdP. */
  'ad-policy',
  /** People with an erhvervsidentitet whose password predates the 15-character rule: forced to change. */
  'forced-change',
  /** The municipal addendum reviewed since the switch (a version published after the fixed NSIS text). */
  'terms-addendum',
  /** The fixed NSIS terms are in force. */
  'terms-nsis',
  /** No enabled municipal template duplicates a fixed Full Service one. */
  'mail-duplicates',
  /** A domain outside the NSIS rule (not NSIS, or below the floor) whose people hold identities (#19). */
  'policy-identities',
] as const;
export const ReadinessItemKind = z.enum(readinessItemKinds);
export type ReadinessItemKind = z.infer<typeof ReadinessItemKind>;

export const ReadinessStatus = z.enum(['ok', 'fail', 'unknown']);
export type ReadinessStatus = z.infer<typeof ReadinessStatus>;

/** The button beside an item: what it fixes, and on what. */
export const ReadinessFix = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('raise-policy'), domain: z.string() }),
  z.object({ kind: z.literal('mirror-ad'), domain: z.string() }),
  z.object({ kind: z.literal('export-forced'), domain: z.string() }),
  z.object({ kind: z.literal('review-addendum'), version: z.number().int().nullable() }),
  z.object({ kind: z.literal('disable-template'), type: MailTemplateType, version: z.number().int() }),
  z.object({ kind: z.literal('open-policies') }),
]);
export type ReadinessFix = z.infer<typeof ReadinessFix>;

export const ReadinessItem = z.object({
  kind: ReadinessItemKind,
  /** The policy domain the item is about; null for items of the whole IdP (terms, mail). */
  domain: z.string().nullable(),
  status: ReadinessStatus,
  /** Numbers and names the screen puts into its (translated) sentence. */
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  /** Facts behind the status, in the language the check was asked in (shared/domain/readiness-text.ts). */
  details: z.array(z.string()),
  /** Null when there is nothing to fix, or the fix is outside the console. */
  fix: ReadinessFix.nullable(),
});
export type ReadinessItem = z.infer<typeof ReadinessItem>;

export const ReadinessDomain = z.object({
  domain: z.string(),
  displayName: z.string(),
  kind: z.string(),
  nsis: z.boolean(),
});

export const ReadinessReport = z.object({
  checkedAt: z.string(),
  /** The NSIS domains checked, in the IdP's order; non-NSIS domains (pupils) are listed as exempt. */
  domains: z.array(ReadinessDomain),
  items: z.array(ReadinessItem),
  ready: z.boolean(),
});
export type ReadinessReport = z.infer<typeof ReadinessReport>;

const TemplateChange = z
  .object({
    type: MailTemplateType,
    basedOnVersion: z.number().int().min(1),
    enabled: z.boolean().optional(),
    subject: MailSubject.optional(),
    body: MailBody.optional(),
    reason: Reason,
  })
  .strict()
  .refine((u) => u.enabled !== undefined || u.subject !== undefined || u.body !== undefined, { message: 'Intet at ændre' });

export const fullServiceOps = {
  'readiness.check': op({
    summary: 'Kontrollér om kommunen er klar til Full Service IdP',
    access: readinessRoles,
    scope: 'none',
    writes: false,
    input: z.object({ language: Language }).strict(),
    output: ReadinessReport,
  }),
  'readiness.exportPdf': op({
    summary: 'Eksportér klar-til-Full-Service-rapporten som PDF',
    access: readinessRoles,
    scope: 'none',
    writes: false,
    sensitive: true,
    input: z.object({ language: Language }).strict(),
    output: z.object({ filename: z.string(), pdfBase64: z.string(), ready: z.boolean() }),
  }),
  'readiness.exportForced': op({
    summary: 'Eksportér personer, der skal skifte adgangskode ved Full Service',
    access: readinessRoles,
    scope: 'filtered',
    writes: false,
    sensitive: true,
    input: z.object({ domain: z.string().trim().min(1).max(253), language: Language }).strict(),
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
  'mail.list': op({
    summary: 'Vis mailskabeloner',
    access: templateReaders,
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({ templates: z.array(MailTemplate) }),
  }),
  'mail.update': op({
    summary: 'Ret mailskabelon',
    access: templateEditors,
    municipalityOnly: true,
    scope: 'none',
    writes: true,
    invalidates: ['mail.list', 'readiness.check'],
    input: TemplateChange,
    output: z.object({ template: MailTemplate }),
  }),
};
