// The IdP adapter of the sync engine against the IdP simulator over real HTTPS, through the real client:
// a full read is the whole feed in pages; after 50 changes one refresh costs no more calls than feed pages,
// with the changed facts fresh and removals as deletes; lag and late application delay a change, never
// lose it; "check now" reads exactly the named people.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IdpPerson } from '../../../shared/idp/people.ts';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import type { IdpPort } from '../../../src-main/connectors/idp/idp-port.ts';
import { createIdpSource, idpPersonKey, IDP_FEED_CALL, IDP_PERSON_CALL } from '../../../src-main/services/people/sync/idp-source.ts';
import type { SyncSource } from '../../../src-main/services/people/sync/source.ts';
import { defaultSeedPeople } from '../../../src-main/training/idp-sim/seed.ts';
import { startIdpSimulator, type IdpSimulator } from '../../../src-main/training/idp-sim/server.ts';
import { issueServerCertificate, createCertificateAuthority } from '../../../src-main/training/pki.ts';
import { MemoryFacts, sum, testContext } from './feeds-support.ts';

const PAGE = 500;
const PEOPLE = 3_000;
const ctxWrite = { actor: { username: 'hd.lise' }, reason: 'Henvendelse til servicedesk' };

let sim: IdpSimulator;
let idp: IdpPort;
let source: SyncSource<IdpPerson>;

/** Every person as the IdP holds them now, read in-process (no calls counted). */
function truth(): Map<string, IdpPerson> {
  return new Map([...sim.state.people.values()].map((p) => [idpPersonKey(p), sim.state.personView(p)]));
}

beforeAll(async () => {
  const ca = createCertificateAuthority('IdP-simulator test-CA');
  const cert = issueServerCertificate(ca);
  sim = await startIdpSimulator({ people: defaultSeedPeople(PEOPLE, 11), seed: 11, auditEvents: 100, tls: { cert: cert.certPem, key: cert.keyPem } });
  expect(sim.url.startsWith('https://')).toBe(true);
  idp = createIdpClient({ baseUrl: sim.url, auth: { kind: 'api-key', apiKey: sim.apiKey }, ca: ca.certPem, timeoutMs: 5_000, retries: 0 });
  source = createIdpSource(idp, { pageSize: PAGE });
});
afterAll(async () => {
  idp.close();
  await sim.stop();
});
beforeEach(() => sim.faults.reset());

describe('the IdP adapter', () => {
  it('reads everyone through the feed in pages, then only what changed: calls ≤ feed pages, fresh readAt, deletes', async () => {
    const store = new MemoryFacts<IdpPerson>();
    const ctx = testContext();
    sim.resetCalls();
    const full = await source.refresh(null, store, ctx);
    store.apply(full);
    expect(full.mode).toBe('full');
    expect(store.facts.size).toBe(PEOPLE);
    expect(new Map([...store.facts].map(([k, v]) => [k, v.fact]))).toEqual(truth());
    const fullPages = Math.ceil(PEOPLE / PAGE);
    expect(sim.calls()).toEqual({ [IDP_FEED_CALL]: fullPages });
    expect(full.calls).toEqual({ [IDP_FEED_CALL]: fullPages });
    expect(sim.calls()[IDP_PERSON_CALL]).toBeUndefined(); // today: one getPerson per person

    // 50 changes of every kind: identity locks, device locks, terms acceptance, removals.
    const people = [...sim.state.people.values()].filter((p) => p.nsisStatus === 'ACTIVE');
    const withDevice = people.filter((p) => (sim.state.devices.get(idpPersonKey(p)) ?? []).length > 0);
    const locked = people.filter((p) => !withDevice.includes(p)).slice(0, 20);
    const deviceLocked = withDevice.slice(0, 10);
    const accepted = people.filter((p) => !locked.includes(p) && !deviceLocked.includes(p)).slice(0, 10);
    const removed = people.filter((p) => !locked.includes(p) && !deviceLocked.includes(p) && !accepted.includes(p)).slice(0, 10);
    for (const p of locked) await idp.lockIdentity(p, ctxWrite);
    for (const p of deviceLocked) await idp.lockDevice(p, sim.state.devices.get(idpPersonKey(p))![0]!.id, ctxWrite);
    for (const p of accepted) sim.state.acceptCurrentTerms(p);
    for (const p of removed) sim.state.removePerson(p);
    const changedKeys = [...locked, ...deviceLocked, ...accepted].map((p) => idpPersonKey(p));

    ctx.advance(10 * 60_000);
    sim.resetCalls();
    const delta = await source.refresh(store.cursor, store, ctx);
    store.apply(delta);
    const pages = sum(sim.calls());
    expect(sim.calls()).toEqual({ [IDP_FEED_CALL]: pages });
    expect(pages).toBeLessThanOrEqual(Math.ceil(50 / PAGE) + 1);
    expect(delta.calls).toEqual(sim.calls());
    expect(delta.mode).toBe('delta');
    expect(delta.upserts.map((u) => u.key).sort()).toEqual([...changedKeys].sort());
    expect(delta.deletes.sort()).toEqual(removed.map((p) => idpPersonKey(p)).sort());
    const now = new Date(ctx.now()).toISOString();
    for (const u of delta.upserts) expect(u.readAt).toBe(now);
    for (const p of locked) expect(store.get(idpPersonKey(p))!.fact.locked).not.toBeNull();
    for (const p of deviceLocked) expect(store.get(idpPersonKey(p))!.fact.devices!.locked).toBeGreaterThan(0);
    for (const p of accepted) expect(store.get(idpPersonKey(p))!.fact.acceptedTermsVersion).not.toBeNull();
    expect(new Map([...store.facts].map(([k, v]) => [k, v.fact]))).toEqual(truth());

    // Nothing changed: one call, nothing read.
    sim.resetCalls();
    const idle = await source.refresh(store.cursor, store, ctx);
    expect(idle).toMatchObject({ mode: 'delta', upserts: [], deletes: [] });
    expect(sim.calls()).toEqual({ [IDP_FEED_CALL]: 1 });
  });

  it('picks up a change applied late, and one the feed showed late, in a later refresh', async () => {
    const store = new MemoryFacts<IdpPerson>();
    const ctx = testContext();
    store.apply(await source.refresh(null, store, ctx));
    const [a, b, c] = [...sim.state.people.values()].filter((p) => p.locked === null && p.nsisStatus === 'ACTIVE');
    // Long enough that a loaded machine still refreshes before they land; the test then waits until they have.
    sim.faults.applyAfterTimeout = { rate: 1, applyDelayMs: 2_000, holdMs: 30 };
    await expect(idp.lockIdentity(a!, ctxWrite)).rejects.toMatchObject({ code: 'unavailable-idp' });
    sim.faults.applyAfterTimeout = { rate: 0, applyDelayMs: 0, holdMs: 0 };
    sim.faults.feedLagMs = 2_000;
    await idp.lockIdentity(b!, ctxWrite);
    const lagFrom = Date.now(); // the change was made before the answer: visible by lagFrom + 2 s
    sim.faults.feedLagMs = 0;
    await idp.lockIdentity(c!, ctxWrite); // visible at once, but behind the lagging one: held back with it
    const early = await source.refresh(store.cursor, store, ctx);
    store.apply(early);
    expect(early.upserts).toEqual([]);
    expect(store.get(idpPersonKey(a!))!.fact.locked).toBeNull();
    while (sim.pendingApplies() > 0) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, Math.max(0, lagFrom + 2_050 - Date.now())));
    const later = await source.refresh(store.cursor, store, ctx);
    store.apply(later);
    expect(later.upserts.map((u) => u.key).sort()).toEqual([idpPersonKey(a!), idpPersonKey(b!), idpPersonKey(c!)].sort());
    expect(store.get(idpPersonKey(a!))!.fact.locked).not.toBeNull();
    expect(store.get(idpPersonKey(b!))!.fact.locked).not.toBeNull();
  });

  it('reads everything again, as a full read, when the IdP cannot continue from the cursor', async () => {
    const store = new MemoryFacts<IdpPerson>();
    const ctx = testContext();
    store.apply(await source.refresh(null, store, ctx));
    store.facts.set('kommune.dk\\ghost', { fact: store.facts.values().next().value!.fact, readAt: new Date(0).toISOString() });
    const r = await source.refresh('anotherfeed.12', store, ctx);
    store.apply(r);
    expect(r.mode).toBe('full');
    expect(store.get('kommune.dk\\ghost')).toBeUndefined();
    expect(store.facts.size).toBe(sim.state.people.size);
  });

  it('"check now" reads exactly the named people (one call each); an unknown one is a delete', async () => {
    const ctx = testContext();
    const some = [...sim.state.people.values()].slice(0, 3).map((p) => idpPersonKey({ domain: p.domain.toUpperCase(), username: p.username }));
    sim.resetCalls();
    const r = await source.readNow([...some, 'kommune.dk\\findesikke'], ctx);
    expect(sim.calls()).toEqual({ [IDP_PERSON_CALL]: 4 });
    expect(r.calls).toEqual({ [IDP_PERSON_CALL]: 4 });
    expect(r.upserts.map((u) => u.key).sort()).toEqual([...some].sort());
    expect(r.deletes).toEqual(['kommune.dk\\findesikke']);
  });

  it('stops when cancelled, storing nothing', async () => {
    const ctx = testContext();
    ctx.controller.abort();
    await expect(source.refresh(null, new MemoryFacts<IdpPerson>(), ctx)).rejects.toMatchObject({ code: 'cancelled' });
  });
});
