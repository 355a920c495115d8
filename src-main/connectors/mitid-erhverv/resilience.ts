// Backoff and circuit breaker for the MitID Erhverv client.
import { ConsoleError } from '../../../shared/errors.ts';

export interface BackoffOptions {
  /** Retries after the first attempt (idempotent calls only). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Exponential backoff with equal jitter: never zero, never in lock-step with other callers. */
export function backoffDelay(retry: number, o: BackoffOptions, random: () => number): number {
  const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** retry);
  return Math.round(cap / 2 + random() * (cap / 2));
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(): ConsoleError {
  return new ConsoleError('cancelled', 'Kaldet til MitID Erhverv blev annulleret');
}

export interface BreakerOptions {
  /** Consecutive unavailability failures (503, timeouts, connection errors) that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  cooldownMs: number;
}

/**
 * Closed → (threshold consecutive failures) → open → (cooldown) → half-open: one trial call; success closes,
 * failure opens again. While open, calls fail at once so the UI can say so instead of queueing.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openUntil = 0;
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private readonly o: BreakerOptions;
  private readonly now: () => number;

  constructor(o: BreakerOptions, now: () => number = Date.now) {
    this.o = o;
    this.now = now;
  }

  get status(): 'closed' | 'open' | 'half-open' {
    if (this.state === 'open' && this.now() >= this.openUntil) return 'half-open';
    return this.state;
  }

  /** Throws while open; in half-open lets exactly one caller through. */
  admit(): void {
    if (this.state === 'closed') return;
    if (this.state === 'open' && this.now() >= this.openUntil) {
      this.state = 'half-open';
      return;
    }
    const seconds = Math.max(1, Math.ceil((this.openUntil - this.now()) / 1000));
    throw new ConsoleError(
      'unavailable-mitid',
      `MitID Erhverv svarer ikke – forbindelsen er sat på pause efter gentagne fejl. Prøv igen om ${seconds} s.`,
      { circuit: 'open', retryAfterSeconds: seconds },
    );
  }

  success(): void {
    this.consecutive = 0;
    this.state = 'closed';
  }

  /** A call ended without telling us anything (cancelled): let the next caller make the trial instead. */
  release(): void {
    if (this.state === 'half-open') this.state = 'open';
  }

  failure(): void {
    this.consecutive++;
    if (this.state === 'half-open' || this.consecutive >= this.o.failureThreshold) {
      this.state = 'open';
      this.openUntil = this.now() + this.o.cooldownMs;
    }
  }
}
