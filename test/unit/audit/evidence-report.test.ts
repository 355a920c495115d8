// The evidence report as an auditor and an archive receive it, read back with poppler (pdfinfo, pdftotext,
// pdffonts) the way anyone would check a PDF: archival identification, tagging, embedded fonts, page
// numbering, the cover's statements, the tables and their repeated headers, the cap, and English.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRow, JournalCheck } from '../../../shared/domain/audit.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { maskCpr } from '../../../src-main/services/audit/evidence.ts';
import { REPORT_ADMIN_ROW_CAP, ReportCollector, writeReport } from '../../../src-main/services/audit/evidence-report.ts';
import { useTestCore, type caller } from '../../support/core.ts';

const pdf = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const pageText = (file: string, page: number) => pdf('pdftotext', '-layout', '-f', String(page), '-l', String(page), file, '-');
/** Text as read, not as laid out: lines joined (a break after a hyphen joins without a space). */
const prose = (text: string) => text.replace(/-\s*\n\s*/g, '-').replace(/\s+/g, ' ');
const pageCount = (file: string) => Number(/^Pages:\s+(\d+)/m.exec(pdf('pdfinfo', file))?.[1]);

/** Archival and accessibility facts every report must show, whatever its content. */
function expectArchivalAndTagged(file: string, lang: string) {
  const info = pdf('pdfinfo', file);
  expect(info).toMatch(/^Tagged:\s+yes$/m);
  expect(info).toMatch(/^PDF version:\s+1\.7$/m);
  // PDF/A identification is the XMP pdfaid schema (ISO 19005): part 2, conformance level A (accessible).
  const meta = pdf('pdfinfo', '-meta', file);
  expect(meta).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
  expect(meta).toMatch(/<pdfaid:conformance>A<\/pdfaid:conformance>/);
  // Every font embedded (PDF/A): pdffonts' "emb" column is yes on every row.
  const fonts = pdf('pdffonts', file).split('\n').slice(2).filter(Boolean);
  expect(fonts.length).toBeGreaterThan(0);
  for (const f of fonts) expect(f).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  // The structure tree: document language, headings, tables with header cells, a figure with alt text.
  const raw = readFileSync(file).toString('latin1');
  expect(raw).toContain(`/Lang (${lang})`);
  for (const s of ['/S /H1', '/S /H2', '/S /Table', '/S /TR', '/S /TH', '/S /TD', '/S /Figure']) expect(raw).toContain(s);
  expect(raw).toMatch(/\/Scope \/Column/);
  expect(raw).toMatch(/\/S \/Figure[^]*?\/Alt \(|\/Alt \([^]*?\/S \/Figure/);
  expect(raw).toContain('/OutputIntents');
}

// Each test writes a whole package with its PDF (fonts embedded): seconds on a busy shared machine.
describe('the report of an exported package', { timeout: 30_000 }, () => {
  const t = useTestCore({ beforeEach, afterEach });
  let core: Core;
  beforeEach(() => {
    core = t.current();
  });

  async function exportPackage(auditor: ReturnType<typeof caller>, language?: 'da' | 'en') {
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const r = await core.dispatch('audit.exportEvidence', { from: today, to: today, scope: { kind: 'all' }, ...(language ? { language } : {}) }, auditor);
    if (!r.ok) throw new Error(r.error.message);
    const id = (r.data as { job: { id: string } }).job.id;
    for (let i = 0; i < 600; i++) {
      const j = await core.dispatch('jobs.get', { id }, auditor);
      if (!j.ok) throw new Error(j.error.message);
      const job = (j.data as { job: { state: string; result: { folder: string }; error: unknown } }).job;
      if (job.state === 'succeeded') return { folder: job.result.folder, today };
      if (job.state !== 'running') throw new Error(JSON.stringify(job.error));
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error('export did not finish');
  }

  async function unlockTwo() {
    const hd = await t.signIn('helpdesk');
    const r = await core.dispatch('people.search', { text: '', limit: 1000 }, hd);
    if (!r.ok) throw new Error(r.error.message);
    const locked = (r.data as { items: Array<{ id: string; locked: boolean }> }).items.filter((p) => p.locked).slice(0, 2);
    for (const p of locked) {
      const u = await core.dispatch('people.unlockAccount', { personId: p.id, reason: 'Borger ringede, CPR 010190-1234 oplyst' }, hd);
      expect(u.ok).toBe(true);
    }
  }

  it('is a tagged PDF/A-2a in Danish with a cover, the summary tables, the actions table and "Side X af Y" on every page', async () => {
    await unlockTwo();
    const { folder } = await exportPackage(await t.signIn('revisor'));
    const file = join(folder, 'rapport.pdf');
    expectArchivalAndTagged(file, 'da-DK');
    const packageId = folder.split(/[\\/]/).at(-1)!;
    const pages = pageCount(file);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let p = 1; p <= pages; p++) {
      const text = pageText(file, p);
      expect(text).toContain(`Side ${p} af ${pages}`);
      expect(text).toContain(packageId);
    }
    const cover = pageText(file, 1);
    expect(cover).toContain('Revisionsrapport');
    expect(cover).toMatch(/Kommune\s+fjordby/);
    expect(cover).toMatch(/Periode\s+\d{1,2}\. \S+ \d{4} – \d{1,2}\. \S+ \d{4} \(begge dage medregnet\)/);
    expect(cover).toMatch(/Udarbejdet af\s+Revisor \(træning\) \(revisor\), Revisor/);
    expect(cover).toMatch(/CPR-numre\s+Maskeret som ddmmåå-XXXX/);
    expect(cover).toMatch(/Journalens kæde\s+Hash-kæden er intakt/);
    // No IdP in this core: the cover says plainly that nothing signs the package.
    expect(cover).toContain("PAKKEN ER IKKE UNDERSKREVET af IdP'en");
    const all = pdf('pdftotext', '-layout', file, '-');
    expect(all).toMatch(/Handling\s+Kode\s+Antal/);
    expect(all).toMatch(/AD-konto låst op\s+people\.unlockAccount\s+4\b/); // two intents, two outcomes
    // The helpdesk's two unlocks, with the role the journal recorded for her, and the reason masked.
    expect(all).toMatch(/Operatør\s+Rolle\s+Handlinger\s+Afvist\s+Fejlet/);
    expect(all).toMatch(/Helpdesk \(træning\) \(helpdesk\)\s+Helpdesk\s+2\s+0\s+0/);
    expect(all).toMatch(/Tid\s+Operatør\s+Rolle\s+Handling\s+Person\s+Enhed \(OU\)\s+Begrundelse\s+Udfald/);
    expect(all).toContain('010190-XXXX');
    expect(all).not.toContain('010190-1234');
    expect(all).toMatch(/udført/);
    // The export itself is a sensitive read, not an administrative action of the auditor.
    expect(all).toMatch(/Følsomme opslag[^]*Revisionspakke eksporteret\s+1/);
    expect(all).not.toMatch(/Revisor \(træning\) \(revisor\)\s+Revisor\s+\d+\s+\d+\s+\d+/);
  });

  it('is written in English, events files included, when the operator works in English', async () => {
    await unlockTwo();
    const { folder } = await exportPackage(await t.signIn('revisor'), 'en');
    const file = join(folder, 'rapport.pdf');
    expectArchivalAndTagged(file, 'en-GB');
    const pages = pageCount(file);
    expect(pageText(file, pages)).toContain(`Page ${pages} of ${pages}`);
    const cover = pageText(file, 1);
    expect(cover).toContain('Audit report');
    expect(cover).toMatch(/Period\s+\d{1,2} \S+ \d{4} – \d{1,2} \S+ \d{4} \(both days included\)/);
    expect(cover).toMatch(/CPR numbers\s+Masked as ddmmyy-XXXX/);
    expect(cover).toContain('THE PACKAGE IS NOT SIGNED by the IdP');
    expect(cover).not.toContain('Revisionsrapport');
    const all = pdf('pdftotext', '-layout', file, '-');
    expect(all).toMatch(/AD account unlocked\s+people\.unlockAccount\s+4\b/);
    expect(all).toMatch(/Time\s+Operator\s+Role\s+Action\s+Person\s+Unit \(OU\)\s+Reason\s+Outcome/);
    const csv = readFileSync(join(folder, 'haendelser.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFF"Time";"Source";"Action";"Action code";"Kind";"Operator";"Person";"Person id";"Unit (OU)";"Outcome";"Reason";"Message";"Correlation id";"Workstation"');
    expect(csv).toContain('"Console";"AD account unlocked"');
    expect(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')).language).toBe('en');
  });
});

describe('a period with more administrative actions than the report lists', () => {
  let dir: string;
  let file: string;
  const total = REPORT_ADMIN_ROW_CAP + 37;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lia-report-'));
    file = join(dir, 'rapport.pdf');
    const stats = new ReportCollector();
    const start = Date.parse('2026-11-02T08:00:00Z');
    for (let i = 0; i < total; i++) {
      const row: AuditRow = {
        key: `i:${i + 1}`, source: 'idp', at: new Date(start + i * 7 * 60_000).toISOString(), action: 'UNLOCK_ACCOUNT', kind: 'event',
        operator: 'Helpdesk (træning) (helpdesk)', person: `Person ${i}`, personId: `p${i}`, ou: null, outcome: null, reason: null,
        message: `Konto låst op. Begrundelse: Henvendelse ${i}, identitet bekræftet`, correlationId: `c${i}`, workstation: null,
      };
      stats.add(row);
    }
    const chain: JournalCheck = {
      ok: true, chainIntact: true, count: 0, journalId: 'j', workstation: 'WS', head: null, findings: [], findingDetails: [], findingsOmitted: 0,
      idp: { state: 'confirmed', message: 'IdP\'en har bekræftet journalen.', acknowledged: null }, idpDetail: { code: 'knownNoneYet', params: {} }, checkedAt: new Date().toISOString(),
    };
    await writeReport({
      file, packageId: 'revisionspakke-test', language: 'da', municipality: 'Fjordby Kommune', period: { from: '2026-11-01', to: '2026-11-30' },
      scopeLabel: 'Alle hændelser', fullCpr: false, operator: { username: 'revisor', displayName: 'Rikke Revisor', dn: 'CN=Rikke Revisor,DC=fjordby,DC=dk', roles: ['auditor'], helpdeskOus: null },
      createdAt: new Date(), stats, roles: new Map([['helpdesk', ['helpdesk']]]), chain,
      plan: { signed: true, cert: { fingerprintSha256: 'AB:CD:EF', subject: 'CN=Lokal IdP attestering', notAfter: '2030-01-01T00:00:00Z', certificatePem: '' } as never },
      policy: { passwordPolicies: null, termsVersions: null, unavailableReason: 'testen spørger ingen IdP' }, maskCpr,
    });
  }, 120_000);
  afterAll(() => {
    if (!process.env.KEEP_REPORT) rmSync(dir, { recursive: true, force: true });
  });

  it('says in the PDF that it lists the first 5.000 and where the rest is, repeats the table header on every page, and numbers every page', () => {
    expectArchivalAndTagged(file, 'da-DK');
    const all = pdf('pdftotext', '-layout', file, '-');
    expect(prose(all)).toMatch(/Tabellen viser de første 5\.000 af 5\.037 administrative handlinger .* Alle handlinger og alle øvrige hændelser står i haendelser\.csv og haendelser\.xlsx/);
    expect(all).toMatch(/Kommune\s+Fjordby Kommune/);
    const flat = prose(all);
    expect(flat).toContain('Underskrives af den lokale IdP med certifikatet CN=Lokal IdP attestering, SHA-256-fingeraftryk AB:CD:EF. Underskriften sættes på manifest.json, efter at denne rapport er skrevet');
    expect(flat).toContain('openssl dgst -sha256 -verify idp-public-key.pem -signature manifest.json.sig manifest.json');
    // Listed up to the cap, oldest first: row 4,999 is there, row 5,000 is not.
    expect(all).toMatch(/Person 4999\s/);
    expect(all).not.toMatch(/Person 5000\s/);
    const pages = pageCount(file);
    const first = all.split('\f').findIndex((text) => /^\s*Administrative handlinger\n/.test(text)) + 1;
    expect(first).toBeGreaterThan(1);
    expect(pages - first).toBeGreaterThan(50);
    const texts = all.split('\f'); // pdftotext ends every page with a form feed
    for (let p = first + 1; p <= pages; p++) {
      const text = texts[p - 1]!;
      expect(text, `page ${p}`).toMatch(/^\s*Tid\s+Operatør\s+Rolle\s+Handling\s+Person\s+Enhed \(OU\)\s+Begrundelse\s+Udfald/);
      expect(text).toContain(`Side ${p} af ${pages}`);
    }
    // The figures are over every action, not only the listed ones.
    expect(all).toMatch(/Helpdesk \(træning\) \(helpdesk\)\s+Helpdesk\s+5\.037\s+0\s+0/);
  }, 60_000);
});
