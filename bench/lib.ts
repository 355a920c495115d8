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
  /**
   * Goals as human-readable limits, e.g. { "rowsVisibleMs": "< 1000" }: a comparison and a number in
   * the metric's unit, or "≤ 1.05 × ldapsearch" for console / reference (see goalMet).
   */
  goal: Record<string, string>;
  /** Per metric with a goal: was it met. Optional; the runner reads it from `goal` where missing. */
  metricPass?: Record<string, boolean>;
  /** The benchmark as a whole. */
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

const COMPARE = /(<=|>=|≤|≥|<|>)\s*(-?\d+(?:\.\d+)?)(\s*×)?/;

/**
 * Whether a metric met its goal, read from the goal text: the first comparison and number in it
 * ("< 100 ms", "≤ 224 (JSON.parse + indsæt)", "flat (< 50 MB)") is applied to the value, or to
 * value / reference when the number is followed by "×" ("≤ 1.05 × ldapsearch"). null when there is
 * no goal or it cannot be read that way.
 */
export function goalMet(goal: string | undefined, metric: Metric, reference?: Metric): boolean | null {
  const m = goal ? COMPARE.exec(goal) : null;
  if (!m) return null;
  const limit = Number(m[2]);
  let x = metric.value;
  if (m[3]) {
    if (!reference?.value) return null;
    x = metric.value / reference.value;
  }
  switch (m[1]) {
    case '<': return x < limit;
    case '>': return x > limit;
    case '<=': case '≤': return x <= limit;
    default: return x >= limit;
  }
}

/** Each metric's pass: the benchmark's own verdict where it gave one, else read from its goal. */
export function metricPasses(r: Pick<BenchResult, 'metrics' | 'reference' | 'goal' | 'metricPass'>): Record<string, boolean | null> {
  return Object.fromEntries(
    Object.entries(r.metrics).map(([k, m]) => [k, r.metricPass?.[k] ?? goalMet(r.goal[k], m, r.reference[k])]),
  );
}
