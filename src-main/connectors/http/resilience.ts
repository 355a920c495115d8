// The retry policy (jittered exponential backoff, an abort signal, idempotent calls only) and the circuit
// breaker, for every system the console reaches over HTTP. Written here rather than taken from a library:
// the rules are few, and their exact behaviour (equal jitter, a cancelled trial call handing the trial on,
// Danish messages) is what the tests pin.
import { ConsoleError } from '../../../shared/errors.ts';
import { AttemptFailure, cancelled } from './errors.ts';
import type { HttpSystem } from './system.ts';

export interface BackoffOptions {
  /** Retries after the first attempt (idempotent calls only). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryPolicy extends BackoffOptions {
  random: () => number;
}

/** Exponential backoff with equal jitter: never zero, never in lock-step with other callers. */
export function backoffDelay(retry: number, o: BackoffOptions, random: () => number): number {
  const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** retry);
  return Math.round(cap / 2 + random() * (cap / 2));
}

export function abortableSleep(ms: number, signal: AbortSignal | undefined, system: HttpSystem): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled(system));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled(system));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryEvent {
  type: 'retry';
  attempt: number;
  ms: number;
  note: string;
}

/**
 * Run `fn` with retries. Only an idempotent call is repeated, and only after an attempt that got no
 * usable answer (`AttemptFailure.unavailable`). A write that is not idempotent is never repeated here:
 * that is the job of a helper that first looks whether the earlier attempt landed.
 */
export async function withRetry<T>(
  system: HttpSystem,
  policy: RetryPolicy,
  idempotent: boolean,
  signal: AbortSignal | undefined,
  fn: () => Promise<T>,
  onRetry?: (e: RetryEvent) => void,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof AttemptFailure)) throw e;
      if (!idempotent || !e.unavailable || retry >= policy.retries) throw e.error;
      const delay = backoffDelay(retry, policy, policy.random);
      onRetry?.({ type: 'retry', attempt: retry + 1, ms: delay, note: e.message });
      await abortableSleep(delay, signal, system);
    }
  }
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
  private readonly system: HttpSystem;
  private readonly o: BreakerOptions;
  private readonly now: () => number;

  constructor(system: HttpSystem, o: BreakerOptions, now: () => number = Date.now) {
    this.system = system;
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
      this.system.unavailable,
      `${this.system.name} svarer ikke – forbindelsen er sat på pause efter gentagne fejl. Prøv igen om ${seconds} s.`,
      { circuit: 'open', retryAfterSeconds: seconds },
    ).withKey('httpCircuitOpen', { system: this.system.name, seconds });
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
