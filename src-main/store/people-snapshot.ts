import { inTransaction, migrate, openDatabase } from './sqlite.ts';

/** One source's facts as last read completely, and when. */
export interface SnapshotPart<T> {
  savedAt: string;
  loadedAt: string;
  data: T;
}

/**
 * The people list as last seen, in node:sqlite, so the list opens at once on the next start and is then
 * refreshed in the background. One row per source holds that source's facts as one JSON document:
 * written only after a complete read (never a half-read source), read in one go at start. The key names
 * the connected systems: a snapshot of another AD or another MitID Erhverv account is never shown.
 */
/**
 * Bumped whenever what a part holds changes shape: a snapshot written by another version is simply not
 * found (a slower start), never misread. (The readers zod-parse what they get as well.)
 */
const FORMAT = 2;

export function openPeopleSnapshot(file: string, systemsKey: string) {
  const key = `${FORMAT}:${systemsKey}`;
  const db = openDatabase(file);
  // A cache: losing it only costs a slower start, so a damaged file is not the console's problem.
  db.exec('PRAGMA synchronous = NORMAL');
  migrate(db, 'people-snapshot', [
    (d) =>
      d.exec(`CREATE TABLE IF NOT EXISTS people_snapshot (
        source TEXT PRIMARY KEY, key TEXT NOT NULL, saved_at TEXT NOT NULL, loaded_at TEXT NOT NULL, data TEXT NOT NULL
      )`),
  ]);
  const put = db.prepare(
    'INSERT INTO people_snapshot (source, key, saved_at, loaded_at, data) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT(source) DO UPDATE SET key = excluded.key, saved_at = excluded.saved_at, loaded_at = excluded.loaded_at, data = excluded.data',
  );
  const get = db.prepare('SELECT saved_at, loaded_at, data FROM people_snapshot WHERE source = ? AND key = ?');
  let open = true;
  return {
    save(parts: Record<string, { loadedAt: string; data: unknown }>): void {
      if (!open) return;
      const savedAt = new Date().toISOString();
      const rows = Object.entries(parts).map(([source, p]) => [source, JSON.stringify(p.data), p.loadedAt] as const);
      inTransaction(db, () => {
        for (const [source, json, loadedAt] of rows) put.run(source, key, savedAt, loadedAt, json);
      });
    },
    /** The part as stored; its reader parses it with its schema (the file is untrusted input). */
    load(source: string): SnapshotPart<unknown> | null {
      if (!open) return null;
      const r = get.get(source, key) as { saved_at: string; loaded_at: string; data: string } | undefined;
      if (!r) return null;
      try {
        return { savedAt: r.saved_at, loadedAt: r.loaded_at, data: JSON.parse(r.data) as unknown };
      } catch {
        // A damaged snapshot is only a slower start: the sources are read again.
        return null;
      }
    },
    close(): void {
      if (open) db.close();
      open = false;
    },
  };
}

export type PeopleSnapshot = ReturnType<typeof openPeopleSnapshot>;
