import ExcelJS from 'exceljs';
import type { DriftKind, PersonRow } from '../../../shared/domain/people.ts';
import type { NsisLevel, nsisStatuses } from '../../../shared/idp/people.ts';
import { csvDocument } from '../csv.ts';

type NsisStatus = (typeof nsisStatuses)[number];

// Export of exactly the view on screen: the rows in the list's order after its filters, the columns the
// operator has chosen. CSV is semicolon-separated, UTF-8 with a BOM and CRLF (Danish Excel opens it as
// is), every field quoted and a name typed as a formula kept as text (services/csv.ts); XLSX is written
// by exceljs, whose string cells are always text, never formulas.

/** The operator's console language: headers, words and the file's name follow it. */
export type ExportLanguage = 'da' | 'en';

interface Words {
  yes: string;
  no: string;
  notInAd: string;
  active: string;
  disabled: string;
  locked: string;
  mitid: Record<PersonRow['mitid']['state'], string>;
  drift: Record<DriftKind, string>;
  headers: Record<string, string>;
  sheet: string;
  file: string;
}

const words: Record<ExportLanguage, Words> = {
  da: {
    yes: 'Ja', no: 'Nej', notInAd: 'Ikke i AD', active: 'Aktiv', disabled: 'Deaktiveret', locked: 'Låst',
    mitid: { none: 'Ingen', Active: 'Aktiv', Suspended: 'Suspenderet', other: '', unknown: 'Ukendt' },
    drift: {
      'identity-missing': 'Mangler erhvervsidentitet',
      'identity-blocked': 'Mangler erhvervsidentitet, kan ikke oprettes før AD er rettet',
      'suspended-active-ad': 'Suspenderet i MitID, aktiv i AD',
      'active-disabled-ad': 'Aktiv i MitID, deaktiveret i AD',
      'credential-missing': 'Mangler lokalt loginmiddel',
      'subject-mismatch': 'Bruger-id passer ikke til reglen',
      'only-in-mitid': 'Kun i MitID Erhverv',
    },
    headers: {
      displayName: 'Navn', username: 'Brugernavn', email: 'E-mail', employeeId: 'Medarbejdernr.', domain: 'Domæne', ouPath: 'Enhed', adState: 'AD-status',
      passwordAge: 'Adgangskodens alder (dage)', passwordExpires: 'Adgangskode udløber', accountExpires: 'Konto udløber', mitidState: 'MitID Erhverv',
      localCredential: 'Lokalt loginmiddel', signing: 'Må signere', deviceCount: 'MFA-enheder', nsisStatus: 'NSIS-status', nsisLevel: 'NSIS-niveau',
      terms: 'Vilkår accepteret (version)', drift: 'Afvigelser',
    },
    sheet: 'Personer',
    file: 'personer',
  },
  en: {
    yes: 'Yes', no: 'No', notInAd: 'Not in AD', active: 'Active', disabled: 'Disabled', locked: 'Locked',
    mitid: { none: 'None', Active: 'Active', Suspended: 'Suspended', other: '', unknown: 'Unknown' },
    drift: {
      'identity-missing': 'Business identity missing',
      'identity-blocked': 'Business identity missing, cannot be created until AD is fixed',
      'suspended-active-ad': 'Suspended in MitID Erhverv, active in AD',
      'active-disabled-ad': 'Active in MitID Erhverv, disabled/departed in AD',
      'credential-missing': 'Local credential missing',
      'subject-mismatch': 'User id does not match the link rule',
      'only-in-mitid': 'Only in MitID Erhverv',
    },
    headers: {
      displayName: 'Name', username: 'Username', email: 'Email', employeeId: 'Employee no.', domain: 'Domain', ouPath: 'Unit', adState: 'AD status',
      passwordAge: 'Password age (days)', passwordExpires: 'Password expires', accountExpires: 'Account expires', mitidState: 'MitID Erhverv',
      localCredential: 'Local credential', signing: 'May sign', deviceCount: 'MFA devices', nsisStatus: 'NSIS status', nsisLevel: 'NSIS level',
      terms: 'Terms accepted (version)', drift: 'Drift',
    },
    sheet: 'People',
    file: 'people',
  },
};

/** The IdP's NSIS status in words (the same as the person page's), every value of the enum in both languages. */
const NSIS: Record<NsisStatus, Record<ExportLanguage, string>> = {
  NOT_ISSUED: { da: 'Ikke udstedt', en: 'Not issued' },
  NOT_ACTIVATED: { da: 'Ikke aktiveret', en: 'Not activated' },
  ACTIVE: { da: 'Aktiv', en: 'Active' },
  LOCKED_BY_SELF: { da: 'Spærret (af personen)', en: 'Blocked (by the person)' },
  LOCKED_BY_MUNICIPALITY: { da: 'Spærret (af kommunen)', en: 'Blocked (by the municipality)' },
  LOCKED_BY_STATUS: { da: 'Spærret (status)', en: 'Blocked (status)' },
  LOCKED_BY_EXPIRE: { da: 'Spærret (udløbet)', en: 'Blocked (expired)' },
};

/** The NSIS assurance level in words, every value in both languages. */
const LEVEL: Record<NsisLevel, Record<ExportLanguage, string>> = {
  none: { da: 'Intet', en: 'None' },
  low: { da: 'Lav', en: 'Low' },
  substantial: { da: 'Betydelig', en: 'Substantial' },
  high: { da: 'Høj', en: 'High' },
};

// Dates as the day (ISO yyyy-mm-dd in both languages: a spreadsheet sorts and reads it the same anywhere).
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '');

/** Column id → header and cell value in the given language. The renderer's column chooser uses the same ids. */
function columnsIn(language: ExportLanguage): Record<string, { header: string; value: (r: PersonRow) => string | number }> {
  const w = words[language];
  const yesNo = (v: boolean | null | undefined) => (v === null || v === undefined ? '' : v ? w.yes : w.no);
  const col = (id: string, value: (r: PersonRow) => string | number) => ({ header: w.headers[id] ?? id, value });
  return {
    displayName: col('displayName', (r) => r.displayName),
    username: col('username', (r) => r.username),
    email: col('email', (r) => r.email ?? ''),
    employeeId: col('employeeId', (r) => r.employeeId ?? ''),
    domain: col('domain', (r) => r.domain?.name ?? ''),
    ouPath: col('ouPath', (r) => r.ouPath),
    adState: col('adState', (r) => (!r.ad ? w.notInAd : [r.ad.enabled ? w.active : w.disabled, r.ad.locked ? w.locked : ''].filter(Boolean).join(', '))),
    passwordAge: col('passwordAge', (r) => r.ad?.passwordAgeDays ?? ''),
    passwordExpires: col('passwordExpires', (r) => day(r.ad?.passwordExpires)),
    accountExpires: col('accountExpires', (r) => day(r.ad?.accountExpires)),
    mitidState: col('mitidState', (r) => (r.mitid.state === 'other' ? (r.mitid.status ?? '') : w.mitid[r.mitid.state])),
    localCredential: col('localCredential', (r) => yesNo(r.mitid.localCredential)),
    signing: col('signing', (r) => yesNo(r.mitid.allowSigning)),
    deviceCount: col('deviceCount', (r) => r.idp.deviceCount ?? ''),
    nsisStatus: col('nsisStatus', (r) => (r.idp.nsisStatus ? (NSIS[r.idp.nsisStatus as NsisStatus]?.[language] ?? r.idp.nsisStatus) : '')),
    nsisLevel: col('nsisLevel', (r) => (r.idp.nsisLevel ? (LEVEL[r.idp.nsisLevel as NsisLevel]?.[language] ?? r.idp.nsisLevel) : '')),
    terms: col('terms', (r) => r.idp.acceptedTermsVersion ?? ''),
    drift: col('drift', (r) => r.drift.map((d) => w.drift[d] ?? d).join(', ')),
  };
}

/** Column id → Danish header and cell value (the ids the renderer's column chooser offers). */
export const exportColumns = columnsIn('da');

/** The export file's name: the language's word for people and the minute it was made. */
export function exportFilename(language: ExportLanguage, format: 'csv' | 'xlsx', at = new Date()): string {
  return `${words[language].file}-${at.toISOString().slice(0, 16).replace(/[:T]/g, '-')}.${format}`;
}

export function exportTable(rows: readonly PersonRow[], columns: readonly string[], language: ExportLanguage = 'da'): { headers: string[]; cells: (string | number)[][] } {
  const all = columnsIn(language);
  const cols = columns.filter((c) => Object.hasOwn(all, c)).map((c) => all[c]!);
  if (cols.length === 0) cols.push(all.displayName!);
  return { headers: cols.map((c) => c.header), cells: rows.map((r) => cols.map((c) => c.value(r))) };
}

export function toCsv(rows: readonly PersonRow[], columns: readonly string[], language: ExportLanguage = 'da'): Buffer {
  const t = exportTable(rows, columns, language);
  return Buffer.from(csvDocument(t.headers, t.cells), 'utf8');
}

export async function toXlsx(rows: readonly PersonRow[], columns: readonly string[], language: ExportLanguage = 'da'): Promise<Buffer> {
  const t = exportTable(rows, columns, language);
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(words[language].sheet);
  sheet.addRow(t.headers).font = { bold: true };
  sheet.addRows(t.cells);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
