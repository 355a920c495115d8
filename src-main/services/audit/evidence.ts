import { createHash, createPublicKey, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { AuditRow, JournalCheck, PackageCheck, packageProblemCodes } from '../../../shared/domain/audit.ts';
import { auditActionLabel } from '../../../shared/domain/audit.ts';
import type { AttestationCertificate } from '../../../shared/idp/journal.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import { checkJournal } from './journal-anchor.ts';
import { evidenceColumnsByLanguage, sourceLabel, type EvidenceLanguage } from './evidence-i18n.ts';
import { ReportCollector, writeReport, type AttestationPlan, type PolicyContext } from './evidence-report.ts';
import { ConsoleError } from '../../../shared/errors.ts';
import type { Operator } from '../../../shared/roles.ts';
import type { AuditStore, TimelineFilter } from '../../store/audit-store.ts';
import type { Journal } from '../../store/journal.ts';
import type { JobContext } from './jobs.ts';
import { csvRecord } from '../csv.ts';

type PackageProblemCode = (typeof packageProblemCodes)[number];

// The record formatter lives in the console's one CSV module (formula-like cells neutralised there).
export { csvRecord };

export type { PolicyContext } from './evidence-report.ts';
export type { EvidenceLanguage } from './evidence-i18n.ts';

const CPR = /\b(\d{2})(\d{2})(\d{2})-?(\d{4})\b/g;
/** CPR numbers are masked ddmmyy-XXXX unless the auditor explicitly asked for full numbers. */
export const maskCpr = (s: string | null): string | null => (s === null ? null : s.replace(CPR, '$1$2$3-XXXX'));

/** The events file's Danish columns (the default language); English ones are in evidence-i18n.ts. */
export const evidenceColumns = [...evidenceColumnsByLanguage.da];

/**
 * The events CSV: semicolon-separated, every field quoted, CRLF and a UTF-8 BOM so Danish Excel opens it
 * as is; a reason or name typed as a formula is written as inert text (see csv.ts). Written as a stream
 * with back-pressure, so memory stays flat however many rows there are.
 */
export function createCsvWriter(file: string, columns: readonly string[] = evidenceColumns) {
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
  out.write('\uFEFF' + csvRecord([...columns]));
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

export function cells(r: AuditRow, fullCpr: boolean, language: EvidenceLanguage = 'da'): string[] {
  const m = fullCpr ? (s: string | null) => s : maskCpr;
  return [r.at, sourceLabel[language][r.source], auditActionLabel(r.action, language), r.action, r.kind, r.operator ?? '', m(r.person) ?? '', r.personId ?? '', r.ou ?? '', r.outcome ?? '', m(r.reason) ?? '', m(r.message) ?? '', r.correlationId ?? '', r.workstation ?? ''];
}

/**
 * ExcelJS's streaming writer ignores back-pressure: committed rows pile up in front of the zip's deflate,
 * about 1 KB a row (gigabytes for a few million). Every few thousand rows the export waits until the
 * sheet's pipe into the zip holds less than 1 MB. (The pipe is ExcelJS's internal; if it is not there,
 * nothing waits.)
 */
async function xlsxCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  type Buffered = { _writableState?: { length?: number }; _readableState?: { length?: number } };
  const pipe = (sheet as unknown as { stream?: { pipes?: Buffered[] } }).stream?.pipes?.[0];
  const pending = () => (pipe?._writableState?.length ?? 0) + (pipe?._readableState?.length ?? 0);
  while (pending() > 1 << 20) await new Promise((resolve) => setTimeout(resolve, 1));
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file).on('data', (d) => h.update(d)).on('end', () => resolve(h.digest('hex'))).on('error', reject);
  });
}

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new ConsoleError('cancelled', 'Eksporten blev annulleret.').withKey('exportCancelled');
}

/** Folders and files of evidence hold personal data: owner only on POSIX (Windows ignores the modes). */
function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}
const privateFile = (file: string, data: string | Buffer = '') => writeFileSync(file, data, { mode: 0o600 });

/**
 * Removes `….partial` folders that an export left when the console crashed mid-way: they hold personal
 * data and claim nothing. Returns their names, for the journal.
 */
export function removeAbandonedExports(evidenceDir: string): string[] {
  if (!existsSync(evidenceDir)) return [];
  privateDir(evidenceDir);
  const removed: string[] = [];
  for (const e of readdirSync(evidenceDir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name.endsWith('.partial')) {
      rmSync(join(evidenceDir, e.name), { recursive: true, force: true });
      removed.push(e.name);
    }
  }
  return removed;
}

/** Files the package adds around the listed data files. */
export const SIGNATURE_FILE = 'manifest.json.sig';
export const CERTIFICATE_FILE = 'idp-certificate.pem';
export const PUBLIC_KEY_FILE = 'idp-public-key.pem';
const packageFrame = new Set(['SHA256SUMS', 'manifest.json', SIGNATURE_FILE, CERTIFICATE_FILE, PUBLIC_KEY_FILE]);

export type AttestationOutcome =
  | { signed: true; algorithm: 'RSA-SHA256'; fingerprintSha256: string; subject: string; signedAt: string; manifestSha256: string }
  | { signed: false; reason: string };

export interface EvidenceRequest {
  filter: TimelineFilter;
  scopeLabel: string;
  fullCpr: boolean;
  operator: Operator;
  outRoot: string;
  policy: PolicyContext;
  /** The IdP: compares the journal with its acknowledged heads and signs the manifest (null: not set up). */
  idp: IdpPort | null;
  /** The outbox's watermark as far as the IdP confirmed it (AuditShipping.anchoredSeq). */
  anchoredSeq: number;
  /** The operator's console language: the report's and the events files' (default Danish). */
  language?: EvidenceLanguage;
  /** The municipality the report is about; without it, the AD domain of the exporting operator. */
  municipality?: string | null;
}

export interface EvidenceResult {
  folder: string;
  files: Array<{ name: string; bytes: number; sha256: string }>;
  rows: number;
  chain: JournalCheck;
  attestation: AttestationOutcome;
}

/** The municipality for the cover: as given, or the AD domain the exporting operator belongs to. */
function municipalityOf(req: EvidenceRequest): string {
  if (req.municipality) return req.municipality;
  const dcs = [...req.operator.dn.matchAll(/(?:^|,)\s*DC=([^,]+)/gi)].map((m) => m[1]!.trim());
  return dcs.length ? `${dcs.join('.')} (${req.language === 'en' ? 'AD domain' : 'AD-domæne'})` : '–';
}

/**
 * Each operator's roles as the console's journal recorded them: one record per operator is read back
 * (not one per event), so a million-event period costs a handful of reads.
 */
function journalRoles(journal: Journal, consoleSeqOf: Map<string, number>): Map<string, readonly string[]> {
  const roles = new Map<string, readonly string[]>();
  for (const [user, seq] of consoleSeqOf) {
    const rec = journal.list({ afterSeq: seq - 1, limit: 1 })[0];
    if (rec && rec.seq === seq) roles.set(user, rec.operatorRoles);
  }
  return roles;
}

const reasonOf = (e: unknown) => (e instanceof ConsoleError ? e.message : e instanceof Error ? e.message : String(e));

/**
 * Writes an evidence package into a `.partial` folder and renames it only when every file and the
 * manifest are complete: a cancelled or failed export never leaves a package that claims to be whole.
 * The journal is checked against the IdP, and the IdP signs the manifest; when the IdP cannot be reached
 * the package is completed unsigned and says so in the report, the manifest and the check.
 */
export async function exportEvidence(store: AuditStore, journal: Journal, req: EvidenceRequest, job: JobContext): Promise<EvidenceResult> {
  const language = req.language ?? 'da';
  const columns = evidenceColumnsByLanguage[language];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const name = `revisionspakke-${req.filter.from ?? 'start'}_${req.filter.to ?? 'nu'}-${stamp}`;
  privateDir(req.outRoot);
  const finalDir = join(req.outRoot, name);
  const dir = `${finalDir}.partial`;
  privateDir(dir);
  try {
    const total = store.count(req.filter);
    job.progress({ phase: 'events', done: 0, total });

    // CSV for any tool (semicolon, UTF-8 with BOM so Danish Excel opens it), XLSX for the auditor.
    // Both files are made owner-only before the writers open them (opening keeps the mode).
    privateFile(join(dir, 'haendelser.csv'));
    const csv = createCsvWriter(join(dir, 'haendelser.csv'), columns);
    const xlsx = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(join(dir, 'haendelser.xlsx'), { mode: 0o600 }), useStyles: false, useSharedStrings: false });
    const sheetName = language === 'en' ? 'Events' : 'Hændelser';
    let sheet = xlsx.addWorksheet(`${sheetName} 1`);
    sheet.addRow([...columns]).commit();
    let rows = 0;
    let sheetRows = 0;
    const stats = new ReportCollector();
    for (const r of store.iterate(req.filter)) {
      const c = cells(r, req.fullCpr, language);
      // Await only when the writer asks for it (back-pressure): an await per row costs more than the row.
      const wait = csv.write(c);
      if (wait) await wait;
      if (sheetRows >= 1_000_000) {
        sheet.commit();
        sheet = xlsx.addWorksheet(`${sheetName} ${Math.floor(rows / 1_000_000) + 1}`);
        sheet.addRow([...columns]).commit();
        sheetRows = 0;
      }
      sheet.addRow(c).commit();
      sheetRows++;
      rows++;
      stats.add(r);
      if (rows % 5000 === 0) {
        await xlsxCaughtUp(sheet);
        checkCancelled(job.signal);
        job.progress({ phase: 'events', done: rows, total });
      }
    }
    await csv.end();
    sheet.commit();
    await xlsx.commit();
    checkCancelled(job.signal);

    // The journal's chain, walked in chunks with progress, and compared with the IdP's acknowledged heads.
    const chain = await checkJournal(journal, req.idp, req.anchoredSeq, { signal: job.signal, onProgress: (done, all) => job.progress({ phase: 'chain', done, total: all }) });
    checkCancelled(job.signal);

    let plan: AttestationPlan;
    if (!req.idp) plan = { signed: false, reason: 'den lokale IdP er ikke sat op' };
    else {
      try {
        plan = { signed: true, cert: await req.idp.attestationCertificate() };
      } catch (e) {
        plan = { signed: false, reason: `IdP'en kunne ikke nås (${reasonOf(e)})` };
      }
    }

    const roles = journalRoles(journal, stats.consoleSeqOf);
    const createdAt = new Date();
    for (;;) {
      job.progress({ phase: 'report', done: rows, total });
      await writeReport({
        file: join(dir, 'rapport.pdf'), packageId: name, language, municipality: municipalityOf(req), period: { from: req.filter.from ?? null, to: req.filter.to ?? null },
        scopeLabel: req.scopeLabel, fullCpr: req.fullCpr, operator: req.operator, createdAt, stats, roles, chain, plan, policy: req.policy,
        maskCpr: req.fullCpr ? (s) => s : maskCpr,
      });
      const files = [];
      for (const f of ['haendelser.csv', 'haendelser.xlsx', 'rapport.pdf']) {
        files.push({ name: f, bytes: statSync(join(dir, f)).size, sha256: await sha256File(join(dir, f)) });
      }
      const manifest = {
        format: 'lokal-idp-admin/evidence@2',
        language,
        createdAt: new Date().toISOString(),
        createdBy: { username: req.operator.username, name: req.operator.displayName, roles: req.operator.roles },
        period: { from: req.filter.from ?? null, to: req.filter.to ?? null, endInclusive: true },
        scope: req.scopeLabel,
        filter: req.filter,
        fullCpr: req.fullCpr,
        rows,
        journal: {
          id: chain.journalId,
          workstation: chain.workstation,
          head: chain.head,
          ok: chain.ok,
          chainIntact: chain.chainIntact,
          recordsChecked: chain.count,
          findings: chain.findings,
          findingsOmitted: chain.findingsOmitted,
          idp: chain.idp,
          checkedAt: chain.checkedAt,
        },
        attestation: plan.signed
          ? {
              signed: true,
              by: 'Lokal IdP',
              algorithm: 'RSA-SHA256',
              signatureFile: SIGNATURE_FILE,
              certificateFile: CERTIFICATE_FILE,
              publicKeyFile: PUBLIC_KEY_FILE,
              certificateFingerprintSha256: plan.cert.fingerprintSha256,
              certificateSubject: plan.cert.subject,
            }
          : { signed: false, reason: `Pakken er IKKE underskrevet af IdP'en: ${plan.reason}.` },
        files,
      };
      const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
      privateFile(join(dir, 'manifest.json'), manifestBytes);
      checkCancelled(job.signal);

      let attestation: AttestationOutcome;
      if (plan.signed) {
        job.progress({ phase: 'signature', done: rows, total });
        try {
          const a = await req.idp!.attest({ purpose: 'evidence-manifest', manifestBase64: manifestBytes.toString('base64'), journalId: chain.journalId, actor: { username: req.operator.username, displayName: req.operator.displayName } });
          const signature = Buffer.from(a.signatureBase64, 'base64');
          // Trust nothing on the way: the signature must verify with the certificate named in the manifest.
          const cert = new X509Certificate(a.certificate.certificatePem);
          if (cert.fingerprint256 !== plan.cert.fingerprintSha256) throw new Error('IdP\'en underskrev med et andet certifikat end det, den oplyste');
          if (!cryptoVerify('sha256', manifestBytes, cert.publicKey, signature)) throw new Error('IdP\'ens underskrift passer ikke til manifestet');
          privateFile(join(dir, SIGNATURE_FILE), signature);
          privateFile(join(dir, CERTIFICATE_FILE), cert.toString());
          privateFile(join(dir, PUBLIC_KEY_FILE), cert.publicKey.export({ type: 'spki', format: 'pem' }).toString());
          attestation = { signed: true, algorithm: 'RSA-SHA256', fingerprintSha256: cert.fingerprint256, subject: plan.cert.subject, signedAt: a.signedAt, manifestSha256: a.manifestSha256 };
        } catch (e) {
          // The report and manifest said "signed": write them again, plainly unsigned.
          plan = { signed: false, reason: `IdP'en underskrev ikke manifestet (${reasonOf(e)})` };
          continue;
        }
      } else attestation = { signed: false, reason: plan.reason };

      const all = [...files, { name: 'manifest.json', bytes: manifestBytes.length, sha256: createHash('sha256').update(manifestBytes).digest('hex') }];
      for (const f of attestation.signed ? [SIGNATURE_FILE, CERTIFICATE_FILE, PUBLIC_KEY_FILE] : []) {
        all.push({ name: f, bytes: statSync(join(dir, f)).size, sha256: await sha256File(join(dir, f)) });
      }
      // The format `sha256sum -c SHA256SUMS` reads, so anyone can check the files with standard tools.
      privateFile(join(dir, 'SHA256SUMS'), all.map((f) => `${f.sha256}  ${f.name}`).join('\n') + '\n');
      checkCancelled(job.signal);
      renameSync(dir, finalDir);
      job.progress({ phase: 'done', done: rows, total });
      return { folder: finalDir, files: all, rows, chain, attestation };
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** The parts of a manifest the check reads; anything else in it is free. */
const ManifestView = z.object({
  files: z.array(z.object({ name: z.string(), sha256: z.string() })),
  attestation: z
    .object({ signed: z.boolean(), reason: z.string().optional(), certificateFingerprintSha256: z.string().optional() })
    .optional(),
});

/**
 * Verifies a package offline: every file in SHA256SUMS and in the manifest with the right SHA-256,
 * nothing missing or added, and the IdP's signature over the manifest checked against the certificate
 * in the package — whose fingerprint is compared with the IdP's current one when the IdP can be asked.
 */
export async function verifyEvidencePackage(folder: string, currentIdpCertificate?: () => Promise<AttestationCertificate | null>): Promise<PackageCheck> {
  const problems: string[] = [];
  const findings: PackageCheck['findings'] = [];
  // Each problem in Danish (journal, Danish screen) and by code with its values (any other language).
  const problem = (code: PackageProblemCode, danish: string, params: Record<string, string> = {}) => {
    problems.push(danish);
    findings.push({ code, params });
  };
  const unsigned = (message: string, finding: PackageCheck['signature']['finding']): PackageCheck['signature'] => ({ state: 'unsigned', message, finding, certificate: null, matchesIdp: null });
  const sums = join(folder, 'SHA256SUMS');
  const manifestFile = join(folder, 'manifest.json');
  if (!existsSync(sums) && !existsSync(manifestFile)) {
    problem('notAPackage', 'SHA256SUMS og manifest.json mangler: mappen er ikke en (færdig) revisionspakke.');
    return { ok: false, checked: 0, problems, findings, signature: unsigned('Ingen underskrift.', { code: 'noSignature', params: {} }) };
  }
  const listed = new Set<string>();
  const hashes = new Map<string, string>();
  const check = async (name: string, expected: string) => {
    const file = join(folder, basename(name));
    if (!existsSync(file)) return void problem('fileMissing', `${name} mangler.`, { file: name });
    let actual = hashes.get(name);
    if (actual === undefined) {
      actual = await sha256File(file);
      hashes.set(name, actual);
    }
    if (actual !== expected) problem('fileChanged', `${name} er ændret (SHA-256 passer ikke).`, { file: name });
  };
  if (!existsSync(sums)) problem('sumsMissing', 'SHA256SUMS mangler.');
  else {
    for (const line of readFileSync(sums, 'utf8').split('\n').filter(Boolean)) {
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (!m) {
        problem('sumsLineUnreadable', `Ulæselig linje i SHA256SUMS: ${line.slice(0, 80)}`, { line: line.slice(0, 80) });
        continue;
      }
      const [, expected, name] = m as unknown as [string, string, string];
      listed.add(name);
      await check(name, expected);
    }
  }

  let manifestBytes: Buffer | null = null;
  let manifest: z.infer<typeof ManifestView> | null = null;
  if (!existsSync(manifestFile)) problem('manifestMissing', 'manifest.json mangler.');
  else {
    manifestBytes = readFileSync(manifestFile);
    try {
      manifest = ManifestView.parse(JSON.parse(manifestBytes.toString('utf8')));
    } catch {
      problem('manifestUnreadable', 'manifest.json kan ikke læses som et manifest.');
    }
  }
  const inManifest = new Set(manifest?.files.map((f) => f.name) ?? []);
  for (const f of manifest?.files ?? []) {
    const before = problems.length;
    await check(f.name, f.sha256);
    // The same broken file named once, not once per list.
    if (problems.length > before && problems.slice(0, before).includes(problems.at(-1)!)) {
      problems.pop();
      findings.pop();
    }
  }
  for (const f of readdirSync(folder)) {
    if (packageFrame.has(f)) continue;
    if (!inManifest.has(f) || !listed.has(f)) {
      problem(listed.has(f) ? 'fileAddedNotInManifest' : 'fileAddedNowhere', `${f} står ikke i manifestet${listed.has(f) ? '' : ' eller i SHA256SUMS'}: filen er lagt til pakken bagefter.`, { file: f });
    }
  }

  let signature: PackageCheck['signature'];
  const sigFile = join(folder, SIGNATURE_FILE);
  if (!existsSync(sigFile)) {
    const why = manifest?.attestation && !manifest.attestation.signed && manifest.attestation.reason ? ` ${manifest.attestation.reason}` : '';
    signature = unsigned(`Pakken er IKKE underskrevet af IdP'en.${why} Den kan ikke bevises uændret over for den, der kan omskrive alle filerne.`, { code: 'unsigned', params: { why } });
    if (manifest?.attestation?.signed) problem('signatureFileMissing', `${SIGNATURE_FILE} mangler, selv om manifestet siger, at pakken er underskrevet.`, { file: SIGNATURE_FILE });
  } else {
    let cert: X509Certificate | null = null;
    try {
      cert = new X509Certificate(readFileSync(join(folder, CERTIFICATE_FILE)));
    } catch {
      problem('certificateMissing', `${CERTIFICATE_FILE} mangler eller er ikke et certifikat.`, { file: CERTIFICATE_FILE });
    }
    if (!cert || !manifestBytes) {
      signature = { state: 'invalid', message: 'Underskriften kan ikke kontrolleres uden certifikat og manifest.', finding: { code: 'cannotCheck', params: {} }, certificate: null, matchesIdp: null };
    }
    else {
      const view = { fingerprintSha256: cert.fingerprint256, subject: cert.subject.replace(/\n/g, ', '), notAfter: new Date(cert.validTo).toISOString() };
      const valid = cryptoVerify('sha256', manifestBytes, cert.publicKey, readFileSync(sigFile));
      try {
        if (!createPublicKey(readFileSync(join(folder, PUBLIC_KEY_FILE))).equals(cert.publicKey)) {
          problem('publicKeyMismatch', `${PUBLIC_KEY_FILE} passer ikke til certifikatet i ${CERTIFICATE_FILE}.`, { key: PUBLIC_KEY_FILE, certificate: CERTIFICATE_FILE });
        }
      } catch {
        problem('publicKeyMissing', `${PUBLIC_KEY_FILE} mangler eller er ikke en offentlig nøgle.`, { key: PUBLIC_KEY_FILE });
      }
      if (manifest?.attestation?.certificateFingerprintSha256 && manifest.attestation.certificateFingerprintSha256 !== cert.fingerprint256) {
        problem('manifestNamesOtherCertificate', 'Manifestet nævner et andet certifikat end det, der ligger i pakken.');
      }
      let matchesIdp: boolean | null = null;
      if (currentIdpCertificate) {
        // Unreachable IdP: "could not compare" (null), never a match.
        const now = await currentIdpCertificate().catch(() => null);
        matchesIdp = now ? now.fingerprintSha256 === cert.fingerprint256 : null;
      }
      if (!valid) problem('signatureBroken', 'Underskriften passer ikke til manifest.json: manifestet er ændret efter, at IdP\'en underskrev det.');
      if (matchesIdp === false) {
        problem('notIdpCertificate', `Pakken er underskrevet med et certifikat, som IdP'en ikke bruger nu (fingeraftryk ${cert.fingerprint256}). Har IdP'en skiftet certifikat siden, skal fingeraftrykket sammenlignes med det, IdP'en brugte dengang.`, { fingerprint: cert.fingerprint256 });
      }
      signature = {
        state: valid ? 'valid' : 'invalid',
        message: valid
          ? `Manifestet er underskrevet med certifikatet ${view.subject} (SHA-256-fingeraftryk ${view.fingerprintSha256})${matchesIdp === true ? ', som er IdP\'ens nuværende certifikat' : matchesIdp === null ? '; IdP\'en kunne ikke spørges, så sammenlign fingeraftrykket med det, IdP\'en oplyser' : ''}.`
          : 'Underskriften passer ikke til manifestet.',
        finding: valid
          ? { code: matchesIdp === true ? 'validCurrent' : matchesIdp === null ? 'validUnknown' : 'valid', params: { subject: view.subject, fingerprint: view.fingerprintSha256 } }
          : { code: 'invalid', params: {} },
        certificate: view,
        matchesIdp,
      };
    }
  }
  return { ok: problems.length === 0 && signature.state === 'valid', checked: hashes.size, problems, findings, signature };
}
