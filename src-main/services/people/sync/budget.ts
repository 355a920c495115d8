// The call budget for MitID Erhverv's per-identity reads: a token bucket filled at a rate in calls per
// minute, spent across refreshes (its state travels in the adapter's cursor, so a restart does not reset
// it). A 429 or 503 halves the rate and pauses for Retry-After (or a minute); the rate then recovers
// slowly (additive increase, multiplicative decrease, as TCP does) instead of hammering a service that
// asked us to slow down. Written here rather than taken from a library: the bucket is a dozen lines, and
// what matters — an injected clock, state that survives as JSON, the status by figures — is ours.
import { z } from 'zod';
import type { BudgetFigures } from '../../../../shared/domain/sync.ts';

/**
 * Default calls per minute (settings: mitid.syncCallsPerMinute). 100,000 identities × 2 calls = 200,000
 * calls ÷ 460 per minute = 435 minutes (7 h 15 min): every identity re-read within a 7.4-hour working day (37 h a week).
 */
export const DEFAULT_CALLS_PER_MINUTE = 460;

export interface BudgetOptions {
  callsPerMinute: number;
  /** At most this many minutes of calls are saved up (bounds the burst after the console was closed). */
  burstMinutes: number;
  /** The slowest the budget goes after repeated slow-downs, as a share of the configured rate. */
  minShare: number;
  /** Share of the configured rate regained per minute without a slow-down. */
  recoverPerMinute: number;
  /** Pause after a 429/503 that names no Retry-After. */
  defaultPauseMs: number;
  /** The longest Retry-After honoured (a broken header must not stop reads for a day). */
  maxPauseMs: number;
}

export const defaultBudgetOptions: Omit<BudgetOptions, 'callsPerMinute'> = {
  burstMinutes: 15,
  minShare: 1 / 32,
  recoverPerMinute: 0.05,
  defaultPauseMs: 60_000,
  maxPauseMs: 15 * 60_000,
};

/** The budget as it is persisted (inside the MitID adapter's cursor). */
export const BudgetState = z.object({
  tokens: z.number().finite(),
  /** When `tokens` was last brought up to date (epoch ms). */
  at: z.number().finite(),
  /** The rate now, in calls per minute (≤ the configured one). */
  rate: z.number().finite().positive(),
  /** No calls before this (epoch ms): Retry-After or the default pause. */
  pausedUntil: z.number().finite(),
  /** How often the service has asked us to slow down (for the status line). */
  slowdowns: z.number().int().min(0),
});
export type BudgetState = z.infer<typeof BudgetState>;

/** Retry-After as sent: seconds, or an HTTP date. Null when absent or unreadable. */
export function retryAfterMs(value: unknown, now: number): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value).trim();
  if (/^\d{1,7}$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - now) : null;
}

export class CallBudget {
  private readonly o: BudgetOptions;
  private s: BudgetState;

  constructor(options: Partial<BudgetOptions> & { callsPerMinute: number }, now: number, state?: BudgetState | null) {
    this.o = { ...defaultBudgetOptions, ...options };
    if (!(this.o.callsPerMinute > 0)) throw new Error('callsPerMinute must be positive');
    const base = this.o.callsPerMinute;
    // A persisted state is taken as far as it fits the configured rate (the setting may have changed).
    this.s = state
      ? { ...state, rate: Math.min(base, Math.max(base * this.o.minShare, state.rate)), tokens: Math.min(state.tokens, this.cap()), at: Math.min(state.at, now) }
      : { tokens: 0, at: now, rate: base, pausedUntil: 0, slowdowns: 0 };
  }

  get callsPerMinute(): number {
    return this.o.callsPerMinute;
  }

  private cap(): number {
    return this.o.callsPerMinute * this.o.burstMinutes;
  }

  /** Brings the bucket up to `now`: nothing accrues while paused; the rate climbs back linearly. */
  private refill(now: number): void {
    const s = this.s;
    const from = Math.max(s.at, s.pausedUntil);
    if (now > from) {
      const base = this.o.callsPerMinute;
      const minutes = (now - from) / 60_000;
      const climb = base * this.o.recoverPerMinute;
      const toFull = s.rate >= base ? 0 : climb > 0 ? (base - s.rate) / climb : Infinity;
      // Tokens accrue at the mean rate over the interval (the rate rises linearly until it is full).
      const accrued =
        minutes <= toFull ? (s.rate + (s.rate + climb * minutes)) / 2 * minutes : ((s.rate + base) / 2) * toFull + base * (minutes - toFull);
      s.rate = Math.min(base, s.rate + climb * minutes);
      s.tokens = Math.min(this.cap(), s.tokens + accrued);
    }
    s.at = Math.max(s.at, now);
  }

  /** Milliseconds until calls may be made again (0 = now). */
  pausedFor(now: number): number {
    return Math.max(0, this.s.pausedUntil - now);
  }

  /** Whole calls that may be made now. */
  available(now: number): number {
    this.refill(now);
    return this.pausedFor(now) > 0 ? 0 : Math.max(0, Math.floor(this.s.tokens));
  }

  /** Takes `n` calls if the budget has them (revalidation): false = not now. */
  tryTake(n: number, now: number): boolean {
    if (this.available(now) < n) return false;
    this.s.tokens -= n;
    return true;
  }

  /**
   * Spends `n` calls that are made whatever the budget says (a changed identity, "check now"): they leave
   * less for revalidation, but never put the bucket in debt.
   */
  spend(n: number, now: number): void {
    this.refill(now);
    this.s.tokens = Math.max(0, this.s.tokens - n);
  }

  /**
   * The service said "too many" (429) or "not now" (503): halve the rate, drop what was saved up, and
   * pause for Retry-After (bounded) or the default pause. Returns the pause in ms. The answers to calls
   * already in flight when the first came back are the same event: they may lengthen the pause, but do
   * not halve the rate again.
   */
  slowDown(now: number, retryAfter?: unknown): number {
    this.refill(now);
    const asked = retryAfterMs(retryAfter, now);
    const pause = Math.min(this.o.maxPauseMs, asked ?? this.o.defaultPauseMs);
    if (this.s.pausedUntil <= now) {
      this.s.rate = Math.max(this.o.callsPerMinute * this.o.minShare, this.s.rate / 2);
      this.s.slowdowns++;
    }
    this.s.tokens = 0;
    this.s.pausedUntil = Math.max(this.s.pausedUntil, now + pause);
    return pause;
  }

  /** The rate now, in calls per minute (brought up to `now`). */
  rate(now: number): number {
    this.refill(now);
    return this.s.rate;
  }

  snapshot(): BudgetState {
    return { ...this.s };
  }

  /** For the status line, by figures the renderer words: the rate now, the configured one, seconds to wait. */
  figures(now: number): BudgetFigures {
    return { rate: Math.round(this.rate(now)), limit: this.o.callsPerMinute, waitSeconds: Math.ceil(this.pausedFor(now) / 1000) };
  }

  /** The same in Danish, for main's own error sentences (the renderer words the error by its key). */
  describe(now: number): string {
    const { rate, limit, waitSeconds } = this.figures(now);
    const base = `budget ${rate}${rate < limit ? ` af ${limit}` : ''} kald/min`;
    return waitSeconds > 0 ? `${base}, venter ${waitSeconds} s efter besked fra MitID Erhverv` : base;
  }
}
