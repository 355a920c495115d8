import { describe, expect, it } from 'vitest';
import { backoffDelay, CircuitBreaker } from '../../../src-main/connectors/http/resilience.ts';
import { MITID } from '../../../src-main/connectors/mitid-erhverv/transport.ts';

describe('backoff', () => {
  const o = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };

  it('grows exponentially with jitter in [cap/2, cap] and is capped', () => {
    expect(backoffDelay(0, o, () => 0)).toBe(50);
    expect(backoffDelay(0, o, () => 1)).toBe(100);
    expect(backoffDelay(3, o, () => 0)).toBe(400);
    expect(backoffDelay(3, o, () => 1)).toBe(800);
    expect(backoffDelay(10, o, () => 1)).toBe(1000);
    expect(backoffDelay(10, o, () => 0)).toBe(500);
  });

  it('spreads callers apart', () => {
    let x = 0.1;
    const values = new Set(Array.from({ length: 10 }, () => backoffDelay(2, o, () => (x = (x * 7.3) % 1))));
    expect(values.size).toBeGreaterThan(5);
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, fails fast in Danish, half-opens after the cooldown', () => {
    let now = 0;
    const b = new CircuitBreaker(MITID, { failureThreshold: 3, cooldownMs: 10_000 }, () => now);
    b.failure();
    b.failure();
    b.admit();
    expect(b.status).toBe('closed');
    b.failure();
    expect(b.status).toBe('open');
    expect(() => b.admit()).toThrow(/^MitID Erhverv svarer ikke – forbindelsen er sat på pause efter gentagne fejl\. Prøv igen om 10 s\.$/);
    now = 10_000;
    expect(b.status).toBe('half-open');
    b.admit(); // the one trial call
    expect(() => b.admit()).toThrow(/svarer ikke/);
    b.failure();
    expect(b.status).toBe('open');
    now = 20_000;
    b.admit();
    b.success();
    expect(b.status).toBe('closed');
    b.admit();
  });

  it('a cancelled trial call hands the trial to the next caller instead of sticking half-open', () => {
    let now = 0;
    const b = new CircuitBreaker(MITID, { failureThreshold: 1, cooldownMs: 100 }, () => now);
    b.failure();
    now = 100;
    b.admit();
    b.release();
    b.admit();
    b.success();
    expect(b.status).toBe('closed');
  });

  it('a success resets the count of consecutive failures', () => {
    const b = new CircuitBreaker(MITID, { failureThreshold: 2, cooldownMs: 1000 }, () => 0);
    b.failure();
    b.success();
    b.failure();
    expect(b.status).toBe('closed');
  });
});
