import type { DatabaseSync } from 'node:sqlite';
import type { PersonSummary } from '../../shared/domain/person.ts';
import { inTransaction } from './sqlite.ts';

/** What a directory must offer for the cache's delta sync (the AD adapter's sessions do). */
export interface DeltaSource {
  readSyncPoint(): Promise<{ dsa: string; usn: number }>;
  loadAllPeople(): Promise<PersonSummary[]>;
  loadPeopleChangedSince(usn: number): Promise<PersonSummary[]>;
  listAllIds(): Promise<string[]>;
}

export interface SyncResult {
  mode: 'full' | 'delta';
  changed: number;
  deleted: number;
  total: number;
  ms: number;
}

/**
 * The directory as last seen, in node:sqlite, so the people list opens at once on the next start. Kept
 * fresh by a delta on uSNChanged (changes and moves) plus the list of ids still there (deletions);
 * a full load only the first time, or when the cache last talked to another DC (USNs are per DC).
 */
export function openDirectoryCache(db: DatabaseSync) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS dir_people (id TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS dir_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `);
  const upsert = db.prepare('INSERT INTO dir_people (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data');
  const remove = db.prepare('DELETE FROM dir_people WHERE id = ?');
  const getMeta = db.prepare('SELECT value FROM dir_meta WHERE key = ?');
  const setMeta = db.prepare('INSERT INTO dir_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const meta = (k: string) => (getMeta.get(k) as { value: string } | undefined)?.value ?? null;
  const count = () => Number((db.prepare('SELECT count(*) AS n FROM dir_people').get() as { n: number }).n);

  const tx = <T>(fn: () => T): T => inTransaction(db, fn);

  return {
    /** Everything cached, in one read: what the list shows before AD has answered. */
    all(): PersonSummary[] {
      return (db.prepare('SELECT data FROM dir_people').all() as Array<{ data: string }>).map((r) => JSON.parse(r.data) as PersonSummary);
    },
    count,
    syncedAt(): string | null {
      return meta('syncedAt');
    },
    async sync(source: DeltaSource): Promise<SyncResult> {
      const t0 = performance.now();
      // Read the counter first: anything that changes while we load is picked up by the next delta.
      const point = await source.readSyncPoint();
      const lastUsn = meta('usn');
      const sameDc = meta('dsa') === point.dsa && lastUsn !== null;
      if (!sameDc) {
        const people = await source.loadAllPeople();
        tx(() => {
          db.exec('DELETE FROM dir_people');
          for (const p of people) upsert.run(p.id, JSON.stringify(p));
          setMeta.run('dsa', point.dsa);
          setMeta.run('usn', String(point.usn));
          setMeta.run('syncedAt', new Date().toISOString());
        });
        return { mode: 'full', changed: people.length, deleted: 0, total: count(), ms: performance.now() - t0 };
      }
      const since = Number(lastUsn);
      const [changed, ids] = await Promise.all([source.loadPeopleChangedSince(since), source.listAllIds()]);
      const present = new Set(ids);
      const deleted = (db.prepare('SELECT id FROM dir_people').all() as Array<{ id: string }>).map((r) => r.id).filter((id) => !present.has(id));
      tx(() => {
        for (const p of changed) upsert.run(p.id, JSON.stringify(p));
        for (const id of deleted) remove.run(id);
        setMeta.run('usn', String(point.usn));
        setMeta.run('syncedAt', new Date().toISOString());
      });
      return { mode: 'delta', changed: changed.length, deleted: deleted.length, total: count(), ms: performance.now() - t0 };
    },
  };
}

export type DirectoryCache = ReturnType<typeof openDirectoryCache>;
