// The MitID Erhverv adapter of the sync engine against the simulator over mutual TLS, through the real
// client: after a full read and 50 changes, one steady-state refresh makes at most 1 search + 2 × changed +
// the budget for the interval (the simulator counts every call per endpoint), with the changed facts fresh
// and deletions through; the revalidation rolls over the least recently read; a 429 storm lowers the rate
// and Retry-After is honoured.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import type { MitIdFacts } from '../../../src-main/services/people/index/merge.ts';
import { SearchDiff, searchLookText } from '../../../src-main/services/people/sync/search-look.ts';
import type { MitIdIdentitySummary } from '../../../shared/mitid/domain.ts';
import {
  createMitIdSource,
  MITID_AUTHENTICATORS_CALL,
  MITID_IDENTITY_CALL,
  MITID_SEARCH_CALL,
} from '../../../src-main/services/people/sync/mitid-source.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import type { SimIdentity } from '../../../src-main/training/mitid-sim/state.ts';
import { clientFor, fakeCpr, startSim } from '../mitid/harness.ts';
import { MemoryFacts, sum, testContext } from './feeds-support.ts';

const N = 2_000;
const RATE = 30; // calls per minute: small, so the budget shows within a test
const MIN = 60_000;
const TOKEN_CALL = 'POST /idmlogin/tls/authenticate';

let sim: MitIdSimulator;
let client: MitIdErhvervClient;

function seed(n: number): void {
  sim.state.clear();
  for (let i = 0; i < n; i++) {
    const id = sim.state.insert({ givenName: `Fornavn${i}`, surname: `Efternavn${i}`, emailAddress: `p${i}@kommune.dk`, cprNumber: fakeCpr(i), allowSigning: i % 7 === 0 });
    id.authenticators.push(sim.state.newAuthenticator('LocalIdentityProvider', `p${i}@kommune.dk`));
  }
}

/** The calls the simulator saw, without the token call (the transport's, once an hour). */
function apiCalls(): Record<string, number> {
  const { [TOKEN_CALL]: _token, ...rest } = sim.stats.calls;
  return rest;
}

function expectFactsOf(i: SimIdentity, f: MitIdFacts | undefined): void {
  expect(f).toBeDefined();
  expect(f!.summary).toMatchObject({ uuid: i.uuid, status: i.status, emailAddress: i.emailAddress, cprNumber: i.cprNumber });
  expect(f!.localIds).toEqual(i.authenticators.filter((a) => a.type === 'LocalIdentityProvider').map((a) => a.id));
  expect(f!.allowSigning).toBe(i.allowSigning);
}

beforeAll(async () => {
  sim = await startSim();
  client = clientFor(sim, { concurrency: 4 });
});
afterAll(async () => {
  await client.close();
  await sim.stop();
});
beforeEach(() => {
  sim.faults.reset();
  seed(N);
});

describe('the MitID Erhverv adapter', () => {
  it('after 50 changes makes ≤ 1 search + 2 × changed + the budget for the interval, with fresh facts and deletions', async () => {
    const source = createMitIdSource(client, { callsPerMinute: RATE });
    const store = new MemoryFacts<MitIdFacts>();
    const ctx = testContext(undefined, store as MemoryFacts<unknown>);
    // The first read: every identity is new, so each is read once (what every refresh did before).
    sim.resetStats();
    const full = await source.refresh(null, store, ctx);
    store.apply(full);
    expect(full.mode).toBe('full');
    expect(store.size()).toBe(N);
    expect(apiCalls()).toEqual({ [MITID_SEARCH_CALL]: 1, [MITID_AUTHENTICATORS_CALL]: N, [MITID_IDENTITY_CALL]: N });
    expect(full.calls).toEqual(apiCalls());
    for (const i of sim.state.all()) expectFactsOf(i, store.get(i.uuid)?.fact);

    // 50 changes the search shows: 20 suspended, 20 new e-mail addresses, 10 new identities; 10 deleted.
    const all = sim.state.all();
    const suspended = all.slice(0, 20);
    const emailed = all.slice(20, 40);
    const deleted = all.slice(40, 50);
    for (const i of suspended) i.status = 'Suspended';
    for (const i of emailed) i.emailAddress = `ny.${i.emailAddress}`;
    for (const i of deleted) sim.state.identities.delete(i.uuid);
    const created = Array.from({ length: 10 }, (_, k) => {
      const i = sim.state.insert({ givenName: 'Ny', surname: `Person${k}`, emailAddress: `ny${k}@kommune.dk`, cprNumber: fakeCpr(N + k) });
      i.authenticators.push(sim.state.newAuthenticator('LocalIdentityProvider', `ny${k}@kommune.dk`));
      return i;
    });
    const changed = [...suspended, ...emailed, ...created];
    // A change the search cannot show (signing), which the console made itself: write-through reads it now.
    const signer = all[60]!;
    signer.allowSigning = !signer.allowSigning;
    ctx.advance(MIN);
    sim.resetStats();
    const now1 = await source.readNow([signer.uuid.toUpperCase()], ctx);
    store.apply(now1);
    expect(apiCalls()).toEqual({ [MITID_AUTHENTICATORS_CALL]: 1, [MITID_IDENTITY_CALL]: 1 });
    expectFactsOf(signer, store.get(signer.uuid)?.fact);

    const interval = 10 * MIN; // since the full read, the "check now" a minute in included
    ctx.advance(interval - MIN);
    sim.resetStats();
    const delta = await source.refresh(store.cursor, store, ctx);
    // What the search said was handed over before the per-identity reads: the 40 changed summaries (their
    // details marked pending) and the 10 new identities (details unknown); nothing early on the full read.
    expect(ctx.handedEarly).toHaveLength(1);
    const said = new Map(ctx.handedEarly[0]!.upserts.map((u) => [u.key, u.fact as MitIdFacts]));
    expect([...said.keys()].sort()).toEqual(changed.map((i) => i.uuid).sort());
    for (const i of suspended) expect(said.get(i.uuid)).toMatchObject({ summary: { status: 'Suspended' }, detailsPending: true });
    for (const i of created) expect(said.get(i.uuid)).toMatchObject({ localIds: null, allowSigning: null });
    store.apply(delta);
    for (const i of changed) expect(store.get(i.uuid)!.fact.detailsPending).toBeUndefined();
    const made = sum(apiCalls());
    const budgetForInterval = RATE * (interval / MIN);
    expect(made).toBeLessThanOrEqual(1 + 2 * changed.length + budgetForInterval);
    expect(apiCalls()[MITID_SEARCH_CALL]).toBe(1);
    expect(delta.calls).toEqual(apiCalls());
    expect(delta.mode).toBe('delta');
    // The budget was used, not exceeded: "check now" and the changed reads came out of it, the rest revalidated.
    const revalidated = delta.upserts.filter((u) => !changed.some((c) => c.uuid === u.key));
    expect(revalidated.length).toBe((budgetForInterval - 2 - 2 * changed.length) / 2);
    expect(revalidated.some((u) => u.key === signer.uuid)).toBe(false); // just read: not among the least recent
    const stamp = new Date(ctx.now()).toISOString();
    for (const i of changed) {
      expect(store.get(i.uuid)!.readAt).toBe(stamp);
      expectFactsOf(i, store.get(i.uuid)!.fact);
    }
    expect(delta.deletes.sort()).toEqual(deleted.map((i) => i.uuid).sort());
    for (const i of deleted) expect(store.get(i.uuid)).toBeUndefined();
    expect(store.size()).toBe(N);

    // The next quiet interval revalidates the next least recently read, not the same ones again.
    ctx.advance(interval);
    sim.resetStats();
    const quiet = await source.refresh(store.cursor, store, ctx);
    store.apply(quiet);
    expect(sum(apiCalls())).toBe(1 + budgetForInterval);
    const again = new Set(quiet.upserts.map((u) => u.key));
    expect(again.size).toBe(budgetForInterval / 2);
    expect(revalidated.filter((u) => again.has(u.key))).toEqual([]);
    expect(quiet.deletes).toEqual([]);
    expect(quiet.method).toMatchObject({ code: 'mitidRead', params: { revalidated: budgetForInterval / 2, stopped: false, failed: 0 } });
  });

  it('at a start shows what the search changed right after it, told against the last search, before the facts are in or any identity is read', async () => {
    const source = createMitIdSource(client, { callsPerMinute: RATE });
    const store = new MemoryFacts<MitIdFacts>();
    const full = await source.refresh(null, store, testContext(undefined, store as MemoryFacts<unknown>));
    store.apply(full);
    const all = sim.state.all();
    const suspended = all.slice(0, 5);
    for (const i of suspended) i.status = 'Suspended';
    // Held but not in the last search (read since, as a create written through): previewed only if changed.
    const [sinceChanged, sinceSame] = [all[5]!, all[6]!];
    sinceChanged.status = 'Suspended';
    const last = await searchLookText(new Map(full.upserts.filter((u) => u.key !== sinceChanged.uuid && u.key !== sinceSame.uuid).map((u) => [u.key, u.fact.summary])));
    const created = sim.state.insert({ givenName: 'Ny', surname: 'Person', emailAddress: 'ny@kommune.dk', cprNumber: fakeCpr(N + 1) });
    const asked: string[][] = [];
    const look = {
      firstLook: () => last,
      facts: (keys: readonly string[]) => {
        asked.push([...keys]);
        return new Map(keys.flatMap((k) => (store.get(k) ? [[k, store.get(k)!] as const] : [])));
      },
    };
    const callsAtPreview: Record<string, number>[] = [];
    const ctx = testContext(undefined, store as MemoryFacts<unknown>, look);
    const shown = ctx.preview;
    ctx.preview = (c) => {
      callsAtPreview.push(apiCalls());
      shown(c);
    };
    sim.resetStats();
    const answer = await source.refresh(full.cursor, store, ctx);
    // Shown once, after the search and before any identity was read.
    expect(callsAtPreview).toEqual([{ [MITID_SEARCH_CALL]: 1 }]);
    const previewed = new Map(ctx.previewed[0]!.upserts.map((u) => [u.key, u.fact as MitIdFacts]));
    expect([...previewed.keys()].sort()).toEqual([...suspended.map((i) => i.uuid), sinceChanged.uuid, created.uuid].sort());
    for (const i of [...suspended, sinceChanged]) expect(previewed.get(i.uuid)).toMatchObject({ summary: { status: 'Suspended' }, localIds: store.get(i.uuid)!.fact.localIds, detailsPending: true });
    expect(previewed.get(created.uuid)).toMatchObject({ summary: { givenName: 'Ny' }, localIds: null, allowSigning: null });
    // Only the stored facts of those were looked up, not all 2,000.
    expect(asked.map((keys) => [...keys].sort())).toEqual([[...suspended.map((i) => i.uuid), sinceChanged.uuid, sinceSame.uuid, created.uuid].sort()]);
    // The answer leaves this search for the next start: told against the search it is of, none changed.
    const searchedNow: MitIdIdentitySummary[] = [];
    await client.searchAll((s) => void searchedNow.push(s));
    expect(searchedNow).toHaveLength(sim.state.all().length);
    const next = SearchDiff.of(answer.firstLook!)!;
    expect(searchedNow.filter((s) => next.check(s.uuid, s) !== 'same')).toEqual([]);
  });

  it('slows down in a 429 storm instead of hammering, honours Retry-After, and reads what waited afterwards', async () => {
    const source = createMitIdSource(client, { callsPerMinute: RATE });
    const store = new MemoryFacts<MitIdFacts>();
    const ctx = testContext(undefined, store as MemoryFacts<unknown>);
    store.apply(await source.refresh(null, store, ctx));
    const suspended = sim.state.all().slice(0, 50);
    for (const i of suspended) i.status = 'Suspended';
    ctx.advance(10 * MIN);

    // The search answers; every read is refused 429 with Retry-After: 120.
    // Long enough to outlast the search on a loaded machine; the test waits for its end below.
    sim.faults.startStorm({ status: 429, forMs: 5_000, retryAfterSeconds: 120, endpoints: 'reads' });
    sim.resetStats();
    const stormy = await source.refresh(store.cursor, store, ctx);
    store.apply(stormy);
    expect(sim.stats.throttled).toBeGreaterThan(0);
    // At most the reads already in flight when the first 429 came back (the client runs 4 at a time).
    expect(sum(apiCalls())).toBeLessThanOrEqual(1 + 2 * 4);
    expect(stormy.upserts).toEqual([]); // nothing half-read is stored; the changed ones wait
    // What the search said shows already, the details beside it marked as not yet read.
    for (const i of suspended) expect(store.get(i.uuid)!.fact).toMatchObject({ summary: { status: 'Suspended' }, detailsPending: true });
    expect(stormy.method).toMatchObject({ code: 'mitidRead', params: { stopped: true, budget: { rate: 15, limit: 30, waitSeconds: 120 } } });

    // Within Retry-After: not a single call, not even the search; "check now" says to wait.
    ctx.advance(60_000);
    sim.resetStats();
    const waiting = await source.refresh(store.cursor, store, ctx);
    expect(sum(sim.stats.calls)).toBe(0);
    expect(waiting).toMatchObject({ upserts: [], deletes: [], calls: {} });
    // The status line's figures: the halved rate, and the 60 s of Retry-After still to wait.
    expect(waiting.method).toEqual({ code: 'mitidWaiting', params: { budget: { rate: 15, limit: RATE, waitSeconds: 60 } } });
    await expect(source.readNow([suspended[0]!.uuid], ctx)).rejects.toMatchObject({ code: 'unavailable-mitid', message: expect.stringContaining('prøv igen om 60 s') });

    // After the pause (and the storm): what waited is read, the rate climbs back slowly.
    await new Promise((r) => setTimeout(r, Math.max(0, sim.faults.storm.untilMs + 50 - Date.now())));
    ctx.advance(61_000 + 2 * MIN);
    sim.resetStats();
    const after = await source.refresh(store.cursor, store, ctx);
    store.apply(after);
    // The pending details are what the budget reads first, though the summaries no longer differ.
    for (const i of suspended) expect(store.get(i.uuid)!.fact).toMatchObject({ summary: { status: 'Suspended' } });
    for (const i of suspended) expect(store.get(i.uuid)!.fact.detailsPending).toBeUndefined();
    // The status line's figures: no wait left, the rate climbing back from 15 but not yet at 30.
    expect(after.method).toMatchObject({ code: 'mitidRead', params: { budget: { limit: RATE, waitSeconds: 0 } } });
    const rate = after.method.code === 'mitidRead' ? after.method.params.budget.rate : NaN;
    expect(rate).toBeGreaterThan(15);
    expect(rate).toBeLessThan(RATE);
    // 2 minutes at the recovering rate, all taken by the 50 waiting identities: no revalidation yet.
    expect(sum(apiCalls())).toBe(1 + 2 * 50);
  });

  it('keeps the budget in its cursor: a new adapter (a restart) continues the slow-down', async () => {
    const first = createMitIdSource(client, { callsPerMinute: RATE });
    const store = new MemoryFacts<MitIdFacts>();
    const ctx = testContext();
    store.apply(await first.refresh(null, store, ctx));
    ctx.advance(10 * MIN);
    sim.faults.startStorm({ status: 503, forMs: 60_000, endpoints: 'all' });
    sim.resetStats();
    await expect(first.refresh(store.cursor, store, ctx)).rejects.toMatchObject({ code: 'unavailable-mitid' });
    // The search was tried twice at most (one retry), then the budget paused: no volley.
    expect(apiCalls()[MITID_SEARCH_CALL]).toBeLessThanOrEqual(2);
    sim.faults.reset();
    // The engine stores the cursor of the last good refresh; a paused refresh hands back the new state.
    const paused = await first.refresh(store.cursor, store, ctx);
    expect(paused.calls).toEqual({});
    const restarted = createMitIdSource(client, { callsPerMinute: RATE });
    sim.resetStats();
    const r = await restarted.refresh(paused.cursor, store, ctx);
    expect(sum(sim.stats.calls)).toBe(0);
    // The restarted adapter reports the halved rate and the pause it inherited (503 without Retry-After: 60 s).
    expect(r.method).toEqual({ code: 'mitidWaiting', params: { budget: { rate: 15, limit: RATE, waitSeconds: 60 } } });
  });
});
