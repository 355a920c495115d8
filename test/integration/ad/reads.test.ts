import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdDirectory, type AdDirectorySession } from '../../../src-main/connectors/ad/ad-directory.ts';
import { rankPerson } from '../../../shared/search.ts';
import { firstRdnValue, parseDn } from '../../../shared/dn.ts';
import { testProfile } from '../../support/samba/context.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { expectConsoleError, idOf, setup, signInAs } from './helpers.ts';

const { ctx, dir } = setup();
const f = ctx.facts;
let s: AdDirectorySession;
let everyone: PersonSummary[];

beforeAll(async () => {
  s = await signInAs(dir, ctx, f.operators.helpdesk);
  everyone = await s.loadAllPeople();
});
afterAll(async () => {
  await s?.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const byUsername = (u: string) => {
  const p = everyone.find((x) => x.username === u);
  if (!p) throw new Error(`mangler ${u}`);
  return p;
};

describe('paged search', () => {
  it('returns every user, with stable GUID ids', () => {
    expect(everyone.length).toBeGreaterThanOrEqual(3000);
    expect(everyone.length).toBeGreaterThanOrEqual(f.bulkUserCount);
    const ids = new Set(everyone.map((p) => p.id));
    expect(ids.size).toBe(everyone.length);
    for (const p of everyone.slice(0, 50)) expect(p.id).toMatch(UUID);
  });

  it('gets the same people whatever the page size', async () => {
    const small = await createAdDirectory(testProfile(ctx), { pageSize: 250 }).signIn(f.operators.auditor, f.password);
    try {
      const again = await small.loadAllPeople();
      expect(new Set(again.map((p) => p.id))).toEqual(new Set(everyone.map((p) => p.id)));
    } finally {
      await small.close();
    }
  });

  it('searchPeople with empty text lists everyone sorted by name and reports the total', async () => {
    const r = await s.searchPeople({ text: '', limit: 25 });
    expect(r.total).toBe(everyone.length);
    expect(r.items).toHaveLength(25);
    const names = r.items.map((p) => p.displayName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'da')));
  });

  it('keeps Danish letters intact', () => {
    const names = everyone.map((p) => p.displayName).join('\n');
    for (const ch of ['æ', 'ø', 'å', 'Æ', 'Ø', 'Å', 'é', 'ü']) expect(names).toContain(ch);
    expect(byUsername(f.special.locked.username).displayName).toBe('Lars Låst');
    expect(byUsername(f.special.pupil.username).ouPath).toBe('Skoler / Elever');
    expect(everyone.some((p) => p.ouPath === 'Fratrådte')).toBe(true);
  });
});

describe('ranged retrieval', () => {
  const bigGroup = `CN=${f.groups.allPupils},${f.ou.grupper}`;
  it('reads all members of a group with more than 1,500 of them', async () => {
    const members = await s.listGroupMembers(bigGroup);
    expect(f.allPupilsCount).toBeGreaterThan(1500);
    expect(members).toHaveLength(f.allPupilsCount);
    expect(new Set(members).size).toBe(members.length);
    for (const m of members.slice(0, 20)) expect(m).toMatch(/,OU=Elever,OU=Skoler,DC=kommune,DC=test$/i);
  });

  it('follows the ranges the server hands out, whatever their size', async () => {
    const d = await createAdDirectory(testProfile(ctx), { rangeStep: 400 }).signIn(f.operators.auditor, f.password);
    try {
      const members = await d.listGroupMembers(bigGroup);
      expect(members).toHaveLength(f.allPupilsCount);
      expect(new Set(members)).toEqual(new Set(await s.listGroupMembers(bigGroup)));
    } finally {
      await d.close();
    }
  });

  it('an empty group has no members; a missing one is not-found', async () => {
    expect(await s.listGroupMembers(`CN=${f.groups.projekt},${f.ou.grupper}`)).toEqual([]);
    await expectConsoleError(s.listGroupMembers(`CN=Findes ikke,${f.ou.grupper}`), 'not-found', /Gruppen/);
    await expectConsoleError(s.listGroupMembers('ikke et dn'), 'validation');
  });
});

describe('decoding of the special accounts', () => {
  it('disabled', async () => {
    const p = await s.getPerson(byUsername(f.special.disabled.username).id);
    expect(p.enabled).toBe(false);
    expect(p.locked).toBe(false);
    expect((await s.getAccountFlags(p.id)).disabled).toBe(true);
  });
  it('locked (by wrong binds at start-up)', async () => {
    const p = await s.getPerson(byUsername(f.special.locked.username).id);
    expect(p.locked).toBe(true);
    expect(p.enabled).toBe(true);
    expect(p.badPasswordCount).toBeGreaterThanOrEqual(f.domainPolicy.lockoutThreshold);
    expect(p.lockoutTime).not.toBeNull();
    expect(Date.now() - Date.parse(p.lockoutTime ?? '')).toBeLessThan(3600_000);
    expect((await s.getAccountFlags(p.id)).lockedOut).toBe(true);
  });
  it('expired', async () => {
    const p = await s.getPerson(byUsername(f.special.expired.username).id);
    expect(p.accountExpires).toBe(f.expiredAt);
    expect(p.enabled).toBe(true);
  });
  it('must change password', async () => {
    const p = await s.getPerson(byUsername(f.special.mustChange.username).id);
    expect(p.mustChangePassword).toBe(true);
    expect(p.passwordLastSet).toBeNull();
    expect((await s.getAccountFlags(p.id)).passwordExpired).toBe(true);
  });
  it('password never expires', async () => {
    const p = await s.getPerson(byUsername(f.special.neverExpires.username).id);
    expect(p.passwordNeverExpires).toBe(true);
    expect(p.mustChangePassword).toBe(false);
    expect((await s.getAccountFlags(p.id)).passwordNeverExpires).toBe(true);
  });
  it('no e-mail', async () => {
    const p = await s.getPerson(byUsername(f.special.noEmail.username).id);
    expect(p.email).toBeNull();
  });
  it('an ordinary account', async () => {
    const p = await s.getPerson(byUsername(f.special.employee.username).id);
    expect(p).toMatchObject({
      enabled: true, locked: false, mustChangePassword: false, passwordNeverExpires: false, accountExpires: null,
      employeeId: f.employeeIdOfSpecial, title: 'Sygeplejerske', department: 'Sundhed og Omsorg', lockoutTime: null,
      email: `${f.special.employee.username}@${f.dnsDomain}`, ouPath: 'Sundhed og Omsorg',
    });
    expect(p.passwordLastSet).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(p.lastLogon).toBeNull();
    expect(p.badPasswordCount).toBe(0);
  });
  it('group memberships of a person, by name', async () => {
    const p = await s.getPerson(byUsername(f.special.pupil.username).id);
    expect(p.groups).toContain(f.groups.allPupils);
    const op = await s.getPerson(byUsername(f.operators.nestedHelpdesk).id);
    expect(op.groups).toEqual([f.groups.servicedesk]); // memberOf is direct membership only
  });
  it('a consultant with an end date in the future', () => {
    const consultants = everyone.filter((p) => p.ouPath === 'Eksterne konsulenter' && p.username !== f.special.expired.username);
    expect(consultants.length).toBeGreaterThan(10);
    for (const c of consultants) expect(c.accountExpires).toBe('2030-12-31T23:00:00.000Z');
  });
  it('unknown or malformed ids are not-found', async () => {
    await expectConsoleError(s.getPerson(randomUUID()), 'not-found', /Personen findes ikke/);
    await expectConsoleError(s.getPerson('*'), 'not-found');
    await expectConsoleError(s.getPerson(''), 'not-found');
  });
});

describe('DNs that need escaping', () => {
  for (const [what, u] of Object.entries(f.nasty)) {
    it(`${what}: ${JSON.stringify(u.cn)} is found and readable`, async () => {
      const r = await s.searchPeople({ text: u.username, limit: 10 });
      expect(r.items[0]?.username).toBe(u.username);
      const p = await s.getPerson(r.items[0]?.id ?? '');
      expect(firstRdnValue(p.dn)).toBe(u.cn);
      expect(parseDn(p.dn)).toHaveLength(parseDn(u.ou).length + 1);
      expect(p.displayName).toBe(u.cn.trim());
    });
  }
});

describe('search text is always a literal', () => {
  const containsLiteral = (p: PersonSummary, text: string) => {
    const t = text.toLowerCase();
    return [p.username, p.displayName, p.givenName, p.surname, p.email, p.employeeId].some((v) => (v ?? '').toLowerCase().includes(t));
  };

  it.each([
    '*', '*)(objectClass=*', ')(|(sAMAccountName=*)', '\\2a', '\\', '(', '*)(&', '\\28', '*)(sAMAccountName=op.admin',
  ])('%j matches only people whose data contains it', async (text) => {
    const r = await s.searchPeople({ text, limit: 5000 });
    expect(r.total).toBeLessThan(5);
    for (const p of r.items) expect(containsLiteral(p, text)).toBe(true);
  });

  it('the user whose name is an injection string is found by it, alone', async () => {
    const r = await s.searchPeople({ text: '*)(objectClass=*', limit: 10 });
    expect(r.items.map((p) => p.username)).toEqual([f.nasty.injection.username]);
    const star = await s.searchPeople({ text: '*', limit: 10 });
    expect(star.items.map((p) => p.username).sort()).toEqual([f.nasty.injection.username, f.nasty.star.username].sort());
  });

  it('a NUL byte or 10,000 characters match nothing and do not fail', async () => {
    expect(await s.searchPeople({ text: 'op.admin\0*', limit: 10 })).toEqual({ items: [], total: 0 });
    expect(await s.searchPeople({ text: '\0', limit: 10 })).toEqual({ items: [], total: 0 });
    expect(await s.searchPeople({ text: 'a'.repeat(10_000), limit: 10 })).toEqual({ items: [], total: 0 });
    expect(await s.searchPeople({ text: '*'.repeat(10_000), limit: 10 })).toEqual({ items: [], total: 0 });
  });

  it('a long but possible text goes to AD and still matches literally', async () => {
    const r = await s.searchPeople({ text: 'x'.repeat(200), limit: 10 });
    expect(r.total).toBe(0);
  });
});

describe('helpdesk ranking', () => {
  it('exact username first, then username prefixes, then names, then contains', async () => {
    const r = await s.searchPeople({ text: 'skift', limit: 50 });
    const users = r.items.map((p) => p.username);
    expect(users[0]).toBe(f.special.toggleTarget.username); // skift.test: username prefix
    expect(users).toContain(f.special.mustChange.username); // skal.skifte: contains only
    expect(users.indexOf(f.special.toggleTarget.username)).toBeLessThan(users.indexOf(f.special.mustChange.username));
    const ranks = r.items.map((p) => rankPerson(p, 'skift'));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('an exact username beats prefixes of it', async () => {
    const target = everyone.find((p) => /^[a-z]{4}0001$/.test(p.username));
    expect(target).toBeDefined();
    const r = await s.searchPeople({ text: target?.username ?? '', limit: 5 });
    expect(r.items[0]?.username).toBe(target?.username);
  });

  it('finds people by employee number, e-mail and full name', async () => {
    expect((await s.searchPeople({ text: f.employeeIdOfSpecial, limit: 5 })).items[0]?.username).toBe(f.special.employee.username);
    expect((await s.searchPeople({ text: `${f.special.employee.username}@${f.dnsDomain}`, limit: 5 })).items[0]?.username).toBe(f.special.employee.username);
    const byName = await s.searchPeople({ text: 'Niels Nulstil', limit: 5 });
    expect(byName.items[0]?.username).toBe(f.special.resetTarget.username);
    expect(byName.total).toBe(1);
  });

  it('matches Danish letters regardless of case', async () => {
    const lower = await s.searchPeople({ text: 'låst', limit: 50 });
    expect(lower.items.map((p) => p.username)).toContain(f.special.locked.username);
    const upper = await s.searchPeople({ text: 'LÅST', limit: 50 });
    expect(upper.items.map((p) => p.username)).toContain(f.special.locked.username);
  });

  it('the limit cuts the list but not the total', async () => {
    const r = await s.searchPeople({ text: 'sen', limit: 3 });
    expect(r.items).toHaveLength(3);
    expect(r.total).toBeGreaterThan(100);
  });
});

describe('resultant password policy', () => {
  it('a member of the PSO group gets the PSO', async () => {
    const pol = await s.getResultantPasswordPolicy(await idOf(s, f.special.privileged.username));
    expect(pol).toMatchObject({
      source: 'pso', name: f.pso.name, readable: true, minLength: f.pso.minLength, historyLength: f.pso.historyLength,
      complexity: true, lockoutThreshold: f.pso.lockoutThreshold, maxAgeDays: 90, lockoutDurationMinutes: 60,
    });
    expect(pol.dn.toLowerCase()).toBe(f.pso.dn.toLowerCase());
  });
  it('a pupil gets the pupils\' PSO', async () => {
    const pol = await s.getResultantPasswordPolicy(await idOf(s, f.special.pupil.username));
    expect(pol).toMatchObject({ source: 'pso', name: 'PSO-Elever', minLength: 8, complexity: false });
  });
  it('everyone else gets the domain policy', async () => {
    const pol = await s.getResultantPasswordPolicy(await idOf(s, f.special.employee.username));
    expect(pol).toMatchObject({
      source: 'domain', readable: true, minLength: f.domainPolicy.minLength, complexity: true,
      lockoutThreshold: f.domainPolicy.lockoutThreshold, lockoutDurationMinutes: f.domainPolicy.lockoutDurationMinutes, maxAgeDays: null,
    });
  });
});
