// The people facts store: what each system (AD, MitID Erhverv, the IdP) said about each person, with when
// it was read, plus each system's sync cursor. The sync engine writes one applied refresh per transaction,
// so the facts and the cursor that produced them are always stored together: a crash half-way keeps the
// previous refresh whole, never a cursor that points past facts that were not written. It replaces the old
// whole-list snapshot and the directory cache: one mechanism for warm start and delta sync.
//
// Big reads and writes are done in slices that yield to the event loop, so a full write of 100,000 facts
// never stops the main process from answering (the transaction stays open across the slices; one queue
// makes sure only one slice-wise operation uses the connection at a time).
import { z } from 'zod';
import { SyncMethod, type SourceChanges, type Stamped, type SyncSystem } from '../../shared/domain/sync.ts';
import { inTransaction, migrate, openDatabase } from './sqlite.ts';
import { walCheckpointer } from './wal-checkpointer.ts';
import { runInBackground } from '../background.ts';
import { pause, slicer } from '../slices.ts';

/**
 * Bumped whenever what a fact holds changes shape: facts written by another version are then simply not
 * found (a full read), never misread. (Every row is zod-parsed on the way back in as well.)
 */
const FORMAT = 3;
/** Rows per slice at most; a slice also ends once it has held the event loop ~15 ms (src-main/slices.ts). */
const SLICE = 10_000;

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
  /** What the system's last refresh left for the next start's first look (SourceChanges.firstLook), if any. */
  firstLook(system: SyncSystem): string | null;
  /** These keys' stored facts, each parsed by `schema` (a fact that does not parse is left out). */
  factsOf<F>(system: SyncSystem, keys: Iterable<string>, schema: z.ZodType<F>): Map<string, Stamped<F>>;
  /** The stored facts with no place in the order (no sort key: e.g. AD's one fact per domain). */
  unordered<F>(system: SyncSystem, schema: z.ZodType<F>): Map<string, Stamped<F>>;
  /** Which identity and which IdP key each person was merged with, as last saved, each as `linkText` (compact: 100,000 of them). */
  links(): Map<string, string>;
  /** The person a link names, by the identity's uuid or by the IdP's key. */
  personOf(by: 'uuid' | 'idpKey', value: string): string | null;
  /** A person's link as last saved. */
  linkOf(person: string): PersonLink | null;
  /** Any link saved (a store written by an earlier version has none). */
  hasLinks(): boolean;
  /** Save the people whose links changed (null: gone); written behind the caller, in slices. */
  saveLinks(changes: ReadonlyMap<string, PersonLink | null>): Promise<void>;
  /**
   * Closes the store; resolves once both its connections are closed (a write in progress rolls back at its
   * next slice first). Only then may the caller remove the files: a connection still closing writes to them.
   */
  close(): Promise<void>;
}

/**
 * How the index last merged one person: their identity (null: none) and their key in the IdP. A start shows
 * what changed in one system on the row of the right person before the rest is loaded and matched again.
 */
export const PersonLink = z.object({ uuid: z.string().nullable(), idpKey: z.string() });
export type PersonLink = z.infer<typeof PersonLink>;
/** A link as one string, to tell saved from merged without an object per person. */
export const linkText = (l: PersonLink): string => `${l.uuid ?? ''}\u0000${l.idpKey}`;

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

/** A stored fact's columns as read back: its JSON by the fact's schema; null when either does not parse. */
function stampedOf<F>(readAt: unknown, text: unknown, schema: z.ZodType<F>): Stamped<F> | null {
  if (typeof readAt !== 'string' || typeof text !== 'string') return null;
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? { fact: r.data, readAt } : null;
  } catch {
    return null;
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
  // The log is copied back by a thread of its own, not inside the commit on the event loop (see there).
  db.exec('PRAGMA wal_autocheckpoint = 0');
  const checkpoints = walCheckpointer(file);
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
    (d) => {
      // A start's first look: what each system's last refresh left to compare its next answer with (one
      // text per system: read at once), and how each person was last merged, found by person, by identity
      // and by IdP key.
      d.exec(`CREATE TABLE IF NOT EXISTS people_first_look (
          env TEXT NOT NULL, system TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (env, system)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS people_links (
          env TEXT NOT NULL, person TEXT NOT NULL, uuid TEXT, idp_key TEXT NOT NULL, PRIMARY KEY (env, person)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS people_links_uuid ON people_links (env, uuid);
        CREATE INDEX IF NOT EXISTS people_links_idp ON people_links (env, idp_key)`);
    },
  ]);
  const getPage = db.prepare('SELECT data FROM people_pages WHERE env = ? AND key = ?');
  const putPage = db.prepare('INSERT INTO people_pages (env, key, saved_at, data) VALUES (?, ?, ?, ?) ON CONFLICT(env, key) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data');
  const prunePages = db.prepare('DELETE FROM people_pages WHERE env <> ? OR key NOT IN (SELECT key FROM people_pages WHERE env = ? ORDER BY saved_at DESC LIMIT ?)');
  const put = db.prepare(
    'INSERT INTO people_facts (env, system, key, read_at, data, sort_key) VALUES (?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT(env, system, key) DO UPDATE SET read_at = excluded.read_at, data = excluded.data, sort_key = excluded.sort_key',
  );
  const getFirstLook = db.prepare('SELECT data FROM people_first_look WHERE env = ? AND system = ?');
  const putFirstLook = db.prepare('INSERT INTO people_first_look (env, system, data) VALUES (?, ?, ?) ON CONFLICT(env, system) DO UPDATE SET data = excluded.data');
  const clearOtherFirstLook = db.prepare('DELETE FROM people_first_look WHERE system = ? AND env <> ?');
  const oneFact = db.prepare('SELECT read_at, data FROM people_facts WHERE env = ? AND system = ? AND key = ?');
  const noSortKey = db.prepare("SELECT key, read_at, data FROM people_facts WHERE env = ? AND system = ? AND sort_key = ''");
  const allLinks = db.prepare('SELECT person, uuid, idp_key FROM people_links WHERE env = ?');
  allLinks.setReturnArrays(true);
  const anyLink = db.prepare('SELECT 1 AS one FROM people_links WHERE env = ? LIMIT 1');
  const linkByPerson = db.prepare('SELECT uuid, idp_key FROM people_links WHERE env = ? AND person = ?');
  const personByUuid = db.prepare('SELECT person FROM people_links WHERE env = ? AND uuid = ? ORDER BY person LIMIT 1');
  const personByIdpKey = db.prepare('SELECT person FROM people_links WHERE env = ? AND idp_key = ? ORDER BY person LIMIT 1');
  const putLink = db.prepare('INSERT INTO people_links (env, person, uuid, idp_key) VALUES (?, ?, ?, ?) ON CONFLICT(env, person) DO UPDATE SET uuid = excluded.uuid, idp_key = excluded.idp_key');
  const delLink = db.prepare('DELETE FROM people_links WHERE env = ? AND person = ?');
  const clearOtherLinks = db.prepare('DELETE FROM people_links WHERE (env, person) IN (SELECT env, person FROM people_links WHERE env <> ? LIMIT 1000)');
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
  let closed: Promise<void> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  /** Between slices: let the loop run; a store closed meanwhile rolls the transaction back. */
  async function slice(): Promise<void> {
    await pause();
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

  /** Links waiting to be written, the newest of each person's. */
  const pendingLinks = new Map<string, PersonLink | null>();
  let draining: Promise<void> | null = null;
  let otherLinksCleared = false;
  const kickLinks = (): Promise<void> =>
    (draining ??= drainLinks().finally(() => {
      draining = null;
      if (pendingLinks.size > 0 && open) runInBackground('people-store.links', kickLinks(), () => undefined);
    }));
  /**
   * Writes the waiting links a slice at a time, each slice its own transaction and turn of the queue: a
   * refresh's facts, queued meanwhile, go between two slices, never behind 100,000 links (they are only
   * a start's first look: a link not saved yet costs a preview, never a fact).
   */
  async function drainLinks(): Promise<void> {
    while (pendingLinks.size > 0 && open) {
      await serial(async () => {
        await pause();
        if (!open) return;
        const sliceDone = slicer(SLICE);
        inTransaction(db, () => {
          // Another environment's links (other systems, stale anyway) go with the first save.
          if (!otherLinksCleared) while (Number(clearOtherLinks.run(env).changes) > 0);
          otherLinksCleared = true;
          // The oldest waiting first; one slice's worth, the rest in the next transaction.
          for (const [person, link] of pendingLinks) {
            if (link) putLink.run(env, person, link.uuid, link.idpKey);
            else delLink.run(env, person);
            pendingLinks.delete(person);
            if (sliceDone()) break;
          }
        });
        checkpoints.committed();
      });
    }
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
      // An index being replaced (a reconnect) may still answer a page while its store closes.
      if (!open) return;
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
        const sliceDone = slicer(SLICE);
        for (const raw of all.iterate(env, system)) {
          // The row's three text columns by type; its JSON by the fact's schema (100,000 rows at a start).
          const [key, readAt, text] = raw as unknown as unknown[];
          const stamped = stampedOf(readAt, text, schema);
          if (typeof key !== 'string' || !stamped) return null;
          facts.set(key, stamped);
          if (sliceDone()) {
            await pause();
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
          const sliceDone = slicer(SLICE);
          if (changes.mode === 'full') {
            // A full read replaces the system's facts: keys it did not return go, and so do another
            // environment's facts (stale anyway). Upserting over the old rows is cheaper than deleting all.
            while (Number(clearOthers.run(system, env).changes) > 0) await slice();
            clearOtherSync.run(system, env);
            clearOtherFirstLook.run(system, env);
            const fresh = new Set<string>();
            for (const u of changes.upserts) {
              fresh.add(u.key);
              if (sliceDone(0.1)) await slice();
            }
            const gone: string[] = [];
            for (const r of keysOf.iterate(env, system)) {
              const key = String((r as { key: unknown }).key);
              if (!fresh.has(key)) gone.push(key);
              if (sliceDone(0.1)) await slice();
            }
            for (const key of gone) {
              del.run(env, system, key);
              if (sliceDone()) await slice();
            }
          }
          for (const u of changes.upserts) {
            put.run(env, system, u.key, u.readAt, JSON.stringify(u.fact), opts.sortKey?.(u.fact) ?? '');
            if (sliceDone()) await slice();
          }
          for (const key of changes.deletes) {
            del.run(env, system, key);
            if (sliceDone()) await slice();
          }
          if (changes.firstLook !== undefined) putFirstLook.run(env, system, changes.firstLook);
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
          checkpoints.committed();
        } catch (e) {
          if (db.isTransaction) db.exec('ROLLBACK');
          throw e;
        }
      });
    },

    firstLook(system) {
      if (!open) return null;
      const data = (getFirstLook.get(env, system) as { data?: unknown } | undefined)?.data;
      return typeof data === 'string' ? data : null;
    },

    factsOf<F>(system: SyncSystem, keys: Iterable<string>, schema: z.ZodType<F>) {
      const out = new Map<string, Stamped<F>>();
      if (!open) return out;
      for (const key of keys) {
        const r = oneFact.get(env, system, key) as { read_at?: unknown; data?: unknown } | undefined;
        const s = r && stampedOf(r.read_at, r.data, schema);
        if (s) out.set(key, s);
      }
      return out;
    },

    unordered<F>(system: SyncSystem, schema: z.ZodType<F>) {
      const out = new Map<string, Stamped<F>>();
      if (!open) return out;
      for (const r of noSortKey.iterate(env, system) as Iterable<{ key?: unknown; read_at?: unknown; data?: unknown }>) {
        const s = stampedOf(r.read_at, r.data, schema);
        if (s && typeof r.key === 'string') out.set(r.key, s);
      }
      return out;
    },

    links() {
      const out = new Map<string, string>();
      if (!open) return out;
      for (const raw of allLinks.iterate(env)) {
        const [person, uuid, idpKey] = raw as unknown as unknown[];
        if (typeof person === 'string' && (uuid === null || typeof uuid === 'string') && typeof idpKey === 'string') out.set(person, linkText({ uuid, idpKey }));
      }
      return out;
    },

    personOf(by, value) {
      if (!open) return null;
      const r = (by === 'uuid' ? personByUuid : personByIdpKey).get(env, value) as { person?: unknown } | undefined;
      return typeof r?.person === 'string' ? r.person : null;
    },

    linkOf(person) {
      if (!open) return null;
      const raw = linkByPerson.get(env, person) as { uuid?: unknown; idp_key?: unknown } | undefined;
      if (!raw) return null;
      const parsed = PersonLink.safeParse({ uuid: raw.uuid, idpKey: raw.idp_key });
      return parsed.success ? parsed.data : null;
    },

    hasLinks() {
      return open && anyLink.get(env) !== undefined;
    },

    saveLinks(changes) {
      // Later saves of a person win; one writer drains them (see drainLinks).
      for (const [person, link] of changes) {
        pendingLinks.delete(person);
        pendingLinks.set(person, link);
      }
      return kickLinks();
    },

    close() {
      if (open) {
        open = false;
        // A slice-wise write in progress notices `open` and rolls back; the queue never rejects.
        closed = queue.then(async () => {
          await checkpoints.close();
          db.close();
        });
      }
      return closed;
    },
  };
}
