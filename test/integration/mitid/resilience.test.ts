// Faults: token expiry, 503 storms, lost create answers, timeouts, an unstable search, the circuit breaker.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MitIdErhvervClient, TransportEvent } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { clientFor, expectConsoleError, fakeCpr, startSim } from './harness.ts';

let sim: MitIdSimulator;
const clients: MitIdErhvervClient[] = [];

function client(extra: Parameters<typeof clientFor>[1] = {}): MitIdErhvervClient {
  const c = clientFor(sim, extra);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.state.clear();
  sim.faults.reset();
  sim.resetStats();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/**
 * What the console's create guard does, without its store and waiting window (the simulator's search is
 * consistent here): one POST per create call; an unknown outcome is looked up, and only when it is not
 * there is the next call made. Counts the calls, so a test can check at most one POST per call.
 */
async function createUntilCertain(c: MitIdErhvervClient, p: ReturnType<typeof person>, calls: { n: number }): Promise<{ uuid: string; outcome: string }> {
  for (let round = 0; round < 30; round++) {
    calls.n++;
    try {
      return await c.createIdentity(p);
    } catch (e) {
      if ((e as { details?: { outcome?: string } }).details?.outcome !== 'unknown') throw e;
      const m = await c.matchPerson(p).catch(() => null);
      if (m?.ours) return { uuid: m.ours.identity.uuid, outcome: 'reconciled' };
    }
  }
  throw new Error('no certain outcome after 30 rounds');
}

const person = (n: number) => ({
  givenName: `Mette ${n}`,
  surname: 'Sørensen',
  emailAddress: `ms${n}@kommune.dk`,
  cprNumber: fakeCpr(n),
  subjectNameId: `ms${n}@kommune.dk`,
});

describe('token', () => {
  it('recovers when every token expires mid-run: one new token, the call retried once', async () => {
    const c = client();
    const { uuid } = await c.createIdentity(person(1));
    expect(sim.stats.tokensIssued).toBe(1);
    sim.faults.expireTokens();
    await c.suspend(uuid);
    expect(sim.state.get(uuid)?.status).toBe('Suspended');
    expect(sim.stats.unauthorized).toBe(1);
    expect(sim.stats.tokensIssued).toBe(2);
    // Concurrent calls after another expiry share one token fetch.
    sim.faults.expireTokens();
    await Promise.all(Array.from({ length: 6 }, () => c.getIdentity(uuid)));
    expect(sim.stats.tokensIssued).toBe(3);
    // A create hit by a 401 is sent again (the 401 proves it was not applied) and lands once.
    sim.faults.expireTokens();
    await c.createIdentity(person(2));
    expect(sim.createCount).toBe(2);
  });

  it('refreshes early, below the token lifetime, without ever meeting a 401', async () => {
    sim.faults.tokenLifetimeSec = 1;
    const c = client({ tokenEarlyRefreshMs: 700 });
    const { uuid } = await c.createIdentity(person(3));
    await new Promise((r) => setTimeout(r, 600));
    await c.getIdentity(uuid);
    expect(sim.stats.unauthorized).toBe(0);
    expect(sim.stats.tokensIssued).toBe(2);
  });

  it('refreshes after the configured maximum age even when the token lives longer', async () => {
    const c = client({ tokenRefreshAfterMs: 150 });
    await c.listSeNumbers();
    await new Promise((r) => setTimeout(r, 200));
    await c.listSeNumbers();
    expect(sim.stats.tokensIssued).toBe(2);
  });
});

describe('kept-alive connections', () => {
  const resent = (events: TransportEvent[]) => events.filter((e) => e.type === 'request' && 'note' in e && e.note?.includes('sendt igen'));

  it('sends a read once more on a new connection when the server had closed the kept-alive one, and counts no unavailability', async () => {
    const events: TransportEvent[] = [];
    const c = client({ onEvent: (e) => events.push(e), breaker: { failureThreshold: 1, cooldownMs: 60_000 } });
    const i = sim.state.insert({ givenName: 'Kim', surname: 'Holm', emailAddress: 'kh@kommune.dk', cprNumber: fakeCpr(20) });
    await c.getIdentity(i.uuid);
    sim.faults.closeReusedConnections = 1;
    sim.resetStats();
    await expect(c.getIdentity(i.uuid)).resolves.toMatchObject({ uuid: i.uuid });
    // The server closed the connection (the fault was used) and read the call once, on the new one.
    expect(sim.faults.closeReusedConnections).toBe(0);
    expect(sim.stats.calls['GET /identity/employee/{uuid}']).toBe(1);
    expect(resent(events)).toHaveLength(1);
    // One failure would have opened this breaker: none was counted.
    expect(c.circuit).toBe('closed');
  });

  it('never sends a create again on its own: the create guard decides, from what MitID Erhverv holds', async () => {
    const events: TransportEvent[] = [];
    const c = client({ onEvent: (e) => events.push(e) });
    await c.getIdentity(sim.state.insert({ givenName: 'Kim', surname: 'Holm', emailAddress: 'kh@kommune.dk', cprNumber: fakeCpr(21) }).uuid);
    sim.faults.closeReusedConnections = 1;
    await c.createIdentity(person(22)).catch(() => undefined);
    expect(sim.faults.closeReusedConnections).toBe(0);
    expect(resent(events)).toEqual([]);
    expect(sim.createCount).toBeLessThanOrEqual(1);
  });
});

describe('a create is never repeated blindly', () => {
  it('reconciles a create whose answer was lost (applied, then the connection dropped)', async () => {
    const events: TransportEvent[] = [];
    const c = client({ onEvent: (e) => events.push(e) });
    sim.faults.dropNextCreates = 1;
    const r = await c.createIdentity(person(10));
    expect(r.outcome).toBe('reconciled');
    expect(sim.createCount).toBe(1);
    expect(sim.stats.createRequests).toBe(1);
    expect(sim.state.get(r.uuid)?.cprNumber).toBe(fakeCpr(10));
    expect(events.some((e) => e.type === 'reconcile')).toBe(true);
  });

  it('reconciles by subjectNameId through the authenticators when there is no CPR', async () => {
    const c = client();
    sim.faults.dropNextCreates = 1;
    const r = await c.createIdentity({ ...person(11), cprNumber: null });
    expect(r.outcome).toBe('reconciled');
    expect(sim.createCount).toBe(1);
    expect(sim.stats.createRequests).toBe(1);
    expect(sim.state.get(r.uuid)?.authenticators[0]?.id).toBe('ms11@kommune.dk');
  });

  it('creates again after a 503 (nothing applied) only once the lookup found nothing', async () => {
    const events: TransportEvent[] = [];
    const c = client({ backoff: { retries: 8, baseDelayMs: 1, maxDelayMs: 5 }, onEvent: (e) => events.push(e) });
    sim.faults.unavailableRate = 0.5;
    const calls = { n: 0 };
    for (let n = 20; n < 40; n++) await createUntilCertain(c, person(n), calls);
    sim.faults.unavailableRate = 0;
    // One create call sends at most one POST: the next POST is a new call, made after the lookup.
    expect(sim.stats.createRequests).toBeLessThanOrEqual(calls.n);
    expect(calls.n).toBeGreaterThan(20);
    expect(sim.createCount).toBe(20);
    expect(sim.state.identities.size).toBe(20);
    expect(events.filter((e) => e.path === '/api/administration/identity/employee' && e.status === 503).length).toBeGreaterThan(3);
    expect(events.filter((e) => e.type === 'reconcile').length).toBeGreaterThan(3);
  });

  it('does not create again when the lookup itself fails: the caller learns the outcome is unknown', async () => {
    const c = client();
    sim.faults.dropNextCreates = 1;
    sim.faults.search.failRate = 1;
    const e = await expectConsoleError(c.createIdentity(person(12)));
    expect(e.code).toBe('unavailable-mitid');
    expect(e.message).toMatch(/^Oprettelsen i MitID Erhverv har ukendt udfald – slå identiteten op/);
    expect(e.details).toMatchObject({ outcome: 'unknown' });
    expect(sim.createCount).toBe(1);
    expect(sim.stats.createRequests).toBe(1);
    // Once the search works again, asking again finds it instead of paying twice.
    sim.faults.search.failRate = 0;
    const again = await c.createIdentity(person(12)).catch((err: { details?: { existingUuid?: string } }) => err.details?.existingUuid);
    expect(again).toBeDefined();
    expect(sim.createCount).toBe(1);
  });

  it('reconciles a lost requestcredentials answer by listing the authenticators', async () => {
    const c = client();
    const { uuid } = await c.createIdentity({ ...person(13), subjectNameId: null });
    sim.faults.dropAfterApplyRate = 1;
    const r = await c.requestLocalCredential(uuid, 'ms13@kommune.dk');
    sim.faults.dropAfterApplyRate = 0;
    expect(r.outcome).toBe('reconciled');
    expect(sim.state.get(uuid)?.authenticators.filter((a) => a.type === 'LocalIdentityProvider')).toHaveLength(1);
  });
});

describe('1,000 mixed operations with 10% injected 503s and random latency', () => {
  it('all complete, with zero duplicate creates and zero lost operations', async () => {
    // Seeded identities for the non-create operations; each identity gets one kind of operation so the
    // expected end state is exact.
    const group = (name: string, n: number, init: Partial<Parameters<MitIdSimulator['state']['insert']>[0]> = {}) =>
      Array.from({ length: n }, (_, k) => {
        const i = sim.state.insert({ givenName: name, surname: String(k), emailAddress: `${name}${k}@kommune.dk`, cprNumber: fakeCpr(5000 + sim.state.identities.size), ...init });
        if (name !== 'nocred') i.authenticators.push(sim.state.newAuthenticator('LocalIdentityProvider', `${name}${k}@kommune.dk`));
        return i.uuid;
      });
    const toSuspend = group('suspend', 100);
    const toReactivate = group('reactivate', 100, { status: 'Suspended' });
    const toSign = group('sign', 100);
    const toEmail = group('email', 100);
    const toRights = group('rights', 100);
    const toDelete = group('delete', 50);
    const noCred = group('nocred', 50);
    const toRead = group('read', 100);
    const roles = sim.state.roles.map((r) => r.uuid);

    const events: TransportEvent[] = [];
    const c = client({
      onEvent: (e) => events.push(e),
      concurrency: 8,
      backoff: { retries: 10, baseDelayMs: 2, maxDelayMs: 40 },
      breaker: { failureThreshold: 1000, cooldownMs: 100 },
    });
    sim.faults.unavailableRate = 0.1;
    sim.faults.latencyMs = { min: 0, max: 4 };
    // Some writes land and then lose their answer, too.
    sim.faults.dropAfterApplyRate = 0.02;

    const createOutcomes: string[] = [];
    const createCalls = { n: 0 };
    const ops: Array<() => Promise<unknown>> = [
      ...Array.from({ length: 300 }, (_, k) => async () => createOutcomes.push((await createUntilCertain(c, person(1000 + k), createCalls)).outcome)),
      ...toSuspend.map((u) => () => c.suspend(u)),
      ...toReactivate.map((u) => () => c.reactivate(u)),
      ...toSign.map((u) => () => c.setAllowSigning(u, true)),
      ...toEmail.map((u, k) => () => c.updateEmail(u, `ny${k}@kommune.dk`)),
      ...toRights.map((u) => () => c.assignRights(u, { type: 'Cvr', value: '29189846' }, roles.slice(0, 2))),
      ...toDelete.map((u) => () => c.deleteIdentity(u)),
      ...noCred.map((u, k) => () => c.requestLocalCredential(u, `nocred-ny${k}@kommune.dk`)),
      ...toRead.map((u, k) =>
        k < 3
          ? // Every token expires mid-run, while other calls are in flight.
            async () => {
              await c.getIdentity(u);
              sim.faults.expireTokens();
              return c.getIdentity(u);
            }
          : () => (k % 2 === 0 ? c.getIdentity(u) : c.listAuthenticators(u)),
      ),
    ];
    expect(ops).toHaveLength(1000);
    // Shuffle deterministically so kinds interleave.
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = ops.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [ops[i], ops[j]] = [ops[j]!, ops[i]!];
    }
    const results = await Promise.allSettled(ops.map((op) => op()));
    sim.faults.reset();

    expect(sim.stats.unauthorized).toBeGreaterThan(0);
    expect(sim.stats.tokensIssued).toBeGreaterThan(1);
    expect(sim.stats.maxInFlight).toBeLessThanOrEqual(8 + 1); // the limit, plus a token call outside it
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
    expect(sim.stats.byRoute['error-503'] ?? 0).toBeGreaterThan(50);
    // The storm did hit the creates (≈30 expected), so "no duplicate" below is not vacuous.
    expect(events.filter((e) => e.path === '/api/administration/identity/employee' && e.status === 503).length).toBeGreaterThan(10);

    // Zero duplicate creates: one create applied per person, each person exactly once; and never more
    // than one POST per create call.
    expect(sim.createCount).toBe(300);
    expect(sim.stats.createRequests).toBeLessThanOrEqual(createCalls.n);
    const created = sim.state.all().filter((i) => i.givenName.startsWith('Mette '));
    expect(created).toHaveLength(300);
    expect(new Set(created.map((i) => i.cprNumber)).size).toBe(300);
    // Zero lost operations: every write is visible in the end state.
    expect(toSuspend.every((u) => sim.state.get(u)?.status === 'Suspended')).toBe(true);
    expect(toReactivate.every((u) => sim.state.get(u)?.status === 'Active')).toBe(true);
    expect(toSign.every((u) => sim.state.get(u)?.allowSigning === true && sim.state.get(u)?.allowQualifiedCertificateIssuance === false)).toBe(true);
    expect(toEmail.every((u, k) => sim.state.get(u)?.emailAddress === `ny${k}@kommune.dk`)).toBe(true);
    expect(toRights.every((u) => sim.state.get(u)?.rights.length === 2)).toBe(true);
    expect(toDelete.every((u) => sim.state.get(u) === undefined)).toBe(true);
    expect(noCred.every((u, k) => sim.state.get(u)?.authenticators.filter((a) => a.id === `nocred-ny${k}@kommune.dk`).length === 1)).toBe(true);
    expect(createOutcomes.filter((o) => o === 'created' || o === 'reconciled')).toHaveLength(300);
  });
});

describe('limits', () => {
  it('never has more calls in flight than the concurrency limit', async () => {
    const c = client({ concurrency: 3 });
    await c.listSeNumbers(); // token first, so only limited calls follow
    sim.resetStats();
    sim.faults.latencyMs = { min: 30, max: 30 };
    await Promise.all(Array.from({ length: 12 }, () => c.listSeNumbers()));
    expect(sim.stats.requests).toBe(12);
    expect(sim.stats.maxInFlight).toBe(3);
  });

  it('cancels a call, including its pending retries, in Danish', async () => {
    const c = client({ backoff: { retries: 5, baseDelayMs: 200, maxDelayMs: 200 } });
    await c.listSeNumbers();
    sim.faults.unavailableRate = 1;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const started = Date.now();
    const e = await expectConsoleError(c.listSeNumbers({ signal: ac.signal }));
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe('Kaldet til MitID Erhverv blev annulleret');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('takes a per-call timeout over the default', async () => {
    const c = client({ timeoutMs: 5_000, backoff: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    await c.listSeNumbers();
    sim.faults.latencyMs = { min: 300, max: 300 };
    const e = await expectConsoleError(c.listSeNumbers({ timeoutMs: 100 }));
    expect(e.message).toBe('MitID Erhverv svarer ikke (intet svar inden for 0,1 s)');
  });
});

describe('unavailability', () => {
  it('retries idempotent reads on 503 and gives up with a Danish message', async () => {
    const c = client({ backoff: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    await c.listSeNumbers();
    const before = sim.stats.requests;
    sim.faults.unavailableRate = 1;
    const e = await expectConsoleError(c.listSeNumbers());
    expect(e.code).toBe('unavailable-mitid');
    expect(e.message).toBe('MitID Erhverv svarer ikke (503)');
    expect(sim.stats.requests - before).toBe(3);
  });

  it('does not retry a generic 500, and shows it without the body', async () => {
    const c = client();
    await c.listSeNumbers();
    const before = sim.stats.requests;
    sim.faults.serverErrorRate = 1;
    const e = await expectConsoleError(c.listSeNumbers());
    expect(e.message).toBe('MitID Erhverv fejlede (500, SE-numre)');
    expect(e.message).not.toContain('See log');
    expect(sim.stats.requests - before).toBe(1);
  });

  it('times out per call', async () => {
    const c = client({ timeoutMs: 100, backoff: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 } });
    sim.faults.latencyMs = { min: 400, max: 400 };
    const started = Date.now();
    const e = await expectConsoleError(c.listSeNumbers());
    expect(e.code).toBe('unavailable-mitid');
    expect(e.message).toMatch(/MitID Erhverv svarer ikke/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('opens the circuit after repeated failures, fails fast while open, and closes after a good trial call', async () => {
    const events: TransportEvent[] = [];
    const c = client({ backoff: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 }, breaker: { failureThreshold: 4, cooldownMs: 300 }, onEvent: (e) => events.push(e) });
    await c.listSeNumbers();
    sim.faults.unavailableRate = 1;
    await expectConsoleError(c.listSeNumbers());
    await expectConsoleError(c.listSeNumbers());
    expect(c.circuit).toBe('open');
    expect(events.some((e) => e.type === 'circuit-open')).toBe(true);
    const before = sim.stats.requests;
    const e = await expectConsoleError(c.getIdentity('00000000-0000-4000-8000-000000000000'));
    expect(e.code).toBe('unavailable-mitid');
    expect(e.message).toMatch(/^MitID Erhverv svarer ikke – forbindelsen er sat på pause/);
    expect(e.details).toMatchObject({ circuit: 'open' });
    expect(sim.stats.requests).toBe(before);
    sim.faults.unavailableRate = 0;
    await new Promise((r) => setTimeout(r, 350));
    expect(await c.listSeNumbers()).toEqual(['29189846']);
    expect(c.circuit).toBe('closed');
  });
});

describe('the unstable search', () => {
  beforeEach(() => {
    for (let n = 0; n < 60; n++) sim.state.insert({ givenName: `P${n}`, surname: 'S', emailAddress: `p${n}@kommune.dk`, cprNumber: fakeCpr(3000 + n) });
  });

  it('retries a search that answers 503 before any item arrived', async () => {
    const c = client({ backoff: { retries: 8, baseDelayMs: 1, maxDelayMs: 5 } });
    sim.faults.search.failRate = 0.5;
    sim.faults.search.failStatus = 503;
    expect((await c.searchAll(() => {})).count).toBe(60);
  });

  it('reports a failing search (500) in Danish', async () => {
    const c = client();
    sim.faults.search.failRate = 1;
    const e = await expectConsoleError(c.searchAll(() => {}));
    expect(e.message).toBe('MitID Erhverv fejlede (500, søgning)');
  });

  it('streams a slow search to the consumer as it arrives', async () => {
    const slow = await startSim({ searchChunkSize: 10 });
    try {
      for (let n = 0; n < 40; n++) slow.state.insert({ givenName: `P${n}`, surname: 'S', emailAddress: `p${n}@kommune.dk` });
      slow.faults.search.chunkDelayMs = 60;
      const c = clientFor(slow);
      clients.push(c);
      const started = Date.now();
      let firstAt = 0;
      const { count } = await c.searchAll(() => {
        firstAt ||= Date.now() - started;
      });
      const total = Date.now() - started;
      expect(count).toBe(40);
      expect(total).toBeGreaterThanOrEqual(200);
      expect(firstAt).toBeLessThan(total - 150);
    } finally {
      await slow.stop();
    }
  });

  it('does not silently restart a search that broke off after items were handed on', async () => {
    const chunky = await startSim({ searchChunkSize: 10 });
    try {
      for (let n = 0; n < 40; n++) chunky.state.insert({ givenName: `P${n}`, surname: 'S', emailAddress: `p${n}@kommune.dk` });
      chunky.faults.search.dropMidway = true;
      const c = clientFor(chunky);
      clients.push(c);
      let seen = 0;
      const e = await expectConsoleError(c.searchAll(() => void seen++));
      expect(e.code).toBe('unavailable-mitid');
      expect(e.message).toMatch(/søgningen blev afbrudt undervejs/);
      expect(seen).toBeGreaterThan(0);
      expect(seen).toBeLessThan(40);
      expect(chunky.stats.searches).toBe(1);
    } finally {
      await chunky.stop();
    }
  });
});
