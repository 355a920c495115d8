// Bulk jobs against the MitID Erhverv simulator over mTLS: the dry run, pause/resume, cancel, failed rows
// retried on their own, and a MitID Erhverv outage that pauses the job with its reason.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIdentity } from '../../../src-main/training/mitid-sim/index.ts';
import { accounts, actor, operator, ouDnOf, pieces, until, type Pieces } from './harness.ts';

const planOu = accounts(12, 'Plan', 'pl');
// Three already have identity + credential, one an identity whose credential was removed.
const planSeeded = planOu.slice(0, 4);
{
  const noEmail = planOu[4];
  const disabled = planOu[5];
  const noSurname = planOu[6];
  if (noEmail) noEmail.email = null;
  if (disabled) disabled.enabled = false;
  if (noSurname) noSurname.surname = ' ';
}
const pauseOu = accounts(60, 'Pause', 'pa');
const cancelOu = accounts(60, 'Annuller', 'an');
const retryOu = accounts(5, 'Igen', 'ig');
const outageOu = accounts(20, 'Nedbrud', 'ne');
const quitOu = accounts(40, 'Lukket', 'lu');

let p: Pieces;
beforeAll(async () => {
  p = await pieces({ people: [...planOu, ...pauseOu, ...cancelOu, ...retryOu, ...outageOu, ...quitOu], seeded: [...planSeeded, ...retryOu] });
  const withoutCredential = p.sim.state.all().find((i) => i.emailAddress === planSeeded[3]?.email);
  if (withoutCredential) withoutCredential.authenticators = [];
  const suspended = p.sim.state.all().find((i) => i.emailAddress === planSeeded[1]?.email);
  if (suspended) suspended.status = 'Suspended';
  const signing = p.sim.state.all().find((i) => i.emailAddress === planSeeded[2]?.email);
  if (signing) signing.allowSigning = true;
});
afterAll(async () => p.dispose());

const byUser = (rows: Array<{ username: string; plan: string; skipReason: string | null }>) =>
  Object.fromEntries(rows.map((r) => [r.username, r.skipReason ?? r.plan]));

describe('the dry run', () => {
  it('validates every row and says what will happen to whom, changing nothing', async () => {
    const journalBefore = p.journal.count();
    const job = await p.bulk.plan(p.session, operator, 'assign-local', { kind: 'ou', ou: ouDnOf('Plan') });
    expect(job.state).toBe('planned');
    const { rows } = p.bulk.get(job.id, [], 0, 100);
    expect(byUser(rows)).toEqual({
      pl0001: 'already-assigned',
      pl0002: 'already-assigned',
      pl0003: 'already-assigned',
      pl0004: 'request-credential',
      pl0005: 'no-email',
      pl0006: 'account-disabled',
      pl0007: 'missing-name',
      pl0008: 'create',
      pl0009: 'create',
      pl0010: 'create',
      pl0011: 'create',
      pl0012: 'create',
    });
    expect(job.plan).toEqual({ skip: 6, 'request-credential': 1, create: 5 });
    expect(job.skips).toEqual({ 'already-assigned': 3, 'no-email': 1, 'account-disabled': 1, 'missing-name': 1 });
    expect(p.sim.createCount).toBe(0);
    expect(p.journal.count()).toBe(journalBefore);
  });

  it('plans suspend, reactivate and signing from each identity’s state', async () => {
    const people = { kind: 'people' as const, personIds: planSeeded.map((a) => a.guid).concat(planOu[8]?.guid ?? '') };
    const rowsOf = async (action: 'suspend' | 'reactivate' | 'allow-signing') => byUser(p.bulk.get((await p.bulk.plan(p.session, operator, action, people)).id, [], 0, 100).rows);
    expect(await rowsOf('suspend')).toEqual({ pl0001: 'suspend', pl0002: 'already-suspended', pl0003: 'suspend', pl0004: 'suspend', pl0009: 'no-identity' });
    expect(await rowsOf('reactivate')).toEqual({ pl0001: 'already-active', pl0002: 'reactivate', pl0003: 'already-active', pl0004: 'already-active', pl0009: 'no-identity' });
    // A suspended identity is not planned for signing (the same blocker the person page shows).
    expect(await rowsOf('allow-signing')).toEqual({ pl0001: 'allow-signing', pl0002: 'identity-suspended', pl0003: 'already-signing', pl0004: 'allow-signing', pl0009: 'no-identity' });
  });

  it('reads a CSV of usernames: unknown names, repeats and garbage are skipped with their reason', async () => {
    const csv = '\uFEFFBrugernavn;Bemærkning\r\npl0008;ny\r\nFJORDBY\\pl0009;\r\nfindes.ikke;\r\nPL0008;igen\r\n"a;b";\r\n\r\n';
    const job = await p.bulk.plan(p.session, operator, 'assign-local', { kind: 'csv', csv, fileName: 'skole.csv' });
    expect(job.targetLabel).toBe('skole.csv (3 brugernavne)');
    expect(byUser(p.bulk.get(job.id, [], 0, 100).rows)).toEqual({
      pl0008: 'create',
      pl0009: 'create',
      'findes.ikke': 'not-in-directory',
      PL0008: 'duplicate',
      'a;b': 'invalid-username',
    });
  });

  it('plans a long selection of people, naming ids the directory does not know', async () => {
    const ids = [...pauseOu.map((a) => a.guid), '0badc0de-0000-4000-8000-000000000000', pauseOu[0]?.guid ?? ''];
    const job = await p.bulk.plan(p.session, operator, 'assign-local', { kind: 'people', personIds: ids });
    expect(job.targetLabel).toBe('61 valgte personer');
    expect(job.plan).toEqual({ create: 60, skip: 1 });
    expect(job.skips).toEqual({ 'not-in-directory': 1 });
  });

  it('refuses an OU without people in Danish', async () => {
    await expect(p.bulk.plan(p.session, operator, 'assign-local', { kind: 'ou', ou: ouDnOf('Findes ikke') })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('ingen personer'),
    });
  });
});

describe('running', () => {
  it('pauses and resumes without losing or repeating a row', async () => {
    p.sim.faults.latencyMs = { min: 5, max: 15 };
    const job = await p.bulk.plan(p.session, operator, 'assign-local', { kind: 'ou', ou: ouDnOf('Pause') });
    const creates = p.sim.createCount;
    expect(p.bulk.start(job.id, actor, 'Nye medarbejdere', 2).state).toBe('running');
    await until(() => p.bulk.get(job.id, [], 0, 0).job.counts.done >= 10, 20_000, '10 rows done');
    const paused = p.bulk.pause(job.id, actor, 'Frokostpause');
    expect(['pausing', 'paused']).toContain(paused.state);
    await p.bulk.whenIdle(job.id);
    const at = p.bulk.get(job.id, [], 0, 0).job;
    expect(at.state).toBe('paused');
    // In Danish as the job's record keeps it, and by code and values for the operator's language.
    expect(at.pause).toEqual({ code: 'operator', message: expect.stringContaining('Frokostpause'), detail: { code: 'operator', params: { by: actor.operator.displayName, reason: 'Frokostpause' } } });
    expect(at.counts.inFlight).toBe(0);
    expect(at.counts.done).toBeLessThan(60);
    await new Promise((r) => setTimeout(r, 150));
    expect(p.bulk.get(job.id, [], 0, 0).job.counts.done).toBe(at.counts.done);
    expect(() => p.bulk.pause(job.id, actor, 'Igen igen')).toThrow(/sat på pause/);

    p.bulk.resume(job.id, actor, 'Videre efter frokost');
    await p.bulk.whenIdle(job.id);
    const end = p.bulk.get(job.id, [], 0, 100);
    expect(end.job.state).toBe('completed');
    expect(end.job.counts).toMatchObject({ done: 60, failed: 0, pending: 0 });
    expect(end.rows.every((r) => r.attempts === 1 && r.result === 'created')).toBe(true);
    expect(p.sim.createCount - creates).toBe(60);
    // Each row is journaled before and after its call, under the job's id.
    const records = p.journal.list({ limit: 100_000 }).filter((r) => r.correlationId === job.id && r.operation === 'bulk.row');
    expect(records.filter((r) => r.kind === 'intent')).toHaveLength(60);
    expect(records.filter((r) => r.kind === 'outcome' && r.outcome === 'success')).toHaveLength(60);
    expect(records.find((r) => r.kind === 'outcome')).toMatchObject({ operatorUsername: 'brugeradmin', targetLabel: expect.stringMatching(/\(pa\d{4}\)$/) });
    expect(end.job.resultFile && existsSync(end.job.resultFile)).toBe(true);
    p.sim.faults.reset();
  });

  it('cancels: rows not yet run are cancelled, the result file says so', async () => {
    p.sim.faults.latencyMs = { min: 5, max: 15 };
    const job = await p.bulk.plan(p.session, operator, 'assign-local', { kind: 'ou', ou: ouDnOf('Annuller') });
    p.bulk.start(job.id, actor, 'Nye medarbejdere', 2);
    await until(() => p.bulk.get(job.id, [], 0, 0).job.counts.done >= 5, 20_000, '5 rows done');
    p.bulk.cancel(job.id, actor, 'Forkert enhed valgt');
    await p.bulk.whenIdle(job.id);
    const end = p.bulk.get(job.id, [], 0, 0).job;
    expect(end.state).toBe('cancelled');
    expect(end.counts.pending + end.counts.inFlight).toBe(0);
    expect(end.counts.cancelled).toBeGreaterThan(0);
    expect(end.counts.done + end.counts.cancelled).toBe(60);
    const csv = readFileSync(end.resultFile ?? '', 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain(';Annulleret;');
    expect(csv).toContain(';Oprettet;');
    expect(() => p.bulk.resume(job.id, actor, 'Fortryder')).toThrow(/annulleret/);
    p.sim.faults.reset();
  });

  it('reports a row that failed for good and retries it on its own', async () => {
    const job = await p.bulk.plan(p.session, operator, 'suspend', { kind: 'ou', ou: ouDnOf('Igen') });
    expect(job.plan).toEqual({ suspend: 5 });
    // Between plan and run, one identity disappears from MitID Erhverv.
    const gone = p.sim.state.all().find((i) => i.emailAddress === 'ig0003@fjordby.dk') as SimIdentity;
    p.sim.state.identities.delete(gone.uuid);
    p.bulk.start(job.id, actor, 'Orlov', 2);
    await p.bulk.whenIdle(job.id);
    const first = p.bulk.get(job.id, ['failed'], 0, 10);
    expect(first.job.state).toBe('completed');
    expect(first.job.counts).toMatchObject({ done: 4, failed: 1 });
    expect(first.rows[0]).toMatchObject({ username: 'ig0003', error: expect.stringContaining('ingen erhvervsidentitet') });

    p.sim.state.identities.set(gone.uuid, gone);
    const retry = p.bulk.retryFailed(job.id, actor, 'Identiteten er genskabt');
    expect(retry.retried).toBe(1);
    await p.bulk.whenIdle(job.id);
    const end = p.bulk.get(job.id, [], 0, 10);
    expect(end.job).toMatchObject({ state: 'completed', counts: expect.objectContaining({ done: 5, failed: 0 }) });
    // Only the failed row ran again.
    expect(end.rows.map((r) => r.attempts)).toEqual([1, 1, 2, 1, 1]);
    expect(gone.status).toBe('Suspended');
    expect(() => p.bulk.retryFailed(job.id, actor, 'Ingen fejl')).toThrow(/ingen fejlede/);
  });

  it('waits out MitID Erhverv with backoff, then pauses itself with the reason; resuming finishes without duplicates', async () => {
    const job = await p.bulk.plan(p.session, operator, 'assign-local', { kind: 'ou', ou: ouDnOf('Nedbrud') });
    const creates = p.sim.createCount;
    p.sim.faults.unavailableRate = 1;
    p.bulk.start(job.id, actor, 'Nye medarbejdere', 4);
    await p.bulk.whenIdle(job.id);
    const paused = p.bulk.get(job.id, [], 0, 0).job;
    expect(paused.state).toBe('paused');
    expect(paused.pause?.code).toBe('mitid-unavailable');
    expect(paused.pause?.message).toMatch(/^MitID Erhverv svarer ikke .*sat på pause efter 3 forsøg/);
    expect(paused.pause?.detail).toEqual({ code: 'mitid-unavailable', params: { attempts: 3 } });
    expect(paused.counts).toMatchObject({ done: 0, failed: 0, pending: 20 });
    const auto = p.journal.list({ limit: 100_000 }).find((r) => r.correlationId === job.id && r.summary.event === 'auto-paused');
    expect(auto).toBeDefined();

    p.sim.faults.reset();
    await new Promise((r) => setTimeout(r, 250)); // the client's circuit breaker cools down
    p.bulk.resume(job.id, actor, 'MitID Erhverv svarer igen');
    await p.bulk.whenIdle(job.id);
    const end = p.bulk.get(job.id, [], 0, 0).job;
    expect(end).toMatchObject({ state: 'completed', counts: expect.objectContaining({ done: 20, failed: 0 }) });
    expect(p.sim.createCount - creates).toBe(20);
  });

  it('survives the console being closed mid-run: the job comes back paused and finishes on resume', async () => {
    p.sim.faults.latencyMs = { min: 5, max: 15 };
    const job = await p.bulk.plan(p.session, operator, 'assign-local', { kind: 'ou', ou: ouDnOf('Lukket') });
    const creates = p.sim.createCount;
    p.bulk.start(job.id, actor, 'Nye medarbejdere', 4);
    await until(() => p.bulk.get(job.id, [], 0, 0).job.counts.done >= 8, 20_000, '8 rows done');
    // The console quits: the database closes under the running job, calls in flight still answer.
    const old = p.bulk;
    p.journal.close();
    await old.whenIdle(job.id);
    p.reopen();
    const back = p.bulk.get(job.id, [], 0, 0).job;
    expect(back.state).toBe('paused');
    expect(back.pause?.message).toMatch(/Konsollen blev lukket, mens opgaven kørte/);
    expect(back.pause?.detail).toEqual({ code: 'interrupted', params: { inFlight: expect.any(Number) } });
    p.bulk.resume(job.id, actor, 'Konsollen er startet igen');
    await p.bulk.whenIdle(job.id);
    expect(p.bulk.get(job.id, [], 0, 0).job).toMatchObject({ state: 'completed', counts: expect.objectContaining({ done: 40, failed: 0 }) });
    expect(p.sim.createCount - creates).toBe(40);
    p.sim.faults.reset();
  });
});
