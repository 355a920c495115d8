// The training environment's two domains (#19): Fjordby Kommune and the schools' own forest, through the
// dispatcher with both simulators, as `npm run start:web` runs them. A school operator signs in with the
// schools' UPN suffix, carries the schools' domain and sees only its people; the municipality's operators
// are as before and see none of the schools' people.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../../../shared/access.ts';
import type { PersonRow } from '../../../shared/domain/people.ts';
import type { OpInput, OpName, OpOutput } from '../../../shared/operations/index.ts';
import type { Operator } from '../../../shared/roles.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import type { TrainingEnvironment } from '../../../src-main/training/environment.ts';
import { generateSchoolAccounts, generateTrainingAccounts, SCHOOL_BASE_DN, SCHOOL_UPN_SUFFIX, TRAINING_BASE_DN } from '../../../src-main/training/seed.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';

let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
const schoolHelpdesk = caller('ws-skolehelpdesk');
const schoolAdmin = caller('ws-skoleadmin');
const townAdmin = caller('ws-admin');
const townHelpdesk = caller('ws-helpdesk');
const operators = new Map<ReturnType<typeof caller>, Operator>();
const schoolUsernames = new Set(generateSchoolAccounts().map((a) => a.username));
const townUsernames = new Set(generateTrainingAccounts().map((a) => a.username));
/** Usernames only the schools' domain has (the generators may make a name both domains have). */
const schoolOnly = [...schoolUsernames].filter((u) => !townUsernames.has(u));

type Result = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };
async function call<N extends OpName>(name: N, input: OpInput<N>, who: ReturnType<typeof caller>): Promise<OpOutput<N>> {
  const r: Result = await core.dispatch(name, input, who);
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
  return r.data as OpOutput<N>;
}

/** Every row the operator's list holds, once the sync has read AD under their bind. */
async function everyone(who: ReturnType<typeof caller>): Promise<PersonRow[]> {
  await call('people.list', { limit: 1 }, who);
  await core.people().idle();
  const rows: PersonRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await call('people.list', { offset, limit: 500 }, who);
    rows.push(...page.rows);
    if (rows.length >= page.total || page.rows.length === 0) return rows;
  }
}

beforeAll(async () => {
  env = await testCore({ simulators: true });
  core = env.core;
  for (const [who, username] of [
    [schoolHelpdesk, `skolehelpdesk@${SCHOOL_UPN_SUFFIX}`],
    [schoolAdmin, `skoleadmin@${SCHOOL_UPN_SUFFIX}`],
    [townAdmin, 'admin'],
    [townHelpdesk, 'helpdesk'],
  ] as const) {
    const r = await core.dispatch('session.login', { username, password: TRAINING_PASSWORD }, who);
    expect(r.ok, JSON.stringify(!r.ok && r.error)).toBe(true);
    operators.set(who, (await call('session.current', {}, who)).operator!);
  }
}, 180_000);

afterAll(async () => {
  await env?.dispose();
});

describe('the training environment’s second domain', () => {
  it('offers the schools’ operators on the sign-in page, with the schools’ UPN suffix', async () => {
    const info = await call('app.info', {}, caller());
    const names = info.trainingOperators.map((o) => o.username);
    expect(names).toEqual(expect.arrayContaining(['admin', 'helpdesk', `skolehelpdesk@${SCHOOL_UPN_SUFFIX}`, `skoleadmin@${SCHOOL_UPN_SUFFIX}`]));
  });

  it('signs a school operator in to the schools’ domain, with the roles of the schools’ own groups', () => {
    const helpdesk = operators.get(schoolHelpdesk)!;
    expect(helpdesk.domain).toMatchObject({ id: 'skolerne', baseDn: SCHOOL_BASE_DN, primary: false });
    expect(helpdesk.roles).toEqual(['helpdesk']);
    expect(helpdesk.helpdeskOus).toBeNull();
    expect(operators.get(schoolAdmin)!.roles).toEqual(['administrator']);
    // The municipality's operators: the names, roles and OU limit they had, now in their own domain.
    const admin = operators.get(townAdmin)!;
    expect(admin).toMatchObject({ username: 'admin', roles: ['administrator'], domain: { id: 'kommunen', baseDn: TRAINING_BASE_DN, primary: true } });
    expect(operators.get(townHelpdesk)).toMatchObject({ username: 'helpdesk', roles: ['helpdesk'], helpdeskOus: null });
  });

  it('the typed suffix decides the domain: a school name without it, or a municipality name with it, is refused', async () => {
    for (const username of ['skolehelpdesk', `admin@${SCHOOL_UPN_SUFFIX}`]) {
      const r = await core.dispatch('session.login', { username, password: TRAINING_PASSWORD }, caller());
      expect(r.ok, username).toBe(false);
    }
  });

  it('a school operator’s list holds the schools’ people only, staff with identities and pupils without', async () => {
    const rows = await everyone(schoolHelpdesk);
    expect(rows.length).toBe(schoolUsernames.size);
    expect(rows.every((r) => r.ad !== null && schoolUsernames.has(r.username))).toBe(true);
    expect(rows.some((r) => r.ouPath === 'Elever')).toBe(true);
    const staff = rows.filter((r) => r.ouPath === 'Medarbejdere');
    expect(staff.filter((r) => r.mitid.state === 'Active').length).toBeGreaterThan(staff.length / 3);
    expect(rows.filter((r) => r.ouPath === 'Elever').every((r) => r.mitid.state === 'none')).toBe(true);
    // The IdP knows them under the schools' own IdP domain.
    expect(staff.some((r) => r.idp.loaded && r.idp.nsisStatus !== null)).toBe(true);
  }, 120_000);

  it('a municipality operator’s list holds none of the schools’ people', async () => {
    const rows = await everyone(townAdmin);
    expect(rows.length).toBeGreaterThan(2_000);
    const adRows = rows.filter((r) => r.ad !== null);
    expect(adRows.every((r) => townUsernames.has(r.username))).toBe(true);
    expect(adRows.filter((r) => schoolOnly.includes(r.username))).toEqual([]);
  }, 120_000);

  it('refuses a school operator a municipality person: the access decision says domain', async () => {
    const town = await everyone(townHelpdesk);
    const clerk = town.find((r) => r.ad?.enabled && r.ouPath === 'Borgerservice')!;
    const dn = (await call('people.get', { personId: clerk.id }, townHelpdesk)).person.dn;
    expect(dn.endsWith(TRAINING_BASE_DN)).toBe(true);
    const decision = can(operators.get(schoolHelpdesk)!, 'people.unlockAccount', { dn });
    expect(decision).toMatchObject({ allowed: false, reason: 'domain', domain: 'Fjordby Skoler' });
    // Through the console the person is not even found: the schools' bind reads the schools' forest only.
    for (const [name, input] of [
      ['people.get', { personId: clerk.id }],
      ['people.unlockAccount', { personId: clerk.id, reason: 'Test af domænegrænsen' }],
    ] as const) {
      const r = await core.dispatch(name, input as never, schoolHelpdesk);
      expect(r.ok, name).toBe(false);
      expect(!r.ok && ['forbidden', 'not-found'].includes(r.error.code), JSON.stringify(!r.ok && r.error)).toBe(true);
    }
    // And the other way: a municipality operator is refused a school person for the same reason.
    const pupil = (await everyone(schoolHelpdesk)).find((r) => r.ouPath === 'Elever')!;
    const pupilDn = (await call('people.get', { personId: pupil.id }, schoolHelpdesk)).person.dn;
    expect(pupilDn.endsWith(SCHOOL_BASE_DN)).toBe(true);
    expect(can(operators.get(schoolHelpdesk)!, 'people.unlockAccount', { dn: pupilDn }).allowed).toBe(true);
    expect(can(operators.get(townAdmin)!, 'people.unlockAccount', { dn: pupilDn })).toMatchObject({ allowed: false, reason: 'domain', domain: 'Fjordby Kommune' });
  }, 120_000);

  it('one session holds both domains: one list with each domain’s own count, each person decided by their domain’s grant', async () => {
    const both = caller('ws-both');
    await call('session.login', { username: 'admin', password: TRAINING_PASSWORD }, both);
    // Only another domain's account adds a grant: the municipality's again, or a wrong password, changes nothing.
    for (const [username, password, key] of [
      ['admin', TRAINING_PASSWORD, 'domainAlreadySignedIn'],
      [`skolehelpdesk@${SCHOOL_UPN_SUFFIX}`, 'forkert', undefined],
    ] as const) {
      const r = await core.dispatch('session.addDomain', { username, password }, both);
      expect(r.ok, username).toBe(false);
      if (key) expect(!r.ok && r.error).toMatchObject({ key });
    }
    expect((await call('session.current', {}, both)).operator?.also ?? []).toEqual([]);
    const added = await call('session.addDomain', { username: `skolehelpdesk@${SCHOOL_UPN_SUFFIX}`, password: TRAINING_PASSWORD }, both);
    expect(added.operator).toMatchObject({ username: 'admin', roles: ['administrator'], also: [{ username: 'skolehelpdesk@skolerne', roles: ['helpdesk'], domain: { id: 'skolerne' } }] });

    const rows = await everyone(both);
    const school = rows.filter((r) => r.domain?.id === 'skolerne');
    const town = rows.filter((r) => r.domain?.id === 'kommunen');
    // Every school account once (as the school operator's own list holds them), the rest the municipality's.
    expect(school.map((r) => r.username).sort()).toEqual([...schoolUsernames].sort());
    expect(town.length).toBe(rows.length - school.length);
    expect(town.filter((r) => r.ad !== null).every((r) => townUsernames.has(r.username))).toBe(true);
    const page = await call('people.list', { limit: 1 }, both);
    expect(page.domains).toEqual([
      { id: 'kommunen', name: 'Fjordby Kommune', count: town.length },
      { id: 'skolerne', name: 'Fjordby Skoler', count: school.length },
    ]);
    expect((await call('people.list', { limit: 1, filter: { domain: 'skolerne' } }, both)).total).toBe(school.length);
    // The school operator alone still sees only their own domain, with no other domain's count.
    expect((await call('people.list', { limit: 1 }, schoolHelpdesk)).domains).toEqual([{ id: 'skolerne', name: 'Fjordby Skoler', count: school.length }]);

    // The floor warnings count both domains' people: with the schools' staff (who hold identities) put under
    // the pupils' policy outside NSIS, the schools' operator is warned, the municipality's alone is not, and
    // the session in both is warned exactly as the schools' operator is.
    const { config } = await call('policy.getConfig', {}, townAdmin);
    const PUPILS = 'elever.skoler.fjordby.test';
    await call('policy.updateConfig', { config: { ...config, domainOus: { ...config.domainOus, [PUPILS]: [...(config.domainOus[PUPILS] ?? []), `OU=Medarbejdere,${SCHOOL_BASE_DN}`] } }, reason: 'Test af advarslen i to domæner' }, townAdmin);
    const warned = async (who: ReturnType<typeof caller>) => (await call('policy.floorWarnings', {}, who)).warnings.map((w) => `${w.domain}:${w.withIdentity}`);
    const schoolWarned = (await warned(schoolHelpdesk)).filter((w) => w.startsWith(`${PUPILS}:`));
    expect(schoolWarned).toEqual([expect.stringMatching(new RegExp(`^${PUPILS}:[1-9]`))]);
    expect((await warned(townAdmin)).filter((w) => w.startsWith(`${PUPILS}:`))).toEqual([]);
    expect((await warned(both)).filter((w) => w.startsWith(`${PUPILS}:`))).toEqual(schoolWarned);
    await call('policy.updateConfig', { config, reason: 'Testen rydder op' }, townAdmin);

    // A pupil: the schools' grant decides (helpdesk), and the journal names the schools' account.
    const pupil = school.find((r) => r.ouPath === 'Elever')!;
    const before = core.journal.count();
    await call('people.unlockAccount', { personId: pupil.id, reason: 'Test af to domæner i én session' }, both);
    const records = core.journal.list({ afterSeq: before - 1 }).filter((r) => r.operation === 'people.unlockAccount');
    expect(records.map((r) => r.operatorUsername)).toEqual(['skolehelpdesk@skolerne', 'skolehelpdesk@skolerne']);
    // The municipality's administrator role does not carry over: in the schools this session is helpdesk.
    const teacher = school.find((r) => r.ouPath === 'Medarbejdere' && r.mitid.state === 'none')!;
    const refused = await core.dispatch('people.assignLocalAuthenticator', { personId: teacher.id, reason: 'Test af rollen i skolernes domæne' }, both);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'forbidden', details: { reason: 'role' } });
    // A municipality person is the administrator's, under the municipality's bind.
    const clerk = town.find((r) => r.ad !== null)!;
    expect((await call('people.get', { personId: clerk.id }, both)).person.dn.endsWith(TRAINING_BASE_DN)).toBe(true);

    await call('session.logout', {}, both);
    expect((await call('session.current', {}, both)).operator).toBeNull();
  }, 180_000);

  it('seeds the schools’ IdP domain with its own NSIS policy and a weaker pupils’ sub-domain', () => {
    const idp = (core.environment() as TrainingEnvironment).simulators.idp!.simulator;
    const policies = idp.state.policies;
    expect(policies.get('skoler.fjordby.test')).toMatchObject({ kind: 'domain', parentDomain: null });
    expect(policies.get('skoler.fjordby.test')?.settings.nsis).toBe(true);
    expect(policies.get('elever.skoler.fjordby.test')).toMatchObject({ kind: 'sub-domain', parentDomain: 'skoler.fjordby.test' });
    expect(policies.get('elever.skoler.fjordby.test')?.settings.nsis).toBe(false);
    expect(policies.get('elever.skoler.fjordby.test')!.settings.minLength).toBeLessThan(policies.get('skoler.fjordby.test')!.settings.minLength);
  });

  it('lets the schools’ administrator mirror the schools’ policy into the schools’ AD, and refuses them the municipality’s', async () => {
    const refused = await core.dispatch('policy.mirrorToAd', { domain: 'fjordby.kommune.test', reason: 'Test af domænegrænsen' }, schoolAdmin);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'forbidden', key: 'policyOtherDomain', params: { domain: 'Fjordby Kommune', own: 'Fjordby Skoler' } });
    const done = await call('policy.mirrorToAd', { domain: 'skoler.fjordby.test', reason: 'Skolernes politik i skolernes AD' }, schoolAdmin);
    expect(JSON.stringify(done)).toContain(SCHOOL_BASE_DN);
    // The municipality's administrator is refused the schools' policy the same way.
    const other = await core.dispatch('policy.mirrorToAd', { domain: 'elever.skoler.fjordby.test', reason: 'Test af domænegrænsen' }, townAdmin);
    expect(!other.ok && other.error).toMatchObject({ code: 'forbidden', key: 'policyOtherDomain', params: { domain: 'Fjordby Skoler', own: 'Fjordby Kommune' } });
  });

  it('the policy list says which policies are another domain’s, by the decision that refuses their change', async () => {
    const school = await call('policy.list', {}, schoolAdmin);
    const town = await call('policy.list', {}, townAdmin);
    const schools = ['skoler.fjordby.test', 'elever.skoler.fjordby.test'];
    expect(Object.keys(school.otherDomain)).toContain('fjordby.kommune.test');
    expect(Object.values(school.otherDomain).every((name) => name === 'Fjordby Kommune')).toBe(true);
    expect(schools.filter((d) => d in school.otherDomain)).toEqual([]);
    expect(town.otherDomain).toEqual(Object.fromEntries(schools.map((d) => [d, 'Fjordby Skoler'])));
    // Every policy the list calls theirs, main lets them change; every other one it refuses.
    for (const p of school.policies) {
      const r = await core.dispatch('policy.mirrorToAd', { domain: p.domain, reason: 'Test af domænegrænsen' }, schoolAdmin);
      const refused = !r.ok && (r.error as { key?: string }).key === 'policyOtherDomain';
      expect(refused, p.domain).toBe(p.domain in school.otherDomain);
    }
  });
});

