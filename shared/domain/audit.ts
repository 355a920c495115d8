import { z } from 'zod';

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
});
export type AuditRow = z.infer<typeof AuditRow>;

/** Danish labels for the console's own operations and the IdP's action taxonomy (OS2faktor's names). */
export const auditActionLabels: Record<string, string> = {
  'session.login': 'Operatør loggede ind',
  'people.unlockAccount': 'AD-konto låst op',
  'settings.update': 'Indstillinger ændret',
  'settings.setSecret': 'Hemmelighed gemt',
  'audit.exportEvidence': 'Revisionspakke eksporteret',
  'people.revealCpr': 'Fuldt CPR-nummer vist',
  'people.export': 'Personliste eksporteret',
  'people.resetPassword': 'Adgangskode nulstillet',
  'people.deviceAction': 'MFA-enhed ændret',
  'people.setIdentityLock': 'Identitet spærret/genåbnet i IdP',
  'people.assignLocalAuthenticator': 'Lokalt loginmiddel tildelt',
  'people.revokeLocalAuthenticator': 'Lokalt loginmiddel fjernet',
  'people.setSigning': 'Kvalificeret signatur ændret',
  'people.suspendIdentity': 'Erhvervsidentitet spærret',
  'people.reactivateIdentity': 'Erhvervsidentitet genåbnet',
  'people.fixDrift': 'Uoverensstemmelse rettet',
  'bulk.start': 'Masseopgave startet',
  'bulk.pause': 'Masseopgave sat på pause',
  'bulk.resume': 'Masseopgave genoptaget',
  'bulk.cancel': 'Masseopgave annulleret',
  'bulk.retryFailed': 'Fejlede rækker forsøgt igen',
  'bulk.job': 'Masseopgave (forløb)',
  'bulk.row': 'Masseopgave: én person',
  'policy.update': 'Adgangskodepolitik gemt',
  'policy.mirrorToAd': 'Adgangskodepolitik skrevet til AD',
  'policy.updateConfig': 'Opsætning af politikker ændret',
  'terms.publish': 'Vilkår offentliggjort',
  'terms.exportAcceptances': 'Accepter af vilkår eksporteret',
  'audit.setRetention': 'Opbevaringsperioder ændret',
  'audit.purgeNow': 'Gamle hændelser slettet',
  'audit.purge': 'Hændelser slettet efter opbevaringsperioden',
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
  KODEVISER_RESET: 'Kodeviser nulstillet',
  KODEVISER_ASSIGNED: 'Kodeviser tildelt',
  MITID_ERVHERV_ACTION: 'Handling i MitID Erhverv',
  ADMIN_MFA_TEST: 'Test-besked sendt til MFA-enhed',
  UNLOCK_ACCOUNT: 'Konto låst op',
  LOCK_MFA_DEVICE: 'MFA-enhed spærret',
  UNLOCK_MFA_DEVICE: 'MFA-enhed genåbnet',
};

export function auditActionLabel(action: string): string {
  return auditActionLabels[action] ?? action;
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
