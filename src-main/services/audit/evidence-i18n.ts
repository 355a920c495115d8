import { auditActionLabels } from '../../../shared/domain/audit.ts';

/** The languages an evidence package is written in: the operator's console language. */
export type EvidenceLanguage = 'da' | 'en';

/** English labels for the journal's operations and the IdP's actions (the Danish ones live in shared/domain/audit.ts). */
const englishActionLabels: Record<string, string> = {
  'session.login': 'Operator signed in',
  'people.unlockAccount': 'AD account unlocked',
  'settings.update': 'Settings changed',
  'settings.setSecret': 'Secret stored',
  'audit.exportEvidence': 'Evidence package exported',
  'people.revealCpr': 'Full CPR number shown',
  'people.export': 'People list exported',
  'people.resetPassword': 'Password reset',
  'people.deviceAction': 'MFA device changed',
  'people.setIdentityLock': 'Identity locked/unlocked in the IdP',
  'people.assignLocalAuthenticator': 'Local authenticator assigned',
  'people.revokeLocalAuthenticator': 'Local authenticator removed',
  'people.setSigning': 'Qualified signature changed',
  'people.suspendIdentity': 'Business identity suspended',
  'people.reactivateIdentity': 'Business identity reactivated',
  'people.fixDrift': 'Discrepancy fixed',
  'bulk.start': 'Bulk job started',
  'bulk.pause': 'Bulk job paused',
  'bulk.resume': 'Bulk job resumed',
  'bulk.cancel': 'Bulk job cancelled',
  'bulk.retryFailed': 'Failed rows retried',
  'bulk.job': 'Bulk job (run)',
  'bulk.row': 'Bulk job: one person',
  'policy.update': 'Password policy saved',
  'policy.mirrorToAd': 'Password policy written to AD',
  'policy.updateConfig': 'Policy settings changed',
  'terms.publish': 'Terms published',
  'terms.exportAcceptances': 'Terms acceptances exported',
  'audit.setRetention': 'Retention periods changed',
  'audit.purgeNow': 'Old events deleted',
  'audit.purge': 'Events deleted after the retention period',
  'audit.journalTampered': 'Journal tampered with (found at start)',
  'audit.evidenceCleanup': 'Unfinished evidence package deleted',
  EVIDENCE_ATTESTED: 'Evidence package signed by the IdP',
  LOGIN: 'Sign-in',
  WRONG_PASSWORD: 'Wrong password',
  TOO_MANY_ATTEMPTS: 'Too many attempts',
  ACCEPT_MFA: 'MFA approved',
  REJECT_MFA: 'MFA rejected',
  ACTIVATE: 'Business identity activated',
  ACCEPTED_TERMS: 'Terms accepted',
  DEACTIVATE_BY_ADMIN: 'Locked by an administrator',
  REACTIVATE_BY_ADMIN: 'Unlocked by an administrator',
  RANDOM_PASSWORD_SET_BY_ADMIN: 'Random password set by an administrator',
  CHANGED_TRANSFER_TO_NEMLOGIN: 'Transfer to MitID Erhverv changed',
  CHANGED_ALLOW_QUALIFIED_SIGNATURE: 'Qualified signature changed',
  CHANGE_PASSWORD: 'Password changed',
  ASSOCIATE_MFA: 'MFA device registered',
  DELETED_MFA_DEVICE: 'MFA device deleted',
  ADDED_ROLE_BY_ADMIN: 'Role assigned by an administrator',
  CHANGE_PASSWORD_SETTINGS: 'Password policy changed',
  CHANGE_TERMS_AND_CONDITIONS: 'Terms changed',
  KODEVISER_RESET: 'Hardware token reset',
  KODEVISER_ASSIGNED: 'Hardware token assigned',
  MITID_ERVHERV_ACTION: 'Action in MitID Erhverv',
  ADMIN_MFA_TEST: 'Test message sent to MFA device',
  UNLOCK_ACCOUNT: 'Account unlocked',
  LOCK_MFA_DEVICE: 'MFA device locked',
  UNLOCK_MFA_DEVICE: 'MFA device unlocked',
};

export function actionLabel(action: string, lang: EvidenceLanguage): string {
  return (lang === 'en' ? englishActionLabels[action] : auditActionLabels[action]) ?? action;
}

/** The events file's columns (CSV and XLSX), in the package's language. */
export const evidenceColumnsByLanguage: Record<EvidenceLanguage, readonly string[]> = {
  da: ['Tidspunkt', 'Kilde', 'Handling', 'Handlingskode', 'Type', 'Operatør', 'Person', 'Person-id', 'Enhed', 'Udfald', 'Begrundelse', 'Besked', 'Korrelations-id', 'Arbejdsstation'],
  en: ['Time', 'Source', 'Action', 'Action code', 'Kind', 'Operator', 'Person', 'Person id', 'Unit (OU)', 'Outcome', 'Reason', 'Message', 'Correlation id', 'Workstation'],
};

export const sourceLabel: Record<EvidenceLanguage, { console: string; idp: string }> = {
  da: { console: 'Konsol', idp: 'Lokal IdP' },
  en: { console: 'Console', idp: 'Local IdP' },
};

export const roleLabels: Record<EvidenceLanguage, Record<string, string>> = {
  da: { administrator: 'Administrator', useradmin: 'Brugeradministrator', helpdesk: 'Helpdesk', auditor: 'Revisor' },
  en: { administrator: 'Administrator', useradmin: 'User administrator', helpdesk: 'Helpdesk', auditor: 'Auditor' },
};
