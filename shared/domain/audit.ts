import { z } from 'zod';
import { ErrorRef, MessageParams } from '../errors.ts';
import { DomainId } from './settings.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datoen skal skrives som ÅÅÅÅ-MM-DD');

export const auditOutcomes = ['success', 'refused', 'failed', 'unknown'] as const;

/** Filters of the merged timeline. Dates are whole days in the console's local time; `to` is inclusive. */
export const AuditFilter = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    actions: z.array(z.string().max(100)).max(50).default([]),
    operator: z.string().max(200).optional(),
    /** A personId, or part of a name/username. */
    person: z.string().max(200).optional(),
    /** DN of an OU: events about people in it or below. */
    ou: z.string().max(1000).optional(),
    outcome: z.enum(auditOutcomes).optional(),
    text: z.string().max(200).optional(),
    correlationId: z.string().max(100).optional(),
    source: z.enum(['all', 'console', 'idp']).default('all'),
    /** One AD domain's events (#19): about its people, or done by its operators. */
    domain: DomainId.optional(),
    /**
     * One row per action: a console action's intent is folded into its outcome, and the IdP's events that
     * carry the action's correlation id into the same row (as `echoes`). Off for exports and evidence,
     * which keep every record.
     */
    fold: z.boolean().optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'Slutdatoen ligger før startdatoen', path: ['to'] });
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditRow = z.object({
  /** "c:<seq>" for the console journal, "i:<id>" for the IdP's log. */
  key: z.string(),
  source: z.enum(['console', 'idp']),
  at: z.string(),
  action: z.string(),
  kind: z.string(),
  operator: z.string().nullable(),
  person: z.string().nullable(),
  personId: z.string().nullable(),
  ou: z.string().nullable(),
  outcome: z.string().nullable(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  correlationId: z.string().nullable(),
  workstation: z.string().nullable(),
  /** Which kind of the action it was (a device action's `test-push`, a drift fix's category), for a specific label. */
  variant: z.string().nullable().optional(),
  /** In a folded timeline: the IdP's own events caused by this console action (its actions, oldest first). */
  echoes: z.array(z.string()).optional(),
  /** With several AD domains: the id of the domain the event belongs to (its person's, else its operator's). */
  domain: z.string().nullable().optional(),
});
export type AuditRow = z.infer<typeof AuditRow>;

/** Which kind of an operation a journal record is, from the operation's input (null: the operation has one kind). */
export function auditVariant(operation: string, input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const i = input as Record<string, unknown>;
  switch (operation) {
    case 'people.deviceAction':
      return typeof i['action'] === 'string' ? i['action'] : null;
    case 'people.setIdentityLock':
      return typeof i['locked'] === 'boolean' ? (i['locked'] ? 'lock' : 'unlock') : null;
    case 'people.setSigning':
      return typeof i['allow'] === 'boolean' ? (i['allow'] ? 'allow' : 'revoke') : null;
    case 'people.fixDrift':
      return typeof i['kind'] === 'string' ? i['kind'] : null;
    default:
      return null;
  }
}

/** Danish labels for the console's own operations and the IdP's action taxonomy (OS2faktor's names). */
export const auditActionLabels: Record<string, string> = {
  'session.login': 'Operatør loggede ind',
  'session.addDomain': 'Operatør loggede også ind i et andet domæne',
  'people.unlockAccount': 'AD-konto låst op',
  'settings.update': 'Indstillinger ændret',
  'settings.setSecret': 'Hemmelighed gemt',
  'audit.exportEvidence': 'Revisionspakke eksporteret',
  'people.revealCpr': 'Fuldt CPR-nummer vist',
  'people.export': 'Personliste eksporteret',
  'people.resetPassword': 'Adgangskode nulstillet',
  'people.deviceAction': 'MFA-enhed ændret',
  'people.deviceAction:lock': 'MFA-enhed spærret',
  'people.deviceAction:unlock': 'MFA-enhed låst op',
  'people.deviceAction:remove': 'MFA-enhed fjernet',
  'people.deviceAction:test-push': 'Test-push sendt til MFA-enhed',
  'people.deviceAction:release-token': 'Kodeviser frigivet',
  'people.assignHardwareToken': 'Kodeviser tildelt',
  'people.setIdentityLock': 'Identitet spærret/genåbnet i IdP',
  'people.setIdentityLock:lock': 'Identitet spærret i IdP',
  'people.setIdentityLock:unlock': 'Identitet genåbnet i IdP',
  'people.assignLocalAuthenticator': 'Lokalt loginmiddel tildelt',
  'people.revokeLocalAuthenticator': 'Lokalt loginmiddel fjernet',
  'people.setSigning': 'Kvalificeret signatur ændret',
  'people.setSigning:allow': 'Kvalificeret signatur tildelt',
  'people.setSigning:revoke': 'Kvalificeret signatur fjernet',
  'people.suspendIdentity': 'Erhvervsidentitet spærret',
  'people.reactivateIdentity': 'Erhvervsidentitet genåbnet',
  'people.fixDrift': 'Uoverensstemmelse rettet',
  'people.fixDrift:identity-missing': 'Afvigelse rettet: erhvervsidentitet oprettet',
  'people.fixDrift:credential-missing': 'Afvigelse rettet: lokalt loginmiddel tildelt',
  'people.fixDrift:suspended-active-ad': 'Afvigelse rettet: identitet genåbnet',
  'people.fixDrift:active-disabled-ad': 'Afvigelse rettet: identitet spærret',
  'people.fixDrift:subject-mismatch': 'Afvigelse rettet: kobling til AD rettet',
  'people.fixDrift:only-in-mitid': 'Afvigelse rettet: identitet uden AD-konto spærret',
  'transfers.retry': 'Fejlet MitID Erhverv-overførsel genkørt',
  'mitid.createGuard': 'Oprettelse i MitID Erhverv fulgt op',
  'bulk.start': 'Masseopgave startet',
  'bulk.pause': 'Masseopgave sat på pause',
  'bulk.resume': 'Masseopgave genoptaget',
  'bulk.cancel': 'Masseopgave annulleret',
  'bulk.addNote': 'Note tilføjet til masseopgave',
  'bulk.retryFailed': 'Fejlede rækker forsøgt igen',
  'bulk.job': 'Masseopgave (forløb)',
  'bulk.row': 'Masseopgave: én person',
  'policy.update': 'Adgangskodepolitik gemt',
  'policy.mirrorToAd': 'Adgangskodepolitik skrevet til AD',
  'policy.updateConfig': 'Opsætning af politikker ændret',
  'mail.update': 'Mailskabelon ændret',
  'terms.publish': 'Vilkår offentliggjort',
  'terms.exportAcceptances': 'Accepter af vilkår eksporteret',
  'audit.setRetention': 'Opbevaringsperioder ændret',
  'audit.purgeNow': 'Gamle hændelser slettet',
  'audit.purge': 'Hændelser slettet efter opbevaringsperioden',
  'audit.journalTampered': 'Journalen er manipuleret (fundet ved start)',
  'audit.evidenceCleanup': 'Ufærdig revisionspakke slettet',
  LIA_EVIDENCE_ATTESTED: 'Revisionspakke underskrevet af IdP',
  LOGIN: 'Login',
  WRONG_PASSWORD: 'Forkert adgangskode',
  TOO_MANY_ATTEMPTS: 'For mange forsøg',
  ACCEPT_MFA: 'MFA godkendt',
  REJECT_MFA: 'MFA afvist',
  ACTIVATE: 'Erhvervsidentitet aktiveret',
  ACCEPTED_TERMS: 'Vilkår accepteret',
  DEACTIVATE_BY_ADMIN: 'Spærret af administrator',
  REACTIVATE_BY_ADMIN: 'Genåbnet af administrator',
  RANDOM_PASSWORD_SET_BY_ADMIN: 'Tilfældig adgangskode sat af administrator',
  CHANGED_TRANSFER_TO_NEMLOGIN: 'Overførsel til MitID Erhverv ændret',
  CHANGED_ALLOW_QUALIFIED_SIGNATURE: 'Kvalificeret signatur ændret',
  CHANGE_PASSWORD: 'Adgangskode skiftet',
  ASSOCIATE_MFA: 'MFA-enhed tilknyttet',
  DELETED_MFA_DEVICE: 'MFA-enhed slettet',
  ADDED_ROLE_BY_ADMIN: 'Rolle tildelt af administrator',
  CHANGE_PASSWORD_SETTINGS: 'Adgangskodepolitik ændret',
  CHANGE_TERMS_AND_CONDITIONS: 'Vilkår ændret',
  KODEVISER_RESET: 'Kodeviser frigivet (nulstillet)',
  LIA_KODEVISER_ASSIGNED: 'Kodeviser tildelt',
  MITID_ERVHERV_ACTION: 'Handling i MitID Erhverv',
  ADMIN_MFA_TEST: 'Test-besked sendt til MFA-enhed',
  UNLOCK_ACCOUNT: 'Konto låst op',
  LIA_LOCK_MFA_DEVICE: 'MFA-enhed spærret',
  LIA_UNLOCK_MFA_DEVICE: 'MFA-enhed genåbnet',
  LIA_MFA_DEVICE_LOCKED_WRONG_CODES: 'MFA-enhed spærret efter forkerte koder',
  LIA_CHANGE_EMAIL_TEMPLATE: 'Mailskabelon ændret',
  SENT_EBOKS: 'Sendt til Digital Post',
  SENT_MAIL: 'Mail sendt',
};

/** The same labels in English, for an operator working in English (the same keys: a unit test holds them equal). */
export const auditActionLabelsEn: Record<string, string> = {
  'session.login': 'Operator signed in',
  'session.addDomain': 'Operator also signed in to another domain',
  'people.unlockAccount': 'AD account unlocked',
  'settings.update': 'Settings changed',
  'settings.setSecret': 'Secret saved',
  'audit.exportEvidence': 'Evidence package exported',
  'people.revealCpr': 'Full CPR number shown',
  'people.export': 'People list exported',
  'people.resetPassword': 'Password reset',
  'people.deviceAction': 'MFA device changed',
  'people.deviceAction:lock': 'MFA device blocked',
  'people.deviceAction:unlock': 'MFA device unlocked',
  'people.deviceAction:remove': 'MFA device removed',
  'people.deviceAction:test-push': 'Test push sent to MFA device',
  'people.deviceAction:release-token': 'Code display released',
  'people.assignHardwareToken': 'Code display assigned',
  'people.setIdentityLock': 'Identity blocked/reopened in the IdP',
  'people.setIdentityLock:lock': 'Identity blocked in the IdP',
  'people.setIdentityLock:unlock': 'Identity reopened in the IdP',
  'people.assignLocalAuthenticator': 'Local credential assigned',
  'people.revokeLocalAuthenticator': 'Local credential removed',
  'people.setSigning': 'Qualified signature changed',
  'people.setSigning:allow': 'Qualified signature granted',
  'people.setSigning:revoke': 'Qualified signature removed',
  'people.suspendIdentity': 'Business identity suspended',
  'people.reactivateIdentity': 'Business identity reactivated',
  'people.fixDrift': 'Drift fixed',
  'people.fixDrift:identity-missing': 'Drift fixed: business identity created',
  'people.fixDrift:credential-missing': 'Drift fixed: local credential assigned',
  'people.fixDrift:suspended-active-ad': 'Drift fixed: identity reactivated',
  'people.fixDrift:active-disabled-ad': 'Drift fixed: identity suspended',
  'people.fixDrift:subject-mismatch': 'Drift fixed: link to AD corrected',
  'people.fixDrift:only-in-mitid': 'Drift fixed: identity without AD account suspended',
  'transfers.retry': 'Failed MitID Erhverv transfer retried',
  'mitid.createGuard': 'MitID Erhverv create followed up',
  'bulk.start': 'Bulk job started',
  'bulk.pause': 'Bulk job paused',
  'bulk.resume': 'Bulk job resumed',
  'bulk.cancel': 'Bulk job cancelled',
  'bulk.addNote': 'Note added to bulk job',
  'bulk.retryFailed': 'Failed rows retried',
  'bulk.job': 'Bulk job (run)',
  'bulk.row': 'Bulk job: one person',
  'policy.update': 'Password policy saved',
  'policy.mirrorToAd': 'Password policy written to AD',
  'policy.updateConfig': 'Policy setup changed',
  'mail.update': 'Mail template changed',
  'terms.publish': 'Terms published',
  'terms.exportAcceptances': 'Terms acceptances exported',
  'audit.setRetention': 'Retention periods changed',
  'audit.purgeNow': 'Old events deleted',
  'audit.purge': 'Events deleted after the retention period',
  'audit.journalTampered': 'The journal has been tampered with (found at start)',
  'audit.evidenceCleanup': 'Unfinished evidence package deleted',
  LIA_EVIDENCE_ATTESTED: 'Evidence package signed by the IdP',
  LOGIN: 'Sign-in',
  WRONG_PASSWORD: 'Wrong password',
  TOO_MANY_ATTEMPTS: 'Too many attempts',
  ACCEPT_MFA: 'MFA approved',
  REJECT_MFA: 'MFA rejected',
  ACTIVATE: 'Business identity activated',
  ACCEPTED_TERMS: 'Terms accepted',
  DEACTIVATE_BY_ADMIN: 'Blocked by an administrator',
  REACTIVATE_BY_ADMIN: 'Reopened by an administrator',
  RANDOM_PASSWORD_SET_BY_ADMIN: 'Random password set by an administrator',
  CHANGED_TRANSFER_TO_NEMLOGIN: 'Transfer to MitID Erhverv changed',
  CHANGED_ALLOW_QUALIFIED_SIGNATURE: 'Qualified signature changed',
  CHANGE_PASSWORD: 'Password changed',
  ASSOCIATE_MFA: 'MFA device associated',
  DELETED_MFA_DEVICE: 'MFA device deleted',
  ADDED_ROLE_BY_ADMIN: 'Role assigned by an administrator',
  CHANGE_PASSWORD_SETTINGS: 'Password policy changed',
  CHANGE_TERMS_AND_CONDITIONS: 'Terms changed',
  KODEVISER_RESET: 'Code display reset',
  LIA_KODEVISER_ASSIGNED: 'Code display assigned',
  MITID_ERVHERV_ACTION: 'Action in MitID Erhverv',
  ADMIN_MFA_TEST: 'Test message sent to MFA device',
  UNLOCK_ACCOUNT: 'Account unlocked',
  LIA_LOCK_MFA_DEVICE: 'MFA device blocked',
  LIA_UNLOCK_MFA_DEVICE: 'MFA device reopened',
  LIA_MFA_DEVICE_LOCKED_WRONG_CODES: 'MFA device blocked after wrong codes',
  LIA_CHANGE_EMAIL_TEMPLATE: 'Mail template changed',
  SENT_EBOKS: 'Sent to Digital Post',
  SENT_MAIL: 'Mail sent',
};

/**
 * An audit action as the operator reads it, in Danish (the default, as evidence packages use) or English;
 * with its variant (`auditVariant`) the specific label when there is one ("Test-push sendt", not "MFA-enhed ændret").
 */
export function auditActionLabel(action: string, language: string = 'da', variant?: string | null): string {
  const labels = language.startsWith('en') ? auditActionLabelsEn : auditActionLabels;
  if (variant && Object.hasOwn(labels, `${action}:${variant}`)) return labels[`${action}:${variant}`]!;
  return Object.hasOwn(labels, action) ? labels[action]! : action;
}

/** Whether the shared labels know the action (else a caller may fall back to the operation's own summary). */
export function hasAuditActionLabel(action: string): boolean {
  return Object.hasOwn(auditActionLabels, action);
}

/** Failed-login actions, for the auditors' chart. */
export const failedLoginActions = ['WRONG_PASSWORD', 'TOO_MANY_ATTEMPTS', 'REJECT_MFA'];

/** How long events are kept, per category; defaults mirror the peer (13 months; login events 3 months). */
export const RetentionSettings = z
  .object({
    /** The console's own journal (admin actions with reasons). */
    consoleMonths: z.number().int().min(6, 'Mindst 6 måneder').max(120).default(13),
    /** Logins, wrong passwords and MFA answers from the IdP's log. */
    idpLoginMonths: z.number().int().min(1, 'Mindst 1 måned').max(120).default(3),
    /** Every other IdP event. */
    idpOtherMonths: z.number().int().min(6, 'Mindst 6 måneder').max(120).default(13),
  })
  .strict();
export type RetentionSettings = z.infer<typeof RetentionSettings>;

/**
 * One break found when the journal is checked. Local kinds come from walking the chain; `idp-*` kinds from
 * comparing it with the heads the IdP has acknowledged (the anchor outside the console).
 */
export const journalFindingKinds = [
  /** A record whose content no longer fits its hash, or whose readable columns differ from the chained record. */
  'changed',
  /** A record whose previous-hash does not match the record before it. */
  'broken-link',
  /** Records missing between two that are here. */
  'missing',
  /** The newest records are gone: the journal once reached further (its high-water mark). */
  'missing-tail',
  /** The IdP acknowledged a record with another hash (or one that is not here): re-hashed or changed. */
  'idp-changed',
  /** The journal ends before what the IdP acknowledged: the newest records were removed. */
  'idp-truncated',
  /** The journal is an older copy: it ends before, and knows fewer acknowledgements than, the IdP has. */
  'idp-rolled-back',
  /** The journal claims acknowledged records, but the IdP does not know the journal. */
  'idp-unknown-journal',
  /** A fresh journal, while the IdP knows an earlier journal of this workstation that stopped before it. */
  'idp-replaced',
] as const;

export const JournalFinding = z.object({
  kind: z.enum(journalFindingKinds),
  fromSeq: z.number().int(),
  toSeq: z.number().int().nullable(),
  /** Danish, names the range. */
  message: z.string(),
});
export type JournalFinding = z.infer<typeof JournalFinding>;

/**
 * A finding's message by code and values, for the screen in the operator's language (`audit.journalFinding.*`).
 * Kept beside the findings, not in them: the findings are written into evidence packages and the journal as they are.
 * Values named `…At` are ISO times; `why` (for `changed`) is one of `journalChangeWhys`, `fields` the journal's column names.
 */
export const journalFindingCodes = [
  'changed',
  'changedRange',
  'brokenLink',
  'missingLinked',
  'missingBroken',
  'missingTail',
  'idpReplaced',
  'idpUnknownJournal',
  'idpTruncatedGap',
  'idpChanged',
  'idpRolledBack',
  'idpTruncated',
] as const;
export const journalChangeWhys = ['hash', 'columns', 'unreadable', 'seq'] as const;
/** The journal's readable columns, as a `changed` finding names them. */
export const journalColumns = ['seq', 'id', 'at', 'kind', 'operation', 'operator_username', 'operator_name', 'operator_roles', 'workstation',
  'correlation_id', 'target', 'target_label', 'target_ou', 'reason', 'outcome', 'summary', 'prev_hash'] as const;
export const JournalFindingDetail = z.object({ code: z.enum(journalFindingCodes), params: MessageParams });
export type JournalFindingDetail = z.infer<typeof JournalFindingDetail>;

/** What the IdP said, by code and values (`audit.idpCheck.*`); an IdP that could not be asked carries its error. */
export const journalIdpCodes = ['notConfigured', 'unavailable', 'tampered', 'noneYet', 'knownNoneYet', 'confirmed'] as const;
export const JournalIdpDetail = z.object({ code: z.enum(journalIdpCodes), params: MessageParams, error: ErrorRef.optional() });
export type JournalIdpDetail = z.infer<typeof JournalIdpDetail>;

const Head = z.object({ seq: z.number().int(), hash: z.string() });

/** What the IdP said about this journal; never 'confirmed' unless it was actually asked and agreed. */
export const IdpJournalComparison = z.object({
  state: z.enum(['confirmed', 'tampered', 'unavailable', 'not-configured']),
  /** Danish, one or two sentences for the report and the screen. */
  message: z.string(),
  /** The newest head the IdP acknowledged for this journal. */
  acknowledged: Head.extend({ acknowledgedAt: z.string() }).nullable(),
});
export type IdpJournalComparison = z.infer<typeof IdpJournalComparison>;

/** The full check of the console's journal: the local chain and the comparison with the IdP. */
export const JournalCheck = z.object({
  /** True only when the chain is intact AND the IdP confirmed it. */
  ok: z.boolean(),
  chainIntact: z.boolean(),
  count: z.number().int(),
  journalId: z.string(),
  workstation: z.string(),
  head: Head.nullable(),
  findings: z.array(JournalFinding),
  /** Each finding by code and values, in the same order (the screen words them; `findings` stay as evidence records them). */
  findingDetails: z.array(JournalFindingDetail),
  findingsOmitted: z.number().int(),
  idp: IdpJournalComparison,
  /** `idp.message` by code and values. */
  idpDetail: JournalIdpDetail,
  checkedAt: z.string(),
});
export type JournalCheck = z.infer<typeof JournalCheck>;

/** The IdP's attestation certificate as the console shows it. */
export const AttestationCertificateView = z.object({
  /** As `openssl x509 -noout -fingerprint -sha256` prints it: AB:CD:… */
  fingerprintSha256: z.string(),
  subject: z.string(),
  notAfter: z.string(),
});
export type AttestationCertificateView = z.infer<typeof AttestationCertificateView>;

/** What a package check can find wrong, by code (the renderer words each in the operator's language). */
export const packageProblemCodes = [
  'notAPackage',
  'fileMissing',
  'fileChanged',
  'sumsMissing',
  'sumsLineUnreadable',
  'manifestMissing',
  'manifestUnreadable',
  'fileAddedNotInManifest',
  'fileAddedNowhere',
  'signatureFileMissing',
  'certificateMissing',
  'publicKeyMismatch',
  'publicKeyMissing',
  'manifestNamesOtherCertificate',
  'signatureBroken',
  'notIdpCertificate',
] as const;
/** How the signature reads, by code. */
export const packageSignatureCodes = ['noSignature', 'unsigned', 'cannotCheck', 'validCurrent', 'validUnknown', 'valid', 'invalid'] as const;
const Finding = <C extends readonly [string, ...string[]]>(codes: C) => z.object({ code: z.enum(codes), params: z.record(z.string(), z.string()) });

/** The result of checking an evidence package (Kontrollér en pakke). */
export const PackageCheck = z.object({
  /** True only when every file is as listed AND the IdP's signature over the manifest is valid. */
  ok: z.boolean(),
  checked: z.number().int(),
  /** Danish, as the journal and a Danish auditor read them; `findings` names the same by code, in order. */
  problems: z.array(z.string()),
  findings: z.array(Finding(packageProblemCodes)),
  signature: z.object({
    state: z.enum(['valid', 'invalid', 'unsigned']),
    /** Danish; `finding` names it by code. */
    message: z.string(),
    finding: Finding(packageSignatureCodes),
    certificate: AttestationCertificateView.nullable(),
    /** Whether the signing certificate is the one the IdP uses now (null: the IdP could not be asked). */
    matchesIdp: z.boolean().nullable(),
  }),
});
export type PackageCheck = z.infer<typeof PackageCheck>;
