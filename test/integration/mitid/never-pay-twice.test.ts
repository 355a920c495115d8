// Issue #16's acceptance: with duplicate refusal OFF (so nothing but the console stands between a retry
// and a second 20 DKK create) and each hostile switch on, create POSTs that landed = distinct people
// created. Real parts only: the MitID Erhverv simulator over mTLS, the IdP simulator over HTTP for the
// claims, node:sqlite stores in separate data folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBulkService } from '../../../src-main/services/bulk/index.ts';
import { assignLocalAuthenticator, type MitIdPerson } from '../../../src-main/services/mitid/actions.ts';
import { openJournal } from '../../../src-main/store/journal.ts';
import { createClaims } from '../../../src-main/training/idp-sim/claims.ts';
import { createTrainingDirectory } from '../../../src-main/training/directory.ts';
import { TRAINING_PASSWORD } from '../../../src-main/training/seed.ts';
import { accounts, actor, fastOutage, operatorAccount, rule as bulkRule } from '../bulk/harness.ts';
import { fakeCpr } from './harness.ts';
import { assignUntilSettled, identitiesPerPerson, newPerson, sleep, startConsole, startSims, type Sims, type TestConsole } from './guard-harness.ts';

let sims: Sims;
const consoles: TestConsole[] = [];
const open = (name: string, opts: Parameters<typeof startConsole>[2] = {}) => {
  const c = startConsole(sims, name, opts);
  consoles.push(c);
  return c;
};

beforeAll(async () => {
  sims = await startSims();
});
afterAll(async () => {
  await sims.stop();
});
beforeEach(() => {
  sims.mitid.state.clear();
  sims.mitid.faults.reset();
  sims.mitid.resetStats();
  sims.idp.faults.reset();
  createClaims(sims.idp.state).clear();
  // Nothing but the console stands between a retry and a second paid create.
  sims.mitid.faults.duplicateRefusal = false;
});
afterEach(async () => {
  await Promise.all(consoles.splice(0).map((c) => c.close()));
});

const paid = () => sims.mitid.stats.createsApplied;
/** Every POST that reached the create endpoint, whatever became of it (faults before apply included). */
const posts = () => sims.mitid.stats.calls['POST /identity/employee'] ?? 0;

describe('one console, each hostile switch', () => {
  it('search lag: a create whose answer was lost awaits confirmation, is never POSTed again, and is reconciled once the search shows it', async () => {
    const a = open('a');
    const p = newPerson(1);
    sims.mitid.faults.searchLagMs = 500;
    sims.mitid.faults.dropNextCreates = 1;
    const first = await a.assign(p);
    expect(first.outcome).toBe('pending-confirmation');
    expect(first.pending).toMatchObject({ absentSearches: 3 });
    // Asked again at once (the operator clicks again, the bulk job comes back): still pending, no POST.
    for (let i = 0; i < 3; i++) expect((await a.assign(p)).outcome).toBe('pending-confirmation');
    expect(posts()).toBe(1);
    expect(a.guard.pendingFor('ny1@kommune.dk')).not.toBeNull();
    await sleep(550);
    const settled = await a.assign(p);
    expect(settled.outcome).toBe('reconciled');
    expect(a.guard.pendingFor('ny1@kommune.dk')).toBeNull();
    expect([posts(), paid()]).toEqual([1, 1]);
    expect(identitiesPerPerson(sims.mitid, [p])).toEqual([1]);
    // Journaled through the guard's events: sent, pending, confirmed.
    expect(a.events.map((e) => e.event)).toEqual(['create-sent', 'pending', 'confirmed']);
  });

  it('apply after timeout: the server creates after the console stopped waiting; still one identity', async () => {
    const a = open('a', { client: { timeoutMs: 300 } });
    const people = [2, 3, 4].map(newPerson);
    sims.mitid.faults.applyAfterTimeout = { rate: 1, applyDelayMs: 500, holdMs: 700 };
    sims.mitid.faults.searchLagMs = 200;
    const calls = { n: 0 };
    const outcomes = await Promise.all(people.map((p) => assignUntilSettled(a, p, calls)));
    expect(outcomes).toEqual(['reconciled', 'reconciled', 'reconciled']);
    await sleep(800); // anything still scheduled in the server lands now
    expect([posts(), paid()]).toEqual([3, 3]);
    expect(identitiesPerPerson(sims.mitid, people)).toEqual([1, 1, 1]);
    expect(calls.n).toBeGreaterThan(3);
  });

  it.each(['503', '500', 'drop'] as const)('failure after apply (%s) with a lagging search: one identity per person', async (answer) => {
    const a = open('a');
    const people = [5, 6, 7, 8].map(newPerson);
    sims.mitid.faults.failAfterApply = { rate: 1, answer };
    sims.mitid.faults.searchLagMs = 400;
    const calls = { n: 0 };
    const outcomes = await Promise.all(people.map((p) => assignUntilSettled(a, p, calls)));
    expect(outcomes.every((o) => o === 'reconciled')).toBe(true);
    expect([posts(), paid()]).toEqual([4, 4]);
    expect(identitiesPerPerson(sims.mitid, people)).toEqual([1, 1, 1, 1]);
  });

  it('a failure before apply is created again only after the confirmation window — once', async () => {
    const a = open('a');
    const p = newPerson(9);
    // 503 before anything was applied — which the console cannot tell from a 503 after.
    sims.mitid.faults.failBeforeApply = { rate: 1, answer: '503' };
    const started = Date.now();
    expect((await a.assign(p)).outcome).toBe('pending-confirmation');
    sims.mitid.faults.failBeforeApply = { rate: 0, answer: '503' };
    const calls = { n: 0 };
    expect(await assignUntilSettled(a, p, calls)).toBe('created');
    // Not before the window: 3 searches without it over 1.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect([posts(), paid()]).toEqual([2, 1]);
    expect(identitiesPerPerson(sims.mitid, [p])).toEqual([1]);
    expect(a.events.map((e) => e.event)).toEqual(['create-sent', 'pending', 'confirmed-absent', 'create-sent', 'created']);
  });

  it('a double click (two calls at once on one console): one POST per person', async () => {
    const a = open('a');
    const people = Array.from({ length: 10 }, (_, k) => newPerson(20 + k));
    sims.mitid.faults.searchLagMs = 400;
    const results = await Promise.all(people.flatMap((p) => [a.assign(p), a.assign(p)]));
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(10);
    expect(results.filter((r) => r.outcome === 'reconciled')).toHaveLength(10);
    expect([posts(), paid()]).toEqual([10, 10]);
    expect(identitiesPerPerson(sims.mitid, people).every((n) => n === 1)).toBe(true);
  });
});

describe('several consoles', () => {
  it('two consoles on separate data folders create the same people at once: the IdP claim lets one pay', async () => {
    const a = open('a');
    const b = open('b');
    expect(a.store.holder).not.toBe(b.store.holder);
    const people = Array.from({ length: 12 }, (_, k) => newPerson(40 + k));
    sims.mitid.faults.searchLagMs = 400;
    const calls = { n: 0 };
    const outcomes = await Promise.all(people.flatMap((p) => [assignUntilSettled(a, p, calls), assignUntilSettled(b, p, calls)]));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(12);
    expect([posts(), paid()]).toEqual([12, 12]);
    expect(identitiesPerPerson(sims.mitid, people).every((n) => n === 1)).toBe(true);
    expect([...a.events, ...b.events].some((e) => e.event === 'claim-refused')).toBe(true);
  });

  it('does not create when the IdP cannot be asked, and says so in Danish', async () => {
    const a = open('a');
    sims.idp.faults.unavailableRate = 1;
    const e = await a.assign(newPerson(60)).catch((x: unknown) => x as { code: string; message: string });
    expect(e).toMatchObject({ code: 'unavailable-idp' });
    expect((e as { message: string }).message).toMatch(/Den lokale IdP svarer ikke.*Der er ikke oprettet noget i MitID Erhverv/);
    expect(posts()).toBe(0);
  });

  it('a bulk job racing single actions (double clicks on the same console, a second console): one identity per person', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lia-race-'));
    const a = open('a', { dataDir });
    const b = open('b');
    const people = accounts(30, 'Nyansatte', 'race');
    const directory = createTrainingDirectory([...people, operatorAccount()]);
    const session = await directory.signIn('brugeradmin', TRAINING_PASSWORD);
    const journal = openJournal(join(dataDir, 'journal.sqlite'));
    const bulk = createBulkService({ journal, mitid: () => a.port, linkRuleFor: () => bulkRule, resultDir: join(dataDir, 'bulk'), outage: fastOutage, logError: () => {}, recheckMs: 300 });
    try {
      const job = await bulk.plan(session, actor.operator, 'assign-local', { kind: 'ou', ou: `OU=Nyansatte,${'DC=fjordby,DC=kommune,DC=test'}` });
      expect(job.plan).toEqual({ create: 30 });
      sims.mitid.faults.searchLagMs = 400;
      sims.mitid.faults.failAfterApply = { rate: 0.2, answer: 'drop' };
      bulk.start(job.id, actor, 'Nyansatte skal have lokalt login', 4);
      const asPerson = (t: (typeof people)[number]): MitIdPerson => ({ username: t.username, givenName: t.givenName, surname: t.surname, email: t.email });
      const calls = { n: 0 };
      const single = (c: TestConsole, t: (typeof people)[number]) => async () => {
        for (;;) {
          calls.n++;
          try {
            const r = await assignLocalAuthenticator(c.port, bulkRule, asPerson(t));
            if (r.outcome !== 'pending-confirmation') return r.outcome;
          } catch (e) {
            if ((e as { details?: { outcome?: string } }).details?.outcome !== 'claimed-elsewhere') throw e;
          }
          await sleep(150);
        }
      };
      // While the job runs: every person also clicked twice on the same console, and once on another.
      const racers = people.flatMap((t) => [single(a, t), single(a, t), single(b, t)]);
      await Promise.all(racers.map((f) => f()));
      const end = Date.now() + 30_000;
      while (bulk.get(job.id, [], 0, 1).job.state !== 'completed') {
        if (Date.now() > end) throw new Error('bulk job did not complete');
        await sleep(50);
      }
      const done = bulk.get(job.id, [], 0, 100);
      expect(done.job.counts).toMatchObject({ done: 30, failed: 0, awaiting: 0 });
      expect(done.rows.every((r) => ['created', 'reconciled', 'already-assigned'].includes(r.result ?? ''))).toBe(true);
      expect(paid()).toBe(30);
      expect(posts()).toBe(30);
      expect(people.map((t) => sims.mitid.state.all().filter((i) => i.emailAddress === t.email).length).every((n) => n === 1)).toBe(true);
    } finally {
      await bulk.stopAll();
      journal.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('1,000 mixed operations with 10% faults, every hostile switch on, duplicate refusal off', () => {
  it('create POSTs that landed = distinct people created, across two consoles, double clicks and races', async () => {
    const a = open('a', { client: { concurrency: 6, backoff: { retries: 10, baseDelayMs: 2, maxDelayMs: 40 }, breaker: { failureThreshold: 10_000, cooldownMs: 50 } } });
    const b = open('b', { client: { concurrency: 6, backoff: { retries: 10, baseDelayMs: 2, maxDelayMs: 40 }, breaker: { failureThreshold: 10_000, cooldownMs: 50 } } });
    const sim = sims.mitid;
    // Identities for the other kinds of operation, one kind each so the end state is exact.
    const group = (name: string, n: number, status = 'Active') =>
      Array.from({ length: n }, (_, k) => {
        const i = sim.state.insert({ givenName: name, surname: String(k), emailAddress: `${name}${k}@kommune.dk`, cprNumber: fakeCpr(9000 + sim.state.identities.size), status });
        i.authenticators.push(sim.state.newAuthenticator('LocalIdentityProvider', `${name}${k}@kommune.dk`));
        return i.uuid;
      });
    const toSuspend = group('suspend', 100);
    const toReactivate = group('reactivate', 100, 'Suspended');
    const toSign = group('sign', 100);
    const toEmail = group('email', 100);
    const toRead = group('read', 100);
    const toRights = group('rights', 100);
    const roles = sim.state.roles.map((r) => r.uuid).slice(0, 2);
    const people = Array.from({ length: 200 }, (_, k) => newPerson(1000 + k));

    // 10% faults: 5% refused before anything happens, 5% applied and then answered 503; some creates
    // are applied after the client gave up; the search lags.
    Object.assign(sim.faults, { unavailableRate: 0.05, searchLagMs: 300, latencyMs: { min: 0, max: 3 } });
    sim.faults.failAfterApply = { rate: 0.05, answer: '503' };
    sim.faults.applyAfterTimeout = { rate: 0.02, applyDelayMs: 200, holdMs: 1_700 };

    const createCalls = { n: 0 };
    const ops: Array<() => Promise<unknown>> = [];
    people.forEach((p, k) => {
      const kind = k % 4;
      if (kind === 0) ops.push(() => assignUntilSettled(a, p, createCalls, 60_000));
      if (kind === 1) ops.push(() => assignUntilSettled(a, p, createCalls, 60_000), () => assignUntilSettled(a, p, createCalls, 60_000)); // double click
      if (kind === 2) ops.push(() => assignUntilSettled(a, p, createCalls, 60_000), () => assignUntilSettled(b, p, createCalls, 60_000)); // two consoles
      if (kind === 3) ops.push(() => assignUntilSettled(b, p, createCalls, 60_000), () => assignUntilSettled(b, p, createCalls, 60_000), () => assignUntilSettled(a, p, createCalls, 60_000));
    });
    const createOps = ops.length;
    const via = (k: number) => (k % 2 === 0 ? a.client : b.client);
    ops.push(
      ...toSuspend.map((u, k) => () => via(k).suspend(u)),
      ...toReactivate.map((u, k) => () => via(k).reactivate(u)),
      ...toSign.map((u, k) => () => via(k).setAllowSigning(u, true)),
      ...toEmail.map((u, k) => () => via(k).updateEmail(u, `ny.mail${k}@kommune.dk`)),
      ...toRead.map((u, k) => () => (k % 2 === 0 ? via(k).getIdentity(u) : via(k).listAuthenticators(u))),
      ...toRights.map((u, k) => () => via(k).assignRights(u, { type: 'Cvr', value: '29189846' }, roles)),
    );
    expect(createOps).toBe(400);
    expect(ops.length).toBe(1000);
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = ops.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [ops[i], ops[j]] = [ops[j]!, ops[i]!];
    }
    const results = await Promise.allSettled(ops.map((op) => op()));
    sim.faults.reset();
    await sleep(300); // late applies land now, if any were still on their way
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failed).toEqual([]);

    const perPerson = identitiesPerPerson(sim, people);
    const figures = {
      operations: ops.length,
      createOperations: createOps,
      createCalls: createCalls.n,
      createPosts: sim.stats.calls['POST /identity/employee'] ?? 0,
      createsApplied: sim.stats.createsApplied,
      distinctPeopleCreated: perPerson.filter((n) => n > 0).length,
      faults503: sim.stats.byRoute['error-503'] ?? 0,
      dropped: sim.stats.byRoute.dropped ?? 0,
      createsAwaitingConfirmation: [...a.events, ...b.events].filter((e) => e.event === 'pending').length,
      claimsRefusedToTheOtherConsole: [...a.events, ...b.events].filter((e) => e.event === 'claim-refused').length,
    };
    console.log(`never-pay-twice figures: ${JSON.stringify(figures)}`);
    // The money: one paid create per person, every person created, none twice.
    expect(figures.createsApplied).toBe(people.length);
    expect(figures.distinctPeopleCreated).toBe(people.length);
    expect(perPerson.every((n) => n === 1)).toBe(true);
    // The faults did hit the creates, so this is not vacuous; and never more than one POST per call.
    expect(figures.createPosts).toBeGreaterThan(people.length);
    expect(figures.createPosts).toBeLessThanOrEqual(figures.createCalls);
    // Zero lost operations elsewhere.
    expect(toSuspend.every((u) => sim.state.get(u)?.status === 'Suspended')).toBe(true);
    expect(toReactivate.every((u) => sim.state.get(u)?.status === 'Active')).toBe(true);
    expect(toSign.every((u) => sim.state.get(u)?.allowSigning === true)).toBe(true);
    expect(toEmail.every((u, k) => sim.state.get(u)?.emailAddress === `ny.mail${k}@kommune.dk`)).toBe(true);
    expect(toRights.every((u) => sim.state.get(u)?.rights.length === 2)).toBe(true);
  }, 180_000);
});
