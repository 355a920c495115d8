import ExcelJS from 'exceljs';
import type { PersonRow } from '../../../shared/domain/people.ts';
import { csvDocument } from '../csv.ts';

// Export of exactly the view on screen: the rows in the list's order after its filters, the columns the
// operator has chosen. CSV is semicolon-separated, UTF-8 with a BOM and CRLF (Danish Excel opens it as
// is), every field quoted and a name typed as a formula kept as text (services/csv.ts); XLSX is written
// by exceljs, whose string cells are always text, never formulas.

const yesNo = (v: boolean | null | undefined) => (v === null || v === undefined ? '' : v ? 'Ja' : 'Nej');
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '');

const driftLabels: Record<string, string> = {
  'identity-missing': 'Mangler erhvervsidentitet',
  'suspended-active-ad': 'Suspenderet i MitID, aktiv i AD',
  'active-disabled-ad': 'Aktiv i MitID, deaktiveret i AD',
  'credential-missing': 'Mangler lokalt loginmiddel',
  'subject-mismatch': 'Bruger-id passer ikke til reglen',
  'only-in-mitid': 'Kun i MitID Erhverv',
};

/** Column id → Danish header and cell value. The renderer's column chooser uses the same ids. */
export const exportColumns: Record<string, { header: string; value: (r: PersonRow) => string | number }> = {
  displayName: { header: 'Navn', value: (r) => r.displayName },
  username: { header: 'Brugernavn', value: (r) => r.username },
  email: { header: 'E-mail', value: (r) => r.email ?? '' },
  employeeId: { header: 'Medarbejdernr.', value: (r) => r.employeeId ?? '' },
  ouPath: { header: 'Enhed', value: (r) => r.ouPath },
  adState: {
    header: 'AD-status',
    value: (r) => (!r.ad ? 'Ikke i AD' : [r.ad.enabled ? 'Aktiv' : 'Deaktiveret', r.ad.locked ? 'Låst' : ''].filter(Boolean).join(', ')),
  },
  passwordAge: { header: 'Adgangskodens alder (dage)', value: (r) => r.ad?.passwordAgeDays ?? '' },
  passwordExpires: { header: 'Adgangskode udløber', value: (r) => day(r.ad?.passwordExpires) },
  accountExpires: { header: 'Konto udløber', value: (r) => day(r.ad?.accountExpires) },
  mitidState: {
    header: 'MitID Erhverv',
    value: (r) => ({ none: 'Ingen', Active: 'Aktiv', Suspended: 'Suspenderet', other: r.mitid.status ?? '', unknown: 'Ukendt' })[r.mitid.state],
  },
  localCredential: { header: 'Lokalt loginmiddel', value: (r) => yesNo(r.mitid.localCredential) },
  signing: { header: 'Må signere', value: (r) => yesNo(r.mitid.allowSigning) },
  deviceCount: { header: 'MFA-enheder', value: (r) => r.idp.deviceCount ?? '' },
  nsisStatus: { header: 'NSIS-status', value: (r) => r.idp.nsisStatus ?? '' },
  terms: { header: 'Vilkår accepteret (version)', value: (r) => r.idp.acceptedTermsVersion ?? '' },
  drift: { header: 'Afvigelser', value: (r) => r.drift.map((d) => driftLabels[d] ?? d).join(', ') },
};

export function exportTable(rows: readonly PersonRow[], columns: readonly string[]): { headers: string[]; cells: (string | number)[][] } {
  const cols = columns.filter((c) => Object.hasOwn(exportColumns, c)).map((c) => exportColumns[c]!);
  if (cols.length === 0) cols.push(exportColumns.displayName!);
  return { headers: cols.map((c) => c.header), cells: rows.map((r) => cols.map((c) => c.value(r))) };
}

export function toCsv(rows: readonly PersonRow[], columns: readonly string[]): Buffer {
  const t = exportTable(rows, columns);
  return Buffer.from(csvDocument(t.headers, t.cells), 'utf8');
}

export async function toXlsx(rows: readonly PersonRow[], columns: readonly string[]): Promise<Buffer> {
  const t = exportTable(rows, columns);
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Personer');
  sheet.addRow(t.headers).font = { bold: true };
  sheet.addRows(t.cells);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
