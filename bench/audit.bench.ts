import { openDatabase } from '../src-main/store/sqlite.ts';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditFilter } from '../shared/domain/audit.ts';
import { cells, createCsvWriter, exportEvidence } from '../src-main/services/audit/evidence.ts';
import { openAuditStore } from '../src-main/store/audit-store.ts';
import { openJournal, type JournalEntryInput } from '../src-main/store/journal.ts';
import { prng } from '../src-main/training/prng.ts';
import { median, percentile, round, type Benchmark } from './lib.ts';

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const EXPORT_RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 3);
const PEOPLE = 100_000;
const QUERIES = 60;

const mix: Array<[string, number]> = [
  ['session.login', 0.08], ['people.unlockAccount', 0.3], ['people.resetPassword', 0.25], ['people.assignLocalAuthenticator', 0.15],
  ['people.lockDevice', 0.07], ['settings.update', 0.01], ['audit.exportEvidence', 0.01], ['people.suspendIdentity', 0.13],
];
const ous = ['Borgerservice', 'Sundhed og Omsorg', 'Teknik og Miljø', 'Medarbejdere,OU=Skoler', 'Elever,OU=Skoler', 'Eksterne konsulenter'];

function fill(journalFile: string): { ms: number } {
  const journal = openJournal(journalFile);
  const rand = prng(7);
  const operators = Array.from({ length: 25 }, (_, i) => ({ username: `op${i}`, displayName: `Operatør ${i}`, dn: `CN=op${i}`, roles: ['helpdesk' as const], helpdeskOus: null }));
  const start = Date.now() - 395 * 86_400_000;
  const t0 = performance.now();
  const batch: JournalEntryInput[] = [];
  for (let i = 0; i < EVENTS; i++) {
    let r = rand();
    let op = 'people.unlockAccount';
    for (const [name, share] of mix) {
      if (r < share) {
        op = name;
        break;
      }
      r -= share;
    }
    const p = Math.floor(rand() * PEOPLE);
    batch.push({
      kind: i % 2 ? 'outcome' : 'intent', operation: op, operator: operators[Math.floor(rand() * operators.length)]!, workstation: 'WS-01',
      correlationId: `c${i >> 1}`, target: { id: `p${p}`, label: `Person ${p} (user${p})`, ou: `OU=${ous[p % ous.length]},DC=kommune,DC=dk` },
      reason: 'Borgeren ringede, identitet bekræftet', outcome: i % 2 ? 'success' : null, summary: {},
      at: new Date(start + (i / EVENTS) * 395 * 86_400_000).toISOString(),
    });
    if (batch.length === 20_000) journal.appendMany(batch.splice(0));
  }
  journal.appendMany(batch);
  journal.close();
  return { ms: performance.now() - t0 };
}

const bench: Benchmark = {
  name: 'audit',
  description: `${EVENTS.toLocaleString('da-DK')} journal events: filtered queries (p95) and CSV export of all of them; reference: plain indexed SQLite queries and a plain line writer over the same rows`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'lia-bench-audit-'));
    try {
      const file = join(dir, 'journal.sqlite');
      const filled = fill(file);
      const journal = openJournal(file);
      const store = openAuditStore(journal.file);
      // The reference: plain SQL on a connection of its own.
      const benchDb = openDatabase(file);
      const rand = prng(11);
      const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);

      const time = (fn: () => unknown) => {
        const t = performance.now();
        fn();
        return performance.now() - t;
      };
      const kinds = {
        person: () => AuditFilter.parse({ person: `p${Math.floor(rand() * PEOPLE)}` }),
        action: () => AuditFilter.parse({ actions: ['settings.update'] }),
        dateRange: () => {
          const from = 30 + Math.floor(rand() * 300);
          return AuditFilter.parse({ from: day(from), to: day(from - 7) });
        },
      };
      const refSql = {
        person: benchDb.prepare('SELECT * FROM journal WHERE target = ? ORDER BY at DESC LIMIT 200'),
        action: benchDb.prepare('SELECT * FROM journal WHERE operation = ? ORDER BY at DESC LIMIT 200'),
        dateRange: benchDb.prepare('SELECT * FROM journal WHERE at >= ? AND at < ? ORDER BY at DESC LIMIT 200'),
      };
      const metrics: Record<string, { value: number; unit: string }> = {};
      const reference: Record<string, { value: number; unit: string }> = {};
      for (const [k, make] of Object.entries(kinds) as Array<[keyof typeof kinds, () => AuditFilter]>) {
        const ours: number[] = [];
        const ref: number[] = [];
        for (let i = 0; i < QUERIES; i++) {
          const f = make();
          ours.push(time(() => store.search(f, { limit: 200 })));
          ref.push(time(() => (k === 'person' ? refSql.person.all(f.person!) : k === 'action' ? refSql.action.all(f.actions[0]!) : refSql.dateRange.all(new Date(f.from!).toISOString(), new Date(f.to!).toISOString()))));
        }
        metrics[`${k}QueryP95`] = { value: round(percentile(ours, 95)), unit: 'ms' };
        reference[`${k}QueryP95`] = { value: round(percentile(ref, 95)), unit: 'ms' };
      }

      // Export all events to CSV with the evidence writer, and the same rows through a plain line writer
      // (no quoting, no CSV library) as the reference; alternated, so neither pays alone for a cold cache.
      const all = AuditFilter.parse({});
      let rss: number[] = [];
      const ours = async () => {
        const file = join(dir, 'all.csv');
        const samples: number[] = [];
        const base = process.memoryUsage().rss;
        const t = performance.now();
        const csv = createCsvWriter(file);
        let n = 0;
        for (const r of store.iterate(all)) {
          const wait = csv.write(cells(r, false));
          if (wait) await wait;
          if (++n % 100_000 === 0) samples.push(process.memoryUsage().rss - base);
        }
        await csv.end();
        rss = samples;
        return { ms: performance.now() - t, bytes: statSync(file).size };
      };
      const plain = async () => {
        const file = join(dir, 'ref.txt');
        const t = performance.now();
        const out = createWriteStream(file);
        for (const r of store.iterate(all)) {
          if (!out.write(cells(r, false).join(';') + '\n')) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
        return { ms: performance.now() - t, bytes: statSync(file).size };
      };
      const oursRuns: number[] = [];
      const refRuns: number[] = [];
      let bytes = 0;
      for (let i = 0; i < EXPORT_RUNS; i++) {
        const r = await plain();
        refRuns.push(r.bytes / 1e6 / (r.ms / 1000));
        const o = await ours();
        oursRuns.push(o.bytes / 1e6 / (o.ms / 1000));
        bytes = o.bytes;
      }
      // The whole evidence package over every event, as an auditor exports it: CSV, XLSX, the chain check,
      // the PDF report and the manifest. One run (it takes minutes); memory sampled at every progress step.
      let base200k: number | null = null;
      let packageGrowth = 0;
      const startRss = process.memoryUsage().rss;
      let packagePeak = startRss;
      const tPackage = performance.now();
      const pkg = await exportEvidence(store, journal, {
        filter: all, scopeLabel: 'Alle hændelser', fullCpr: false,
        operator: { username: 'revisor', displayName: 'Rikke Revisor', dn: 'CN=revisor', roles: ['auditor'], helpdeskOus: null },
        outRoot: join(dir, 'evidence'), policy: { passwordPolicies: null, termsVersions: null, unavailableReason: 'benchmark' }, idp: null, anchoredSeq: 0,
      }, {
        signal: new AbortController().signal,
        progress: (p) => {
          const now = process.memoryUsage().rss;
          packagePeak = Math.max(packagePeak, now);
          if (base200k === null && p.done >= 200_000) base200k = now;
          if (base200k !== null) packageGrowth = Math.max(packageGrowth, now - base200k);
        },
      });
      const packageMs = performance.now() - tPackage;
      const pdf = readFileSync(join(pkg.folder, 'rapport.pdf'));
      const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
      journal.close();

      const mbps = median(oursRuns);
      const refMbps = median(refRuns);
      const growth = rss.length > 2 ? (rss.at(-1)! - rss[1]!) / 1e6 : 0;
      metrics.exportThroughput = { value: round(mbps, 1), unit: 'MB/s' };
      reference.exportThroughput = { value: round(refMbps, 1), unit: 'MB/s' };
      metrics.exportMemoryGrowth = { value: round(growth, 1), unit: 'MB (from 200k to all rows)' };
      metrics.fill = { value: round(filled.ms / 1000, 1), unit: 's' };
      metrics.packageSeconds = { value: round(packageMs / 1000, 1), unit: 's (CSV, XLSX, chain check, PDF, manifest)' };
      metrics.packageMemoryGrowth = { value: round(packageGrowth / 1e6, 1), unit: 'MB (from 200k rows to the end)' };
      metrics.packagePeakRss = { value: round((packagePeak - startRss) / 1e6, 1), unit: 'MB above the start of the export' };
      metrics.reportPages = { value: pages, unit: `pages (${round(pdf.length / 1e6, 2)} MB PDF)` };
      const p95 = Math.max(metrics.personQueryP95!.value, metrics.actionQueryP95!.value, metrics.dateRangeQueryP95!.value);
      return {
        metrics,
        reference,
        ratio: round(mbps / refMbps),
        goal: { personQueryP95: '< 100 ms', actionQueryP95: '< 100 ms', dateRangeQueryP95: '< 100 ms', exportThroughput: '>= 50 MB/s', exportMemoryGrowth: 'flat (< 50 MB)', packageMemoryGrowth: 'flat (< 100 MB)' },
        pass: p95 < 100 && mbps >= 50 && growth < 50 && packageGrowth / 1e6 < 100,
        notes: [`${EVENTS.toLocaleString('da-DK')} rows, median of ${EXPORT_RUNS} alternated runs each, ${round(bytes / 1e6, 1)} MB CSV; ratio = export throughput / plain writer throughput`],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
