import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { auditActionLabel, failedLoginActions, type AuditRow, type JournalCheck } from '../../../shared/domain/audit.ts';
import type { AttestationCertificate } from '../../../shared/idp/journal.ts';
import type { Operator } from '../../../shared/roles.ts';
import { ConsoleError } from '../../../shared/errors.ts';
import { describeCheck } from './journal-anchor.ts';
import { roleLabels, type EvidenceLanguage } from './evidence-i18n.ts';

/**
 * The evidence package's report (rapport.pdf), laid out for an NSIS auditor: a cover, a summary with
 * tables and a chart of activity per day, the administrative actions as a table, and the policies and
 * terms in force. PDF/A-2a (ISO 19005-2, level A: tagged, Unicode, embedded fonts) so it can be filed
 * and read by screen readers.
 */

/** The administrative-actions table stops here; every event is in the CSV/XLSX, and the PDF says so. */
export const REPORT_ADMIN_ROW_CAP = 5000;
/** Sensitive reads listed one by one (all are counted). */
const SENSITIVE_ROW_CAP = 200;
/** Reads of personal data the journal records: what an auditor asks about first. */
const SENSITIVE_ACTIONS = new Set(['people.revealCpr', 'people.export', 'audit.exportEvidence', 'terms.exportAcceptances']);

/** What the IdP says was in force during the period; null when the IdP could not be asked. */
export interface PolicyContext {
  passwordPolicies: Array<{ domain: string; summary: string; version: number; changedAt: string | null }> | null;
  termsVersions: Array<{ version: number; publishedAt: string; effectiveFrom: string; hash: string }> | null;
  unavailableReason?: string;
}

/** What the manifest says about signing, written before the IdP signs it. */
export type AttestationPlan = { signed: true; cert: AttestationCertificate } | { signed: false; reason: string };

const usernameOf = (operator: string | null): string | null => (operator === null ? null : (/\(([^()]+)\)\s*$/.exec(operator)?.[1] ?? operator));

interface OperatorStats {
  label: string;
  actions: number;
  refused: number;
  failed: number;
}

/**
 * The report's figures, gathered in the one pass over the events that also writes the CSV and XLSX.
 * Everything here is bounded — per action, per operator, per day, and capped row lists — so a period of
 * millions of events costs no more memory than a small one.
 */
export class ReportCollector {
  rows = 0;
  readonly perAction = new Map<string, number>();
  readonly perOperator = new Map<string, OperatorStats>();
  /** Per action: refused, failed, unknown (console outcomes) and failed sign-ins (IdP). */
  readonly problems = new Map<string, { refused: number; failed: number; unknown: number }>();
  readonly sensitiveCounts = new Map<string, number>();
  readonly sensitive: AuditRow[] = [];
  readonly perDay = new Map<string, { events: number; admin: number }>();
  readonly admin: AuditRow[] = [];
  /** Outcomes of the listed console actions, by correlation id (filled as the outcome records come by). */
  readonly outcomes = new Map<string, string>();
  adminTotal = 0;
  /** One console record per operator: where their roles are read from the journal afterwards. */
  readonly consoleSeqOf = new Map<string, number>();
  private readonly dayOfHour = new Map<string, string>();
  private readonly pendingOutcome = new Set<string>();

  /** The console's local calendar day of an instant (cached per UTC hour: a million Date objects cost). */
  private day(at: string): string {
    const hour = at.slice(0, 13);
    let d = this.dayOfHour.get(hour);
    if (d === undefined) {
      d = localDay(new Date(at));
      this.dayOfHour.set(hour, d);
    }
    return d;
  }

  add(r: AuditRow): void {
    this.rows++;
    this.perAction.set(r.action, (this.perAction.get(r.action) ?? 0) + 1);
    const day = this.day(r.at);
    let d = this.perDay.get(day);
    if (!d) this.perDay.set(day, (d = { events: 0, admin: 0 }));
    d.events++;
    const user = usernameOf(r.operator);
    if (r.source === 'console' && user !== null && !this.consoleSeqOf.has(user)) this.consoleSeqOf.set(user, Number(r.key.slice(2)));

    // Reads of personal data have their own table; signing in is not an administrative action.
    const isAdmin = !SENSITIVE_ACTIONS.has(r.action) && r.action !== 'session.login' && ((r.source === 'console' && r.kind === 'intent') || (r.source === 'idp' && r.operator !== null));
    if (isAdmin && user !== null) {
      d.admin++;
      this.adminTotal++;
      this.operatorStats(user, r.operator!).actions++;
      if (this.admin.length < REPORT_ADMIN_ROW_CAP) {
        this.admin.push(r);
        if (r.source === 'console' && r.correlationId) this.pendingOutcome.add(r.correlationId);
      }
    }
    if (r.source === 'console' && r.outcome !== null) {
      if (r.correlationId && this.pendingOutcome.delete(r.correlationId)) this.outcomes.set(r.correlationId, r.outcome);
      if (r.outcome === 'refused' || r.outcome === 'failed' || r.outcome === 'unknown') {
        const p = this.problem(r.action);
        p[r.outcome]++;
        if (user !== null && r.outcome !== 'unknown') this.operatorStats(user, r.operator!)[r.outcome]++;
      }
    }
    if (r.source === 'idp' && failedLoginActions.includes(r.action)) this.problem(r.action).failed++;
    if (SENSITIVE_ACTIONS.has(r.action) && r.kind !== 'outcome') {
      this.sensitiveCounts.set(r.action, (this.sensitiveCounts.get(r.action) ?? 0) + 1);
      if (this.sensitive.length < SENSITIVE_ROW_CAP) this.sensitive.push(r);
    }
  }

  private operatorStats(user: string, label: string): OperatorStats {
    let s = this.perOperator.get(user);
    if (!s) this.perOperator.set(user, (s = { label, actions: 0, refused: 0, failed: 0 }));
    return s;
  }

  private problem(action: string) {
    let p = this.problems.get(action);
    if (!p) this.problems.set(action, (p = { refused: 0, failed: 0, unknown: 0 }));
    return p;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');
function localDay(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Every calendar day from `from` to `to`, both included. */
function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  for (let t = new Date(y, m - 1, d); localDay(t) <= to && out.length < 4000; t = new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1)) out.push(localDay(t));
  return out;
}

/**
 * The report's font. DejaVu Sans Condensed ships in resources/fonts (Bitstream Vera licence: it may be
 * redistributed with software), so every machine writes the same archival PDF; Debian's fonts-dejavu-core
 * is the fallback when the resources folder is not beside the code. The standard 14 PDF fonts cannot be
 * used: PDF/A requires every font embedded.
 */
export function reportFonts(): { regular: string; bold: string } {
  const candidates: string[] = [];
  for (let dir = import.meta.dirname, i = 0; i < 5; i++, dir = dirname(dir)) candidates.push(join(dir, 'resources', 'fonts'));
  candidates.push('/usr/share/fonts/truetype/dejavu');
  for (const dir of candidates) {
    const regular = join(dir, 'DejaVuSansCondensed.ttf');
    const bold = join(dir, 'DejaVuSansCondensed-Bold.ttf');
    if (existsSync(regular) && existsSync(bold)) return { regular, bold };
  }
  throw new ConsoleError('internal', 'Rapportens skrifttype (DejaVu Sans Condensed) mangler i installationen, så rapporten kan ikke skrives som arkivformat (PDF/A).');
}

export interface ReportInput {
  file: string;
  packageId: string;
  language: EvidenceLanguage;
  municipality: string;
  period: { from: string | null; to: string | null };
  scopeLabel: string;
  fullCpr: boolean;
  operator: Operator;
  createdAt: Date;
  stats: ReportCollector;
  /** Roles per operator username, as the console's journal recorded them. */
  roles: Map<string, readonly string[]>;
  chain: JournalCheck;
  plan: AttestationPlan;
  policy: PolicyContext;
  maskCpr: (s: string | null) => string | null;
}

type Texts = ReturnType<typeof texts>;
function texts(lang: EvidenceLanguage) {
  const da = lang === 'da';
  return {
    locale: da ? 'da-DK' : 'en-GB',
    title: da ? 'Revisionsrapport' : 'Audit report',
    subtitle: da ? 'Dokumentation af administrationen af kommunens NSIS Lokal IdP (Lokal IdP Admin)' : "Evidence of the administration of the municipality's NSIS Local IdP (Lokal IdP Admin)",
    coverTable: da ? 'Rapportens grundlag' : 'Basis of this report',
    field: da ? 'Felt' : 'Field',
    value: da ? 'Værdi' : 'Value',
    municipality: da ? 'Kommune' : 'Municipality',
    period: da ? 'Periode' : 'Period',
    periodValue: (from: string, to: string) => (da ? `${from} – ${to} (begge dage medregnet)` : `${from} – ${to} (both days included)`),
    fromStart: da ? 'fra begyndelsen' : 'from the start',
    untilNow: da ? 'i dag' : 'today',
    scope: da ? 'Omfang' : 'Scope',
    producedBy: da ? 'Udarbejdet af' : 'Produced by',
    producedAt: da ? 'Udarbejdet' : 'Produced at',
    packageId: da ? 'Pakke-id' : 'Package id',
    events: da ? 'Hændelser i alt' : 'Events in total',
    cpr: da ? 'CPR-numre' : 'CPR numbers',
    cprMasked: da ? 'Maskeret som ddmmåå-XXXX i rapport, CSV og XLSX' : 'Masked as ddmmyy-XXXX in the report, CSV and XLSX',
    cprFull: da ? 'Vist fuldt efter udtrykkelig anmodning med begrundelse (registreret i journalen)' : 'Shown in full on explicit request with a reason (recorded in the journal)',
    chain: da ? 'Journalens kæde' : "The journal's chain",
    idp: da ? 'Sammenligning med IdP\'en' : 'Comparison with the IdP',
    signature: da ? 'Underskrift' : 'Signature',
    timesNote: (tz: string) => (da ? `Alle tider er lokal tid (${tz}).` : `All times are local time (${tz}).`),
    verifyHeading: da ? 'Sådan kontrolleres pakken' : 'How to verify the package',
    signedPlan: (subject: string, fp: string) =>
      da
        ? `Underskrives af den lokale IdP med certifikatet ${subject}, SHA-256-fingeraftryk ${fp}. Underskriften sættes på manifest.json, efter at denne rapport er skrevet; manifestet indeholder rapportens SHA-256, så underskriften dækker også rapporten.`
        : `Signed by the Local IdP with the certificate ${subject}, SHA-256 fingerprint ${fp}. The signature is made over manifest.json after this report was written; the manifest holds this report's SHA-256, so the signature covers the report too.`,
    unsigned: (reason: string) => (da ? `PAKKEN ER IKKE UNDERSKREVET af IdP'en: ${reason}.` : `THE PACKAGE IS NOT SIGNED by the IdP: ${reason}.`),
    verifySigned: da
      ? [
          '1. Filerne: sha256sum -c SHA256SUMS (alle linjer skal sige OK).',
          '2. Underskriften: openssl dgst -sha256 -verify idp-public-key.pem -signature manifest.json.sig manifest.json (skal sige "Verified OK"). Findes manifest.json.sig ikke, er pakken ikke underskrevet, uanset hvad der står her.',
          '3. Certifikatet: openssl x509 -in idp-certificate.pem -noout -fingerprint -sha256 skal vise fingeraftrykket ovenfor, og det skal være det, IdP\'en selv oplyser (også vist i konsollen under Revision) – ikke kun det, der står i denne rapport.',
        ]
      : [
          '1. The files: sha256sum -c SHA256SUMS (every line must say OK).',
          '2. The signature: openssl dgst -sha256 -verify idp-public-key.pem -signature manifest.json.sig manifest.json (must say "Verified OK"). If manifest.json.sig is missing, the package is not signed, whatever this report says.',
          "3. The certificate: openssl x509 -in idp-certificate.pem -noout -fingerprint -sha256 must show the fingerprint above, and it must be the one the IdP itself states (also shown in the console under Revision) – not only the one printed in this report.",
        ],
    verifyUnsigned: da
      ? ['sha256sum -c SHA256SUMS viser kun, at filerne passer med hinanden – ikke hvem der har lavet dem: den, der kan omskrive alle filerne, kan også omskrive SHA256SUMS.']
      : ['sha256sum -c SHA256SUMS only shows that the files match each other – not who made them: whoever can rewrite every file can rewrite SHA256SUMS too.'],
    tampered: da ? 'JOURNALEN ER MANIPULERET eller beskadiget:' : 'THE JOURNAL HAS BEEN TAMPERED WITH or damaged:',
    moreFindings: (n: string) => (da ? `… og ${n} brud mere (alle står i manifest.json).` : `… and ${n} more breaks (all are in manifest.json).`),
    summary: da ? 'Overblik' : 'Summary',
    activity: da ? 'Aktivitet pr. dag' : 'Activity per day',
    chartAlt: (from: string, to: string, total: string, busiest: string, admin: string) =>
      da
        ? `Søjlediagram over hændelser pr. dag fra ${from} til ${to}: ${total} hændelser i alt, flest ${busiest}. Mørke søjler er administrative handlinger (${admin} i alt).`
        : `Bar chart of events per day from ${from} to ${to}: ${total} events in total, most ${busiest}. Dark bars are administrative actions (${admin} in total).`,
    legendEvents: da ? 'Hændelser' : 'Events',
    legendAdmin: da ? 'Administrative handlinger' : 'Administrative actions',
    perAction: da ? 'Hændelser pr. handlingstype' : 'Events per action type',
    action: da ? 'Handling' : 'Action',
    code: da ? 'Kode' : 'Code',
    count: da ? 'Antal' : 'Count',
    perOperator: da ? 'Administrative handlinger pr. operatør og rolle' : 'Administrative actions per operator and role',
    operator: da ? 'Operatør' : 'Operator',
    role: da ? 'Rolle' : 'Role',
    actions: da ? 'Handlinger' : 'Actions',
    refused: da ? 'Afvist' : 'Refused',
    failed: da ? 'Fejlet' : 'Failed',
    unknownOutcome: da ? 'Uafklaret' : 'Unknown',
    roleUnknown: da ? 'ikke oplyst (IdP)' : 'not stated (IdP)',
    rolesNote: da
      ? 'Roller er dem, konsollens journal registrerede for operatøren; IdP\'ens log oplyser ingen roller.'
      : "Roles are those the console's journal recorded for the operator; the IdP's log states no roles.",
    problems: da ? 'Afvisninger og fejl' : 'Refusals and failures',
    noProblems: da ? 'Ingen afviste eller fejlede handlinger og ingen mislykkede logins i perioden.' : 'No refused or failed actions and no failed sign-ins in the period.',
    problemsNote: da
      ? 'Afvist: konsollen nægtede handlingen (rolle eller OU-afgrænsning). Fejlet: systemet afviste eller svarede ikke. For IdP\'ens mislykkede logins står antallet under Fejlet.'
      : 'Refused: the console denied the action (role or OU limit). Failed: the system rejected it or did not answer. For failed sign-ins at the IdP the count is under Failed.',
    sensitive: da ? 'Følsomme opslag (fulde CPR-numre og eksporter)' : 'Sensitive reads (full CPR numbers and exports)',
    noSensitive: da ? 'Ingen fulde CPR-numre vist og ingen eksporter i perioden.' : 'No full CPR numbers shown and no exports in the period.',
    sensitiveList: (shown: string, total: string | null) =>
      total === null ? (da ? 'Enkeltvis:' : 'One by one:') : da ? `Enkeltvis, de første ${shown} af ${total} (alle står i CSV):` : `One by one, the first ${shown} of ${total} (all are in the CSV):`,
    time: da ? 'Tid' : 'Time',
    target: da ? 'Person' : 'Person',
    ou: da ? 'Enhed (OU)' : 'Unit (OU)',
    reason: da ? 'Begrundelse' : 'Reason',
    outcome: da ? 'Udfald' : 'Outcome',
    policies: da ? 'Adgangskodepolitikker i kraft' : 'Password policies in force',
    domain: da ? 'Domæne' : 'Domain',
    version: da ? 'Version' : 'Version',
    changed: da ? 'Ændret' : 'Changed',
    content: da ? 'Indhold' : 'Content',
    terms: da ? 'Vilkårsversioner' : 'Terms versions',
    published: da ? 'Udgivet' : 'Published',
    effective: da ? 'Gældende fra' : 'In force from',
    unavailable: (why: string) => (da ? `Ikke tilgængeligt: ${why}` : `Not available: ${why}`),
    policiesNote: da
      ? 'Politikkerne vises, som de står nu; tidligere versioner står i journalens policy.update-poster (se CSV).'
      : "Policies are shown as they stand now; earlier versions are in the journal's policy.update records (see the CSV).",
    adminHeading: da ? 'Administrative handlinger' : 'Administrative actions',
    adminNone: da ? 'Ingen administrative handlinger i perioden.' : 'No administrative actions in the period.',
    adminAll: (n: string) => (da ? `Alle ${n} administrative handlinger i perioden, ældste først.` : `All ${n} administrative actions in the period, oldest first.`),
    adminCapped: (shown: string, total: string) =>
      da
        ? `Tabellen viser de første ${shown} af ${total} administrative handlinger (rapporten stopper ved ${shown} rækker, så den kan læses og arkiveres). Alle handlinger og alle øvrige hændelser står i haendelser.csv og haendelser.xlsx i samme pakke.`
        : `The table shows the first ${shown} of ${total} administrative actions (the report stops at ${shown} rows so it stays readable and archivable). Every action and every other event is in haendelser.csv and haendelser.xlsx in the same package.`,
    outcomes: (o: string | null, source: 'console' | 'idp') =>
      source === 'idp'
        ? da ? 'udført (IdP)' : 'done (IdP)'
        : o === 'success' ? (da ? 'udført' : 'done') : o === 'refused' ? (da ? 'afvist' : 'refused') : o === 'failed' ? (da ? 'fejlet' : 'failed') : o === 'unknown' ? (da ? 'uafklaret' : 'unknown') : da ? 'intet udfald' : 'no outcome',
    footer: (id: string) => (da ? `Revisionsrapport · ${id}` : `Audit report · ${id}`),
    page: (x: number, y: number) => (da ? `Side ${x} af ${y}` : `Page ${x} of ${y}`),
    sources: { console: da ? 'Konsol' : 'Console', idp: da ? 'Lokal IdP' : 'Local IdP' },
  };
}

/** The journal check in English (the Danish one is the console's own text). */
function describeCheckEnglish(c: JournalCheck): string {
  const chain = c.chainIntact
    ? `The hash chain is intact (${c.count.toLocaleString('en-GB')} records checked).`
    : `THE HASH CHAIN IS BROKEN: ${c.findings.filter((f) => !f.kind.startsWith('idp-')).length + c.findingsOmitted} breaks found.`;
  const idp = {
    confirmed: `The IdP confirmed the journal${c.idp.acknowledged ? ` up to record ${c.idp.acknowledged.seq}` : ''}.`,
    tampered: "The IdP's acknowledged heads do NOT match the journal: it has been truncated, rolled back or re-hashed.",
    unavailable: 'The IdP could not be asked, so the journal is not confirmed by a party outside the console.',
    'not-configured': 'No Local IdP is set up, so the journal is not confirmed by a party outside the console.',
  }[c.idp.state];
  return `${chain} ${idp}`;
}

// Layout (points). A4 portrait for the cover and summary, landscape for the wide actions table.
const MARGIN = { top: 56, bottom: 64, left: 50, right: 50 };
const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#b8b8b8';
const HEAD_FILL = '#e4e8ee';
const BAR = '#9db3cf';
const BAR_ADMIN = '#1f4e79';

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;
const layoutOf = (doc: Doc): 'portrait' | 'landscape' => (doc.page.layout === 'landscape' ? 'landscape' : 'portrait');
/** A structure element whose content is what `draw` puts on the page. */
const tag = (doc: Doc, type: string, draw: () => unknown, options: PDFKit.Mixins.StructureElementOptions = {}): Struct =>
  doc.struct(type, options, () => {
    draw();
  });

/**
 * Writes rapport.pdf. Pages are buffered only so each can say "Side X af Y": the table rows are capped, so
 * that buffer is bounded whatever the period's size.
 */
export async function writeReport(input: ReportInput): Promise<void> {
  const t = texts(input.language);
  const fonts = reportFonts();
  const num = new Intl.NumberFormat(t.locale);
  const n = (x: number) => num.format(x);
  const longDate = new Intl.DateTimeFormat(t.locale, { day: 'numeric', month: 'long', year: 'numeric' });
  const stamp = new Intl.DateTimeFormat(t.locale, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dayOf = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return longDate.format(new Date(y, m - 1, d));
  };
  const timeOf = (iso: string) => stamp.format(new Date(iso)).replace(',', '');
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const { stats } = input;

  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    pdfVersion: '1.7',
    subset: 'PDF/A-2a',
    tagged: true,
    lang: input.language === 'da' ? 'da-DK' : 'en-GB',
    displayTitle: true,
    info: {
      Title: `${t.title} – ${input.municipality}`,
      Author: input.operator.displayName,
      Subject: t.subtitle,
      Keywords: 'NSIS, Lokal IdP, MitID Erhverv, revision, audit',
      Creator: 'Lokal IdP Admin',
      CreationDate: input.createdAt,
    },
  });
  const out = createWriteStream(input.file, { mode: 0o600 });
  doc.pipe(out);
  doc.registerFont('body', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.font('body').fontSize(10).fillColor(INK);

  const root = doc.struct('Document');
  doc.addStructure(root);
  let section: Struct = root;
  const openSection = () => {
    if (section !== root) section.end();
    section = doc.struct('Sect');
    root.add(section);
  };

  const bottom = () => doc.page.height - MARGIN.bottom;
  const ensureSpace = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage({ size: 'A4', layout: layoutOf(doc), margins: MARGIN });
  };
  const heading = (level: 1 | 2, text: string) => {
    ensureSpace(level === 1 ? 80 : 60);
    doc.moveDown(level === 1 ? 0.2 : 0.6);
    section.add(tag(doc, `H${level}`, () => doc.font('bold').fontSize(level === 1 ? 17 : 12.5).fillColor(INK).text(text, MARGIN.left, doc.y, { width: contentWidth() })));
    doc.outline.addItem(text);
    doc.font('body').fontSize(10).moveDown(0.3);
  };
  const contentWidth = () => doc.page.width - MARGIN.left - MARGIN.right;
  const para = (text: string, opts: { bold?: boolean; size?: number; color?: string } = {}) => {
    ensureSpace(30);
    section.add(tag(doc, 'P', () => doc.font(opts.bold ? 'bold' : 'body').fontSize(opts.size ?? 10).fillColor(opts.color ?? INK).text(text, MARGIN.left, doc.y, { width: contentWidth() })));
    doc.font('body').fontSize(10).fillColor(INK).moveDown(0.3);
  };

  /**
   * A tagged table: header cells are TH with column scope, data cells TD, one TR per row. When a row does
   * not fit, a new page starts and the header row is drawn again there as a pagination artifact (a screen
   * reader reads the header once; a reader of paper sees it on every page).
   */
  const table = (caption: string | null, cols: Column[], rows: Iterable<string[]>, size = 8.5) => {
    const padX = 3;
    const padY = 2.5;
    const x0 = MARGIN.left;
    const tbl = doc.struct('Table');
    section.add(tbl);
    if (caption) tbl.add(tag(doc, 'Caption', () => doc.font('bold').fontSize(9).fillColor(MUTED).text(caption, x0, doc.y, { width: contentWidth() })));
    doc.fontSize(size);
    const heightOf = (cells: readonly string[], font: 'body' | 'bold') => {
      doc.font(font).fontSize(size);
      let h = 0;
      cells.forEach((c, i) => (h = Math.max(h, doc.heightOfString(c || ' ', { width: cols[i]!.width - 2 * padX }))));
      return h + 2 * padY;
    };
    const headerHeight = heightOf(cols.map((c) => c.header), 'bold');
    const drawCells = (cells: readonly string[], y: number, h: number, head: boolean, wrap: (i: number, draw: () => void) => void) => {
      let x = x0;
      cells.forEach((c, i) => {
        const col = cols[i]!;
        const cx = x;
        wrap(i, () => {
          if (head) doc.save().rect(cx, y, col.width, h).fill(HEAD_FILL).restore();
          doc.font(head ? 'bold' : 'body').fontSize(size).fillColor(INK).text(c, cx + padX, y + padY, { width: col.width - 2 * padX, align: col.align ?? 'left', lineBreak: true });
        });
        x += col.width;
      });
    };
    const rule = (y: number) => {
      const w = cols.reduce((s, c) => s + c.width, 0);
      doc.markContent('Artifact', { type: 'Layout' });
      doc.save().moveTo(x0, y).lineTo(x0 + w, y).lineWidth(0.4).strokeColor(RULE).stroke().restore();
      doc.endMarkedContent();
    };
    const repeatHeader = () => {
      const y = doc.y;
      doc.markContent('Artifact', { type: 'Pagination' });
      drawCells(cols.map((c) => c.header), y, headerHeight, true, (_i, draw) => draw());
      doc.endMarkedContent();
      doc.y = y + headerHeight;
    };
    // The real header row.
    ensureSpace(headerHeight * 3);
    const hy = doc.y;
    const htr = doc.struct('TR');
    tbl.add(htr);
    drawCells(cols.map((c) => c.header), hy, headerHeight, true, (_i, draw) => htr.add(tag(doc, 'TH', draw, { scope: 'Column' } as PDFKit.Mixins.StructureElementOptions)));
    htr.end();
    doc.y = hy + headerHeight;
    for (const cells of rows) {
      const h = heightOf(cells, 'body');
      if (doc.y + h > bottom()) {
        doc.addPage({ size: 'A4', layout: layoutOf(doc), margins: MARGIN });
        repeatHeader();
      }
      const y = doc.y;
      const tr = doc.struct('TR');
      tbl.add(tr);
      drawCells(cells, y, h, false, (_i, draw) => tr.add(tag(doc, 'TD', draw)));
      tr.end();
      rule(y + h);
      doc.y = y + h;
    }
    tbl.end();
    doc.x = MARGIN.left;
    doc.font('body').fontSize(10).moveDown(0.6);
  };

  const from = input.period.from;
  const to = input.period.to;
  const rolesOf = (operator: string | null) => {
    const user = usernameOf(operator);
    const r = user === null ? undefined : input.roles.get(user);
    return r && r.length ? r.map((x) => roleLabels[input.language][x] ?? x).join(', ') : t.roleUnknown;
  };
  const clip = (s: string | null, max = 240) => (s === null ? '–' : s.length > max ? `${s.slice(0, max - 1)}…` : s);

  // ---- Cover ----
  openSection();
  doc.moveDown(2);
  section.add(tag(doc, 'H1', () => doc.font('bold').fontSize(26).fillColor(BAR_ADMIN).text(t.title, MARGIN.left, doc.y, { width: contentWidth() })));
  doc.outline.addItem(t.title);
  doc.moveDown(0.2);
  para(t.subtitle, { size: 11, color: MUTED });
  doc.moveDown(0.8);
  const chainText = input.language === 'da' ? describeCheck(input.chain) : describeCheckEnglish(input.chain);
  const signature = input.plan.signed ? t.signedPlan(input.plan.cert.subject, input.plan.cert.fingerprintSha256) : t.unsigned(input.plan.reason);
  table(null, [{ header: t.field, width: 120 }, { header: t.value, width: contentWidth() - 120 }], [
    [t.municipality, input.municipality],
    [t.period, t.periodValue(from ? dayOf(from) : t.fromStart, to ? dayOf(to) : t.untilNow)],
    [t.scope, input.scopeLabel],
    [t.producedBy, `${input.operator.displayName} (${input.operator.username}), ${input.operator.roles.map((r) => roleLabels[input.language][r] ?? r).join(', ')}`],
    [t.producedAt, `${timeOf(input.createdAt.toISOString())}. ${t.timesNote(tz)}`],
    [t.packageId, input.packageId],
    [t.events, n(stats.rows)],
    [t.cpr, input.fullCpr ? t.cprFull : t.cprMasked],
    [t.chain, chainText],
    [t.signature, signature],
  ], 9.5);
  if (!input.chain.ok && input.chain.idp.state !== 'unavailable' && input.chain.idp.state !== 'not-configured') {
    para(t.tampered, { bold: true });
    for (const f of input.chain.findings.slice(0, 100)) para(`– ${f.message}`);
    const more = input.chain.findings.length - Math.min(100, input.chain.findings.length) + input.chain.findingsOmitted;
    if (more > 0) para(t.moreFindings(n(more)));
  }
  heading(2, t.verifyHeading);
  for (const line of input.plan.signed ? t.verifySigned : t.verifyUnsigned) para(line, { size: 9 });

  // ---- Summary ----
  doc.addPage({ size: 'A4', layout: 'portrait', margins: MARGIN });
  openSection();
  heading(1, t.summary);
  heading(2, t.activity);
  const days = from && to ? daysBetween(from, to) : [...stats.perDay.keys()].sort();
  drawChart(doc, section, days, stats, t, n, dayOf, contentWidth());

  heading(2, t.perAction);
  const actions = [...stats.perAction.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  table(null, [{ header: t.action, width: 230 }, { header: t.code, width: contentWidth() - 300 }, { header: t.count, width: 70, align: 'right' }],
    actions.map(([a, c]) => [auditActionLabel(a, input.language), a, n(c)]));

  heading(2, t.perOperator);
  const operators = [...stats.perOperator.values()].sort((a, b) => b.actions - a.actions || a.label.localeCompare(b.label));
  if (operators.length === 0) para(t.adminNone);
  else {
    table(null, [{ header: t.operator, width: 165 }, { header: t.role, width: contentWidth() - 165 - 180 }, { header: t.actions, width: 60, align: 'right' }, { header: t.refused, width: 60, align: 'right' }, { header: t.failed, width: 60, align: 'right' }],
      operators.map((o) => [o.label, rolesOf(o.label), n(o.actions), n(o.refused), n(o.failed)]));
    para(t.rolesNote, { size: 8.5, color: MUTED });
  }

  heading(2, t.problems);
  const problems = [...stats.problems.entries()].sort((a, b) => b[1].refused + b[1].failed - (a[1].refused + a[1].failed));
  if (problems.length === 0) para(t.noProblems);
  else {
    table(null, [{ header: t.action, width: contentWidth() - 195 }, { header: t.refused, width: 65, align: 'right' }, { header: t.failed, width: 65, align: 'right' }, { header: t.unknownOutcome, width: 65, align: 'right' }],
      problems.map(([a, p]) => [`${auditActionLabel(a, input.language)} (${a})`, n(p.refused), n(p.failed), n(p.unknown)]));
    para(t.problemsNote, { size: 8.5, color: MUTED });
  }

  heading(2, t.sensitive);
  if (stats.sensitiveCounts.size === 0) para(t.noSensitive);
  else {
    table(null, [{ header: t.action, width: contentWidth() - 70 }, { header: t.count, width: 70, align: 'right' }],
      [...stats.sensitiveCounts.entries()].map(([a, c]) => [auditActionLabel(a, input.language), n(c)]));
    const sensitiveTotal = [...stats.sensitiveCounts.values()].reduce((x, y) => x + y, 0);
    para(t.sensitiveList(n(stats.sensitive.length), sensitiveTotal > stats.sensitive.length ? n(sensitiveTotal) : null), { size: 9 });
    table(null, [{ header: t.time, width: 78 }, { header: t.operator, width: 100 }, { header: t.action, width: 95 }, { header: t.target, width: 90 }, { header: t.reason, width: contentWidth() - 363 }],
      stats.sensitive.map((r) => [timeOf(r.at), r.operator ?? '–', auditActionLabel(r.action, input.language), clip(input.maskCpr(r.person)), clip(input.maskCpr(r.reason))]), 8);
  }

  heading(2, t.policies);
  if (input.policy.passwordPolicies) {
    table(null, [{ header: t.domain, width: 135 }, { header: t.version, width: 45, align: 'right' }, { header: t.changed, width: 75 }, { header: t.content, width: contentWidth() - 255 }],
      input.policy.passwordPolicies.map((p) => [p.domain, String(p.version), p.changedAt ? timeOf(p.changedAt) : '–', p.summary]), 8.5);
    para(t.policiesNote, { size: 8.5, color: MUTED });
  } else para(t.unavailable(input.policy.unavailableReason ?? '–'));
  heading(2, t.terms);
  if (input.policy.termsVersions) {
    table(null, [{ header: t.version, width: 45, align: 'right' }, { header: t.published, width: 80 }, { header: t.effective, width: 80 }, { header: 'SHA-256', width: contentWidth() - 205 }],
      input.policy.termsVersions.map((v) => [String(v.version), timeOf(v.publishedAt), timeOf(v.effectiveFrom), v.hash]), 8.5);
  } else para(t.unavailable(input.policy.unavailableReason ?? '–'));

  // ---- Administrative actions (landscape: eight columns) ----
  doc.addPage({ size: 'A4', layout: 'landscape', margins: MARGIN });
  openSection();
  heading(1, t.adminHeading);
  if (stats.adminTotal === 0) para(t.adminNone);
  else {
    para(stats.adminTotal > stats.admin.length ? t.adminCapped(n(stats.admin.length), n(stats.adminTotal)) : t.adminAll(n(stats.adminTotal)), { size: 9 });
    const w = contentWidth();
    const fixed = [80, 120, 58, 95, 85, 80, 52];
    const cols: Column[] = [
      { header: t.time, width: fixed[0]! },
      { header: t.operator, width: fixed[1]! },
      { header: t.role, width: fixed[2]! },
      { header: t.action, width: fixed[3]! },
      { header: t.target, width: fixed[4]! },
      { header: t.ou, width: fixed[5]! },
      { header: t.reason, width: w - fixed.reduce((s, x) => s + x, 0) },
      { header: t.outcome, width: fixed[6]! },
    ];
    table(null, cols, (function* () {
      for (const r of stats.admin) {
        const reason = r.source === 'idp' ? (/Begrundelse: (.+)$/.exec(r.message ?? '')?.[1] ?? null) : r.reason;
        yield [
          timeOf(r.at),
          r.operator ?? '–',
          rolesOf(r.operator),
          auditActionLabel(r.action, input.language),
          clip(input.maskCpr(r.person), 80),
          clip(r.ou, 120),
          clip(input.maskCpr(reason)),
          t.outcomes(r.correlationId ? (stats.outcomes.get(r.correlationId) ?? null) : null, r.source),
        ];
      }
    })(), 7.5);
  }
  section.end();
  root.end();

  // Footers last, when the page count is known: "Side X af Y" and the package id, as pagination artifacts.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the margin must not start a new page
    const y = doc.page.height - 40;
    const w = doc.page.width - MARGIN.left - MARGIN.right;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.save().moveTo(MARGIN.left, y - 6).lineTo(MARGIN.left + w, y - 6).lineWidth(0.4).strokeColor(RULE).stroke().restore();
    doc.font('body').fontSize(8).fillColor(MUTED);
    doc.text(t.footer(input.packageId), MARGIN.left, y, { width: w - 90, lineBreak: false, ellipsis: true });
    doc.text(t.page(i - range.start + 1, range.count), MARGIN.left + w - 90, y, { width: 90, align: 'right', lineBreak: false });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottomMargin;
  }
  doc.end();
  await once(out, 'finish');
}

/** Activity per day as vector bars (events, and administrative actions in front), tagged as a figure with alt text. */
function drawChart(doc: Doc, section: Struct, days: string[], stats: ReportCollector, t: Texts, n: (x: number) => string, dayOf: (d: string) => string, width: number): void {
  const height = 170;
  if (doc.y + height + 40 > doc.page.height - MARGIN.bottom) doc.addPage({ size: 'A4', layout: layoutOf(doc), margins: MARGIN });
  const values = days.map((d) => stats.perDay.get(d) ?? { events: 0, admin: 0 });
  const max = Math.max(1, ...values.map((v) => v.events));
  let busiest = 0;
  values.forEach((v, i) => (busiest = v.events > values[busiest]!.events ? i : busiest));
  const totalAdmin = values.reduce((s, v) => s + v.admin, 0);
  const alt = days.length
    ? t.chartAlt(dayOf(days[0]!), dayOf(days.at(-1)!), n(values.reduce((s, v) => s + v.events, 0)), `${dayOf(days[busiest]!)} (${n(values[busiest]!.events)})`, n(totalAdmin))
    : t.chartAlt('–', '–', '0', '–', '0');
  // A round scale: 1, 2 or 5 times a power of ten per gridline.
  const rawStep = max / 4;
  const pow = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 5, 10].map((k) => k * pow).find((s) => s >= rawStep) ?? rawStep;
  const top = Math.ceil(max / step) * step;
  const x0 = MARGIN.left + 44;
  const y0 = doc.y + 8;
  const plotW = width - 44;
  const barW = plotW / Math.max(1, days.length);
  const y = (v: number) => y0 + height - (v / top) * height;

  section.add(
    tag(doc, 'Figure', () => {
      doc.save();
      doc.font('body').fontSize(7).fillColor('#666666');
      for (let v = 0; v <= top + 1e-9; v += step) {
        doc.moveTo(x0, y(v)).lineTo(x0 + plotW, y(v)).lineWidth(0.3).strokeColor('#d0d0d0').stroke();
        doc.text(new Intl.NumberFormat(t.locale).format(v), MARGIN.left, y(v) - 3.5, { width: 40, align: 'right', lineBreak: false });
      }
      values.forEach((v, i) => {
        const bx = x0 + i * barW + barW * 0.15;
        const bw = Math.max(0.8, barW * 0.7);
        if (v.events) doc.rect(bx, y(v.events), bw, y0 + height - y(v.events)).fill(BAR);
        if (v.admin) doc.rect(bx + bw * 0.2, y(v.admin), bw * 0.6, y0 + height - y(v.admin)).fill(BAR_ADMIN);
      });
      // Day labels: about a dozen, whatever the period's length.
      const every = Math.max(1, Math.ceil(days.length / 12));
      doc.fillColor('#444444');
      days.forEach((d, i) => {
        if (i % every !== 0) return;
        const [, m, dd] = d.split('-');
        doc.text(`${Number(dd)}/${Number(m)}`, x0 + i * barW - 10 + barW / 2, y0 + height + 3, { width: 20, align: 'center', lineBreak: false });
      });
      const ly = y0 + height + 16;
      doc.rect(x0, ly, 8, 8).fill(BAR);
      doc.fillColor('#333333').fontSize(8).text(t.legendEvents, x0 + 12, ly, { lineBreak: false });
      doc.rect(x0 + 110, ly, 8, 8).fill(BAR_ADMIN);
      doc.fillColor('#333333').text(t.legendAdmin, x0 + 122, ly, { lineBreak: false });
      doc.restore();
    }, { alt }),
  );
  doc.x = MARGIN.left;
  doc.y = y0 + height + 34;
  doc.font('body').fontSize(10).fillColor(INK);
}
