// A bulk job whose creates lose their answers while the search lags: the rows wait as "afventer
// bekræftelse" (counted, shown, journaled), are looked at again, and the job finishes only once every
// one is settled — each person created once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createClaims } from '../../../src-main/training/idp-sim/claims.ts';
import { createBulkService, type BulkService } from '../../../src-main/services/bulk/index.ts';
import { openJournal, type Journal } from '../../../src-main/store/journal.ts';
import { createTrainingDirectory } from '../../../src-main/training/directory.ts';
import { TRAINING_BASE_DN, TRAINING_PASSWORD } from '../../../src-main/training/seed.ts';
import { sleep, startConsole, startSims, type Sims, type TestConsole } from '../mitid/guard-harness.ts';
import { accounts, actor, fastOutage, operatorAccount, rule } from './harness.ts';

let sims: Sims;
let c: TestConsole;
let journal: Journal;
let bulk: BulkService;
let dataDir: string;

beforeAll(async () => {
  sims = await startSims(3);
});
afterAll(async () => sims.stop());
beforeEach(() => {
  sims.mitid.state.clear();
  sims.mitid.faults.reset();
  sims.mitid.resetStats();
  createClaims(sims.idp.state).clear();
});
afterEach(async () => {
  await bulk.stopAll();
  journal.close();
  await c.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function setUp(n: number) {
  dataDir = mkdtempSync(join(tmpdir(), 'lia-awaiting-'));
  c = startConsole(sims, 'ws1', { dataDir, policy: { absentSearches: 2, windowMs: 800 } });
  journal = openJournal(join(dataDir, 'journal.sqlite'));
  bulk = createBulkService({ journal, mitid: () => c.port, linkRuleFor: () => rule, resultDir: join(dataDir, 'bulk'), outage: fastOutage, logError: () => {} });
  const people = accounts(n, 'Nyansatte', `aw${n}`);
  const session = await createTrainingDirectory([...people, operatorAccount()]).signIn('brugeradmin', TRAINING_PASSWORD);
  const job = await bulk.plan(session, actor.operator, 'assign-local', { kind: 'ou', ou: `OU=Nyansatte,${TRAINING_BASE_DN}` });
  return { people, job };
}

it('rows wait as awaiting confirmation, are looked at again, and the job completes with every person created once', async () => {
  const { people, job } = await setUp(8);
  sims.mitid.faults.duplicateRefusal = false;
  sims.mitid.faults.searchLagMs = 600;
  sims.mitid.faults.failAfterApply = { rate: 1, answer: 'drop' };
  bulk.start(job.id, actor, 'Nyansatte skal have lokalt login', 2);
  let maxAwaiting = 0;
  const end = Date.now() + 20_000;
  for (;;) {
    const v = bulk.get(job.id, [], 0, 1).job;
    maxAwaiting = Math.max(maxAwaiting, v.counts.awaiting);
    if (v.state === 'completed') break;
    if (Date.now() > end) throw new Error(`job stuck: ${JSON.stringify(v.counts)}`);
    await sleep(20);
  }
  expect(maxAwaiting).toBeGreaterThan(0);
  const done = bulk.get(job.id, [], 0, 100);
  expect(done.job.counts).toMatchObject({ done: 8, failed: 0, awaiting: 0, pending: 0 });
  expect(done.rows.every((r) => r.result === 'reconciled')).toBe(true);
  expect(sims.mitid.stats.createsApplied).toBe(8);
  expect(sims.mitid.stats.calls['POST /identity/employee']).toBe(8);
  expect(people.every((p) => sims.mitid.state.all().filter((i) => i.emailAddress === p.email).length === 1)).toBe(true);
  // Journaled: every row's awaiting outcome as 'unknown', then its reconciled success.
  const rows = journal.list({ limit: 100_000 }).filter((e) => e.operation === 'bulk.row' && e.kind === 'outcome');
  expect(rows.filter((e) => e.outcome === 'unknown' && (e.summary as { awaiting?: boolean }).awaiting).length).toBeGreaterThan(0);
  expect(rows.filter((e) => e.outcome === 'success')).toHaveLength(8);
  // The result file says it in Danish.
  expect(bulk.resultFile(job.id).csv).toContain('Fandtes allerede');
});

it('cancelling a job with rows awaiting confirmation leaves the person pending in the guard, never created twice', async () => {
  const { people, job } = await setUp(3);
  sims.mitid.faults.duplicateRefusal = false;
  sims.mitid.faults.searchLagMs = 60_000;
  sims.mitid.faults.failAfterApply = { rate: 1, answer: 'drop' };
  bulk.start(job.id, actor, 'Nyansatte skal have lokalt login', 3);
  const end = Date.now() + 10_000;
  while (bulk.get(job.id, [], 0, 1).job.counts.awaiting < 3) {
    if (Date.now() > end) throw new Error('rows never awaited');
    await sleep(20);
  }
  const awaitingRow = bulk.get(job.id, ['awaiting'], 0, 1).rows[0];
  expect(awaitingRow?.error).toMatch(/^Oprettelsen afventer bekræftelse/);
  bulk.cancel(job.id, actor, 'Stopper for i dag');
  await bulk.whenIdle(job.id);
  expect(bulk.get(job.id, [], 0, 1).job).toMatchObject({ state: 'cancelled', counts: { awaiting: 0, cancelled: 3 } });
  expect(people.every((p) => c.guard.pendingFor(`${p.username}@fjordby.dk`) !== null)).toBe(true);
  expect(sims.mitid.stats.createsApplied).toBe(3);
});
