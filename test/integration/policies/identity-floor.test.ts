// The NSIS floor and MitID Erhverv identities (#19), through the dispatcher of a training core with the
// MitID Erhverv and IdP simulators: a person whose policy domain is outside NSIS is given no identity or
// local credential (single action, drift fix, bulk row), and an identity made behind the console's back
// in such a domain shows as the standing warning and a failing readiness item — counted from the people
// list, not from a MitID Erhverv call of the policies screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../../shared/operations/index.ts';
import { subjectNameIdFor } from '../../../shared/mitid/link-rule.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import type { TrainingEnvironment } from '../../../src-main/training/environment.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { allPeople } from '../../../src-main/services/policies/policy-service.ts';
import { TRAINING_BASE_DN, TRAINING_DOMAIN } from '../../../src-main/training/seed.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';

let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
let sim: MitIdSimulator;
const admin = caller('ws-admin');
const useradmin = caller('ws-brugeradmin');
const revisor = caller('ws-revisor');
const PUPILS = `elever.${TRAINING_DOMAIN}`;

type R = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; key?: string; params?: Record<string, unknown> } };
async function ok<T>(p: Promise<R>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}
const until = async (check: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};
/** MitID Erhverv calls the simulator has answered: the policies screen must not add any. */
const mitidCalls = () => sim.stats.requests;

beforeAll(async () => {
  env = await testCore({ simulators: true });
  core = env.core;
  sim = (core.environment() as TrainingEnvironment).simulators.mitid?.simulator as MitIdSimulator;
  for (const [c, u] of [[admin, 'admin'], [useradmin, 'brugeradmin'], [revisor, 'revisor']] as const) {
    await ok(core.dispatch('session.login', { username: u, password: TRAINING_PASSWORD }, c));
  }
  // The people list as the console holds it: AD, MitID Erhverv and the IdP read once.
  await core.people().ensure(admin.slot.get()!.directory);
  await core.people().idle();
}, 180_000);
afterAll(async () => env?.dispose());

const pupils = async () => (await allPeople(admin.slot.get()!.directory)).filter((p) => p.dn.includes('OU=Elever'));

describe('the standing warning', () => {
  it('appears once a pupil holds an identity made behind the console’s back, on the policies screen and in the readiness check', async () => {
    const before = await ok<OpOutput<'policy.floorWarnings'>>(core.dispatch('policy.floorWarnings', {}, revisor));
    expect(before.identitiesKnown).toBe(true);
    expect(before.warnings.find((w) => w.domain === PUPILS)).toBeUndefined();

    // Someone gives a pupil an identity with the Local IdP credential in the MitID Erhverv portal.
    const [pupil] = await pupils();
    if (!pupil) throw new Error('no pupil');
    const sni = subjectNameIdFor({ sAMAccountName: pupil.username, userPrincipalName: null }, core.connections().rulesFor(pupil.dn).linkRule);
    if (!sni) throw new Error('no subjectNameId');
    const identity = sim.state.insert({ givenName: pupil.givenName ?? 'Elev', surname: pupil.surname ?? 'Elevsen', emailAddress: `${pupil.username}@elev.test` });
    identity.authenticators.push(sim.state.newAuthenticator('LocalIdentityProvider', sni));
    // The people list's own refresh (its budgeted sync) learns of it.
    await core.people().refresh(admin.slot.get()!.directory);
    await core.people().idle();
    expect(core.people().row(pupil.id)?.mitid.state).toBe('Active');

    const calls = mitidCalls();
    const after = await ok<OpOutput<'policy.floorWarnings'>>(core.dispatch('policy.floorWarnings', {}, revisor));
    const w = after.warnings.find((x) => x.domain === PUPILS);
    expect(w).toMatchObject({ domain: PUPILS, outside: 'not-nsis', withIdentity: 1 });
    expect(w!.peopleInScope).toBeGreaterThan(100);
    // Counted from what the console holds: the screen asked MitID Erhverv nothing.
    expect(mitidCalls()).toBe(calls);

    for (const language of ['da', 'en'] as const) {
      const report = await ok<OpOutput<'readiness.check'>>(core.dispatch('readiness.check', { language }, revisor));
      const item = report.items.find((i) => i.kind === 'policy-identities' && i.domain === PUPILS);
      expect(item).toMatchObject({ status: 'fail', params: { count: 1, outside: 'not-nsis' }, fix: { kind: 'open-policies' } });
      expect(item!.details[0]).toContain(language === 'da' ? 'En administrator skal gøre det til et NSIS-domæne' : 'An administrator must make it an NSIS domain');
      expect(report.ready).toBe(false);
    }
    const pdf = await ok<OpOutput<'readiness.exportPdf'>>(core.dispatch('readiness.exportPdf', { language: 'da' }, revisor));
    expect(pdf.ready).toBe(false);
    expect(Buffer.from(pdf.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('giving an identity in a domain outside NSIS', () => {
  it('the renderer’s question and main’s answer agree: a pupil no, a member of staff yes', async () => {
    const [pupil] = await pupils();
    const staff = (await allPeople(admin.slot.get()!.directory)).find((p) => p.dn.includes('OU=IT,'));
    const no = await ok<OpOutput<'policy.identityFloor'>>(core.dispatch('policy.identityFloor', { personId: pupil!.id }, useradmin));
    expect(no).toMatchObject({ allowed: false, domain: PUPILS, outside: 'not-nsis' });
    const yes = await ok<OpOutput<'policy.identityFloor'>>(core.dispatch('policy.identityFloor', { personId: staff!.id }, useradmin));
    expect(yes.allowed).toBe(true);
  });

  it('is refused in main for the single action, the drift fix and a bulk row, naming the domain; nothing is created', async () => {
    // An administrator puts the schools' staff under the pupils' policy (a domain outside NSIS). Their new
    // hires have e-mail and no identity yet, so nothing but the floor stands in the way.
    const NEW = `OU=Medarbejdere,OU=Skoler,${TRAINING_BASE_DN}`;
    const { config } = await ok<OpOutput<'policy.getConfig'>>(core.dispatch('policy.getConfig', {}, admin));
    await ok(core.dispatch('policy.updateConfig', { config: { ...config, domainOus: { ...config.domainOus, [PUPILS]: [...(config.domainOus[PUPILS] ?? []), NEW] } }, reason: 'Skolernes personale under elevpolitikken' }, admin));
    const hires = (await allPeople(admin.slot.get()!.directory)).filter((p) => p.dn.toLowerCase().endsWith(NEW.toLowerCase()) && p.enabled && p.email && core.people().row(p.id)?.mitid.state === 'none');
    expect(hires.length).toBeGreaterThan(2);
    const creates = sim.stats.createRequests;

    const single = await core.dispatch('people.assignLocalAuthenticator', { personId: hires[0]!.id, reason: 'Ny medarbejder skal have login' }, useradmin);
    expect(single).toMatchObject({ ok: false, error: { code: 'refused', key: 'identityFloorRefused', params: { domain: PUPILS } } });
    expect(!single.ok && single.error.message).toContain(`En administrator skal først gøre ${PUPILS} til et NSIS-domæne`);

    const fix = await core.dispatch('people.fixDrift', { personId: hires[1]!.id, kind: 'identity-missing', reason: 'Afvigelse rettes' }, useradmin);
    expect(fix).toMatchObject({ ok: false, error: { code: 'refused', key: 'identityFloorRefused' } });

    // A bulk job's dry run already says it, per row (and the runner would refuse it all the same).
    const { job } = await ok<OpOutput<'bulk.plan'>>(core.dispatch('bulk.plan', { action: 'assign-local', target: { kind: 'people', personIds: [hires[2]!.id] } }, useradmin));
    const planned = await ok<OpOutput<'bulk.get'>>(core.dispatch('bulk.get', { jobId: job.id }, useradmin));
    expect(planned.rows).toEqual([expect.objectContaining({ state: 'skipped', skipReason: 'identity-floor' })]);
    await ok(core.dispatch('bulk.start', { jobId: job.id, reason: 'Nyansatte skal have lokalt login' }, useradmin));
    await until(async () => ['completed', 'failed'].includes((await ok<OpOutput<'bulk.get'>>(core.dispatch('bulk.get', { jobId: job.id }, useradmin))).job.state));

    expect(sim.stats.createRequests).toBe(creates);
    // The refusals are journaled like any refused write.
    const refused = core.journal.list({ limit: 100_000 }).filter((r) => r.operation === 'people.assignLocalAuthenticator' && r.kind === 'outcome');
    expect(refused.at(-1)).toMatchObject({ outcome: 'refused' });

    // Once the domain is NSIS (an administrator's save), the same person is given the credential.
    const p = (await ok<OpOutput<'policy.get'>>(core.dispatch('policy.get', { domain: PUPILS }, admin))).policy;
    await ok(core.dispatch('policy.update', { domain: PUPILS, basedOnVersion: p.version, settings: { ...p.settings, nsis: true, minLength: 15, triesBeforeLock: 5, lockedMinutes: 5 }, reason: 'Elevdomænet bliver NSIS' }, admin));
    const given = await ok<OpOutput<'people.assignLocalAuthenticator'>>(core.dispatch('people.assignLocalAuthenticator', { personId: hires[0]!.id, reason: 'Ny medarbejder skal have login' }, useradmin));
    expect(given.outcome).toBe('created');
  });
});
