// The sync engine: one adapter (SyncSource) per configured system, one local store. It opens from the
// store at once, then asks each system what changed since its cursor — per system, independently, each on
// its own interval — applies the answer to the store (facts and cursor in one transaction) and tells the
// people index which keys changed, so the index re-merges only those rows. A refresh in progress can be
// cancelled; `readNow` re-reads named keys (a person's "check now", write-through after a console write).
import type { z } from 'zod';
import { ConsoleError, errorRef, type ErrorRef } from '../../../../shared/errors.ts';
import { runInBackground } from '../../../background.ts';
import { pause, slicer } from '../../../slices.ts';
import type { LoadedSystem, PeopleStore } from '../../../store/people-store.ts';
import type { KnownFacts, SourceChanges, Stamped, StoredLook, SyncContext, SyncMethod, SyncProgress, SyncSource, SyncSystem } from './source.ts';

export const SYSTEMS: readonly SyncSystem[] = ['ad', 'mitid', 'idp'];

export interface SourceSpec<F> {
  source: SyncSource<F>;
  /** What one stored fact must look like (the store is as untrusted as any input). */
  schema: z.ZodType<F>;
  /** Refresh when the last successful refresh is older than this. */
  intervalMs: number;
  /** Systems whose refresh must have finished first (e.g. an IdP read per AD person needs the AD people). */
  after?: readonly SyncSystem[];
  /** The order facts are stored in and restored in (the list's name order: a start need not sort). */
  sortKey?: (fact: F) => string | null;
}

/** Changes shown before the stored facts are in (SyncContext.preview); null: the system's preview is over. */
export type Preview = Pick<SourceChanges<unknown>, 'upserts' | 'deletes'> | null;

/**
 * How long a start holds the stored facts back for the systems' first answers: the facts take seconds to
 * load and merge at 100,000 people, and would slow the answers that show what changed. A slow system
 * (a real MitID Erhverv search) is not waited for longer than this.
 */
export const FIRST_LOOK_WAIT_MS = 1_500;

/** Facts whose key is in `keys` changed (new, changed or gone); `keys` null: any may have (a full read, a restore). */
export interface FactsChange {
  system: SyncSystem;
  keys: ReadonlySet<string> | null;
  /** More changes follow at once (a start restores every system): merge the rows after the last. */
  more?: true;
}

export interface SystemStatus {
  system: SyncSystem;
  configured: boolean;
  state: 'not-loaded' | 'loading' | 'ok' | 'failed';
  /** The facts are the local store's from an earlier run; no refresh has succeeded since the start. */
  fromCache: boolean;
  lastFullAt: string | null;
  lastDeltaAt: string | null;
  /** How the last refresh read the system, by the adapter's code (the renderer words it). */
  method: SyncMethod | null;
  /** External calls the last refresh made, per endpoint. */
  calls: Record<string, number>;
  progress: SyncProgress | null;
  message: string | null;
  /** Why the last read failed or stopped, by code and key beside the Danish `message` (the renderer words it). */
  error?: ErrorRef | null;
  /** Facts held. */
  size: number;
}

export interface SyncEngine {
  /** Load every system's facts from the store (once, AD first); resolves when all are in the index. */
  restore(): Promise<void>;
  /** Resolves when the restore's facts and cursors are the engine's (a refresh may start; the merge may still run). */
  adopted(): Promise<void>;
  /** Refresh one system now (joins a refresh in progress); rejects when it fails. */
  refreshSystem(system: SyncSystem): Promise<void>;
  /** Refresh these systems (default all), each after the ones it depends on; never rejects (see status). */
  refresh(systems?: readonly SyncSystem[]): Promise<void>;
  /** Start a refresh of every system whose last one is older than its interval; in the background. */
  refreshStale(): void;
  /** Re-read exactly these keys of a system now and apply them. */
  readNow(system: SyncSystem, keys: readonly string[]): Promise<void>;
  /** Cancel the refreshes in progress (of one system or all); true when one was running. */
  cancel(system?: SyncSystem): boolean;
  facts<F>(system: SyncSystem): ReadonlyMap<string, Stamped<F>>;
  status(): SystemStatus[];
  configured(system: SyncSystem): boolean;
  /** Resolves when no refresh is running or queued. */
  idle(): Promise<void>;
  close(): void;
}

export interface EngineOptions {
  store: PeopleStore | null;
  systems: Partial<Record<SyncSystem, SourceSpec<unknown>>>;
  /** Told after each applied change, in order; the engine waits for it (the index re-merges here). */
  onChange(change: FactsChange): Promise<void>;
  /**
   * Told of changes a system answered at a start before the stored facts were in (shown on the rows at
   * once), and with null when that system's answer has been applied for real, or its refresh failed.
   */
  onPreview?(system: SyncSystem, changes: Preview): void;
  now?: () => number;
}

interface SystemState {
  spec: SourceSpec<unknown>;
  facts: Map<string, Stamped<unknown>>;
  cursor: string | null;
  /** When the last refresh succeeded (ms), for staleness. */
  refreshedAt: number | null;
  running: Promise<void> | null;
  abort: AbortController | null;
  status: SystemStatus;
  /** A start's refresh has had its first look (shown a preview, awaited the facts, or ended). */
  looked: { done: Promise<void>; resolve(): void } | null;
  /** Shown a preview its applied answer has not replaced yet. */
  previewing: boolean;
  /** The store's first look for this system (a start only), kept until the facts are in. */
  look: StoredLook | null;
}

const CANCELLED = 'Indlæsningen blev afbrudt.';

const failureText = (system: SyncSystem, e: unknown): string => {
  if (e instanceof ConsoleError || e instanceof Error) return e.message;
  return `${{ ad: 'Active Directory', mitid: 'MitID Erhverv', idp: "IdP'en" }[system]} svarede ikke.`;
};

/** The failure as it crosses to the renderer: a console error with its key; a thrown non-error as the system not answering. */
const failureRef = (system: SyncSystem, e: unknown): ErrorRef =>
  e instanceof ConsoleError || e instanceof Error ? errorRef(e) : { code: `unavailable-${system}`, message: failureText(system, e) };

export function createSyncEngine(opts: EngineOptions): SyncEngine {
  const now = opts.now ?? Date.now;
  const states = new Map<SyncSystem, SystemState>();
  for (const system of SYSTEMS) {
    const spec = opts.systems[system];
    if (!spec) continue;
    states.set(system, {
      spec,
      facts: new Map(),
      cursor: null,
      refreshedAt: null,
      running: null,
      abort: null,
      looked: null,
      previewing: false,
      look: null,
      status: { system, configured: true, state: 'not-loaded', fromCache: false, lastFullAt: null, lastDeltaAt: null, method: null, calls: {}, progress: null, message: null, size: 0 },
    });
  }
  let closed = false;
  let restoring: Promise<void> | null = null;
  /**
   * The restore's facts and cursors are the engine's (or the restore came to nothing): resolves before the
   * index has merged them, so a refresh asks its system while the merge runs (its answer is applied after
   * the merge: one queue). Resolved at once when nothing is restored.
   */
  let factsAdopted: Promise<void> | null = null;
  let factsIn = false;
  const adoptedFacts = (): Promise<void> => factsAdopted ?? Promise.resolve();
  /** What an adapter is handed for one refresh or readNow of a system. */
  const contextFor = (system: SyncSystem, st: SystemState, signal: AbortSignal): SyncContext => ({
    signal,
    progress: (p) => {
      st.status.progress = { ...p };
    },
    now,
    adopted: () => {
      looked(st);
      return adoptedFacts();
    },
    early: (c) => applyEarly(system, st, c, {}, { code: 'readNow', params: {} }, true),
    stored: () => (factsIn || !opts.store ? null : (st.look ??= lookOf(system, st, opts.store))),
    preview: (c) => preview(system, st, c),
  });

  /** The store's first look at a system: what its last refresh left, and facts by key. */
  function lookOf(system: SyncSystem, st: SystemState, store: PeopleStore): StoredLook {
    return {
      firstLook: () => store.firstLook(system),
      facts: (keys) => store.factsOf(system, keys, st.spec.schema),
    };
  }

  function looked(st: SystemState): void {
    st.looked?.resolve();
  }

  function preview(system: SyncSystem, st: SystemState, c: NonNullable<Preview>): void {
    looked(st);
    if (factsIn || closed || !opts.onPreview || (c.upserts.length === 0 && c.deletes.length === 0)) return;
    st.previewing = true;
    opts.onPreview(system, c);
  }

  function endPreview(system: SyncSystem, st: SystemState): void {
    if (!st.previewing) return;
    st.previewing = false;
    if (!closed) opts.onPreview?.(system, null);
  }
  // Applying changes (facts, store, index) happens one at a time, in the order the answers came.
  let applyQueue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = applyQueue.then(fn, fn);
    applyQueue = next.catch(() => undefined);
    return next;
  };

  const known = (st: SystemState): KnownFacts<unknown> => ({
    get: (key) => st.facts.get(key),
    keys: () => st.facts.keys(),
    size: () => st.facts.size,
  });

  /** `onlyFacts`: read outside a refresh's end (the cursor stays); `ends`: the refresh's answer, which replaces its preview. */
  async function apply(system: SyncSystem, st: SystemState, changes: SourceChanges<unknown>, at: string, onlyFacts = false, ends = !onlyFacts): Promise<void> {
    await serial(async () => {
      if (closed) return;
      let keys: Set<string> | null;
      if (changes.mode === 'full') {
        // In slices (100,000 facts); the old ones stay in use until the new are whole.
        const next = new Map<string, Stamped<unknown>>();
        const sliceDone = slicer(20_000);
        for (const u of changes.upserts) {
          // A key re-read (readNow) after this refresh read it keeps the newer fact.
          const held = st.facts.get(u.key);
          next.set(u.key, held && held.readAt > u.readAt ? held : { fact: u.fact, readAt: u.readAt });
          if (sliceDone()) await pause();
        }
        const upserts: SourceChanges<unknown>['upserts'] = [];
        for (const [key, s] of next) {
          upserts.push({ key, fact: s.fact, readAt: s.readAt });
          if (sliceDone()) await pause();
        }
        if (closed) return;
        changes = { ...changes, upserts };
        st.facts = next;
        keys = null;
      } else {
        keys = new Set();
        for (const u of changes.upserts) {
          st.facts.set(u.key, { fact: u.fact, readAt: u.readAt });
          keys.add(u.key);
        }
        for (const k of changes.deletes) {
          st.facts.delete(k);
          keys.add(k);
        }
      }
      st.cursor = changes.cursor;
      try {
        await opts.store?.apply(system, changes, at, { onlyFacts, ...(st.spec.sortKey ? { sortKey: st.spec.sortKey } : {}) });
      } catch {
        // The facts are in memory; a store that cannot be written only costs a slower next start (its
        // previous facts and cursor stay together, so the next start's delta is still right).
      }
      st.status.size = st.facts.size;
      await opts.onChange({ system, keys });
      if (ends) endPreview(system, st);
    });
  }

  /** Facts read outside a refresh's end (readNow, or handed over early): they touch only their keys; the cursor stays. */
  async function applyEarly(system: SyncSystem, st: SystemState, c: Pick<SourceChanges<unknown>, 'upserts' | 'deletes'>, calls: Record<string, number>, method: SyncMethod, ends = false): Promise<void> {
    if (c.upserts.length === 0 && c.deletes.length === 0) return;
    await apply(system, st, { mode: 'delta', upserts: c.upserts, deletes: c.deletes, cursor: st.cursor, calls, method }, new Date(now()).toISOString(), true, ends);
  }

  function ensureConfigured(system: SyncSystem): SystemState {
    const st = states.get(system);
    if (!st) throw new ConsoleError('not-found', 'Systemet er ikke sat op.').withKey('syncSystemNotSetUp');
    return st;
  }

  async function runRefresh(system: SyncSystem, st: SystemState): Promise<void> {
    const abort = new AbortController();
    st.abort = abort;
    const prev = st.status.state;
    st.status = { ...st.status, state: 'loading', progress: { phase: { code: 'starting', params: {} }, done: 0, total: 0 }, message: null, error: null };
    try {
      const ctx = contextFor(system, st, abort.signal);
      // At a start the system is asked from the stored cursor at once, while its facts still load (the
      // adapter awaits them before it consults them). Should the facts not come (the store unusable), the
      // answer was to a cursor the engine does not hold: it is dropped and the system read from what it holds.
      const early = restoring !== null && !factsIn;
      let asked = early ? (opts.store?.record(system)?.cursor ?? null) : st.cursor;
      let changes = await st.spec.source.refresh(asked, known(st), ctx);
      // A delta answered before the facts are in is shown at once (the adapter may have shown it already).
      if (early && changes.mode === 'delta') preview(system, st, changes);
      looked(st);
      await adoptedFacts();
      if (asked !== st.cursor && !abort.signal.aborted) {
        asked = st.cursor;
        changes = await st.spec.source.refresh(asked, known(st), ctx);
      }
      if (abort.signal.aborted) throw new ConsoleError('cancelled', CANCELLED).withKey('loadCancelled');
      const at = new Date(now()).toISOString();
      await apply(system, st, changes, at);
      st.refreshedAt = now();
      st.status = {
        ...st.status,
        state: 'ok',
        fromCache: false,
        method: changes.method,
        calls: { ...changes.calls },
        lastFullAt: changes.mode === 'full' ? at : st.status.lastFullAt,
        lastDeltaAt: changes.mode === 'delta' ? at : st.status.lastDeltaAt,
        progress: null,
        message: null,
        error: null,
      };
    } catch (e) {
      looked(st);
      // After the facts the preview sat on are in (one queue), not before.
      runInBackground('people.sync', serial(async () => endPreview(system, st)));
      const cancelled = abort.signal.aborted || (e instanceof ConsoleError && e.code === 'cancelled');
      st.status = {
        ...st.status,
        // A cancelled or failed read keeps what was held before.
        state: cancelled ? (prev === 'loading' || prev === 'not-loaded' ? (st.facts.size > 0 ? 'ok' : 'not-loaded') : prev) : 'failed',
        progress: null,
        message: cancelled ? CANCELLED : failureText(system, e),
        error: cancelled ? errorRef(new ConsoleError('cancelled', CANCELLED).withKey('loadCancelled')) : failureRef(system, e),
      };
      if (cancelled) throw new ConsoleError('cancelled', CANCELLED).withKey('loadCancelled');
      throw e;
    } finally {
      st.abort = null;
    }
  }

  function refreshSystem(system: SyncSystem): Promise<void> {
    const st = ensureConfigured(system);
    if (closed) return Promise.resolve();
    if (st.running) return st.running;
    if (restoring !== null && !factsIn) {
      // A start's refresh: the stored facts wait for its first look (FIRST_LOOK_WAIT_MS at most).
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      st.looked = { done, resolve };
    }
    const p = (async () => {
      // Dependencies first (joining theirs when they run); a failed dependency does not stop this one.
      for (const dep of st.spec.after ?? []) {
        const d = states.get(dep);
        if (d?.running) await d.running.catch(() => undefined);
      }
      await runRefresh(system, st);
    })().finally(() => {
      if (st.running === p) st.running = null;
    });
    st.running = p;
    return p;
  }

  /**
   * Load every system's facts from the store, then hand them to the index together: one merge of the rows
   * at a start instead of one per system (three at 100,000 people). A system a refresh beat keeps its
   * newer facts.
   */
  async function restoreAll(onAdopted: () => void): Promise<void> {
    // The start's refreshes are asked first (they begin in this turn); the facts wait for their first look.
    await pause();
    await firstLooks();
    const loaded: [SyncSystem, LoadedSystem<unknown>][] = [];
    for (const system of ordered(SYSTEMS)) {
      const st = states.get(system) as SystemState;
      const l = (await opts.store?.load(system, st.spec.schema)) ?? null;
      if (closed) return;
      if (l) loaded.push([system, l]);
    }
    await serial(async () => {
      const adopted = loaded.filter(([system, l]) => adopt(states.get(system) as SystemState, l));
      onAdopted();
      for (const st of states.values()) {
        st.look = null;
        st.looked = null;
      }
      for (const [i, [system]] of adopted.entries()) {
        await opts.onChange({ system, keys: null, ...(i < adopted.length - 1 ? { more: true } : {}) });
      }
    });
  }

  /** Every start refresh has looked, or FIRST_LOOK_WAIT_MS has passed. */
  async function firstLooks(): Promise<void> {
    const waiting = [...states.values()].flatMap((st) => st.looked?.done ?? []);
    if (waiting.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waiting), new Promise<void>((r) => (timer = setTimeout(r, FIRST_LOOK_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** A system's stored facts become the engine's, unless a refresh that finished first has newer ones. */
  function adopt(st: SystemState, loaded: LoadedSystem<unknown>): boolean {
    if (st.refreshedAt !== null) return false;
    st.facts = loaded.facts;
    st.cursor = loaded.sync.cursor;
    const last = [loaded.sync.lastFullAt, loaded.sync.lastDeltaAt].filter((x): x is string => !!x).sort().at(-1);
    st.refreshedAt = last ? Date.parse(last) : null;
    st.status = {
      ...st.status,
      // Loading until the index has merged them too (the restore's end says ok, unless a refresh runs).
      state: 'loading',
      fromCache: true,
      lastFullAt: loaded.sync.lastFullAt,
      lastDeltaAt: loaded.sync.lastDeltaAt,
      method: loaded.sync.method,
      calls: loaded.sync.calls,
      size: st.facts.size,
    };
    return true;
  }

  const ordered = (systems: readonly SyncSystem[]) => SYSTEMS.filter((s) => systems.includes(s) && states.has(s));

  const engine: SyncEngine = {
    restore() {
      if (!restoring) {
        // Loading from the store is loading: the list (which may show the last run's first page meanwhile)
        // asks again until it is done. What is being loaded is the store's, from when its record says.
        for (const [system, st] of states) {
          if (st.status.state !== 'not-loaded') continue;
          const r = opts.store?.record(system) ?? null;
          st.status = { ...st.status, state: 'loading', ...(r ? { fromCache: true, lastFullAt: r.lastFullAt, lastDeltaAt: r.lastDeltaAt, method: r.method, calls: r.calls } : {}) };
        }
        let adopted!: () => void;
        const facts = new Promise<void>((r) => {
          adopted = () => {
            factsIn = true;
            r();
          };
        });
        factsAdopted = facts;
        restoring = restoreAll(adopted).finally(() => {
          adopted();
          for (const st of states.values()) {
            // Nothing came of the store (none kept, or unusable): no cache to speak of.
            if (st.facts.size === 0 && st.refreshedAt === null) st.status = { ...st.status, fromCache: false, lastFullAt: null, lastDeltaAt: null };
            if (!st.running && st.status.state === 'loading') st.status = { ...st.status, state: st.facts.size > 0 ? 'ok' : 'not-loaded' };
          }
        });
      }
      return restoring;
    },

    adopted() {
      // Whoever asked for the restore hears of its failure; this only waits for the facts (or the failure).
      engine.restore().catch(() => undefined);
      return factsAdopted as Promise<void>;
    },

    refreshSystem,

    async refresh(systems = SYSTEMS) {
      // Start all at once; each waits for the systems it depends on itself.
      await Promise.all(ordered(systems).map((s) => refreshSystem(s).catch(() => undefined)));
    },

    refreshStale() {
      if (closed) return;
      const t = now();
      for (const [system, st] of states) {
        if (st.running) continue;
        if (st.refreshedAt === null || t - st.refreshedAt >= st.spec.intervalMs) {
          // Fire-and-forget on purpose: the outcome is in the system's status, which the list shows.
          void refreshSystem(system).catch(() => undefined);
        }
      }
    },

    async readNow(system, keys) {
      const st = ensureConfigured(system);
      if (keys.length === 0 || closed) return;
      await adoptedFacts();
      // A readNow's progress is not the system's: the status line shows the refresh's.
      const changes = await st.spec.source.readNow(keys, { ...contextFor(system, st, new AbortController().signal), progress: () => {} });
      await applyEarly(system, st, changes, changes.calls, changes.method);
    },

    cancel(system) {
      let any = false;
      for (const [s, st] of states) {
        if (system && s !== system) continue;
        if (st.abort && !st.abort.signal.aborted) {
          st.abort.abort(new ConsoleError('cancelled', CANCELLED).withKey('loadCancelled'));
          any = true;
        }
      }
      return any;
    },

    facts<F>(system: SyncSystem) {
      return (states.get(system)?.facts ?? new Map()) as ReadonlyMap<string, Stamped<F>>;
    },

    status() {
      return SYSTEMS.map((system) => {
        const st = states.get(system);
        return st
          ? { ...st.status, calls: { ...st.status.calls }, progress: st.status.progress && { ...st.status.progress } }
          : { system, configured: false, state: 'not-loaded' as const, fromCache: false, lastFullAt: null, lastDeltaAt: null, method: null, calls: {}, progress: null, message: null, size: 0 };
      });
    },

    configured: (system) => states.has(system),

    async idle() {
      await restoring?.catch(() => undefined);
      for (;;) {
        const running = [...states.values()].map((s) => s.running).filter((p): p is Promise<void> => p !== null);
        if (running.length === 0) break;
        await Promise.all(running.map((p) => p.catch(() => undefined)));
      }
      await applyQueue;
    },

    close() {
      closed = true;
      engine.cancel();
      // Whoever still holds a closed engine (a caller's variable, a late promise) must not hold every
      // person with it: the facts are in the store, and a closed engine applies nothing more.
      for (const st of states.values()) st.facts = new Map();
    },
  };
  return engine;
}
