// What the people store keeps of a system's answer: which system, each fact with when it was read, and one
// refresh's changes with the cursor that produced them. The sync engine's adapter contract
// (src-main/services/people/sync/source.ts) speaks in these words, and so does the store.

export type SyncSystem = 'ad' | 'mitid' | 'idp';

/** A fact as stored: what the system said and when it was read (ISO time). */
export interface Stamped<F> {
  fact: F;
  readAt: string;
}

/** What one refresh of one system found. */
export interface SourceChanges<F> {
  /** 'full' replaces everything held for the system: keys not in `upserts` are gone. */
  mode: 'full' | 'delta';
  /** Facts read in this refresh (new, changed or re-validated), each stamped with when it was read. */
  upserts: Array<{ key: string } & Stamped<F>>;
  /** Keys the system no longer has (a delta's deletions; empty for 'full'). */
  deletes: string[];
  /** Opaque to the engine: persisted with the facts in one transaction and handed back next time. */
  cursor: string | null;
  /** External calls made, per endpoint name: the status line shows them and the budget tests count them. */
  calls: Record<string, number>;
  /** How this was read, for the status line (e.g. "uSNChanged-delta", "DirSync", "ændringsfeed side 3"). */
  method: string;
}
