// The people change feed of the IdP admin API, through the real client against the simulator over HTTP:
// every kind of write that changes a person's facts moves them to the end of the feed, tombstones, the
// cursor, and the hostile modes (feed lag, late application) that must delay a change, never lose it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PersonChange } from '../../../shared/idp/changes.ts';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import type { IdpPort } from '../../../src-main/connectors/idp/idp-port.ts';
import { startIdpSimulator, type IdpSimulator } from '../../../src-main/training/idp-sim/server.ts';
import type { SeedPerson } from '../../../src-main/training/idp-sim/seed.ts';

const people: SeedPerson[] = Array.from({ length: 60 }, (_, i) => ({ username: `p${String(i).padStart(3, '0')}`, domain: 'kommune.dk', displayName: `Person ${i}` }));
const who = (i: number) => ({ domain: 'kommune.dk', username: `p${String(i).padStart(3, '0')}` });
const ctx = { actor: { username: 'hd.lise' }, reason: 'Henvendelse til servicedesk' };

let sim: IdpSimulator;
let idp: IdpPort;

/** Reads the feed from `after` to its end; returns every item and the cursor to continue from. */
async function drain(after: string | undefined, limit = 25): Promise<{ items: PersonChange[]; next: string | undefined; pages: number; reset: boolean }> {
  const items: PersonChange[] = [];
  let cursor = after;
  let pages = 0;
  let reset = false;
  for (;;) {
    const page = await idp.listPersonChanges(cursor, limit);
    pages++;
    reset ||= page.reset;
    items.push(...page.items);
    cursor = page.next;
    if (!page.hasMore) return { items, next: cursor, pages, reset };
  }
}

beforeAll(async () => {
  sim = await startIdpSimulator({ people, seed: 7, auditEvents: 100 });
  idp = createIdpClient({ baseUrl: sim.url, auth: { kind: 'api-key', apiKey: sim.apiKey }, timeoutMs: 2_000, retryDelayMs: 5, retries: 0 });
});
afterAll(async () => {
  idp.close();
  await sim.stop();
});
beforeEach(() => sim.faults.reset());

describe('the people change feed', () => {
  it('starts with every person, in pages, and is empty at its end', async () => {
    sim.resetCalls();
    const all = await drain(undefined, 25);
    expect(new Set(all.items.map((c) => c.username))).toEqual(new Set([...sim.state.people.values()].map((p) => p.username)));
    expect(all.items.every((c) => !c.removed && c.person !== null && c.person.username === c.username)).toBe(true);
    expect(all.pages).toBe(Math.ceil(sim.state.people.size / 25));
    expect(sim.calls()['GET /people/changes']).toBe(all.pages);
    const again = await drain(all.next);
    expect(again.items).toEqual([]);
    expect(again.next).toBe(all.next);
  });

  it('moves a person to its end on every kind of change, once however often they changed, with tombstones', async () => {
    const start = (await drain(undefined, 1000)).next;
    const devOwner = [...sim.state.devices.entries()].find(([, d]) => d.length > 0)!;
    const owner = sim.state.people.get(devOwner[0])!;
    await idp.lockIdentity(who(1), ctx);
    await idp.lockIdentity(who(1), ctx); // twice: appears once
    await idp.lockDevice({ domain: owner.domain, username: owner.username }, devOwner[1][0]!.id, ctx);
    sim.state.acceptCurrentTerms(who(2));
    sim.state.removePerson(who(3));
    const { items } = await drain(start);
    const byName = new Map(items.map((c) => [c.username, c]));
    expect(items.filter((c) => c.username === 'p001')).toHaveLength(1);
    expect(byName.get('p001')!.person!.locked).not.toBeNull();
    expect(byName.get(owner.username)!.person!.devices!.locked).toBeGreaterThan(0);
    expect(byName.get('p002')!.person!.acceptedTermsVersion).not.toBeNull();
    expect(byName.get('p003')).toMatchObject({ removed: true, person: null });
    expect(items.length).toBe(new Set([owner.username, 'p001', 'p002', 'p003']).size);
  });

  it('holds a lagging change back with everything behind it, never skipping it', async () => {
    const start = (await drain(undefined, 1000)).next;
    // Long enough that a loaded machine still reads before it ends; nothing in the test waits on a guess.
    sim.faults.feedLagMs = 2_000;
    await idp.lockIdentity(who(10), ctx);
    const lagFrom = Date.now(); // the change was made before the answer: visible by lagFrom + 2 s
    sim.faults.feedLagMs = 0;
    await idp.lockIdentity(who(11), ctx); // visible at once, but behind the lagging one
    const early = await drain(start);
    expect(early.items).toEqual([]);
    expect(early.next).toBe(start);
    // A read by person is current all the same.
    expect((await idp.getPerson(who(10))).locked).not.toBeNull();
    await new Promise((r) => setTimeout(r, Math.max(0, lagFrom + 2_050 - Date.now())));
    const late = await drain(early.next);
    expect(late.items.map((c) => c.username)).toEqual(['p010', 'p011']);
  });

  it('gives a change applied late a position from when it landed, after a reader who already passed', async () => {
    const start = (await drain(undefined, 1000)).next;
    sim.faults.applyAfterTimeout = { rate: 1, applyDelayMs: 2_000, holdMs: 50 };
    await expect(idp.lockIdentity(who(20), ctx)).rejects.toMatchObject({ code: 'unavailable-idp' });
    sim.faults.applyAfterTimeout = { rate: 0, applyDelayMs: 0, holdMs: 0 };
    await idp.lockIdentity(who(21), ctx);
    const before = await drain(start);
    expect(before.items.map((c) => c.username)).toEqual(['p021']);
    while (sim.pendingApplies() > 0) await new Promise((r) => setTimeout(r, 50));
    const after = await drain(before.next);
    expect(after.items.map((c) => c.username)).toEqual(['p020']);
    expect(after.items[0]!.person!.locked).not.toBeNull();
  });

  it('answers a cursor it cannot continue from with the whole feed and reset, and refuses a malformed one', async () => {
    const whole = await drain('someoneelse.5', 1000);
    expect(whole.reset).toBe(true);
    expect(whole.items.filter((c) => !c.removed).length).toBe(sim.state.people.size);
    await expect(idp.listPersonChanges('not a cursor')).rejects.toMatchObject({ code: 'validation' });
  });
});
