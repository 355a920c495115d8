import { describe, expect, it } from 'vitest';
import { seedIdpState } from '../../../src-main/training/idp-sim/seed.ts';
import type { SeedPerson } from '../../../src-main/training/idp-sim/seed.ts';
import { AuditEvent } from '../../../shared/idp/audit.ts';
import { PasswordPolicy } from '../../../shared/idp/password-policy.ts';
import { IdpPerson, MfaDevice } from '../../../shared/idp/people.ts';
import { TermsAcceptance, TermsVersion } from '../../../shared/idp/terms.ts';
import { sha256Hex } from '../../../src-main/training/idp-sim/state.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const directory: SeedPerson[] = Array.from({ length: 1500 }, (_, i) => ({
  username: i % 4 === 3 ? `elev${i}` : `medarb${i}`,
  domain: i % 4 === 3 ? 'skole.kommune.dk' : 'kommune.dk',
  displayName: `Person ${i}`,
}));

describe('seedIdpState', () => {
  // A bound, not a benchmark: about 1 s on a quiet machine; 6 s leaves room for a shared, loaded one and
  // still catches a seed that went quadratic (tens of seconds).
  it('builds 100,000+ events over 13 months from a directory in a few seconds', () => {
    const t0 = performance.now();
    const s = seedIdpState({ people: directory, now: NOW });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(6000);
    expect(s.audit.length).toBeGreaterThanOrEqual(100_000);
    const first = Date.parse(s.audit[0]!.time);
    expect((NOW - first) / 86_400_000).toBeGreaterThan(380);
    for (let i = 1; i < s.audit.length; i++) {
      if (!(s.audit[i]!.id > s.audit[i - 1]!.id && s.audit[i]!.time >= s.audit[i - 1]!.time)) throw new Error(`out of order at ${i}`);
    }
    for (let i = 0; i < s.audit.length; i += 97) AuditEvent.parse(s.audit[i]);
    const people = new Set(directory.map((p) => p.username));
    expect(s.audit.filter((e) => e.person).every((e) => people.has(e.person!.username))).toBe(true);
  });

  it('is deterministic for the same input', () => {
    const a = seedIdpState({ people: directory.slice(0, 100), now: NOW, auditEvents: 5000, seed: 3 });
    const b = seedIdpState({ people: directory.slice(0, 100), now: NOW, auditEvents: 5000, seed: 3 });
    expect(b.audit).toEqual(a.audit);
    expect([...b.devices.entries()]).toEqual([...a.devices.entries()]);
    expect([...b.acceptances.entries()]).toEqual([...a.acceptances.entries()]);
    const c = seedIdpState({ people: directory.slice(0, 100), now: NOW, auditEvents: 5000, seed: 4 });
    expect(c.audit).not.toEqual(a.audit);
  });

  it('seeds policies for the NSIS domain, the pupils sub-domain and the trusted pseudo-domain', () => {
    const s = seedIdpState({ people: directory, now: NOW, auditEvents: 10 });
    const pols = [...s.policies.values()].map((p) => PasswordPolicy.parse(p));
    expect(pols.find((p) => p.domain === 'kommune.dk')).toMatchObject({ kind: 'domain', settings: { nsis: true, minLength: 15 } });
    expect(pols.find((p) => p.domain === 'skole.kommune.dk')).toMatchObject({ kind: 'sub-domain', parentDomain: 'kommune.dk', settings: { nsis: false } });
    expect(pols.find((p) => p.kind === 'pseudo-domain')?.displayName).toBe('Betroede medarbejdere');
  });

  it('seeds two hashed terms versions, acceptances spread across people, and devices of every type with some locked', () => {
    const s = seedIdpState({ people: directory, now: NOW, auditEvents: 10, clock: () => NOW });
    expect(s.termsVersions).toHaveLength(2);
    for (const v of s.termsVersions) expect(sha256Hex(TermsVersion.parse(v).content)).toBe(v.contentHash);
    const views = directory.map((p) => IdpPerson.parse(s.personView(p)));
    const must = views.filter((v) => v.mustAcceptTerms).length;
    expect(must).toBeGreaterThan(100);
    expect(must).toBeLessThan(views.length - 100);
    const accepted = [...s.acceptances.values()].flat().map((a) => TermsAcceptance.parse(a));
    expect(new Set(accepted.map((a) => a.version))).toEqual(new Set([1, 2]));
    const devices = [...s.devices.values()].flat().map((d) => MfaDevice.parse(s.deviceView(d)));
    expect(new Set(devices.map((d) => d.type)).size).toBe(5);
    const locked = devices.filter((d) => d.locked);
    expect(locked.length).toBeGreaterThan(5);
    expect(locked.some((d) => d.lockedUntil === null)).toBe(true);
    expect(locked.some((d) => d.lockedUntil !== null)).toBe(true);
    expect(views.some((v) => v.locked !== null)).toBe(true);
  });
});
