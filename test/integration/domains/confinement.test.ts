// One console, two real AD domains: an operator sees and acts in the domain they signed in to only — the
// list is read under their bind in their domain and filtered to it, a person of the other domain is
// refused, and a password policy of the other domain is refused before anything is written.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoleMapping } from '../../../shared/domain/settings.ts';
import { defaultPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { OpInput, OpName, OpOutput } from '../../../shared/operations/index.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { memorySlot, type SessionSlot } from '../../../src-main/dispatch/session.ts';
import { openBulkStore } from '../../../src-main/store/bulk-store.ts';
import { twoDomainCores } from '../../support/samba/two-domains.ts';

const domains = twoDomainCores();
const { kommune, skole } = domains;
const schoolPeople = new Set<string>([...skole.facts.staff, ...skole.facts.pupils, ...Object.values(skole.facts.operators)]);
const pupils: readonly string[] = skole.facts.pupils;
/** Accounts only the municipality's domain has (its helpdesk's name the school has too). */
const townOnly: readonly string[] = [kommune.facts.operators.administrator, kommune.facts.operators.auditor, kommune.facts.operators.useradmin];

let core: Core;
beforeAll(async () => {
  // The school domain's mapping names its own administrators and helpdesk groups.
  core = await domains.core({ school: RoleMapping.parse({ administrator: [skole.facts.roleGroups.administrator], helpdesk: [skole.facts.roleGroups.helpdesk] }) });
});
afterAll(() => domains.dispose());

async function signIn(username: string, password: string): Promise<SessionSlot> {
  const slot = memorySlot();
  const r = await core.dispatch('session.login', { username, password }, { slot, workstation: 'test' });
  expect(r.ok, JSON.stringify(!r.ok && r.error)).toBe(true);
  return slot;
}
const as = (slot: SessionSlot) => ({
  call: <N extends OpName>(name: N, input: OpInput<N>) => core.dispatch(name, input, { slot, workstation: 'test' }),
  async ok<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
    const r = await core.dispatch(name, input, { slot, workstation: 'test' });
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.data as OpOutput<N>;
  },
});
/** The whole list as the operator sees it, once the sync has read AD under their bind. */
async function listed(slot: SessionSlot, text = '') {
  const op = as(slot);
  await op.ok('people.list', { limit: 1 });
  await core.people().idle();
  return op.ok('people.list', { text, limit: 500 });
}

describe('two domains, one console', () => {
  it('a school operator’s list is the school domain’s people only; the municipality’s then theirs only', async () => {
    const school = await signIn(`${skole.facts.operators.helpdesk}@skole.test`, skole.facts.password);
    const seen = await listed(school);
    const names = seen.rows.map((r) => r.username);
    // Every seeded school account (the DC's own built-in accounts beside them), and nobody only the municipality has.
    expect(names).toEqual(expect.arrayContaining([...schoolPeople]));
    expect(names.filter((n) => townOnly.includes(n))).toEqual([]);
    expect(seen.rows.every((r) => ['Users', 'IT', 'Medarbejdere', 'Elever'].includes(r.ouPath))).toBe(true);

    // The same workstation, now the municipality's helpdesk: AD is read again in their domain at once.
    const town = await signIn(kommune.facts.operators.helpdesk, kommune.facts.password);
    const theirs = await listed(town);
    expect(theirs.total).toBeGreaterThan(seen.total);
    expect((await listed(town, 'elev.')).rows.filter((r) => pupils.includes(r.username))).toEqual([]);
    // A username both domains have is listed once: the municipality's account, in its own OU.
    const same = (await listed(town, kommune.facts.operators.helpdesk)).rows.filter((r) => r.username === kommune.facts.operators.helpdesk);
    expect(same.map((r) => r.ouPath)).toEqual(['IT-afdelingen']);

    // Back to the school operator: a municipality person is not theirs to read or to act on.
    const clerk = (await listed(town, kommune.facts.operators.administrator)).rows.find((r) => r.username === kommune.facts.operators.administrator)!;
    expect(clerk).toBeDefined();
    for (const [name, input] of [['people.get', { personId: clerk.id }], ['people.unlockAccount', { personId: clerk.id, reason: 'Test af domænegrænsen' }]] as const) {
      const r = await as(school).call(name, input as never);
      expect(r.ok, name).toBe(false);
      expect(!r.ok && ['forbidden', 'not-found'].includes(r.error.code), JSON.stringify(!r.ok && r.error)).toBe(true);
    }
    const again = await listed(school);
    expect(again.rows.some((r) => r.id === clerk.id)).toBe(false);
  });

  it('a password policy of the municipality is refused to the school’s administrator before the IdP or AD is touched', async () => {
    const schoolAdmin = await signIn(`${skole.facts.operators.administrator}@skole.test`, skole.facts.password);
    const input = { domain: 'kommune.test', basedOnVersion: 1, settings: defaultPolicySettings(true), reason: 'Test af domænegrænsen' };
    const refused = await as(schoolAdmin).call('policy.update', input);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'forbidden', key: 'policyOtherDomain', params: { domain: 'Kommunen', own: 'Skolerne' } });
    const mirror = await as(schoolAdmin).call('policy.mirrorToAd', { domain: 'kommune.test', reason: 'Test af domænegrænsen' });
    expect(!mirror.ok && mirror.error).toMatchObject({ code: 'forbidden', key: 'policyOtherDomain' });
    // The municipality's own administrator is let past the domain check (and meets the missing IdP).
    const townAdmin = await signIn(kommune.facts.operators.administrator, kommune.facts.password);
    const own = await as(townAdmin).call('policy.mirrorToAd', { domain: 'kommune.test', reason: 'Test af domænegrænsen' });
    expect(!own.ok && own.error).toMatchObject({ code: 'unavailable-idp' });
  });

  it('the journal by domain: the school’s administrator reads the school’s events only; the municipality’s administrator reads both, each with its domain', async () => {
    const schoolAdmin = await signIn(`${skole.facts.operators.administrator}@skole.test`, skole.facts.password);
    // Administrators read the journal too (the mapping here grants no auditor group).
    const townAuditor = await signIn(kommune.facts.operators.administrator, kommune.facts.password);
    const pupil = (await listed(schoolAdmin, pupils[0])).rows.find((r) => r.username === pupils[0])!;
    const unlock = await as(schoolAdmin).call('people.unlockAccount', { personId: pupil.id, reason: 'Elev ringede til kontoret' });
    expect(unlock.ok, JSON.stringify(!unlock.ok && unlock.error)).toBe(true);

    // The school's operators are journaled with their domain: the same name in the municipality is another person.
    const mine = await as(schoolAdmin).ok('audit.search', { filter: { actions: [], source: 'console' }, limit: 500 });
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.some((r) => r.action === 'people.unlockAccount' && r.person?.includes(pupils[0]!))).toBe(true);
    // Each is the school's: about a school person, or done by a school operator (the earlier test's refused try
    // on a municipality person is theirs to see, and says the person's domain).
    const schoolOperator = (r: { operator: string | null }) => /@skole\)$/.test(r.operator ?? '');
    expect(mine.rows.every((r) => r.domain === 'skole' || schoolOperator(r)), JSON.stringify(mine.rows.filter((r) => r.domain !== 'skole'))).toBe(true);
    expect(mine.rows.some((r) => r.domain === 'kommune' && r.outcome === 'refused' && schoolOperator(r))).toBe(true);
    expect(mine.rows.filter((r) => r.action === 'session.login').every((r) => r.operator?.endsWith('@skole)'))).toBe(true);
    // The municipality's sign-ins in this run are not theirs to read, nor to count, nor to pick.
    const stats = await as(schoolAdmin).ok('audit.stats', { filter: { actions: [], source: 'console' } });
    expect(stats.total).toBe(mine.rows.length);
    expect(stats.domains).toEqual([]);
    const other = await as(schoolAdmin).call('audit.search', { filter: { actions: [], source: 'all', domain: 'kommune' }, limit: 10 });
    expect(!other.ok && other.error).toMatchObject({ code: 'forbidden', key: 'auditOtherDomain', params: { own: 'Skolerne' } });

    const all = await as(townAuditor).ok('audit.search', { filter: { actions: [], source: 'console' }, limit: 500 });
    expect(new Set(all.rows.map((r) => r.domain))).toEqual(new Set(['kommune', 'skole']));
    expect(all.rows.length).toBeGreaterThan(mine.rows.length);
    const picked = await as(townAuditor).ok('audit.search', { filter: { actions: [], source: 'console', domain: 'skole' }, limit: 500 });
    expect(picked.rows.map((r) => r.key)).toEqual(mine.rows.map((r) => r.key));
    expect((await as(townAuditor).ok('audit.stats', { filter: { actions: [], source: 'all' } })).domains).toEqual([{ id: 'kommune', name: 'Kommunen' }, { id: 'skole', name: 'Skolerne' }]);

    // The evidence package of the school's administrator holds the school's events only, and says so.
    const d = new Date();
    const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const started = await as(schoolAdmin).ok('audit.exportEvidence', { from: day, to: day, scope: { kind: 'admin' } });
    let job = started.job;
    for (let i = 0; i < 1500 && job.state === 'running'; i++) {
      await new Promise((res) => setTimeout(res, 20));
      job = (await as(schoolAdmin).ok('jobs.get', { id: job.id })).job;
    }
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const { rows, folder } = job.result as { rows: number; folder: string };
    const today = await as(schoolAdmin).ok('audit.search', { filter: { actions: [], source: 'console', from: day, to: day }, limit: 500 });
    // (The export's own records may land after it counted.)
    expect(rows).toBeGreaterThan(2);
    expect(rows).toBeLessThanOrEqual(today.rows.length);
    const csv = readFileSync(join(folder, 'haendelser.csv'), 'utf8');
    expect(csv).toContain(`${skole.facts.operators.administrator}@skole`);
    expect(csv).not.toContain(`(${kommune.facts.operators.administrator})`);
    expect(readFileSync(join(folder, 'rapport.pdf')).length).toBeGreaterThan(0);
  });

  it('bulk jobs belong to the domain of the operator who planned them: another domain’s job is not there to read, run or stop', async () => {
    const townAdmin = await signIn(kommune.facts.operators.administrator, kommune.facts.password);
    const schoolAdmin = await signIn(`${skole.facts.operators.administrator}@skole.test`, skole.facts.password);
    const clerk = (await listed(townAdmin, kommune.facts.operators.helpdesk)).rows.find((r) => r.username === kommune.facts.operators.helpdesk)!;
    const pupil = (await listed(schoolAdmin, pupils[0])).rows.find((r) => r.username === pupils[0])!;
    // Planning needs MitID Erhverv (not set up here): the two jobs are written as a plan would write them,
    // each by its operator as the session names them.
    const operatorOf = (slot: SessionSlot) => slot.get()!.operator.username;
    expect(operatorOf(schoolAdmin)).toBe(`${skole.facts.operators.administrator}@skole`);
    const store = openBulkStore(core.journal.file);
    const plan = (createdBy: string, p: { id: string; username: string; displayName: string }) => {
      const id = randomUUID();
      store.createJob({ id, action: 'suspend', targetKind: 'people', targetLabel: p.displayName, createdBy }, [
        { personId: p.id, username: p.username, displayName: p.displayName, dn: null, person: null, plan: 'skip', skipReason: 'no-identity' },
      ]);
      return { id };
    };
    const town = plan(operatorOf(townAdmin), clerk);
    const school = plan(operatorOf(schoolAdmin), pupil);
    store.close();

    expect((await as(schoolAdmin).ok('bulk.list', { limit: 100 })).jobs.map((j) => j.id)).toEqual([school.id]);
    expect((await as(townAdmin).ok('bulk.list', { limit: 100 })).jobs.map((j) => j.id)).toEqual([town.id]);
    for (const [name, input] of [
      ['bulk.get', { jobId: town.id }],
      ['bulk.start', { jobId: town.id, reason: 'Forsøg fra skolen' }],
      ['bulk.cancel', { jobId: town.id, reason: 'Forsøg fra skolen' }],
      ['bulk.addNote', { jobId: town.id, reason: 'Forsøg fra skolen' }],
      ['bulk.resultFile', { jobId: town.id }],
    ] as const) {
      const r = await as(schoolAdmin).call(name, input as never);
      expect(!r.ok && r.error, name).toMatchObject({ code: 'not-found', key: 'bulkJobMissing' });
    }
    // Their own is theirs, and the municipality's is the municipality's.
    expect((await as(schoolAdmin).ok('bulk.get', { jobId: school.id })).job.id).toBe(school.id);
    expect((await as(townAdmin).call('bulk.get', { jobId: school.id })).ok).toBe(false);
    expect((await as(townAdmin).ok('bulk.cancel', { jobId: town.id, reason: 'Ikke længere nødvendig' })).job.state).toBe('cancelled');
  });

  it('the school’s administrator changes the school domain’s settings only; the rest and the secrets are the municipality’s', async () => {
    const schoolAdmin = await signIn(`${skole.facts.operators.administrator}@skole.test`, skole.facts.password);
    const { settings } = await as(schoolAdmin).ok('settings.get', {});
    const rename = (id: string, name: string) => ({ ...settings, domains: settings.domains.map((d) => (d.id === id ? { ...d, name } : d)) });
    // Their own domain's entry: saved.
    const saved = await as(schoolAdmin).ok('settings.update', { settings: rename('skole', 'Skolerne i Kommunen') });
    expect(saved.settings.domains.find((d) => d.id === 'skole')?.name).toBe('Skolerne i Kommunen');
    const now = saved.settings;
    // The municipality's domain, the global role mapping, removing their own: refused, nothing written (the
    // refusal names the domain as they signed in to it).
    const attempts = [
      { ...now, domains: now.domains.map((d) => (d.id === 'kommune' ? { ...d, urls: ['ldaps://127.0.0.9:636'] } : d)) },
      { ...now, roleMapping: { ...now.roleMapping, administrator: [...now.roleMapping.administrator, 'Domain Users'] } },
      { ...now, domains: now.domains.filter((d) => d.id !== 'skole') },
    ];
    for (const attempt of attempts) {
      const r = await as(schoolAdmin).call('settings.update', { settings: attempt });
      expect(!r.ok && r.error).toMatchObject({ code: 'forbidden', key: 'settingsOtherDomain', params: { own: 'Skolerne' } });
    }
    expect((await as(schoolAdmin).ok('settings.get', {})).settings).toEqual(now);
    const secret = await as(schoolAdmin).call('settings.setSecret', { key: 'idp.apiKey', value: 'hemmelig-nøgle-1234' });
    expect(!secret.ok && secret.error).toMatchObject({ code: 'forbidden', details: { reason: 'municipality', domain: 'Skolerne' } });
    // So is the journal's retention: a school administrator cannot shorten it and purge the municipality's evidence.
    const purge = await as(schoolAdmin).call('audit.purgeNow', { reason: 'Forsøg på at rydde journalen' });
    expect(!purge.ok && purge.error).toMatchObject({ code: 'forbidden', details: { reason: 'municipality' } });
    // The municipality's administrator may change the school's entry too (and puts the name back).
    const townAdmin = await signIn(kommune.facts.operators.administrator, kommune.facts.password);
    const back = await as(townAdmin).ok('settings.update', { settings: { ...now, domains: now.domains.map((d) => (d.id === 'skole' ? { ...d, name: 'Skolerne' } : d)) } });
    expect(back.settings.domains.map((d) => d.name)).toEqual(['Kommunen', 'Skolerne']);
  });
});
