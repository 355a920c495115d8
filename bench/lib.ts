// The benchmark contract: every benchmark measures the console and a reference in the same run and
// reports both, their ratio, a goal and whether it was met.

export interface Metric {
  value: number;
  unit: string;
  /** Lower is better unless said otherwise (throughput). */
  better?: 'lower' | 'higher';
}

export interface BenchResult {
  /** The console's numbers. */
  metrics: Record<string, Metric>;
  /** The same quantities for the reference (e.g. ldapsearch, JSON.parse, a static page). */
  reference: Record<string, Metric>;
  /** The headline ratio console / reference for the main metric. */
  ratio: number;
  /** Goals as human-readable limits, e.g. { "rowsVisibleMs": "< 1000" }. */
  goal: Record<string, string>;
  pass: boolean;
  notes?: string[];
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<BenchResult>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
