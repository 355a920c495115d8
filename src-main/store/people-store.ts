// The people facts store: what each system (AD, MitID Erhverv, the IdP) said about each person, with when
// it was read, plus each system's sync cursor. The sync engine writes one applied refresh per transaction,
// so the facts and the cursor that produced them are always stored together: a crash half-way keeps the
// previous refresh whole, never a cursor that points past facts that were not written. It replaces the old
// whole-list snapshot and the directory cache: one mechanism for warm start and delta sync.
//
// Big reads and writes are done in slices that yield to the event loop, so a full write of 100,000 facts
// never stops the main process from answering (the transaction stays open across the slices; one queue
// makes sure only one slice-wise operation uses the connection at a time).
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { z } from 'zod';
import { SyncMethod, type SourceChanges, type Stamped, type SyncSystem } from '../../shared/domain/sync.ts';
import { migrate, openDatabase } from './sqlite.ts';
import { runInBackground } from '../background.ts';

/**
 * Bumped whenever what a fact holds changes shape: facts written by another version are then simply not
 * found (a full read), never misread. (Every row is zod-parsed on the way back in as well.)
 */
const FORMAT = 3;
/** Rows per slice: a few milliseconds of work each at 100,000 people. */
const SLICE = 1_000;

/** How a system was last synced, as stored with its facts. */
export const SyncRecord = z.object({
  cursor: z.string().nullable(),
  method: SyncMethod.nullable(),
  lastFullAt: z.string().nullable(),
  lastDeltaAt: z.string().nullable(),
  calls: z.record(z.string(), z.number()),
});
export type SyncRecord = z.infer<typeof SyncRecord>;

export interface LoadedSystem<F> {
  facts: Map<string, Stamped<F>>;
  sync: SyncRecord;
}

export interface PeopleStore {
  /**
   * A system's facts and cursor as last applied, each row parsed by `schema`; null when nothing (usable) is
   * stored. One row that does not parse makes the whole system unusable: its cursor would claim facts that
   * are not there, so the engine reads the system whole again.
   */
  load<F>(system: SyncSystem, schema: z.ZodType<F>, signal?: AbortSignal): Promise<LoadedSystem<F> | null>;
  /**
   * One refresh's changes and the cursor that goes with them, in one transaction. `onlyFacts`: keys re-read
   * outside a refresh (readNow) — the facts change, the sync record (cursor, when, how) stays.
   */
  apply<F>(system: SyncSystem, changes: SourceChanges<F>, at: string, opts?: ApplyOptions<F>): Promise<void>;
  /** The stored sync record of a system (no facts). */
  record(system: SyncSystem): SyncRecord | null;
  /** A list page as last answered under `key` (a view and a scope), parsed by `schema`; null when none fits. */
  page<T>(key: string, schema: z.ZodType<T>): T | null;
  /** Keep a list page for the next start (the newest few only); written behind the caller. */
  savePage(key: string, page: unknown): void;
  close(): void;
}

/** List pages kept per environment: an operator's few views, not a history. */
const PAGES_KEPT = 20;

export interface ApplyOptions<F> {
  /** Keys re-read outside a refresh (readNow): the facts change, the sync record (cursor, when, how) stays. */
  onlyFacts?: boolean;
  /** Each fact's place in the order `load` returns them (e.g. a name key), so a start need not sort them. */
  sortKey?: (fact: F) => string | null;
}

/** What an earlier version stored as the method (a Danish sentence), and anything else that does not parse. */
const LEGACY_METHOD: SyncMethod = { code: 'legacy', params: {} };

/** The method column as stored (JSON of a SyncMethod): a sentence from before codes reads as legacy, never as a failure. */
function storedMethod(text: string | null): SyncMethod | null {
  if (text === null) return null;
  try {
    const r = SyncMethod.safeParse(JSON.parse(text));
    return r.success ? r.data : LEGACY_METHOD;
  } catch {
    return LEGACY_METHOD;
  }
}

const RecordRow = z.object({ cursor: z.string().nullable(), method: z.string().nullable(), last_full_at: z.string().nullable(), last_delta_at: z.string().nullable(), calls: z.string() });

/**
 * Opens the store in `file`. `systemsKey` names exactly the systems the facts come from (the environment's
 * cache key): facts of another AD or another MitID Erhverv account are never read back.
 */
export function openPeopleStore(file: string, systemsKey: string): PeopleStore {
  const env = `${FORMAT}:${systemsKey}`;
  const db = openDatabase(file);
  // A cache: losing the last transaction in a power cut only costs a delta (or a full read).
  db.exec('PRAGMA synchronous = NORMAL');
  migrate(db, 'people-store', [
    (d) => {
      // The snapshot this store replaces kept its tables in the same file.
      d.exec(`DROP TABLE IF EXISTS people_snapshot; DELETE FROM schema_versions WHERE store = 'people-snapshot';
        CREATE TABLE IF NOT EXISTS people_facts (
          env TEXT NOT NULL, system TEXT NOT NULL, key TEXT NOT NULL, read_at TEXT NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (env, system, key)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS people_sync (
          env TEXT NOT NULL, system TEXT NOT NULL, cursor TEXT, method TEXT, last_full_at TEXT, last_delta_at TEXT, calls TEXT NOT NULL,
          PRIMARY KEY (env, system)
        )`);
    },
    (d) => {
      // Facts clustered in the order the list shows them (sort_key leads the primary key), so a start reads
      // them in name order with a plain scan. A cache: the old rows go, and with them every cursor (a cursor
      // must never outlive its facts); the next refresh reads whole.
      d.exec(`DROP TABLE people_facts; DELETE FROM people_sync;
        CREATE TABLE people_facts (
          env TEXT NOT NULL, system TEXT NOT NULL, sort_key TEXT NOT NULL, key TEXT NOT NULL, read_at TEXT NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (env, system, sort_key, key), UNIQUE (env, system, key)
        ) WITHOUT ROWID`);
    },
    (d) => {
      // The first page of a list view as last answered: a start shows it while the facts load and merge.
      d.exec(`CREATE TABLE people_pages (
          env TEXT NOT NULL, key TEXT NOT NULL, saved_at INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (env, key)
        ) WITHOUT ROWID`);
    },
    (d) => {
      // The method is stored by code (JSON of a SyncMethod) for the renderer to word in either language;
      // an earlier version's Danish sentence becomes the legacy code (the next refresh replaces it).
      d.prepare('UPDATE people_sync SET method = ? WHERE method IS NOT NULL').run(JSON.stringify(LEGACY_METHOD));
    },
  ]);
  const getPage = db.prepare('SELECT data FROM people_pages WHERE env = ? AND key = ?');
  const putPage = db.prepare('INSERT INTO people_pages (env, key, saved_at, data) VALUES (?, ?, ?, ?) ON CONFLICT(env, key) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data');
  const prunePages = db.prepare('DELETE FROM people_pages WHERE env <> ? OR key NOT IN (SELECT key FROM people_pages WHERE env = ? ORDER BY saved_at DESC LIMIT ?)');
  const put = db.prepare(
    'INSERT INTO people_facts (env, system, key, read_at, data, sort_key) VALUES (?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT(env, system, key) DO UPDATE SET read_at = excluded.read_at, data = excluded.data, sort_key = excluded.sort_key',
  );
  const del = db.prepare('DELETE FROM people_facts WHERE env = ? AND system = ? AND key = ?');
  const keysOf = db.prepare('SELECT key FROM people_facts WHERE env = ? AND system = ?');
  // Another environment's facts of the system go in batches (a DELETE of 100,000 rows at once stalls).
  const clearOthers = db.prepare('DELETE FROM people_facts WHERE (env, system, key) IN (SELECT env, system, key FROM people_facts WHERE system = ? AND env <> ? LIMIT 1000)');
  const clearOtherSync = db.prepare('DELETE FROM people_sync WHERE system = ? AND env <> ?');
  const all = db.prepare('SELECT key, read_at, data FROM people_facts WHERE env = ? AND system = ? ORDER BY sort_key, key');
  // Rows as arrays: no object per row (100,000 at a start; a third less time reading them).
  all.setReturnArrays(true);
  const getSync = db.prepare('SELECT cursor, method, last_full_at, last_delta_at, calls FROM people_sync WHERE env = ? AND system = ?');
  const putSync = db.prepare(
    'INSERT INTO people_sync (env, system, cursor, method, last_full_at, last_delta_at, calls) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT(env, system) DO UPDATE SET cursor = excluded.cursor, method = excluded.method, last_full_at = excluded.last_full_at, ' +
      'last_delta_at = excluded.last_delta_at, calls = excluded.calls',
  );

  let open = true;
  // One slice-wise operation at a time on this connection (an open write transaction spans slices).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  /** Between slices: let the loop run; a store closed meanwhile rolls the transaction back. */
  async function slice(): Promise<void> {
    await yieldToLoop();
    if (!open) throw new Error('Lageret blev lukket under skrivningen.');
  }

  function record(system: SyncSystem): SyncRecord | null {
    if (!open) return null;
    const raw = getSync.get(env, system);
    if (!raw) return null;
    const r = RecordRow.safeParse(raw);
    if (!r.success) return null;
    let calls: unknown;
    try {
      calls = JSON.parse(r.data.calls);
    } catch {
      return null;
    }
    const parsed = SyncRecord.safeParse({ cursor: r.data.cursor, method: storedMethod(r.data.method), lastFullAt: r.data.last_full_at, lastDeltaAt: r.data.last_delta_at, calls });
    return parsed.success ? parsed.data : null;
  }

  let pageClock = 0;
  return {
    record,

    page<T>(key: string, schema: z.ZodType<T>): T | null {
      if (!open) return null;
      const raw = (getPage.get(env, key) as { data?: unknown } | undefined)?.data;
      if (typeof raw !== 'string') return null;
      try {
        const r = schema.safeParse(JSON.parse(raw));
        return r.success ? r.data : null;
      } catch {
        return null;
      }
    },

    savePage(key, page) {
      const data = JSON.stringify(page);
      const saved_at = Math.max(Date.now(), ++pageClock);
      pageClock = saved_at;
      const write = () => {
        if (!open) return;
        try {
          putPage.run(env, key, saved_at, data);
          prunePages.run(env, env, PAGES_KEPT);
        } catch {
          // A cache: a page not kept only costs the next start its instant first page.
        }
      };
      // At once, unless a slice-wise write holds a transaction open: then behind it, never inside it.
      if (!db.isTransaction) write();
      else runInBackground('people-store.savePage', serial(async () => write()), () => undefined);
    },

    load<F>(system: SyncSystem, schema: z.ZodType<F>, signal?: AbortSignal): Promise<LoadedSystem<F> | null> {
      return serial(async () => {
        if (!open) return null;
        const sync = record(system);
        if (!sync) return null;
        const facts = new Map<string, Stamped<F>>();
        let n = 0;
        for (const raw of all.iterate(env, system)) {
          // The row's three text columns by type; its JSON by the fact's schema (100,000 rows at a start).
          const [key, readAt, text] = raw as unknown as unknown[];
          if (typeof key !== 'string' || typeof readAt !== 'string' || typeof text !== 'string') return null;
          let data: unknown;
          try {
            data = JSON.parse(text);
          } catch {
            return null;
          }
          const fact = schema.safeParse(data);
          if (!fact.success) return null;
          facts.set(key, { fact: fact.data, readAt });
          if (++n % SLICE === 0) {
            await yieldToLoop();
            if (signal?.aborted || !open) return null;
          }
        }
        return { facts, sync };
      });
    },

    apply<F>(system: SyncSystem, changes: SourceChanges<F>, at: string, opts: ApplyOptions<F> = {}): Promise<void> {
      return serial(async () => {
        if (!open) return;
        const before = record(system);
        db.exec('BEGIN IMMEDIATE');
        try {
          let n = 0;
          if (changes.mode === 'full') {
            // A full read replaces the system's facts: keys it did not return go, and so do another
            // environment's facts (stale anyway). Upserting over the old rows is cheaper than deleting all.
            while (Number(clearOthers.run(system, env).changes) > 0) await slice();
            clearOtherSync.run(system, env);
            const fresh = new Set(changes.upserts.map((u) => u.key));
            const gone: string[] = [];
            for (const r of keysOf.iterate(env, system)) {
              const key = String((r as { key: unknown }).key);
              if (!fresh.has(key)) gone.push(key);
              if (++n % (SLICE * 10) === 0) await slice();
            }
            for (const key of gone) {
              del.run(env, system, key);
              if (++n % SLICE === 0) await slice();
            }
          }
          for (const u of changes.upserts) {
            put.run(env, system, u.key, u.readAt, JSON.stringify(u.fact), opts.sortKey?.(u.fact) ?? '');
            if (++n % SLICE === 0) await slice();
          }
          for (const key of changes.deletes) {
            del.run(env, system, key);
            if (++n % SLICE === 0) await slice();
          }
          if (!opts.onlyFacts) putSync.run(
            env,
            system,
            changes.cursor,
            JSON.stringify(changes.method),
            changes.mode === 'full' ? at : (before?.lastFullAt ?? null),
            changes.mode === 'delta' ? at : (before?.lastDeltaAt ?? null),
            JSON.stringify(changes.calls),
          );
          db.exec('COMMIT');
        } catch (e) {
          if (db.isTransaction) db.exec('ROLLBACK');
          throw e;
        }
      });
    },

    close() {
      if (!open) return;
      open = false;
      // Fire-and-forget on purpose: a slice-wise write in progress notices `open` and rolls back, and the
      // connection closes once it has (the queue never rejects).
      runInBackground('people-store.close', queue.finally(() => db.close()));
    },
  };
}
