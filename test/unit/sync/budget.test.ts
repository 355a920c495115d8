// The call budget for MitID Erhverv's per-identity reads, on an injected clock: it fills at its rate, is
// spent across refreshes (and survives as JSON), halves and pauses on a 429/503 honouring Retry-After,
// and recovers slowly.
import { describe, expect, it } from 'vitest';
import { MitIdProfile } from '../../../shared/domain/settings.ts';
import { BudgetState, CallBudget, DEFAULT_CALLS_PER_MINUTE, retryAfterMs } from '../../../src-main/services/people/sync/budget.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-12-01T08:00:00Z');

describe('the call budget', () => {
  it('by default revalidates 100,000 identities (2 calls each) within a 7.4-hour working day', () => {
    expect(DEFAULT_CALLS_PER_MINUTE * 7.4 * 60).toBeGreaterThanOrEqual(100_000 * 2);
    // The settings field is optional (old files stay valid) and takes the same number.
    expect(MitIdProfile.parse({ baseUrl: 'https://services.nemlog-in.dk' }).syncCallsPerMinute).toBeUndefined();
    expect(MitIdProfile.parse({ baseUrl: 'https://services.nemlog-in.dk', syncCallsPerMinute: 120 }).syncCallsPerMinute).toBe(120);
    expect(() => MitIdProfile.parse({ baseUrl: 'https://services.nemlog-in.dk', syncCallsPerMinute: 0 })).toThrow();
  });

  it('fills at its rate from nothing, up to a bounded burst', () => {
    const b = new CallBudget({ callsPerMinute: 60, burstMinutes: 15 }, T0);
    expect(b.available(T0)).toBe(0);
    expect(b.available(T0 + 10 * MIN)).toBe(600);
    expect(b.available(T0 + 10 * 60 * MIN)).toBe(900); // a console closed overnight saves up 15 minutes at most
  });

  it('is spent across refreshes: what one refresh took, the next does not get again', () => {
    const b = new CallBudget({ callsPerMinute: 60 }, T0);
    let t = T0 + 10 * MIN;
    let taken = 0;
    while (b.tryTake(2, t)) taken += 2;
    expect(taken).toBe(600);
    expect(b.tryTake(2, t)).toBe(false);
    t += MIN;
    expect(b.available(t)).toBe(60);
    // Reads that must be made (a changed identity) use it up but never go into debt.
    b.spend(500, t);
    expect(b.available(t)).toBe(0);
    expect(b.available(t + MIN)).toBe(60);
  });

  it('survives as JSON (the adapter keeps it in its cursor), zod-checked on the way back', () => {
    const b = new CallBudget({ callsPerMinute: 60 }, T0);
    b.slowDown(T0 + MIN, '30');
    const restored = new CallBudget({ callsPerMinute: 60 }, T0 + 2 * MIN, BudgetState.parse(JSON.parse(JSON.stringify(b.snapshot()))));
    expect(restored.snapshot()).toEqual(b.snapshot());
    expect(restored.rate(T0 + MIN)).toBe(30);
    expect(() => BudgetState.parse({ ...b.snapshot(), rate: -1 })).toThrow();
  });

  it('halves the rate and pauses on a 429/503, honouring Retry-After (seconds or a date), then recovers slowly', () => {
    const b = new CallBudget({ callsPerMinute: 100, recoverPerMinute: 0.05 }, T0);
    expect(b.available(T0 + 10 * MIN)).toBe(1000);
    const t = T0 + 10 * MIN;
    expect(b.slowDown(t, '120')).toBe(120_000);
    expect(b.rate(t)).toBe(50);
    expect(b.available(t)).toBe(0); // what was saved up is dropped
    expect(b.available(t + 119_000)).toBe(0); // paused: Retry-After honoured
    expect(b.pausedFor(t + 60_000)).toBe(60_000);
    // After the pause it climbs 5 % of the configured rate per minute: 50 → 55 after one minute.
    expect(b.rate(t + 120_000 + MIN)).toBeCloseTo(55);
    expect(b.available(t + 120_000 + MIN)).toBe(52); // the mean of 50 and 55 over that minute
    // A storm keeps halving, down to a floor; no Retry-After = the default pause.
    let now = t + 3 * MIN;
    for (let i = 0; i < 10; i++) {
      expect(b.slowDown(now, undefined)).toBe(60_000);
      now += 61_000;
    }
    expect(b.rate(now)).toBeGreaterThanOrEqual(100 / 32);
    expect(b.rate(now)).toBeLessThan(10);
    // Ten quiet minutes later it is at full rate again at the latest after 20 minutes.
    expect(b.rate(now + 20 * MIN)).toBe(100);
    expect(b.snapshot().slowdowns).toBe(11);
  });

  it('counts the refusals of calls that were in flight together as one slow-down', () => {
    const b = new CallBudget({ callsPerMinute: 100 }, T0);
    for (let i = 0; i < 4; i++) b.slowDown(T0 + 10 * MIN + i, '30');
    expect(b.rate(T0 + 10 * MIN)).toBe(50);
    expect(b.snapshot().slowdowns).toBe(1);
    // A longer Retry-After among them lengthens the pause.
    b.slowDown(T0 + 10 * MIN + 10, '90');
    expect(b.pausedFor(T0 + 10 * MIN)).toBe(90_010);
    expect(b.rate(T0 + 10 * MIN)).toBe(50);
  });

  it('reads Retry-After as seconds or an HTTP date, bounded, and ignores nonsense', () => {
    expect(retryAfterMs('5', T0)).toBe(5000);
    expect(retryAfterMs(new Date(T0 + 30_000).toUTCString(), T0)).toBe(30_000);
    expect(retryAfterMs('soon', T0)).toBeNull();
    expect(retryAfterMs(undefined, T0)).toBeNull();
    const b = new CallBudget({ callsPerMinute: 10, maxPauseMs: 15 * MIN }, T0);
    expect(b.slowDown(T0, '999999')).toBe(15 * MIN);
  });
});
