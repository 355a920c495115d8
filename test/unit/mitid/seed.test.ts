import { describe, expect, it } from 'vitest';
import { fictitiousCpr, MitIdSimState, seedMitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';

describe('simulator seed', () => {
  it('derives stable, never-issued CPR numbers (day 61–91)', () => {
    const cpr = fictitiousCpr('jens');
    expect(cpr).toMatch(/^\d{10}$/);
    const day = Number(cpr.slice(0, 2));
    expect(day).toBeGreaterThanOrEqual(61);
    expect(day).toBeLessThanOrEqual(91);
    expect(fictitiousCpr('jens')).toBe(cpr);
    expect(fictitiousCpr('anne')).not.toBe(cpr);
  });

  it('skips people without e-mail, keeps CPR unique, and honours an explicit null CPR', () => {
    const state = new MitIdSimState();
    const report = seedMitIdSimulator(state, {
      people: [
        { username: 'a', givenName: 'A', surname: 'A', email: 'a@k.dk', cpr: '6101801234' },
        { username: 'b', givenName: 'B', surname: 'B', email: 'b@k.dk', cpr: '6101801234' },
        { username: 'c', givenName: 'C', surname: 'C', email: null },
        { username: 'd', givenName: 'D', surname: 'D', email: 'd@k.dk', cpr: null },
      ],
      linkRule: { kind: 'upn' },
      drift: { suspendedWhileActive: 0, withoutLocalCredential: 0, staleSubjectNameId: 0, onlyInMitId: 0 },
    });
    expect(report.identities).toBe(3);
    expect(report.byUsername.has('c')).toBe(false);
    const cprs = state.all().map((i) => i.cprNumber);
    expect(cprs.filter((c) => c === '6101801234')).toHaveLength(1);
    expect(cprs).toContain(null);
    // A UPN rule without a UPN gives no local credential.
    expect(state.all().every((i) => i.authenticators.length === 0)).toBe(true);
    expect(state.createCount).toBe(0);
  });
});
