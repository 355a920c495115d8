// The contract between the sync engine and its adapters, one per system (AD, MitID Erhverv, the IdP).
// An adapter knows how to ask its system what changed since a cursor as cheaply as that system allows;
// the engine decides when to ask, stores the answer (each fact with when it was read) and tells the
// people index. Types only, so both sides can be built and tested apart. What is stored of an answer
// is domain vocabulary (shared/domain/sync.ts), which the people store speaks too.
import type { SourceChanges, Stamped, SyncMethod, SyncPhase, SyncSystem } from '../../../../shared/domain/sync.ts';

export type { SourceChanges, Stamped, SyncMethod, SyncPhase, SyncSystem };

/** What the adapter may consult of what the engine already holds for its system. */
export interface KnownFacts<F> {
  get(key: string): Stamped<F> | undefined;
  /** Every key held, any order. */
  keys(): Iterable<string>;
  size(): number;
}

export interface SyncProgress {
  /** What the adapter is doing now, by code: the renderer words it for the status line. */
  phase: SyncPhase;
  done: number;
  total: number;
}

export interface SyncContext {
  /** Cancels the refresh: the adapter stops and throws ConsoleError('cancelled'); nothing is stored. */
  signal: AbortSignal;
  progress(p: SyncProgress): void;
  /** The clock, injectable so budgets and revalidation can be tested without waiting. */
  now(): number;
  /**
   * Resolves when `known` holds what the store had. At a start the system is asked what changed (from the
   * stored cursor) while its stored facts still load: an adapter awaits this before it consults `known`.
   */
  adopted(): Promise<void>;
  /**
   * Hand over facts read so far in a refresh that goes on (e.g. what MitID Erhverv's search said, before
   * the per-identity reads): applied at once like a readNow, the cursor stays. They were read, so a
   * refresh cancelled or failed afterwards keeps them. Call only after `adopted()`.
   */
  early(changes: Pick<SourceChanges<unknown>, 'upserts' | 'deletes'>): Promise<void>;
  /**
   * At a start, before `adopted()`: a first look at what the store holds for this system (what its last
   * refresh left to compare with, and facts by key), so what changed can be shown before every fact is
   * loaded. Null once the facts are in, or with nothing stored.
   */
  stored(): StoredLook | null;
  /**
   * Show changes read before the stored facts are in (a start) on the rows at once. Not stored: the
   * refresh's own answer follows, applied on top of the stored facts. A no-op once they are in.
   */
  preview(changes: Pick<SourceChanges<unknown>, 'upserts' | 'deletes'>): void;
}

/** What a start may consult of the store before the facts load (see SyncContext.stored). */
export interface StoredLook {
  /** What the system's last refresh left for this (its answer's `firstLook`), if anything. */
  firstLook(): string | null;
  /** These keys' stored facts (parsed; a key not held is left out). */
  facts(keys: readonly string[]): ReadonlyMap<string, Stamped<unknown>>;
}

export interface SyncSource<F> {
  readonly system: SyncSystem;
  /** Read what changed since `cursor` (null: never read, or the engine lost its state → read everything). */
  refresh(cursor: string | null, known: KnownFacts<F>, ctx: SyncContext): Promise<SourceChanges<F>>;
  /** Re-read exactly these keys now (a person's "check now", or write-through after the console changed them). */
  readNow(keys: readonly string[], ctx: SyncContext): Promise<SourceChanges<F>>;
}
