import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { auditActionLabel, type AuditFilter, type AuditRow } from '../../shared/domain/audit.ts';
import { ConsoleError } from '../../shared/errors.ts';
import type { Operator } from '../../shared/roles.ts';
import type { AuditStore } from '../store/audit-store.ts';
import type { Journal, VerifyResult } from '../store/journal.ts';
import type { JobContext } from './jobs.ts';
import { csvRecord } from './csv.ts';

// The record formatter lives in the console's one CSV module (formula-like cells neutralised there).
export { csvRecord };

/** What the IdP says was in force during the period; null when the IdP could not be asked. */
export interface PolicyContext {
  passwordPolicies: Array<{ domain: string; summary: string; version: number; changedAt: string | null }> | null;
  termsVersions: Array<{ version: number; publishedAt: string; effectiveFrom: string; hash: string }> | null;
  unavailableReason?: string;
}

export interface EvidenceRequest {
  filter: AuditFilter;
  scopeLabel: string;
  fullCpr: boolean;
  operator: Operator;
  outRoot: string;
  policy: PolicyContext;
}

export interface EvidenceResult {
  folder: string;
  files: Array<{ name: string; bytes: number; sha256: string }>;
  rows: number;
  chain: VerifyResult;
}

const roleNames: Record<string, string> = { administrator: 'Administrator', useradmin: 'Brugeradministrator', helpdesk: 'Helpdesk', auditor: 'Revisor' };

const CPR = /\b(\d{2})(\d{2})(\d{2})-?(\d{4})\b/g;
/** CPR numbers are masked ddmmyy-XXXX unless the auditor explicitly asked for full numbers. */
export const maskCpr = (s: string | null): string | null => (s === null ? null : s.replace(CPR, '$1$2$3-XXXX'));

export const evidenceColumns = ['Tidspunkt', 'Kilde', 'Handling', 'Handlingskode', 'Type', 'Operatør', 'Person', 'Person-id', 'Enhed', 'Udfald', 'Begrundelse', 'Besked', 'Korrelations-id', 'Arbejdsstation'];

/**
 * The events CSV: semicolon-separated, every field quoted, CRLF and a UTF-8 BOM so Danish Excel opens it
 * as is; a reason or name typed as a formula is written as inert text (see csv.ts). Written as a stream
 * with back-pressure, so memory stays flat however many rows there are.
 */
export function createCsvWriter(file: string) {
  const out = createWriteStream(file);
  // Records are joined a thousand at a time: one write per batch instead of one per row.
  let batch = '';
  let rows = 0;
  const flush = (): Promise<void> | void => {
    if (!rows) return;
    const text = batch;
    batch = '';
    rows = 0;
    if (!out.write(text)) return once(out, 'drain').then(() => undefined);
  };
  out.write('\uFEFF' + csvRecord(evidenceColumns));
  return {
    write(row: string[]): Promise<void> | void {
      batch += csvRecord(row);
      if (++rows >= 1000) return flush();
    },
    async end(): Promise<void> {
      await flush();
      out.end();
      await once(out, 'finish');
    },
  };
}

export function cells(r: AuditRow, fullCpr: boolean): string[] {
  const m = fullCpr ? (s: string | null) => s : maskCpr;
  return [r.at, r.source === 'console' ? 'Konsol' : 'Lokal IdP', auditActionLabel(r.action), r.action, r.kind, r.operator ?? '', m(r.person) ?? '', r.personId ?? '', r.ou ?? '', r.outcome ?? '', m(r.reason) ?? '', m(r.message) ?? '', r.correlationId ?? '', r.workstation ?? ''];
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file).on('data', (d) => h.update(d)).on('end', () => resolve(h.digest('hex'))).on('error', reject);
  });
}

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new ConsoleError('cancelled', 'Eksporten blev annulleret.');
}

/**
 * Writes an evidence package into a `.partial` folder and renames it only when every file and the
 * manifest are complete: a cancelled or failed export never leaves a package that claims to be whole.
 */
export async function exportEvidence(store: AuditStore, journal: Journal, req: EvidenceRequest, job: JobContext): Promise<EvidenceResult> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const name = `revisionspakke-${req.filter.from ?? 'start'}_${req.filter.to ?? 'nu'}-${stamp}`;
  const finalDir = join(req.outRoot, name);
  const dir = `${finalDir}.partial`;
  mkdirSync(dir, { recursive: true });
  try {
    const total = store.count(req.filter);
    job.progress({ phase: 'Hændelser', done: 0, total });

    // CSV for any tool (semicolon, UTF-8 with BOM so Danish Excel opens it), XLSX for the auditor.
    const csv = createCsvWriter(join(dir, 'haendelser.csv'));
    const xlsx = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, 'haendelser.xlsx'), useStyles: false, useSharedStrings: false });
    let sheet = xlsx.addWorksheet('Hændelser 1');
    sheet.addRow(evidenceColumns).commit();
    let rows = 0;
    let sheetRows = 0;
    const counts = new Map<string, number>();
    const adminActions: AuditRow[] = [];
    for (const r of store.iterate(req.filter)) {
      const c = cells(r, req.fullCpr);
      // Await only when the writer asks for it (back-pressure): an await per row costs more than the row.
      const wait = csv.write(c);
      if (wait) await wait;
      if (sheetRows >= 1_000_000) {
        sheet.commit();
        sheet = xlsx.addWorksheet(`Hændelser ${Math.floor(rows / 1_000_000) + 1}`);
        sheet.addRow(evidenceColumns).commit();
        sheetRows = 0;
      }
      sheet.addRow(c).commit();
      sheetRows++;
      rows++;
      counts.set(r.action, (counts.get(r.action) ?? 0) + 1);
      const isAdmin = (r.source === 'console' && r.kind === 'intent') || (r.source === 'idp' && r.operator !== null);
      if (isAdmin && adminActions.length < 5000) adminActions.push(r);
      if (rows % 5000 === 0) {
        checkCancelled(job.signal);
        job.progress({ phase: 'Hændelser', done: rows, total });
      }
    }
    await csv.end();
    sheet.commit();
    await xlsx.commit();
    checkCancelled(job.signal);

    job.progress({ phase: 'Kontrol af journalens kæde', done: rows, total });
    const chain = journal.verify();
    checkCancelled(job.signal);

    job.progress({ phase: 'Rapport (PDF)', done: rows, total });
    await writeReport(join(dir, 'rapport.pdf'), req, { rows, counts, adminActions, chain });

    const files = [];
    for (const f of ['haendelser.csv', 'haendelser.xlsx', 'rapport.pdf']) {
      files.push({ name: f, bytes: statSync(join(dir, f)).size, sha256: await sha256File(join(dir, f)) });
    }
    const manifest = {
      format: 'lokal-idp-admin/evidence@1',
      createdAt: new Date().toISOString(),
      createdBy: { username: req.operator.username, name: req.operator.displayName, roles: req.operator.roles },
      period: { from: req.filter.from ?? null, to: req.filter.to ?? null, endInclusive: true },
      scope: req.scopeLabel,
      filter: req.filter,
      fullCpr: req.fullCpr,
      rows,
      journalChain: chain,
      files,
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    files.push({ name: 'manifest.json', bytes: statSync(join(dir, 'manifest.json')).size, sha256: await sha256File(join(dir, 'manifest.json')) });
    // The format `sha256sum -c SHA256SUMS` reads, so anyone can verify with standard tools.
    writeFileSync(join(dir, 'SHA256SUMS'), files.map((f) => `${f.sha256}  ${f.name}`).join('\n') + '\n');
    checkCancelled(job.signal);
    renameSync(dir, finalDir);
    job.progress({ phase: 'Færdig', done: rows, total });
    return { folder: finalDir, files, rows, chain };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function writeReport(
  file: string,
  req: EvidenceRequest,
  data: { rows: number; counts: Map<string, number>; adminActions: AuditRow[]; chain: VerifyResult },
): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: 'Revisionsrapport – Lokal IdP Admin', Author: req.operator.displayName } });
  const out = createWriteStream(file);
  doc.pipe(out);
  const h = (t: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(t).font('Helvetica').fontSize(10).moveDown(0.3);
  doc.font('Helvetica-Bold').fontSize(18).text('Revisionsrapport');
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`Periode: ${req.filter.from ?? 'fra begyndelsen'} – ${req.filter.to ?? 'i dag'} (slutdatoen er medregnet)`);
  doc.text(`Omfang: ${req.scopeLabel}`);
  doc.text(`Udarbejdet af: ${req.operator.displayName} (${req.operator.username}), ${req.operator.roles.map((r) => roleNames[r]).join(', ')}`);
  doc.text(`Udarbejdet: ${new Date().toLocaleString('da-DK')}`);
  doc.text(`CPR-numre: ${req.fullCpr ? 'vist fuldt (efter udtrykkelig anmodning, registreret i journalen)' : 'maskeret (ddmmåå-XXXX)'}`);
  doc.text(`Antal hændelser: ${data.rows.toLocaleString('da-DK')}`);

  h('Kontrol af konsollens journal');
  doc.text(
    data.chain.ok
      ? `Hash-kæden er intakt: ${data.chain.count.toLocaleString('da-DK')} poster kontrolleret. Sidste hash: ${data.chain.lastHash}`
      : `KÆDEN ER BRUDT ved post ${data.chain.brokenSeq}: ${data.chain.reason}. ${data.chain.count} poster var i orden før den.`,
  );

  h('Hændelser pr. type');
  for (const [action, n] of [...data.counts.entries()].sort((a, b) => b[1] - a[1])) {
    doc.text(`${auditActionLabel(action)} (${action}): ${n.toLocaleString('da-DK')}`);
  }

  h('Adgangskodepolitikker og vilkår i perioden');
  if (req.policy.passwordPolicies) {
    for (const p of req.policy.passwordPolicies) doc.text(`${p.domain} (version ${p.version}): ${p.summary}`);
  }
  if (req.policy.termsVersions) {
    for (const t of req.policy.termsVersions) doc.text(`Vilkår version ${t.version}, gældende fra ${t.effectiveFrom}, SHA-256 ${t.hash}`);
  }
  if (!req.policy.passwordPolicies || !req.policy.termsVersions) {
    doc.text(`Ikke tilgængeligt: ${req.policy.unavailableReason ?? 'den lokale IdP kunne ikke spørges.'}`);
  }

  h(`Administrative handlinger med begrundelse${data.adminActions.length >= 5000 ? ' (de første 5.000; alle står i CSV/XLSX)' : ''}`);
  const m = req.fullCpr ? (s: string | null) => s : maskCpr;
  for (const r of data.adminActions) {
    // The standard PDF fonts are WinAnsi: Danish letters print, arrows do not.
    doc.text(`${r.at.replace('T', ' ').slice(0, 19)}  ${auditActionLabel(r.action)} – udført af ${r.operator ?? '?'} vedr. ${m(r.person) ?? '–'}. Begrundelse: ${m(r.reason) ?? m(r.message) ?? '–'}`);
  }
  doc.end();
  await once(out, 'finish');
}

export interface PackageCheck {
  ok: boolean;
  checked: number;
  problems: string[];
}

/** Verifies a package offline: every file listed with the right SHA-256, nothing missing or added. */
export async function verifyEvidencePackage(folder: string): Promise<PackageCheck> {
  const sums = join(folder, 'SHA256SUMS');
  if (!existsSync(sums)) return { ok: false, checked: 0, problems: ['SHA256SUMS mangler: mappen er ikke en (færdig) revisionspakke.'] };
  const problems: string[] = [];
  const listed = new Set<string>();
  let checked = 0;
  for (const line of readFileSync(sums, 'utf8').split('\n').filter(Boolean)) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) {
      problems.push(`Ulæselig linje i SHA256SUMS: ${line.slice(0, 80)}`);
      continue;
    }
    const [, expected, name] = m as unknown as [string, string, string];
    listed.add(name);
    const file = join(folder, basename(name));
    if (!existsSync(file)) {
      problems.push(`${name} mangler.`);
      continue;
    }
    checked++;
    if ((await sha256File(file)) !== expected) problems.push(`${name} er ændret (SHA-256 passer ikke).`);
  }
  for (const f of readdirSync(folder)) {
    if (f !== 'SHA256SUMS' && !listed.has(f)) problems.push(`${f} står ikke i manifestet.`);
  }
  return { ok: problems.length === 0, checked, problems };
}
