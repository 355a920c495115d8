import { describe, expect, it } from 'vitest';
import { goalMet, metricPasses } from '../../../bench/lib.ts';
import { NORMAL_PEOPLE, scaleGroupsLdif, scaleUsers } from '../../support/samba/scale.ts';
import { bulkUsers, specialUsers } from '../../support/samba/seed.ts';

const ms = (value: number) => ({ value, unit: 'ms' });

describe('benchmark goals per metric', () => {
  it('reads the goal texts the benchmarks use', () => {
    expect(goalMet('< 100 ms', ms(2.1))).toBe(true);
    expect(goalMet('< 16 ms', ms(47))).toBe(false);
    expect(goalMet('>= 50 MB/s', { value: 37.2, unit: 'MB/s' })).toBe(false);
    expect(goalMet('flat (< 50 MB)', { value: -1.7, unit: 'MB' })).toBe(true);
    expect(goalMet('≤ 224 (JSON.parse + indsæt)', ms(268))).toBe(false);
    expect(goalMet('< 45.2 (2× svaret)', { value: 32.6, unit: 'MB' })).toBe(true);
    expect(goalMet('≤ 1.05 × ldapsearch', ms(1535.7), ms(1440.8))).toBe(false);
    expect(goalMet('≤ 1.05 × ldapsearch', ms(1500), ms(1440.8))).toBe(true);
    expect(goalMet('≤ 1.05 × ldapsearch', ms(1500))).toBeNull();
    expect(goalMet(undefined, ms(1))).toBeNull();
    expect(goalMet('fladt', ms(1))).toBeNull();
  });

  it('gives each metric its own verdict, a benchmark’s own verdict first', () => {
    const passes = metricPasses({
      metrics: { a: ms(5), b: ms(50), c: ms(1), d: ms(9) },
      reference: {},
      goal: { a: '< 10 ms', b: '< 10 ms', d: 'fladt' },
      metricPass: { d: true },
    });
    expect(passes).toEqual({ a: true, b: false, c: null, d: true });
  });
});

describe('the scaled test domain', () => {
  const people = NORMAL_PEOPLE + 1500;
  const users = scaleUsers(people);

  it('adds exactly the missing people, deterministically', () => {
    expect(users).toHaveLength(1500);
    expect(scaleUsers(people).map((u) => u.ldif)).toEqual(users.map((u) => u.ldif));
    expect(() => scaleUsers(NORMAL_PEOPLE - 1)).toThrow();
  });

  it('never reuses a name the seed or another scaled person has', () => {
    const seed = [...bulkUsers(), ...specialUsers()];
    const dns = [...seed.map((u) => u.dn), ...users.map((u) => u.dn)].map((d) => d.toLowerCase());
    expect(new Set(dns).size).toBe(dns.length);
    const names = [...seed.map((u) => u.username), ...users.map((u) => /^sAMAccountName: (.+)$/m.exec(u.ldif)?.[1])];
    expect(new Set(names.map((n) => n?.toLowerCase())).size).toBe(names.length);
  });

  it('has the variety of a real municipality', () => {
    const all = users.map((u) => u.ldif).join('');
    const count = (re: RegExp) => (all.match(re) ?? []).length;
    expect(users.filter((u) => u.team === 'Elever').length).toBeGreaterThan(100);
    expect(count(/^userAccountControl: 514$/gm)).toBeGreaterThan(10); // disabled
    expect(count(/^lockoutTime: /gm)).toBeGreaterThan(10); // locked
    expect(count(/^pwdLastSet: 0$/gm)).toBeGreaterThan(10); // must change
    expect(count(/^accountExpires: /gm)).toBeGreaterThan(10); // consultants
    expect(count(/^employeeNumber: /gm)).toBeGreaterThan(10);
    expect(count(/^mail: /gm)).toBeLessThan(users.length); // pupils mostly without
    expect(count(/^dn:: /gm)).toBeGreaterThan(100); // names with æ, ø, å (base64 in LDIF)
  });

  it('puts everyone but former staff in a team, and the teams in the two municipality-wide groups', () => {
    const groups = scaleGroupsLdif(users, 100);
    const members = (ldif: string) => (ldif.match(/^member::? /gm) ?? []).length;
    const teams = groups.slice(0, -2);
    expect(teams.every((g) => members(g) <= 100)).toBe(true);
    expect(teams.reduce((n, g) => n + members(g), 0)).toBe(users.filter((u) => u.team !== null).length);
    expect(members(groups.at(-2) ?? '') + members(groups.at(-1) ?? '')).toBe(teams.length);
  });
});
