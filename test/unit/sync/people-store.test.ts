import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { linkText, openPeopleStore, type PeopleStore } from '../../../src-main/store/people-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'lia-people-store-'));
  dirs.push(d);
  return join(d, 'people.sqlite');
};
/** Opens the store, reads what `read` asks, and closes it (its files must be free before the folder goes). */
async function readOnce<T>(file: string, env: string, read: (s: PeopleStore) => T | Promise<T>): Promise<T> {
  const s = openPeopleStore(file, env);
  try {
    return await read(s);
  } finally {
    await s.close();
  }
}
const Fact = z.object({ name: z.string(), n: z.number() }).strict();
const at = '2026-12-01T10:00:00.000Z';
const delta = { code: 'adDelta' as const, params: { sweepMinutes: 30, swept: true } };
const full = (n: number, cursor = 'c1') => ({
  mode: 'full' as const,
  upserts: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, fact: { name: `navn ${i}`, n: i }, readAt: at })),
  deletes: [],
  cursor,
  calls: { search: 1 },
  method: { code: 'adFull' as const, params: { why: 'first' as const } },
});

describe('the people facts store', () => {
  it('keeps each fact with when it was read, and the cursor with the facts it goes with', async () => {
    const file = fresh();
    const s = openPeopleStore(file, 'env-a');
    await s.apply('ad', full(2500), '2026-12-01T10:00:05.000Z');
    await s.apply('ad', { mode: 'delta', upserts: [{ key: 'k1', fact: { name: 'ny', n: 1 }, readAt: '2026-12-01T11:00:00.000Z' }], deletes: ['k2'], cursor: 'c2', calls: { delta: 1 }, method: delta }, '2026-12-01T11:00:01.000Z');
    await s.close();
    const again = openPeopleStore(file, 'env-a');
    const loaded = await again.load('ad', Fact);
    expect(loaded?.facts.size).toBe(2499);
    expect(loaded?.facts.get('k1')).toEqual({ fact: { name: 'ny', n: 1 }, readAt: '2026-12-01T11:00:00.000Z' });
    expect(loaded?.facts.get('k0')?.readAt).toBe(at);
    expect(loaded?.facts.has('k2')).toBe(false);
    expect(loaded?.sync).toEqual({ cursor: 'c2', method: delta, lastFullAt: '2026-12-01T10:00:05.000Z', lastDeltaAt: '2026-12-01T11:00:01.000Z', calls: { delta: 1 } });
    // Another system's facts are apart.
    expect(await again.load('mitid', Fact)).toBeNull();
    await again.close();
  });

  it('replaces a system whole on a full read: keys it did not return are gone', async () => {
    const s = openPeopleStore(fresh(), 'env');
    await s.apply('mitid', full(2500), at);
    await s.apply('mitid', { ...full(1200), upserts: full(1200).upserts.map((u) => ({ ...u, fact: { ...u.fact, name: 'igen' } })) }, at);
    const loaded = await s.load('mitid', Fact);
    expect(loaded?.facts.size).toBe(1200);
    expect(loaded?.facts.get('k1199')?.fact.name).toBe('igen');
    expect(loaded?.facts.has('k1200')).toBe(false);
    await s.close();
  });

  it('gives the facts back in the order of their sort key (the list restores nearly sorted)', async () => {
    const s = openPeopleStore(fresh(), 'env');
    const names = ['Øse', 'Anna', 'Ærling', 'Bo', 'Åge', 'Zara'];
    await s.apply('ad', { ...full(0), upserts: names.map((name, i) => ({ key: `k${i}`, fact: { name, n: i }, readAt: at })) }, at, {
      sortKey: (f: { name: string }) => f.name.toLowerCase().replace('æ', '{0').replace('ø', '{1').replace('å', '{2'),
    });
    const loaded = await s.load('ad', Fact);
    expect([...(loaded?.facts.values() ?? [])].map((x) => x.fact.name)).toEqual(['Anna', 'Bo', 'Zara', 'Ærling', 'Øse', 'Åge']);
    await s.close();
  });

  it('never shows one environment the facts of another, and a full read of one clears the other', async () => {
    const file = fresh();
    const a = openPeopleStore(file, 'env-a');
    await a.apply('ad', full(3), at);
    await a.close();
    const b = openPeopleStore(file, 'env-b');
    expect(await b.load('ad', Fact)).toBeNull();
    await b.apply('ad', full(1, 'cb'), at);
    expect((await b.load('ad', Fact))?.facts.size).toBe(1);
    await b.close();
    expect(await readOnce(file, 'env-a', (s) => s.load('ad', Fact))).toBeNull();
  });

  it('treats one row that does not parse as nothing stored (its cursor would claim facts that are not there)', async () => {
    const file = fresh();
    const s = openPeopleStore(file, 'env');
    await s.apply('idp', full(10), at);
    await s.close();
    const db = new DatabaseSync(file);
    db.prepare("UPDATE people_facts SET data = ? WHERE key = 'k7'").run(JSON.stringify({ name: 'x', n: 'not a number' }));
    db.close();
    expect(await readOnce(file, 'env', (s) => s.load('idp', Fact))).toBeNull();
    const db2 = new DatabaseSync(file);
    db2.prepare("UPDATE people_facts SET data = '{not json' WHERE key = 'k7'").run();
    db2.close();
    expect(await readOnce(file, 'env', (s) => s.load('idp', Fact))).toBeNull();
  });

  it('has closed both its connections once close() resolves: the folder may go at once', async () => {
    const file = fresh();
    const s = openPeopleStore(file, 'env');
    await s.apply('ad', full(2_000), at);
    expect(existsSync(`${file}-wal`)).toBe(true);
    await s.close();
    // A page answered meanwhile by an index being replaced is simply not kept.
    expect(() => s.savePage('late', { rows: [] })).not.toThrow();
    // SQLite removes the log when the last connection (here the checkpointing worker's) closes.
    expect(existsSync(`${file}-wal`)).toBe(false);
    rmSync(dirname(file), { recursive: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(dirname(file))).toBe(false);
  });

  it('writes a refresh whole or not at all: a failure half-way keeps the previous facts and cursor', async () => {
    const file = fresh();
    const s = openPeopleStore(file, 'env');
    await s.apply('ad', full(3000, 'first'), at);
    const bad = full(3000, 'second');
    // A fact that cannot be serialised (a BigInt) two thirds in: the slices before it were written.
    (bad.upserts[2000] as { fact: unknown }).fact = { name: 'x', n: 10n };
    await expect(s.apply('ad', bad, at)).rejects.toThrow();
    const loaded = await s.load('ad', Fact);
    expect(loaded?.sync.cursor).toBe('first');
    expect(loaded?.facts.size).toBe(3000);
    await s.close();
  });

  it('gives a start its first look without loading the facts: the last refresh\'s text, facts by key, the unordered ones, and the saved links', async () => {
    const file = fresh();
    const s = openPeopleStore(file, 'env-a');
    const sortKey = (f: { name: string }) => (f.name === 'navn 0' ? null : f.name);
    await s.apply('mitid', { ...full(30), firstLook: 'første' }, at, { sortKey });
    // An answer without a first look (a readNow, a paused refresh) keeps the one held.
    await s.apply('mitid', { ...full(0), mode: 'delta', upserts: [{ key: 'k5', fact: { name: 'navn 5', n: 5 }, readAt: at }], cursor: 'c2' }, at, { sortKey });
    // Another environment's links go with the first save in this one.
    const other = openPeopleStore(file, 'env-b');
    await other.saveLinks(new Map([['x', { uuid: 'u-x', idpKey: 'fjordby\\x' }]]));
    await other.close();
    expect(s.hasLinks()).toBe(false);
    await s.saveLinks(new Map([
      ['person-1', { uuid: 'u-1', idpKey: 'fjordby\\a' }],
      ['person-2', { uuid: null, idpKey: 'fjordby\\b' }],
      ['person-3', { uuid: 'u-3', idpKey: 'fjordby\\c' }],
    ]));
    await s.saveLinks(new Map([['person-3', null], ['person-2', { uuid: 'u-2', idpKey: 'fjordby\\b' }]]));
    await s.close();

    const again = openPeopleStore(file, 'env-a');
    expect(again.firstLook('mitid')).toBe('første');
    expect(again.firstLook('ad')).toBeNull();
    expect(await readOnce(file, 'env-b', (s) => s.firstLook('mitid'))).toBeNull();
    expect([...again.factsOf('mitid', ['k3', 'k9', 'absent'], Fact)]).toEqual([
      ['k3', { fact: { name: 'navn 3', n: 3 }, readAt: at }],
      ['k9', { fact: { name: 'navn 9', n: 9 }, readAt: at }],
    ]);
    // Parsed on the way out: a fact of another shape is not handed over.
    expect(again.factsOf('mitid', ['k3'], z.object({ other: z.string() })).size).toBe(0);
    expect([...again.unordered('mitid', Fact).keys()]).toEqual(['k0']);
    expect(again.hasLinks()).toBe(true);
    expect(again.links()).toEqual(new Map([
      ['person-1', linkText({ uuid: 'u-1', idpKey: 'fjordby\\a' })],
      ['person-2', linkText({ uuid: 'u-2', idpKey: 'fjordby\\b' })],
    ]));
    expect(again.linkOf('person-2')).toEqual({ uuid: 'u-2', idpKey: 'fjordby\\b' });
    expect(again.linkOf('person-3')).toBeNull();
    expect(again.personOf('uuid', 'u-1')).toBe('person-1');
    expect(again.personOf('idpKey', 'fjordby\\b')).toBe('person-2');
    expect(again.personOf('uuid', 'u-3')).toBeNull();
    expect(again.personOf('uuid', 'u-x')).toBeNull();
    await again.close();
  });

  it('replaces the old snapshot table in the same file', async () => {
    const file = fresh();
    const db = new DatabaseSync(file);
    db.exec("CREATE TABLE schema_versions (store TEXT PRIMARY KEY, version INTEGER NOT NULL); INSERT INTO schema_versions VALUES ('people-snapshot', 1); CREATE TABLE people_snapshot (source TEXT PRIMARY KEY, data TEXT)");
    db.close();
    await openPeopleStore(file, 'env').close();
    const check = new DatabaseSync(file);
    const tables = (check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).not.toContain('people_snapshot');
    expect(tables).toEqual(expect.arrayContaining(['people_facts', 'people_sync', 'people_pages', 'people_links']));
    expect(check.prepare('SELECT store, version FROM schema_versions').all()).toEqual([{ store: 'people-store', version: 5 }]);
    check.close();
  });

  it('reads an earlier version\'s Danish method as the legacy code (migration 4), and an unreadable one the same, facts and cursor kept', async () => {
    const file = fresh();
    const s = openPeopleStore(file, 'env');
    await s.apply('ad', full(5, 'c-old'), at);
    await s.close();
    // The file as version 3 left it: the method a Danish sentence.
    const db = new DatabaseSync(file);
    db.exec("UPDATE people_sync SET method = 'uSNChanged-delta; sletninger: objectGUID-gennemgang hvert 30. minut (kørt nu)'; UPDATE schema_versions SET version = 3 WHERE store = 'people-store'");
    db.close();
    const upgraded = openPeopleStore(file, 'env');
    const loaded = await upgraded.load('ad', Fact);
    expect(loaded?.sync).toMatchObject({ cursor: 'c-old', method: { code: 'legacy', params: {} } });
    expect(loaded?.facts.size).toBe(5);
    await upgraded.close();
    const check = new DatabaseSync(file);
    expect(check.prepare("SELECT method FROM people_sync").all()).toEqual([{ method: JSON.stringify({ code: 'legacy', params: {} }) }]);
    // Written after the migration by hand, or by a newer code this version does not know: still no crash.
    check.prepare("UPDATE people_sync SET method = ?").run(JSON.stringify({ code: 'dirSync', params: {} }));
    check.close();
    const later = openPeopleStore(file, 'env');
    expect(later.record('ad')).toMatchObject({ cursor: 'c-old', method: { code: 'legacy', params: {} } });
    expect((await later.load('ad', Fact))?.facts.size).toBe(5);
    await later.close();
  });

  it('keeps the method by code and values: written and read back as it was', async () => {
    const file = fresh();
    const s = openPeopleStore(file, 'env');
    const method = { code: 'mitidRead' as const, params: { searched: 12, changed: 2, revalidated: 4, stopped: true, waiting: 3, failed: 1, budget: { rate: 15, limit: 30, waitSeconds: 120 } } };
    await s.apply('mitid', { ...full(1), method }, at);
    await s.close();
    const again = openPeopleStore(file, 'env');
    expect(again.record('mitid')?.method).toEqual(method);
    await again.close();
  });

  it('keeps a list page per key for the next start: read back by its schema, only in its environment, the newest 20', async () => {
    const file = fresh();
    const Page = z.object({ rows: z.array(z.string()) }).strict();
    const s = openPeopleStore(file, 'env-a');
    for (let i = 0; i < 25; i++) s.savePage(`view ${i}`, { rows: [`række ${i}`] });
    s.savePage('view 24', { rows: ['nyeste'] });
    await s.close();
    const again = openPeopleStore(file, 'env-a');
    expect(again.page('view 24', Page)).toEqual({ rows: ['nyeste'] });
    expect(again.page('view 5', Page)).toEqual({ rows: ['række 5'] });
    // The oldest five are gone; a page of another shape is not trusted.
    expect(again.page('view 4', Page)).toBeNull();
    expect(again.page('view 5', z.object({ rows: z.array(z.number()) }))).toBeNull();
    await again.close();
    // Another environment (other systems) never sees these pages, and keeping its own drops them.
    const other = openPeopleStore(file, 'env-b');
    expect(other.page('view 24', Page)).toBeNull();
    other.savePage('view 1', { rows: ['b'] });
    await other.close();
    const db = new DatabaseSync(file);
    db.prepare("UPDATE people_pages SET data = '{not json' WHERE key = 'view 1'").run();
    db.close();
    const b = openPeopleStore(file, 'env-b');
    expect(b.page('view 1', Page)).toBeNull();
    await b.close();
    const a = openPeopleStore(file, 'env-a');
    expect(a.page('view 24', Page)).toBeNull();
    await a.close();
  });
});
