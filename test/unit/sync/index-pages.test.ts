import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PeopleQuery } from '../../../shared/domain/people.ts';
import type { IdpPerson } from '../../../shared/idp/people.ts';
import type { MitIdFacts } from '../../../src-main/services/people/index/merge.ts';
import type { AdFact } from '../../../src-main/services/people/sync/ad-source.ts';
import { openPeopleStore } from '../../../src-main/store/people-store.ts';
import { indexOver, trainingPeople } from './index-support.ts';
import { memorySystem } from './memory-system.ts';

// A start answers the list's first page as the console last closed on it, while the facts load and merge
// (the warm start's "first rows"); the page belongs to its view and scope, and the index takes over.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const session = {} as never;
const first = { offset: 0, limit: 50 };

describe('the first page at a start', () => {
  it('is the last run\'s for the same view and scope, marked loading, until the merge; then the index answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lia-pages-'));
    dirs.push(dir);
    const file = join(dir, 'people.sqlite');
    const people = await trainingPeople(600);
    const ad = memorySystem<AdFact>('ad', people.map((p) => [p.id, p]));
    const mitid = memorySystem<MitIdFacts>('mitid');
    const idp = memorySystem<IdpPerson>('idp');
    const ou = /,(OU=.+)$/.exec((people[0] as { dn: string }).dn)?.[1] as string;
    const scoped = [ou];
    const q = PeopleQuery.parse({});

    let store = openPeopleStore(file, 'env');
    let index = indexOver(ad, mitid, idp, store);
    await index.ensure(session);
    await index.idle();
    const everyone = await index.page(session, q, first, null);
    const inOu = await index.page(session, q, first, scoped);
    expect(inOu.indexed).toBeLessThan(everyone.indexed);
    // Changed after the page was answered: the page kept at close is the index as it closed.
    const renamed = people.find((p) => p.id === everyone.rows[0]?.id) as (typeof people)[number];
    ad.set(renamed.id, { ...renamed, displayName: 'Aaberg Først' });
    await index.refresh(session);
    await index.idle();
    const closing = await index.page(session, q, first, null);
    index.close();
    await store.close();

    // A new start: before the facts are merged, each view's page is the one it closed on.
    ad.set(renamed.id, { ...renamed, displayName: 'Zeuthen Sidst' });
    store = openPeopleStore(file, 'env');
    index = indexOver(ad, mitid, idp, store);
    const warm = await index.page(session, q, first, null);
    expect(warm.rows).toEqual(closing.rows);
    expect(warm.version).toBe(0);
    expect(warm.sources.some((s) => s.state === 'loading')).toBe(true);
    const warmInOu = await index.page(session, q, first, scoped);
    expect(warmInOu.rows.map((r) => r.id)).toEqual(inOu.rows.map((r) => r.id));
    expect(warmInOu.indexed).toBe(inOu.indexed);
    // A scope, a search or a later page never answered before waits for the index.
    const other = await index.page(session, q, first, ['OU=Ingen,DC=fjordby,DC=test']);
    expect(other.version).toBeGreaterThan(0);
    expect(other.indexed).toBe(0);
    await index.idle();
    const now = await index.page(session, q, first, null);
    expect(now.version).toBeGreaterThan(0);
    expect(now.sources.every((s) => s.state !== 'loading')).toBe(true);
    expect(now.rows.some((r) => r.displayName === 'Aaberg Først')).toBe(false);
    expect((await index.page(session, PeopleQuery.parse({ text: 'Zeuthen Sidst' }), first, null)).total).toBe(1);
    index.close();
    await store.close();
  });
});

describe('a closed index', () => {
  it('lets go of its rows, so a reference left behind does not keep them beside the next index', async () => {
    const people = await trainingPeople(200);
    const index = indexOver(memorySystem<AdFact>('ad', people.map((p) => [p.id, p])), memorySystem<MitIdFacts>('mitid'), memorySystem<IdpPerson>('idp'));
    await index.refresh(session);
    await index.idle();
    expect(index.query(PeopleQuery.parse({})).rows.length).toBeGreaterThan(0);
    index.close();
    expect(index.query(PeopleQuery.parse({})).rows).toEqual([]);
    expect(index.engine.facts('ad').size).toBe(0);
  });
});
