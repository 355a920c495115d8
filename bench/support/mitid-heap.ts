// The main process's heap during a full MitID Erhverv read, without Samba: the sync benchmark's simulators
// (a child process, HTTPS with mutual TLS), the product's client and sync adapter in this process, and the
// AD people held alive beside them as the console holds them (the live set old space grows from).
// Prints one JSON line: peak RSS and heap, heap after a full GC, bytes allocated, GC pauses, event-loop
// delay, time. Run with --expose-gc (for the after-GC figure):
//   node --expose-gc bench/support/mitid-heap.ts [people]
// By default the product's heap bound is applied (src-main/heap.ts, as createCore does); HEAP_TUNING=0
// leaves V8's defaults (the "before" of a comparison); HEAP_FLAGS='--a --b' sets other V8 flags instead;
// ALLOC_PROFILE=1 also prints where the allocations come from (to stderr).
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay, PerformanceObserver, type NodeGCPerformanceDetail } from 'node:perf_hooks';
import { GCProfiler, setFlagsFromString } from 'node:v8';
import { boundHeapGrowth, HEAP_GROWING_PERCENT } from '../../src-main/heap.ts';
import { createMitIdErhvervClient, mitIdClientOptionsFromProfile } from '../../src-main/connectors/mitid-erhverv/index.ts';
import { createMitIdSource } from '../../src-main/services/people/sync/mitid-source.ts';
import type { KnownFacts, SyncProgress } from '../../src-main/services/people/sync/source.ts';
import { scaleUsers } from '../../test/support/samba/scale.ts';
import type { SimReady } from './sync-simulators.ts';

const people = Number(process.argv[2] ?? 40_000);
const flags = (process.env.HEAP_FLAGS ?? '').split(' ').filter(Boolean);
if (flags.length > 0) for (const f of flags) setFlagsFromString(f);
else if (process.env.HEAP_TUNING !== '0') boundHeapGrowth();
const tuning = flags.length > 0 ? flags.join(' ') : process.env.HEAP_TUNING === '0' ? 'V8 defaults' : `--heap-growing-percent=${HEAP_GROWING_PERCENT} (product)`;
const ballast = scaleUsers(people); // the AD people, alive for the whole read as in the console

const child = fork(join(import.meta.dirname, 'sync-simulators.ts'), [], { env: { ...process.env, BENCH_AD_PEOPLE: String(people), BENCH_SYNC_SIMULATORS: '1' }, stdio: 'inherit' });
const ready = await new Promise<SimReady>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`simulators stopped (${code})`)));
  child.on('message', (m) => {
    if ((m as { ready?: boolean }).ready) resolve(m as SimReady);
  });
});
child.removeAllListeners('exit');

const m = ready.mitid;
const client = createMitIdErhvervClient(mitIdClientOptionsFromProfile({ baseUrl: m.url, timeoutMs: 30_000 }, Buffer.from(m.pfxBase64, 'base64'), m.passphrase, m.caPem));
const source = createMitIdSource(client);
const empty: KnownFacts<never> = { get: () => undefined, keys: () => [], size: () => 0 };
const progress: SyncProgress[] = [];

const pauses: number[] = [];
const kinds: Record<string, number> = {};
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    pauses.push(e.duration);
    const kind = ((e as PerformanceEntry & { detail?: NodeGCPerformanceDetail }).detail)?.kind ?? 0;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
});
obs.observe({ entryTypes: ['gc'] });
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const profiler = new GCProfiler();
profiler.start();
let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 100);

// ALLOC_PROFILE=1: where the allocations come from (V8's sampling heap profiler, collected objects included).
const inspector = process.env.ALLOC_PROFILE === '1' ? new (await import('node:inspector/promises')).Session() : null;
if (inspector) {
  inspector.connect();
  await inspector.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}
const t0 = performance.now();
const result = await source.refresh(null, empty, { signal: new AbortController().signal, progress: (p) => progress.push(p), now: Date.now, adopted: async () => {}, early: async () => {}, stored: () => null, preview: () => {} });
const ms = performance.now() - t0;

clearInterval(sampler);
if (inspector) {
  type Node = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] };
  const { profile } = (await inspector.post('HeapProfiler.stopSampling')) as { profile: { head: Node } };
  const by = new Map<string, number>();
  const walk = (n: Node, stack: string[]) => {
    const f = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(`${pathToFileURL(process.cwd()).href}/`, '')}:${n.callFrame.lineNumber + 1}`;
    const key = [...stack.slice(-2), f].join(' < ');
    by.set(key, (by.get(key) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c, [...stack, f].slice(-2));
  };
  walk(profile.head, []);
  const total = [...by.values()].reduce((a, b) => a + b, 0);
  for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.error(`${((100 * v) / total).toFixed(1)}%  ${k}`);
}
loop.disable();
const gcs = profiler.stop();
obs.disconnect();
const mb = (b: number) => Math.round(b / 2 ** 20);
// Allocated = what each GC found in use minus what the one before left (plus what is in use at the end).
let allocated = 0;
let after = gcs.statistics[0]?.beforeGC.heapStatistics.usedHeapSize ?? 0;
for (const s of gcs.statistics) {
  allocated += Math.max(0, s.beforeGC.heapStatistics.usedHeapSize - after);
  after = s.afterGC.heapStatistics.usedHeapSize;
}
const peakRss = mb(process.resourceUsage().maxRSS * 1024);
const heapBeforeGc = process.memoryUsage().heapUsed;
(globalThis as { gc?: () => void }).gc?.();
const heapAfterGc = process.memoryUsage().heapUsed;
const sorted = [...pauses].sort((a, b) => a - b);
const calls = Object.values(result.calls).reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({
    people,
    tuning,
    identities: ready.identities,
    upserts: result.upserts.length,
    calls,
    seconds: Math.round(ms / 100) / 10,
    peakRssMB: peakRss,
    peakHeapMB: mb(peakHeap),
    heapAtEndMB: mb(heapBeforeGc),
    heapAfterFullGcMB: mb(heapAfterGc),
    allocatedPerCallKB: Math.round(allocated / calls / 102.4) / 10,
    gcCount: pauses.length,
    gcKinds: kinds, // 1 scavenge, 2 minor mark-sweep, 4 mark-sweep-compact, 8 incremental, 16 weak callbacks
    gcPauseMaxMs: Math.round(sorted.at(-1) ?? 0),
    gcPauseP99Ms: Math.round((sorted[Math.floor(sorted.length * 0.99)] ?? 0) * 10) / 10,
    gcPauseTotalMs: Math.round(pauses.reduce((a, b) => a + b, 0)),
    loopDelayP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
    loopDelayMaxMs: Math.round(loop.max / 1e6),
    ballast: ballast.length,
  }),
);
await client.close();
child.send({ cmd: 'stop', id: 0 });
await new Promise((r) => child.once('exit', r));
