// Bulk jobs through the dispatcher of a training core (directory + both simulators): who may call them,
// that starting and stopping are audited with a reason, and that the dry run agrees with the
// single-person lookup the people screen uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../../shared/operations/index.ts';
import type { bulkOps } from '../../../shared/operations/bulk.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { identityFor } from '../../../src-main/services/mitid/actions.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';

let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
const admin = caller('ws-admin');
const useradmin = caller('ws-brugeradmin');
const helpdesk = caller('ws-helpdesk');
const revisor = caller('ws-revisor');
const BASE = 'DC=fjordby,DC=kommune,DC=test';

type R = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };
async function ok<T>(p: Promise<R>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

beforeAll(async () => {
  env = await testCore({ simulators: true });
  core = env.core;
  for (const [c, u] of [[admin, 'admin'], [useradmin, 'brugeradmin'], [helpdesk, 'helpdesk'], [revisor, 'revisor']] as const) {
    await ok(core.dispatch('session.login', { username: u, password: TRAINING_PASSWORD }, c));
  }
});
afterAll(async () => env.dispose());

const until = async (check: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('roles', () => {
  const fakeJob = '6f1b7f3e-2d8a-4c1e-9a5b-0c3d2e1f4a5b';
  const inputs: Record<keyof typeof bulkOps, unknown> = {
    'bulk.targets': {},
    'bulk.plan': { action: 'assign-local', target: { kind: 'ou', ou: `OU=IT,${BASE}` } },
    'bulk.list': {},
    'bulk.get': { jobId: fakeJob },
    'bulk.start': { jobId: fakeJob, reason: 'Forsøg på at starte' },
    'bulk.pause': { jobId: fakeJob, reason: 'Forsøg på pause' },
    'bulk.resume': { jobId: fakeJob, reason: 'Forsøg på at genoptage' },
    'bulk.cancel': { jobId: fakeJob, reason: 'Forsøg på at annullere' },
    'bulk.addNote': { jobId: fakeJob, reason: 'Forsøg på en note' },
    'bulk.retryFailed': { jobId: fakeJob, reason: 'Forsøg på at prøve igen' },
    'bulk.resultFile': { jobId: fakeJob },
  };

  it('refuses helpdesk and auditors every bulk operation, in main', async () => {
    for (const c of [helpdesk, revisor]) {
      for (const [name, input] of Object.entries(inputs)) {
        const r = await core.dispatch(name, input, c);
        expect(r, `${name}`).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('Din rolle giver ikke adgang') } });
      }
    }
  });

  it('lets administrators and user administrators in', async () => {
    for (const c of [admin, useradmin]) {
      expect((await core.dispatch('bulk.list', {}, c)).ok).toBe(true);
      expect(await core.dispatch('bulk.get', { jobId: fakeJob }, c)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
  });
});

describe('through the dispatcher', () => {
  it('plans, refuses a start without a reason, runs audited, and writes the result file', async () => {
    const { job } = await ok<OpOutput<'bulk.plan'>>(core.dispatch('bulk.plan', { action: 'allow-signing', target: { kind: 'ou', ou: `OU=IT,${BASE}` } }, useradmin));
    expect(job.counts.total).toBe(5);
    expect(await core.dispatch('bulk.start', { jobId: job.id }, useradmin)).toMatchObject({ ok: false, error: { code: 'validation' } });
    const started = await ok<OpOutput<'bulk.start'>>(core.dispatch('bulk.start', { jobId: job.id, reason: 'IT skal kunne signere' }, useradmin));
    expect(started.job.runBy).toBe('brugeradmin');
    await until(async () => (await ok<OpOutput<'bulk.get'>>(core.dispatch('bulk.get', { jobId: job.id }, admin))).job.state === 'completed');
    const end = await ok<OpOutput<'bulk.get'>>(core.dispatch('bulk.get', { jobId: job.id }, admin));
    expect(end.job.counts.done).toBe(job.plan['allow-signing']);
    expect(end.rows.filter((r) => r.state === 'done').every((r) => r.result === 'signing-allowed')).toBe(true);

    const records = core.journal.list({ limit: 100_000 });
    const start = records.filter((r) => r.operation === 'bulk.start');
    expect(start.map((r) => r.kind)).toEqual(['intent', 'outcome']);
    expect(start[0]).toMatchObject({ operatorUsername: 'brugeradmin', reason: 'IT skal kunne signere', summary: { input: expect.objectContaining({ jobId: job.id }) } });
    const rows = records.filter((r) => r.operation === 'bulk.row' && r.correlationId === job.id && r.kind === 'outcome');
    expect(rows).toHaveLength(end.job.counts.done);
    expect(rows.every((r) => r.reason === 'IT skal kunne signere' && r.outcome === 'success')).toBe(true);

    // The job's own story shares its id as correlation id with the rows: auditors filter on one id.
    const story = records.filter((r) => r.operation === 'bulk.job' && r.correlationId === job.id).map((r) => [r.summary.event, r.operatorUsername, r.reason]);
    expect(story).toEqual([
      ['started', 'brugeradmin', 'IT skal kunne signere'],
      ['completed', 'brugeradmin', 'IT skal kunne signere'],
    ]);

    const file = await ok<OpOutput<'bulk.resultFile'>>(core.dispatch('bulk.resultFile', { jobId: job.id }, admin));
    expect(file.fileName).toMatch(/^masseopgave-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv$/);
    expect(file.csv.split('\r\n')[0]).toBe('\uFEFFRække;Brugernavn;Navn;Enhed;Handling;Plan;Sprunget over fordi;Status;Resultat;MitID Erhverv-uuid;Fejl;Forsøg;Opdateret');

    // A finished job cannot be paused; the refusal is journaled like any refused write.
    expect(await core.dispatch('bulk.pause', { jobId: job.id, reason: 'For sent at stoppe' }, useradmin)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // A note can be added after the fact: on the job, by whom, and in the job's story under its id; the
    // job itself is untouched. Hostile text stays text; a note too short to say anything is refused.
    const note = '=HYPERLINK("x") Sat på pause: borgerservice bad om det';
    const noted = await ok<OpOutput<'bulk.addNote'>>(core.dispatch('bulk.addNote', { jobId: job.id, reason: note }, admin));
    expect(noted.job.state).toBe('completed');
    expect(noted.job.counts).toEqual(end.job.counts);
    expect(noted.job.notes).toEqual([{ at: expect.any(String), by: expect.stringContaining('dministrator'), text: note }]);
    expect((await ok<OpOutput<'bulk.get'>>(core.dispatch('bulk.get', { jobId: job.id }, useradmin))).job.notes.map((n) => n.text)).toEqual([note]);
    const noteEvent = core.journal.list({ limit: 100_000 }).filter((r) => r.operation === 'bulk.job' && r.correlationId === job.id && r.summary.event === 'note');
    expect(noteEvent.map((r) => [r.operatorUsername, r.reason])).toEqual([['admin', note]]);
    expect(await core.dispatch('bulk.addNote', { jobId: job.id, reason: 'kort' }, admin)).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('dry-runs an OU with the same answer per person as the single-person lookup', async () => {
    const ou = `OU=Eksterne konsulenter,${BASE}`;
    const { job } = await ok<OpOutput<'bulk.plan'>>(core.dispatch('bulk.plan', { action: 'assign-local', target: { kind: 'ou', ou } }, admin));
    const { rows } = await ok<OpOutput<'bulk.get'>>(core.dispatch('bulk.get', { jobId: job.id, limit: 5000 }, admin));
    expect(rows).toHaveLength(120);
    const { mitid, rulesFor, directory } = core.connections();
    if (!mitid) throw new Error('no simulator');
    const session = await directory.signIn('admin', TRAINING_PASSWORD);
    const people = new Map((await session.searchPeople({ text: '', limit: 100_000 })).items.map((p) => [p.id, p]));
    for (const row of rows) {
      const p = people.get(row.personId ?? '');
      if (!p) throw new Error(`unknown ${row.username}`);
      if (!p.enabled) {
        expect(row.skipReason).toBe('account-disabled');
        continue;
      }
      if (p.accountExpires !== null && Date.parse(p.accountExpires) <= Date.now()) {
        expect(row.skipReason, row.username).toBe('account-expired');
        continue;
      }
      const st = await identityFor(mitid, rulesFor(p.dn).linkRule, { username: p.username, givenName: p.givenName, surname: p.surname, email: p.email });
      const expected = st.localCredential ? 'already-assigned' : st.identity ? 'request-credential' : !p.email ? 'no-email' : 'create';
      expect(row.skipReason ?? row.plan, row.username).toBe(expected);
    }
  });
});
