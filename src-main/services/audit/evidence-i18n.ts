/** The languages an evidence package is written in: the operator's console language. */
export type EvidenceLanguage = 'da' | 'en';

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
