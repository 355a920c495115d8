// A whole drift category fixed as one bulk job, through the console (training core, dispatcher, bulk
// runner, create guard, MitID Erhverv simulator over HTTPS with a client certificate): the plan is a dry
// run (nothing written), the run creates each missing identity once, and a new plan afterwards finds
// nothing left to do.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Core } from '../../../src-main/composition/core.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import type { BulkJobView } from '../../../shared/domain/bulk.ts';
import { caller, signedInTrainingCore, TRAINING_PASSWORD } from '../../support/core.ts';

let env: Awaited<ReturnType<typeof signedInTrainingCore>>;
let core: Core;
let sim: MitIdSimulator;
let admin: ReturnType<typeof caller>;

beforeEach(async () => {
  env = await signedInTrainingCore();
  ({ core, sim, who: admin } = env);
  // The list as it stands once AD, MitID Erhverv and the IdP have all been read.
  await core.dispatch('people.list', { limit: 1 }, admin);
  await core.people().idle();
});
afterEach(async () => env.dispose());

async function data<T>(op: string, input: unknown, who = admin): Promise<T> {
  const r = await core.dispatch(op, input, who);
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.data as T;
}

it('plans a drift category as a dry run, runs it as a bulk job that creates each identity once, and leaves nothing to fix', async () => {
  const list = await data<{ drift: Record<string, number> }>('people.list', { limit: 1 });
  const missing = list.drift['identity-missing'] ?? 0;
  expect(missing).toBeGreaterThan(5);
  const before = { creates: sim.stats.createsApplied, writes: sim.stats.calls['POST /identity/employee'] ?? 0 };

  const { job } = await data<{ job: BulkJobView }>('bulk.planDriftFix', { drift: 'identity-missing' });
  expect(job).toMatchObject({ state: 'planned', action: 'assign-local', targetLabel: `Afvigelse: Mangler erhvervsidentitet (${missing})` });
  expect(job.counts.total).toBe(missing);
  const creates = job.plan['create'] ?? 0;
  expect(creates + (job.plan['request-credential'] ?? 0) + job.counts.skipped).toBe(missing);
  expect(creates).toBeGreaterThan(0);
  // The dry run wrote nothing.
  expect(sim.stats.createsApplied).toBe(before.creates);

  await data('bulk.start', { jobId: job.id, reason: 'Nyansatte mangler erhvervsidentitet', concurrency: 4 });
  let done: BulkJobView = job;
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    done = (await data<{ job: BulkJobView }>('bulk.get', { jobId: job.id })).job;
    if (done.state === 'completed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(done.state).toBe('completed');
  expect(done.counts.failed).toBe(0);
  expect(sim.stats.createsApplied).toBe(before.creates + creates);
  expect((sim.stats.calls['POST /identity/employee'] ?? 0) - before.writes).toBe(creates);
  // The run is journaled under the operator with the reason.
  expect(core.journal.list({ limit: 100_000 }).some((e) => e.operation === 'bulk.start' && e.reason === 'Nyansatte mangler erhvervsidentitet')).toBe(true);

  // A second plan of the same category (the list may still show it) creates nobody again.
  const again = await core.dispatch('bulk.planDriftFix', { drift: 'identity-missing' }, admin);
  if (again.ok) expect((again.data as { job: BulkJobView }).job.plan['create'] ?? 0).toBe(0);
  else expect(again.error.code).toBe('validation');
}, 120_000);

it('is for administrators and user administrators only, and says so when a category is empty', async () => {
  const helpdesk = caller();
  await core.dispatch('session.login', { username: 'helpdesk', password: TRAINING_PASSWORD }, helpdesk);
  expect(await core.dispatch('bulk.planDriftFix', { drift: 'identity-missing' }, helpdesk)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  const counts = (await data<{ drift: Record<string, number> }>('people.list', { limit: 1 })).drift;
  const empty = (['credential-missing', 'suspended-active-ad', 'active-disabled-ad'] as const).find((k) => (counts[k] ?? 0) === 0);
  if (empty) expect(await core.dispatch('bulk.planDriftFix', { drift: empty }, admin)).toMatchObject({ ok: false, error: { code: 'validation' } });
  // Re-linking a changed user id is not a bulk fix: the contract refuses it.
  expect(await core.dispatch('bulk.planDriftFix', { drift: 'subject-mismatch' }, admin)).toMatchObject({ ok: false, error: { code: 'validation' } });
});
