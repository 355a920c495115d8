import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyncEngine, FIRST_LOOK_WAIT_MS, type FactsChange, type SourceSpec } from '../../../src-main/services/people/sync/engine.ts';
import { openPeopleStore, type PeopleStore } from '../../../src-main/store/people-store.ts';
import type { SyncSystem } from '../../../src-main/services/people/sync/source.ts';
import { aroundRefresh, memorySystem } from './memory-system.ts';

const dirs: string[] = [];
const stores: PeopleStore[] = [];
afterEach(async () => {
  // Closed first: a connection still closing writes to the files the folder's removal is deleting.
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const storeAt = (file: string): PeopleStore => {
  const s = openPeopleStore(file, 'x');
  stores.push(s);
  return s;
};
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'lia-engine-'));
  dirs.push(d);
  return join(d, 'people.sqlite');
};
const Fact = z.object({ v: z.number() });
type Fact = z.infer<typeof Fact>;
const spec = (source: ReturnType<typeof memorySystem<Fact>>['source'], extra: Partial<SourceSpec<Fact>> = {}) =>
  ({ source, schema: Fact, intervalMs: 60_000, ...extra }) as SourceSpec<unknown>;
/** A console that read its systems whole into the store at `file`, then closed. */
async function readAndClose(file: string, systems: Partial<Record<SyncSystem, SourceSpec<unknown>>>): Promise<void> {
  const first = createSyncEngine({ store: storeAt(file), systems, onChange: async () => {} });
  await first.restore();
  await first.refresh();
  first.close();
}
const people = (n: number): Array<[string, Fact]> => Array.from({ length: n }, (_, i) => [`p${i}`, { v: i }]);

describe('the sync engine', () => {
  it('reads whole once, then asks only for what changed, and tells the index exactly which keys', async () => {
    const ad = memorySystem<Fact>('ad', people(100));
    const changes: FactsChange[] = [];
    const engine = createSyncEngine({ store: storeAt(fresh()), systems: { ad: spec(ad.source) }, onChange: async (c) => void changes.push(c) });
    await engine.restore();
    await engine.refreshSystem('ad');
    expect(changes).toEqual([{ system: 'ad', keys: null }]);
    ad.set('p3', { v: 333 });
    ad.remove('p4');
    ad.set('new', { v: -1 });
    await engine.refreshSystem('ad');
    expect(ad.asked).toMatchObject({ full: 1, delta: 1 });
    expect([...(changes[1]?.keys ?? [])].sort()).toEqual(['new', 'p3', 'p4']);
    expect(engine.facts<Fact>('ad').get('p3')?.fact).toEqual({ v: 333 });
    expect(engine.facts('ad').has('p4')).toBe(false);
    expect(engine.facts('ad').size).toBe(100);
    const st = engine.status().find((s) => s.system === 'ad');
    expect(st).toMatchObject({ state: 'ok', method: { code: 'adDelta', params: { sweepMinutes: 30, swept: false } }, calls: { changes: 1 }, fromCache: false });
    expect(st?.lastFullAt).not.toBeNull();
    expect(st?.lastDeltaAt).not.toBeNull();
  });

  it('lets go of its facts when closed: a caller that still holds the engine does not hold every person', async () => {
    const ad = memorySystem<Fact>('ad', people(100));
    const engine = createSyncEngine({ store: null, systems: { ad: spec(ad.source) }, onChange: async () => {} });
    await engine.refreshSystem('ad');
    expect(engine.facts('ad').size).toBe(100);
    engine.close();
    expect(engine.facts('ad').size).toBe(0);
  });

  it('restores every system before one merge (AD first, the last marked as such); each refresh continues from its cursor', async () => {
    const file = fresh();
    const ad = memorySystem<Fact>('ad', people(20));
    const mitid = memorySystem<Fact>('mitid', people(30_000));
    await readAndClose(file, { ad: spec(ad.source), mitid: spec(mitid.source) });
    const seen: FactsChange[] = [];
    const second = createSyncEngine({
      store: storeAt(file),
      systems: { ad: spec(ad.source), mitid: spec(mitid.source) },
      onChange: async (c) => void seen.push(c),
    });
    const restoring = second.restore();
    // AD's refresh starts from AD's stored cursor (a delta), without a full read, once the restore is in.
    await second.refreshSystem('ad');
    expect(ad.asked).toMatchObject({ full: 1, delta: 1 });
    // The restore hands over AD, then MitID Erhverv; only the last says the index may merge now (no `more`).
    expect(seen.slice(0, 2).map((c) => [c.system, c.keys, c.more ?? false])).toEqual([['ad', null, true], ['mitid', null, false]]);
    await restoring;
    expect(second.facts('ad').size).toBe(20);
    expect(second.facts('mitid').size).toBe(30_000);
    // MitID Erhverv's own refresh also continues from its stored cursor.
    await second.refreshSystem('mitid');
    expect(mitid.asked).toMatchObject({ full: 1, delta: 1 });
    await second.idle();
    expect(seen.slice(2).every((c) => c.more === undefined)).toBe(true);
    second.close();
  });

  it('asks each system what changed while the restored facts are still being merged, and applies the answer after', async () => {
    const file = fresh();
    const ad = memorySystem<Fact>('ad', people(50));
    await readAndClose(file, { ad: spec(ad.source) });
    ad.set('p7', { v: 777 });
    let merge!: () => void;
    const merged = new Promise<void>((r) => (merge = r));
    const seen: string[] = [];
    const second = createSyncEngine({
      store: storeAt(file),
      systems: { ad: spec(ad.source) },
      // The index's merge of the restored facts, held until the test lets it finish.
      onChange: async (c) => {
        seen.push(c.keys ? `delta ${[...c.keys].join(',')}` : 'restore');
        if (!c.keys) await merged;
      },
    });
    const restoring = second.restore();
    await second.adopted();
    expect(second.status()[0]).toMatchObject({ state: 'loading', fromCache: true });
    const refreshed = second.refreshSystem('ad');
    // The delta was asked for during the merge; its answer waits for the merge.
    await new Promise((r) => setTimeout(r, 20));
    expect(ad.asked).toMatchObject({ full: 1, delta: 1 });
    expect(seen).toEqual(['restore']);
    merge();
    await Promise.all([restoring, refreshed]);
    expect(seen).toEqual(['restore', 'delta p7']);
    expect(second.facts<Fact>('ad').get('p7')?.fact).toEqual({ v: 777 });
    second.close();
  });

  it('opens from the store at once, marked as cached, and continues with a delta from the stored cursor', async () => {
    const file = fresh();
    const ad = memorySystem<Fact>('ad', people(50));
    await readAndClose(file, { ad: spec(ad.source) });
    ad.set('p1', { v: 1000 });
    const changes: FactsChange[] = [];
    const second = createSyncEngine({ store: storeAt(file), systems: { ad: spec(ad.source) }, onChange: async (c) => void changes.push(c) });
    await second.restore();
    expect(second.facts('ad').size).toBe(50);
    expect(second.status()[0]).toMatchObject({ state: 'ok', fromCache: true, method: { code: 'adFull', params: { why: 'first' } } });
    await second.refreshSystem('ad');
    expect(ad.asked).toMatchObject({ full: 1, delta: 1 });
    expect([...(changes.at(-1)?.keys ?? [])]).toEqual(['p1']);
    expect(second.status()[0]?.fromCache).toBe(false);
  });

  it('at a start asks from the stored cursor before the stored facts are in, and applies the answer on top of them', async () => {
    const file = fresh();
    const ad = memorySystem<Fact>('ad', people(3_000));
    await readAndClose(file, { ad: spec(ad.source) });
    ad.set('p1', { v: 1000 });
    const seen: { cursor: string | null; heldWhenAsked: number; heldWhenAdopted: number }[] = [];
    const watched = aroundRefresh(ad.source, async (own, cursor, known, ctx) => {
      const heldWhenAsked = known.size();
      const answer = await own(cursor, known, ctx);
      await ctx.adopted();
      seen.push({ cursor, heldWhenAsked, heldWhenAdopted: known.size() });
      return answer;
    });
    const second = createSyncEngine({ store: storeAt(file), systems: { ad: spec(watched) }, onChange: async () => {} });
    const restoring = second.restore();
    await second.refreshSystem('ad');
    await restoring;
    // One delta, asked with the stored cursor while none of the 3,000 stored facts were in yet.
    expect(ad.asked).toMatchObject({ full: 1, delta: 1 });
    expect(seen).toEqual([{ cursor: expect.any(String), heldWhenAsked: 0, heldWhenAdopted: 3_000 }]);
    expect(second.facts<Fact>('ad').get('p1')?.fact).toEqual({ v: 1000 });
    expect(second.facts('ad').size).toBe(3_000);
    second.close();
  });

  it('at a start shows each system\'s answer before the stored facts are in, holds them back for it, and ends each preview when its answer is applied', async () => {
    const file = fresh();
    const ad = memorySystem<Fact>('ad', people(2_000));
    const idp = memorySystem<Fact>('idp', people(2_000));
    await readAndClose(file, { ad: spec(ad.source), idp: spec(idp.source) });
    ad.set('p3', { v: 3000 });
    idp.remove('p9');
    const events: string[] = [];
    const second = createSyncEngine({
      store: storeAt(file),
      systems: { ad: spec(ad.source), idp: spec(idp.source) },
      onChange: async (c) => void events.push(`change ${c.system} ${c.keys ? [...c.keys].join(',') : 'all'}`),
      onPreview: (system, c) => void events.push(c ? `preview ${system} +${c.upserts.map((u) => `${u.key}=${JSON.stringify(u.fact)}`).join(',')} -${c.deletes.join(',')}` : `end ${system}`),
    });
    // As the people index starts: the restore, and at once a refresh of every system from its stored cursor.
    const restoring = second.restore();
    await second.refresh();
    await restoring;
    expect(events).toEqual([
      'preview ad +p3={"v":3000} -',
      'preview idp + -p9',
      // The stored facts, held back until both systems had answered, then the answers on top of them.
      'change ad all',
      'change idp all',
      'change ad p3',
      'end ad',
      'change idp p9',
      'end idp',
    ]);
    expect(second.facts<Fact>('ad').get('p3')?.fact).toEqual({ v: 3000 });
    // After the start, a refresh is applied as ever, with no preview.
    ad.set('p4', { v: 4000 });
    await second.refreshSystem('ad');
    expect(events.slice(8)).toEqual(['change ad p4']);
    second.close();
  });

  it('does not hold the stored facts back for an adapter that awaits them, and ends the preview of a refresh that fails', async () => {
    const file = fresh();
    const ad = memorySystem<Fact>('ad', people(50));
    const mitid = memorySystem<Fact>('mitid', people(50));
    await readAndClose(file, { ad: spec(ad.source), mitid: spec(mitid.source) });
    ad.set('p1', { v: 100 });
    const events: string[] = [];
    const awaiting = aroundRefresh(ad.source, async (own, cursor, known, ctx) => {
      await ctx.adopted();
      return own(cursor, known, ctx);
    });
    const failing = aroundRefresh(mitid.source, async (_own, _cursor, _known, ctx) => {
      ctx.preview({ upserts: [{ key: 'p2', fact: { v: 22 }, readAt: new Date(ctx.now()).toISOString() }], deletes: [] });
      await ctx.adopted();
      throw new Error('MitID Erhverv svarede ikke');
    });
    const second = createSyncEngine({
      store: storeAt(file),
      systems: { ad: spec(awaiting), mitid: spec(failing) },
      onChange: async (c) => void events.push(`change ${c.system}`),
      onPreview: (system, c) => void events.push(c ? `preview ${system}` : `end ${system}`),
    });
    const t0 = performance.now();
    const restoring = second.restore();
    await second.refresh();
    await restoring;
    // Well inside FIRST_LOOK_WAIT_MS: awaiting the facts is a look too.
    expect(performance.now() - t0).toBeLessThan(FIRST_LOOK_WAIT_MS);
    expect(events.slice(0, 3)).toEqual(['preview mitid', 'change ad', 'change mitid']);
    expect(events.slice(3).sort()).toEqual(['change ad', 'end mitid']);
    expect(second.status().find((s) => s.system === 'mitid')?.state).toBe('failed');
    // The preview is gone with the failure; what is held is the store's.
    expect(second.facts<Fact>('mitid').get('p2')?.fact).toEqual({ v: 2 });
    second.close();
  });

  it('drops an answer to a stored cursor whose facts turn out unusable, and reads the system whole instead', async () => {
    const file = fresh();
    const ad = memorySystem<Fact>('ad', people(40));
    await readAndClose(file, { ad: spec(ad.source) });
    const db = new DatabaseSync(file);
    db.prepare("UPDATE people_facts SET data = ? WHERE key = 'p7'").run(JSON.stringify({ v: 'not a number' }));
    db.close();
    ad.set('p1', { v: 1000 });
    const second = createSyncEngine({ store: storeAt(file), systems: { ad: spec(ad.source) }, onChange: async () => {} });
    const restoring = second.restore();
    await second.refreshSystem('ad');
    await restoring;
    // The delta (asked from the stored cursor) is not applied to nothing: a full read follows and is kept.
    expect(ad.asked).toMatchObject({ full: 2, delta: 1 });
    expect(second.facts('ad').size).toBe(40);
    expect(second.facts<Fact>('ad').get('p7')?.fact).toEqual({ v: 7 });
    expect(second.status()[0]).toMatchObject({ state: 'ok', method: { code: 'adFull' } });
    second.close();
  });

  it('cancels a refresh: nothing applied, the facts held stay, the status says it was cancelled', async () => {
    const ad = memorySystem<Fact>('ad', people(10));
    const engine = createSyncEngine({ store: null, systems: { ad: spec(ad.source) }, onChange: async () => {} });
    await engine.refreshSystem('ad');
    ad.set('p0', { v: 99 });
    ad.hold();
    const run = engine.refreshSystem('ad');
    await new Promise((r) => setTimeout(r, 10));
    expect(engine.status()[0]).toMatchObject({ state: 'loading', progress: { phase: { code: 'starting', params: {} } } });
    expect(engine.cancel()).toBe(true);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(engine.status()[0]).toMatchObject({ state: 'ok', message: 'Indlæsningen blev afbrudt.', progress: null });
    // Beside main's Danish words, the same by key for the renderer to word (#18).
    expect(engine.status()[0]?.error).toMatchObject({ code: 'cancelled', key: 'loadCancelled' });
    expect(engine.facts<Fact>('ad').get('p0')?.fact).toEqual({ v: 0 });
    expect(engine.cancel()).toBe(false);
  });

  it('runs a system after the ones it depends on; a failing system does not hold up the others', async () => {
    const ad = memorySystem<Fact>('ad', people(5));
    const idp = memorySystem<Fact>('idp', people(5));
    const mitid = memorySystem<Fact>('mitid', people(5));
    mitid.failWith = new Error('MitID Erhverv svarede ikke.');
    const order: string[] = [];
    const gate = ad.hold();
    const engine = createSyncEngine({
      store: null,
      systems: { ad: spec(ad.source), idp: spec(idp.source, { after: ['ad'] }), mitid: spec(mitid.source) },
      onChange: async (c) => void order.push(c.system),
    });
    const all = engine.refresh();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    gate.release();
    await all;
    expect(order).toEqual(['ad', 'idp']);
    expect(engine.status().map((s) => s.state)).toEqual(['ok', 'failed', 'ok']);
    expect(engine.status()[1]?.message).toBe('MitID Erhverv svarede ikke.');
    expect(engine.status()[1]?.error).toEqual({ code: 'internal', message: 'MitID Erhverv svarede ikke.' });
    expect(engine.status()[0]?.error ?? null).toBeNull();
  });

  it('refreshes only what is stale, and readNow touches only the keys it read', async () => {
    let now = Date.parse('2026-12-01T08:00:00Z');
    const ad = memorySystem<Fact>('ad', people(5));
    const mitid = memorySystem<Fact>('mitid', people(5));
    const changes: FactsChange[] = [];
    const engine = createSyncEngine({
      store: null,
      systems: { ad: spec(ad.source, { intervalMs: 60_000 }), mitid: spec(mitid.source, { intervalMs: 600_000 }) },
      onChange: async (c) => void changes.push(c),
      now: () => now,
    });
    await engine.refresh();
    now += 120_000;
    engine.refreshStale();
    await engine.idle();
    expect([ad.asked.delta, mitid.asked.delta]).toEqual([1, 0]);
    mitid.set('p2', { v: 22 });
    await engine.readNow('mitid', ['p2']);
    expect(mitid.asked.readNow).toEqual(['p2']);
    expect([...(changes.at(-1)?.keys ?? [])]).toEqual(['p2']);
    expect(engine.facts<Fact>('mitid').get('p2')).toEqual({ fact: { v: 22 }, readAt: new Date(now).toISOString() });
  });
});
