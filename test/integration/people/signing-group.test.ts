// Upgrading for signing through the console, when the municipality keeps its signers in an AD group:
// the group and MitID Erhverv change together, and a MitID Erhverv failure undoes the group change.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpInput, OpName, OpOutput } from '../../../shared/operations/index.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { startTrainingMitIdErhverv, type TrainingMitId } from '../../../src-main/training/mitid-sim/training.ts';
import { generateTrainingAccounts, TRAINING_SIGNING_GROUP } from '../../../src-main/training/seed.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';
import { oneDomainRules } from '../../../src-main/connectors/domain-rules.ts';

const GROUP = 'MitID Erhverv signatur';
let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
let mitid: TrainingMitId;
const who = caller('ws-brugeradmin');
const accounts = generateTrainingAccounts();
const staff = accounts.filter((a) => a.enabled && a.email && !a.ouPath.includes('Elever') && !a.ouPath.includes('Fratrådte'));

type Result = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };
async function call<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
  const r: Result = await core.dispatch(name, input, who);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as OpOutput<N>;
}
const groupsOf = async (personId: string) => (await call('people.get', { personId })).person.groups;

beforeAll(async () => {
  env = await testCore({
    adjustEnvironment: async (e) => {
      mitid = await startTrainingMitIdErhverv({
        people: staff.map((a) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email })),
        linkRule: e.connections.rulesFor(null).linkRule,
        client: { backoff: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 }, breaker: { failureThreshold: 1000, cooldownMs: 10 } },
      });
      return { ...e, connections: { ...e.connections, mitid: mitid.port, rulesFor: oneDomainRules({ linkRule: e.connections.rulesFor(null).linkRule, signingGroupDn: TRAINING_SIGNING_GROUP }) } };
    },
  });
  core = env.core;
  const r = await core.dispatch('session.login', { username: 'brugeradmin', password: TRAINING_PASSWORD }, who);
  expect(r.ok).toBe(true);
}, 60_000);

afterAll(async () => {
  await mitid?.stop();
  await env?.dispose();
});

it('an upgrade adds the person to the signers\' AD group, and a revoke takes them out again', async () => {
  const person = staff[3]!;
  expect(await groupsOf(person.guid)).not.toContain(GROUP);
  const up = await call('people.setSigning', { personId: person.guid, allow: true, reason: 'Skal signere kontrakter' });
  expect(up.message).toContain(`medlem af AD-gruppen "${GROUP}"`);
  expect(await groupsOf(person.guid)).toContain(GROUP);
  const identity = mitid.simulator.state.all().find((i) => i.emailAddress === person.email);
  expect(identity?.allowSigning).toBe(true);

  const down = await call('people.setSigning', { personId: person.guid, allow: false, reason: 'Stopper i afdelingen' });
  expect(down.message).toContain(`fjernet fra AD-gruppen "${GROUP}"`);
  expect(await groupsOf(person.guid)).not.toContain(GROUP);
  expect(mitid.simulator.state.all().find((i) => i.emailAddress === person.email)?.allowSigning).toBe(false);
});

it('when MitID Erhverv fails, the group change is undone: nothing is half-done', async () => {
  const person = staff[4]!;
  mitid.simulator.faults.unavailableRate = 1;
  try {
    const r = await core.dispatch('people.setSigning', { personId: person.guid, allow: true, reason: 'Skal signere kontrakter' }, who);
    // MitID Erhverv's refusal, i.e. after the group had been changed (AD goes first).
    expect(r.ok ? 'ok' : r.error.code).toBe('unavailable-mitid');
  } finally {
    mitid.simulator.faults.reset();
  }
  expect(await groupsOf(person.guid)).not.toContain(GROUP);
  expect(mitid.simulator.state.all().find((i) => i.emailAddress === person.email)?.allowSigning).toBe(false);
});
