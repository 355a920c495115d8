// The odd cases of issue #16, each answered correctly: through the console (training core, dispatcher,
// guard, both simulators) and at the client where the old code went wrong.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/composition/core.ts';
import type { MitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { generateTrainingAccounts } from '../../../src-main/training/seed.ts';
import { mitIdStateOf } from '../../../shared/mitid/domain.ts';
import { signedInTrainingCore, type caller } from '../../support/core.ts';
import { clientFor, expectConsoleError, fakeCpr, startSim } from './harness.ts';

describe('through the console (training)', () => {
  let env: Awaited<ReturnType<typeof signedInTrainingCore>>;
  let core: Core;
  let sim: MitIdSimulator;
  let admin: ReturnType<typeof caller>;
  const newHires = generateTrainingAccounts().filter((a) => a.newHire);

  beforeEach(async () => {
    env = await signedInTrainingCore();
    ({ core, sim, who: admin } = env);
  });
  afterEach(async () => env.dispose());

  const personId = async (username: string): Promise<string> => {
    const r = await core.dispatch('people.search', { text: username, limit: 5 }, admin);
    if (!r.ok) throw new Error(r.error.message);
    const hit = (r.data as { items: Array<{ id: string; username: string }> }).items.find((i) => i.username === username);
    if (!hit) throw new Error(`${username} not found`);
    return hit.id;
  };
  const overview = async (id: string) => {
    const r = await core.dispatch('people.overview', { personId: id }, admin);
    if (!r.ok) throw new Error(r.error.message);
    return r.data as { mitid: { ok: true; data: { pendingCreate: unknown; signingState: string; link: string; identityState?: string; identity: unknown } } };
  };

  it('training has new hires with e-mail and no identity, and one can be created — a double click pays once', async () => {
    expect(newHires.length).toBeGreaterThanOrEqual(20);
    const hire = newHires[0]!;
    expect(hire.email).toMatch(/@fjordby\.dk$/);
    const id = await personId(hire.username);
    const before = await overview(id);
    expect(before.mitid.data.identity).toBeNull();
    const creates = sim.stats.createsApplied;
    const [x, y] = await Promise.all([
      core.dispatch('people.assignLocalAuthenticator', { personId: id, reason: 'Ny medarbejder skal logge på' }, admin),
      core.dispatch('people.assignLocalAuthenticator', { personId: id, reason: 'Ny medarbejder skal logge på' }, admin),
    ]);
    expect([x.ok, y.ok]).toEqual([true, true]);
    expect(sim.stats.createsApplied).toBe(creates + 1);
    const after = await overview(id);
    expect(after.mitid.data).toMatchObject({ link: 'linked', identityState: 'active' });
  });

  it('an unknown outcome is "afventer bekræftelse" on the person page, journaled, and not POSTed again', async () => {
    const hire = newHires[1]!;
    const id = await personId(hire.username);
    sim.faults.searchLagMs = 60_000;
    sim.faults.dropNextCreates = 1;
    const r = await core.dispatch('people.assignLocalAuthenticator', { personId: id, reason: 'Ny medarbejder skal logge på' }, admin);
    expect(r).toMatchObject({ ok: true, data: { outcome: 'pending-confirmation', message: expect.stringMatching(/^Oprettelsen afventer bekræftelse/) } });
    const posts = sim.stats.calls['POST /identity/employee'];
    const again = await core.dispatch('people.assignLocalAuthenticator', { personId: id, reason: 'Prøver igen' }, admin);
    expect(again).toMatchObject({ ok: true, data: { outcome: 'pending-confirmation' } });
    expect(sim.stats.calls['POST /identity/employee']).toBe(posts);
    const page = await overview(id);
    expect(page.mitid.data.pendingCreate).toMatchObject({ absentSearches: 2, absentChecks: expect.any(Number), earliestRetryAt: expect.any(String) });
    const journal = core.journal.list({ limit: 100_000 }).filter((e) => e.operation === 'mitid.createGuard');
    expect(journal.map((e) => (e.summary as { event: string }).event)).toEqual(['create-sent', 'pending']);
    expect(journal[1]?.outcome).toBe('unknown');
  });

  it('an identity with the person\'s e-mail but someone else\'s local login is "findes, men er ikke koblet", not success', async () => {
    const hire = newHires[2]!;
    const other = sim.state.insert({ givenName: 'Anden', surname: 'Person', emailAddress: hire.email as string, cprNumber: fakeCpr(77) });
    other.authenticators.push(sim.state.newAuthenticator('LocalIdentityProvider', 'anden.person@fjordby.dk'));
    const id = await personId(hire.username);
    const r = await core.dispatch('people.assignLocalAuthenticator', { personId: id, reason: 'Ny medarbejder skal logge på' }, admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/findes i MitID Erhverv, men er ikke koblet.*anden\.person@fjordby\.dk.*Ret koblingen/) } });
    expect(other.authenticators.map((a) => a.id)).toEqual(['anden.person@fjordby.dk']);
    expect((await overview(id)).mitid.data.link).toBe('unlinked');
  });

  it('signing comes from explicit status values: an "Inactive" private MitID is not active signing', async () => {
    const seeded = generateTrainingAccounts().find((a) => a.username !== 'brugeradmin' && !a.newHire && a.email && a.enabled && a.ouPath[0] === 'Borgerservice')!;
    const identity = sim.state.all().find((i) => i.emailAddress === seeded.email)!;
    identity.allowSigning = true;
    identity.authenticators.push(sim.state.newAuthenticator('PrivateMitId', null, 'Inactive'));
    const page = await overview(await personId(seeded.username));
    expect(page.mitid.data.signingState).toBe('waiting-for-person');
    identity.authenticators.at(-1)!.status = 'Active';
    expect((await overview(await personId(seeded.username))).mitid.data.signingState).toBe('active');
  });
});

describe('at the client', () => {
  let sim: MitIdSimulator;
  let client: MitIdErhvervClient;
  beforeAll(async () => {
    sim = await startSim();
    client = clientFor(sim);
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });
  beforeEach(() => {
    sim.state.clear();
    sim.faults.reset();
    sim.resetStats();
  });
  const person = { givenName: 'Sofie', surname: 'Berg', emailAddress: 'sb@kommune.dk', cprNumber: fakeCpr(3), subjectNameId: 'sb@kommune.dk' };

  it('a 409 for the person we are creating is reconciled, not reported as a refusal', async () => {
    const first = await client.createIdentity(person);
    const again = await client.createIdentity(person);
    expect(again).toEqual({ uuid: first.uuid, outcome: 'reconciled' });
    expect(sim.stats.createsApplied).toBe(1);
  });

  it('a 409 the lagging search cannot explain yet is an unknown outcome (pending), not a refusal', async () => {
    sim.faults.searchLagMs = 60_000;
    await client.createIdentity(person);
    const e = await expectConsoleError(client.createIdentity(person));
    expect(e.details).toMatchObject({ outcome: 'unknown', reason: 'conflict-unseen' });
  });

  it('a CPR match that carries someone else\'s local login is never "reconciled" after an unknown outcome', async () => {
    const other = sim.state.insert({ givenName: 'Sofie', surname: 'Berg', emailAddress: 'andet@kommune.dk', cprNumber: fakeCpr(3) });
    other.authenticators.push(sim.state.newAuthenticator('LocalIdentityProvider', 'andet@kommune.dk'));
    sim.faults.failBeforeApply = { rate: 1, answer: '503' };
    const e = await expectConsoleError(client.createIdentity(person));
    expect(e.details).toMatchObject({ outcome: 'unknown' });
    expect(sim.stats.calls['POST /identity/employee']).toBe(1);
  });

  it('reads states from the explicit status values only', () => {
    expect(['Active', 'ACTIVE', 'Inactive', 'Suspended', 'Pending', 'Deactivated', null].map(mitIdStateOf)).toEqual(['active', 'active', 'other', 'suspended', 'pending', 'other', 'other']);
  });
});
