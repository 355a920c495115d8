// What the people store keeps of a system's answer: which system, each fact with when it was read, and one
// refresh's changes with the cursor that produced them. The sync engine's adapter contract
// (src-main/services/people/sync/source.ts) speaks in these words, and so does the store.
import { z } from 'zod';

export type SyncSystem = 'ad' | 'mitid' | 'idp';

/** A fact as stored: what the system said and when it was read (ISO time). */
export interface Stamped<F> {
  fact: F;
  readAt: string;
}

// What a read is doing and how it was done, by code and values (#18): the renderer words them in the
// operator's language, so no adapter sentence reaches an English screen. Zod, because they cross to the
// renderer and the method is read back from the people store.

const Count = z.number().int().nonnegative();
const text = <C extends string, P extends z.ZodRawShape>(code: C, params: P) => z.object({ code: z.literal(code), params: z.object(params).strict() }).strict();

/** The MitID Erhverv call budget as it stands: calls per minute now, the configured rate, seconds still to wait. */
export const BudgetFigures = z.object({ rate: Count, limit: z.number().positive(), waitSeconds: Count }).strict();
export type BudgetFigures = z.infer<typeof BudgetFigures>;

/** Why AD was read whole: never read, another DC (or a restored one), its counter went back, or no counter at all. */
export const adFullReasons = ['first', 'otherDc', 'counterBack', 'noCounter'] as const;
export const AdFullReason = z.enum(adFullReasons);
export type AdFullReason = z.infer<typeof AdFullReason>;

/** What a read in progress is doing now. */
export const SyncPhase = z.discriminatedUnion('code', [
  text('starting', {}),
  text('adCounter', {}),
  text('adFull', { why: AdFullReason }),
  text('adChanges', {}),
  text('adSweep', {}),
  text('idpFeed', { page: Count, full: z.boolean() }),
  text('idpDone', {}),
  text('idpCheck', {}),
  text('mitidSearch', {}),
  text('mitidChanged', {}),
  text('mitidRevalidate', { budget: BudgetFigures }),
  text('mitidDone', { changed: Count, revalidated: Count, budget: BudgetFigures }),
  text('mitidCheck', {}),
]);
export type SyncPhase = z.infer<typeof SyncPhase>;
export const syncPhaseCodes = SyncPhase.options.map((o) => o.shape.code.value);

/** How a refresh read its system, for the status line; stored with the sync record for a warm start. */
export const SyncMethod = z.discriminatedUnion('code', [
  text('adFull', { why: AdFullReason }),
  text('adDelta', { sweepMinutes: Count, swept: z.boolean() }),
  text('readNow', {}),
  text('idpFeed', { pages: Count, full: z.boolean() }),
  text('mitidWaiting', { budget: BudgetFigures }),
  text('mitidRead', { searched: Count, changed: Count, revalidated: Count, stopped: z.boolean(), waiting: Count, failed: Count, budget: BudgetFigures }),
  // Stored by an earlier version as a Danish sentence: not shown in either language, only said to be old.
  text('legacy', {}),
]);
export type SyncMethod = z.infer<typeof SyncMethod>;
export const syncMethodCodes = SyncMethod.options.map((o) => o.shape.code.value);

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
  /** How this was read, for the status line, by code (e.g. adDelta with its sweep interval). */
  method: SyncMethod;
  /**
   * Opaque to the engine: what the next start compares the system's first answer with before the facts
   * load (MitID Erhverv: each summary in search order). Stored with the facts; kept when absent.
   */
  firstLook?: string;
}
