// `npm run bench -- mitid-search`: the full-organisation search of 100,000 employees (BENCH_PEOPLE) parsed
// into a local cache by the real client (streamed, over mTLS from the simulator), against the reference in
// the same run: the same body over the same mTLS read whole, JSON.parse'd and inserted into the same cache.
// Each variant runs in its own child process so its peak memory (maxRSS) is its own.
import { spawn } from 'node:child_process';
import https from 'node:https';
import { createMitIdErhvervClient } from '../src-main/connectors/mitid-erhverv/index.ts';
import { startMitIdSimulator } from '../src-main/training/mitid-sim/index.ts';
import { median, round, type Benchmark, type BenchResult } from './lib.ts';

interface ChildConfig {
  mode: 'client' | 'client-stream-json' | 'reference';
  url: string;
  caPem: string;
  pfx: string;
  passphrase: string;
}

interface ChildResult {
  count: number;
  ms: number;
  /** Peak resident memory above the process's resident memory just before the run. */
  peakRssDelta: number;
  /** Heap still held after a full GC, above the start: the cache itself. */
  cacheHeap: number;
}

const path = '/api/administration/identity/employee/search';

function fetchRaw(cfg: ChildConfig, token: string | null, body: string, at = path): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const u = new URL(at, cfg.url);
    const req = https.request(
      {
        method: 'POST',
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        pfx: Buffer.from(cfg.pfx, 'base64'),
        passphrase: cfg.passphrase,
        ca: cfg.caPem,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(chunks));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The reference's own token call, over the same mTLS. */
async function rawToken(cfg: ChildConfig): Promise<string> {
  const chunks = await fetchRaw(cfg, null, '{}', '/api/administration/idmlogin/tls/authenticate');
  return (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { accessToken: string }).accessToken;
}

async function child(cfg: ChildConfig): Promise<ChildResult> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const client = createMitIdErhvervClient({
    baseUrl: cfg.url,
    pkcs12: Buffer.from(cfg.pfx, 'base64'),
    passphrase: cfg.passphrase,
    ca: cfg.caPem,
    searchParser: cfg.mode === 'client-stream-json' ? 'stream-json' : 'splitter',
  });
  // Warm up TLS, the token and the code paths on the real endpoint before measuring.
  await client.listSeNumbers();
  const token = await rawToken(cfg);
  type Entry = { status: string; cprNumber: string | null; emailAddress: string | null };
  const cache = new Map<string, Entry>();
  gc();
  const baseRss = process.memoryUsage().rss;
  const baseHeap = process.memoryUsage().heapUsed;
  const started = performance.now();
  if (cfg.mode !== 'reference') {
    await client.searchAll((i) => {
      cache.set(i.uuid, { status: i.status, cprNumber: i.cprNumber, emailAddress: i.emailAddress });
    });
  } else {
    const chunks = await fetchRaw(cfg, token, JSON.stringify({ maxCount: 0, removeUuidFromResultSet: false }));
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      employees: Array<{ uuid: string; status: string; emailAddress: string | null; profile?: { cprNumber?: string | null } }>;
    };
    for (const e of parsed.employees) cache.set(e.uuid, { status: e.status, cprNumber: e.profile?.cprNumber ?? null, emailAddress: e.emailAddress });
  }
  const ms = performance.now() - started;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  gc();
  const cacheHeap = process.memoryUsage().heapUsed - baseHeap;
  await client.close();
  return { count: cache.size, ms, peakRssDelta: Math.max(0, peakRss - baseRss), cacheHeap };
}

function runChild(cfg: ChildConfig): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', import.meta.filename, '--child'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildResult);
    });
    p.stdin.end(JSON.stringify(cfg));
  });
}

const mb = (b: number) => round(b / 1024 / 1024, 1);

const bench: Benchmark = {
  name: 'mitid-search',
  description: 'MitID Erhverv-søgning med 100.000 medarbejdere: streamet parsing ind i cachen vs. JSON.parse af samme svar',
  async run(): Promise<BenchResult> {
    const people = Number(process.env.BENCH_PEOPLE ?? 100_000);
    const runs = Number(process.env.BENCH_RUNS ?? 3);
    const sim = await startMitIdSimulator({ searchChunkSize: 1000 });
    try {
      for (let n = 0; n < people; n++) {
        sim.state.insert({
          givenName: `Fornavn${n} Mellemnavn`,
          surname: `Efternavn${n}`,
          emailAddress: `medarbejder${n}@kommune.dk`,
          cprNumber: String(6_101_800_000 + n).padStart(10, '0'),
          status: n % 50 === 0 ? 'Suspended' : 'Active',
        });
      }
      const base = { url: sim.url, caPem: sim.caPem, pfx: sim.client.pfx.toString('base64'), passphrase: sim.client.passphrase };
      // Body size, measured on the wire.
      const probeCfg: ChildConfig = { mode: 'reference', ...base };
      const bodyBytes = (await fetchRaw(probeCfg, await rawToken(probeCfg), '{}')).reduce((n, c) => n + c.length, 0);

      const client: ChildResult[] = [];
      const streamJson: ChildResult[] = [];
      const reference: ChildResult[] = [];
      for (let r = 0; r < runs; r++) {
        client.push(await runChild({ mode: 'client', ...base }));
        streamJson.push(await runChild({ mode: 'client-stream-json', ...base }));
        reference.push(await runChild({ mode: 'reference', ...base }));
      }
      if ([...client, ...streamJson, ...reference].some((c) => c.count !== people)) throw new Error('ufuldstændig søgning');
      const ms = (xs: ChildResult[]) => median(xs.map((c) => c.ms));
      const peak = (xs: ChildResult[]) => median(xs.map((c) => c.peakRssDelta));
      // What parsing costs beyond the cache it fills: the quantity the 2× goal is about.
      const overhead = (xs: ChildResult[]) => median(xs.map((c) => Math.max(0, c.peakRssDelta - c.cacheHeap)));
      const cMs = ms(client);
      const rMs = ms(reference);
      const memGoal = overhead(client) < 2 * bodyBytes;
      const timeGoal = cMs <= rMs;
      return {
        metrics: {
          timeMs: { value: round(cMs, 0), unit: 'ms' },
          peakMemoryMB: { value: mb(peak(client)), unit: 'MB' },
          parseOverheadMB: { value: mb(overhead(client)), unit: 'MB' },
          cacheMB: { value: mb(median(client.map((c) => c.cacheHeap))), unit: 'MB' },
          bodyMB: { value: mb(bodyBytes), unit: 'MB' },
          streamJsonTimeMs: { value: round(ms(streamJson), 0), unit: 'ms' },
          streamJsonPeakMemoryMB: { value: mb(peak(streamJson)), unit: 'MB' },
        },
        reference: {
          timeMs: { value: round(rMs, 0), unit: 'ms' },
          peakMemoryMB: { value: mb(peak(reference)), unit: 'MB' },
          parseOverheadMB: { value: mb(overhead(reference)), unit: 'MB' },
          cacheMB: { value: mb(median(reference.map((c) => c.cacheHeap))), unit: 'MB' },
          bodyMB: { value: mb(bodyBytes), unit: 'MB' },
        },
        ratio: round(cMs / rMs, 2),
        goal: { parseOverheadMB: `< ${mb(2 * bodyBytes)} (2× svaret)`, timeMs: `≤ ${round(rMs, 0)} (JSON.parse + indsæt)` },
        pass: memGoal && timeGoal,
        notes: [
          `${people} medarbejdere, median af ${runs} kørsler; hver variant i egen proces (maxRSS over udgangspunktet)`,
          'parseOverhead = højeste RSS over udgangspunktet minus den heap cachen selv fylder efter GC',
          `hukommelse ${memGoal ? 'under' : 'OVER'} 2× svaret; tid ${timeGoal ? 'inden for' : 'OVER'} referencen`,
          'streamJson* = samme klient med stream-json-parseren (til sammenligning)',
        ],
      };
    } finally {
      await sim.stop();
    }
  },
};

export default bench;

if (process.argv.includes('--child')) {
  let input = '';
  process.stdin.setEncoding('utf8');
  for await (const c of process.stdin) input += c;
  const result = await child(JSON.parse(input) as ChildConfig);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
