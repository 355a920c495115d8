// How far V8 lets the main process's old space grow between full collections. By default it grows by a
// factor V8 picks from its GC speed (up to 4× what survived the last one): a full MitID Erhverv read
// (~140,000 HTTPS calls, ~90 KB of garbage each) promotes short-lived call garbage, and old space grew to
// 1.4 GB with 0.4 GB alive (#15: peak RSS 1.7 GB, goal < 1 GB). A fixed factor of 1.3 — V8's own
// "conservative" one — collects sooner; the collections are incremental and concurrent, and their cost in
// main-process pauses was measured with it (bench/README.md, "Main-process memory").
// Set at run time, so it holds in every host: the web host and the Electron main process (whose V8 takes
// no command-line flags once started) call it before they build their core, and so does the sync benchmark
// (tests that build cores leave V8 as it is).
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;

let applied = false;

/** Applies the bound once per process (V8 reads it at every heap-limit computation, so it holds from now on). */
export function boundHeapGrowth(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
