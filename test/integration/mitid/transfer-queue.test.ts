// The failed-transfer queue through the console (training core, dispatcher, create guard, and the MitID
// Erhverv simulator over HTTPS with a client certificate), with the simulator's hostile switches: a
// create applied and then answered with an error while the search lags, and a write refused by an outage.
// "Genkør" reconciles first and never POSTs a create again; the queue is scope-filtered in main.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Core } from '../../../src-main/composition/core.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { generateTrainingAccounts, trainingHasMitIdIdentity } from '../../../src-main/training/seed.ts';
import type { TrainingEnvironment } from '../../../src-main/training/environment.ts';
import type { FailedTransfer } from '../../../shared/operations/transfers.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';

let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
let sim: MitIdSimulator;
let admin: ReturnType<typeof caller>;
const accounts = generateTrainingAccounts();
const outsideSchools = (a: (typeof accounts)[number]) => !a.ouPath.includes('Skoler');

beforeEach(async () => {
  env = await testCore({ simulators: true });
  core = env.core;
  sim = (core.environment() as TrainingEnvironment).simulators.mitid?.simulator as MitIdSimulator;
  admin = await signIn('brugeradmin');
});
afterEach(async () => env.dispose());

async function signIn(username: string) {
  const c = caller();
  const r = await core.dispatch('session.login', { username, password: TRAINING_PASSWORD }, c);
  if (!r.ok) throw new Error(r.error.message);
  return c;
}
async function data<T>(op: string, input: unknown, who = admin): Promise<T> {
  const r = await core.dispatch(op, input, who);
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.data as T;
}
const personId = async (username: string) =>
  (await data<{ items: Array<{ id: string; username: string }> }>('people.search', { text: username, limit: 5 })).items.find((i) => i.username === username)!.id;
const queue = async (who = admin) => (await data<{ items: FailedTransfer[] }>('transfers.list', {}, who)).items;

it('a create applied but answered with an error waits in the queue; Genkør reconciles and never creates again', async () => {
  const hire = accounts.find((a) => a.newHire && outsideSchools(a))!;
  const id = await personId(hire.username);
  // Failure after apply: the identity is created (and paid), the answer is a 503, and the search lags behind.
  sim.faults.duplicateRefusal = false;
  sim.faults.searchLagMs = 1_500;
  sim.faults.failAfterApply = { rate: 1, answer: '503' };
  const applied = sim.stats.createsApplied;
  const first = await data<{ outcome: string }>('people.assignLocalAuthenticator', { personId: id, reason: 'Ny medarbejder skal logge på' });
  expect(first.outcome).toBe('pending-confirmation');
  expect(sim.stats.createsApplied).toBe(applied + 1);
  sim.faults.failAfterApply = { rate: 0, answer: '503' };
  const posts = sim.stats.calls['POST /identity/employee'];

  const entry = (await queue()).find((t) => t.personId === id);
  expect(entry).toMatchObject({ kind: 'pending-confirmation', key: expect.stringMatching(/^p:/), retryable: true, operation: 'people.assignLocalAuthenticator' });
  // The schools' helpdesk does not see a person outside its units.
  expect((await queue(await signIn('helpdesk.skole'))).some((t) => t.personId === id)).toBe(false);

  // Genkør while the search still lags: looked for, not found yet, not POSTed again.
  const still = await data<{ outcome: string; said: unknown }>('transfers.retry', { key: entry!.key, personId: id, reason: 'Genkør fra køen' });
  expect(still.outcome).toBe('pending-confirmation');
  // The same by code and values, for the operator's language.
  expect(still.said).toEqual({ code: 'pendingConfirmation', params: { at: expect.any(String), searches: expect.any(Number) } });
  expect(sim.stats.calls['POST /identity/employee']).toBe(posts);
  // Once the search shows it: settled, the same identity, still one create. (The precondition check reads
  // the person first, and that read may already settle the create: then the guard finds it assigned.)
  await new Promise((r) => setTimeout(r, 1_600));
  const done = await data<{ outcome: string }>('transfers.retry', { key: entry!.key, personId: id, reason: 'Genkør fra køen' });
  expect(['reconciled', 'already-assigned']).toContain(done.outcome);
  expect(sim.stats.createsApplied).toBe(applied + 1);
  expect(sim.stats.calls['POST /identity/employee']).toBe(posts);
  expect((await queue()).some((t) => t.personId === id)).toBe(false);
  // Each Genkør is journaled with its reason: intent and outcome, in the operator's name.
  const retries = core.journal.list({ limit: 100_000 }).filter((e) => e.operation === 'transfers.retry');
  expect(retries.map((e) => [e.kind, e.reason, e.outcome])).toEqual([
    ['intent', 'Genkør fra køen', null], ['outcome', 'Genkør fra køen', 'success'],
    ['intent', 'Genkør fra køen', null], ['outcome', 'Genkør fra køen', 'success'],
  ]);
});

it('a write that failed is listed until a Genkør succeeds; then it is settled and cannot be run again', async () => {
  const person = accounts.find((a) => trainingHasMitIdIdentity(a) && a.enabled && outsideSchools(a) && !a.newHire)!;
  const id = await personId(person.username);
  sim.faults.failBeforeApply = { rate: 1, answer: '500' };
  const r = await core.dispatch('people.suspendIdentity', { personId: id, reason: 'Fratrådt, spærres' }, admin);
  expect(r.ok).toBe(false);
  sim.faults.failBeforeApply = { rate: 0, answer: '500' };

  const entry = (await queue()).find((t) => t.personId === id);
  expect(entry).toMatchObject({ key: expect.stringMatching(/^c:\d+$/), operation: 'people.suspendIdentity', retryable: true });
  expect(['failed', 'unknown']).toContain(entry!.kind);
  expect(entry!.message).toBeTruthy();
  expect((await queue(await signIn('helpdesk.skole'))).some((t) => t.personId === id)).toBe(false);
  // The schools' helpdesk may not run it again (role), and an auditor may look but not act.
  const auditor = await signIn('revisor');
  expect((await queue(auditor)).some((t) => t.key === entry!.key)).toBe(true);
  const refused = await core.dispatch('transfers.retry', { key: entry!.key, personId: id, reason: 'Genkør fra køen' }, auditor);
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });

  const done = await data<{ outcome: string; said: unknown }>('transfers.retry', { key: entry!.key, personId: id, reason: 'Genkør fra køen' });
  expect(done.outcome).toBe('suspended');
  expect(done.said).toEqual({ code: 'suspended', params: {} });
  expect((await queue()).some((t) => t.key === entry!.key)).toBe(false);
  const again = await core.dispatch('transfers.retry', { key: entry!.key, personId: id, reason: 'Genkør fra køen' }, admin);
  expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  // A key of one person cannot be run on another.
  const other = accounts.find((a) => trainingHasMitIdIdentity(a) && a.enabled && outsideSchools(a) && a.username !== person.username)!;
  sim.faults.failBeforeApply = { rate: 1, answer: '500' };
  await core.dispatch('people.suspendIdentity', { personId: await personId(other.username), reason: 'Fratrådt, spærres' }, admin);
  sim.faults.failBeforeApply = { rate: 0, answer: '500' };
  const otherEntry = (await queue()).find((t) => t.person?.includes(other.username))!;
  const wrong = await core.dispatch('transfers.retry', { key: otherEntry.key, personId: id, reason: 'Genkør fra køen' }, admin);
  expect(wrong).toMatchObject({ ok: false, error: { code: 'validation' } });
});
