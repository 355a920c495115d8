import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { driftKinds, peopleColumnIds, PersonRow } from '../../../shared/domain/people.ts';
import { nsisStatuses } from '../../../shared/idp/people.ts';
import { personStates } from '../../../shared/domain/person-state.ts';
import { exportFilename, exportTable, toCsv, toXlsx } from '../../../src-main/services/people/export.ts';
import { acceptanceCsv } from '../../../src-main/services/policies/terms-service.ts';
import type { TermsVersion } from '../../../shared/idp/terms.ts';

// The people export speaks the operator's language: headers, status words and the file's name. An
// English export holds no Danish word, a Danish one no English, and every column and enum has both.

const row = (over: Partial<PersonRow> = {}): PersonRow =>
  PersonRow.parse({
    id: 'g1', source: 'ad', displayName: 'Søren Ærø', username: 'soeaer', email: 'soren@kommune.dk', employeeId: '42', ouPath: 'Skoler / Elever',
    ad: { enabled: false, locked: true, passwordLastSet: '2026-01-02T10:00:00Z', passwordAgeDays: 300, passwordExpires: '2026-03-04T10:00:00Z', accountExpires: null, mustChangePassword: false },
    mitid: { state: 'Suspended', status: 'Suspended', uuid: 'u1', localCredential: true, allowSigning: false },
    idp: { loaded: true, nsisStatus: 'NOT_ISSUED', deviceCount: 2, acceptedTermsVersion: 3, locked: false },
    drift: ['identity-missing', 'only-in-mitid'],
    states: personStates({ ad: { enabled: false, locked: true, accountExpires: null }, mitid: { status: 'Suspended', allowSigning: false, privateMitIdActive: null } }, Date.parse('2026-06-01T00:00:00Z')),
    ...over,
  });

const DANISH_WORDS = /\b(Navn|Brugernavn|Enhed|Deaktiveret|Låst|Suspenderet|Ikke udstedt|Ja|Nej|Mangler|Afvigelser|Ikke i AD|Aktiv|Spærret|Ukendt|Ingen)\b/;
const ENGLISH_WORDS = /\b(Name|Username|Unit|Disabled|Locked|Suspended|Not issued|Yes|No|missing|Drift|Not in AD|Active|Blocked|Unknown|None)\b/;
const all = [...peopleColumnIds];

describe('people export in the operator\'s language', () => {
  it('in English has English headers and words, and no Danish', () => {
    const t = exportTable([row()], all, 'en');
    expect(t.headers.slice(0, 7)).toEqual(['Name', 'Username', 'Email', 'Employee no.', 'Domain', 'Unit', 'AD status']);
    const cells = t.cells[0]!;
    expect(cells[t.headers.indexOf('AD status')]).toBe('Disabled, Locked');
    expect(cells[t.headers.indexOf('MitID Erhverv')]).toBe('Suspended');
    expect(cells[t.headers.indexOf('Local credential')]).toBe('Yes');
    expect(cells[t.headers.indexOf('May sign')]).toBe('No');
    expect(cells[t.headers.indexOf('NSIS status')]).toBe('Not issued');
    expect(cells[t.headers.indexOf('Drift')]).toBe('Business identity missing, Only in MitID Erhverv');
    // The person's own data stays as it is; every word the console adds is English.
    const added = [...t.headers, ...cells.filter((c, i) => !['Name', 'Username', 'Email', 'Unit'].includes(t.headers[i]!))].join(' | ');
    expect(added).not.toMatch(DANISH_WORDS);
  });

  it('in Danish (the default) has Danish headers and words, and no English', () => {
    const t = exportTable([row()], all);
    expect(t.headers.slice(0, 3)).toEqual(['Navn', 'Brugernavn', 'E-mail']);
    const cells = t.cells[0]!;
    expect(cells[t.headers.indexOf('AD-status')]).toBe('Deaktiveret, Låst');
    expect(cells[t.headers.indexOf('NSIS-status')]).toBe('Ikke udstedt');
    const added = [...t.headers, ...cells.filter((c, i) => !['Navn', 'Brugernavn', 'E-mail', 'Enhed', 'MitID Erhverv'].includes(t.headers[i]!))].join(' | ');
    expect(added).not.toMatch(ENGLISH_WORDS);
  });

  it('words every NSIS status and every drift kind in both languages, never the raw code', () => {
    for (const language of ['da', 'en'] as const) {
      for (const nsisStatus of nsisStatuses) {
        const t = exportTable([row({ idp: { loaded: true, nsisStatus, deviceCount: 0, acceptedTermsVersion: null, locked: false } })], ['nsisStatus'], language);
        expect(t.cells[0]![0], `${language} ${nsisStatus}`).not.toBe(nsisStatus);
      }
      for (const d of driftKinds) {
        const t = exportTable([row({ drift: [d] })], ['drift'], language);
        expect(t.cells[0]![0], `${language} ${d}`).not.toBe(d);
      }
      // Every column the chooser offers has a header in the language (not its id).
      expect(exportTable([row()], all, language).headers.filter((h) => (all as string[]).includes(h))).toEqual([]);
    }
  });

  it('writes the language into the CSV, the XLSX sheet and the file name', async () => {
    const csv = toCsv([row()], ['displayName', 'adState'], 'en').toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFF"Name";"AD status"');
    expect(csv).toContain('"Disabled, Locked"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx([row()], ['displayName', 'mitidState'], 'en')) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('People');
    expect(sheet.getRow(1).values).toEqual([undefined, 'Name', 'MitID Erhverv']);
    expect(sheet.getRow(2).getCell(2).value).toBe('Suspended');
    const at = new Date('2026-05-06T07:08:00Z');
    expect(exportFilename('en', 'xlsx', at)).toBe('people-2026-05-06-07-08.xlsx');
    expect(exportFilename('da', 'csv', at)).toBe('personer-2026-05-06-07-08.csv');
  });

  it('writes the terms acceptance report in the operator\'s language too, times with their zone', () => {
    const version = { version: 4 } as TermsVersion;
    const rows = [{ personId: 'g1', username: 'ib', displayName: 'Ib', ouPath: 'Skoler', acceptedVersion: 3, acceptedAt: '2026-06-01T10:00:00Z', acceptedThisAt: null, state: 'stale' as const }];
    const en = acceptanceCsv(version, rows, 'en').split('\r\n');
    expect(en[0]).toBe('\uFEFF"Name";"Username";"Unit";"Latest accepted version";"Accepted (latest)";"Accepted version 4";"Status"');
    expect(en[1]).toContain('"Must accept again"');
    expect(en[1]).toMatch(/01\/06\/2026, 12:00:00 CEST/);
    const da = acceptanceCsv(version, rows).split('\r\n');
    expect(da[0]).toContain('"Navn";"Brugernavn";"Enhed"');
    expect(da[1]).toContain('"Skal acceptere igen"');
    expect(da[1]).toMatch(/1\.6\.2026.*12\.00\.00/);
  });
});
