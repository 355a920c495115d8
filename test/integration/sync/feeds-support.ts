// What the sync adapter tests share: a tiny in-memory stand-in for the engine's facts store (apply a
// SourceChanges as the contract says), and a SyncContext with a clock the test moves.
import type { KnownFacts, SourceChanges, Stamped, StoredLook, SyncContext, SyncProgress } from '../../../src-main/services/people/sync/source.ts';

export class MemoryFacts<F> implements KnownFacts<F> {
  readonly facts = new Map<string, Stamped<F>>();
  cursor: string | null = null;

  get(key: string): Stamped<F> | undefined {
    return this.facts.get(key);
  }
  keys(): Iterable<string> {
    return this.facts.keys();
  }
  size(): number {
    return this.facts.size;
  }

  /** As the engine applies a refresh: 'full' replaces everything, 'delta' upserts and deletes. */
  apply(c: SourceChanges<F>): void {
    if (c.mode === 'full') this.facts.clear();
    for (const u of c.upserts) this.facts.set(u.key, { fact: u.fact, readAt: u.readAt });
    for (const k of c.deletes) this.facts.delete(k);
    if (c.cursor !== null) this.cursor = c.cursor;
  }
}

export interface TestContext extends SyncContext {
  /** Moves the clock on. */
  advance(ms: number): void;
  phases: SyncProgress[];
  controller: AbortController;
  /** What the adapter handed over before its answer (ctx.early), in order. */
  handedEarly: Pick<SourceChanges<unknown>, 'upserts' | 'deletes'>[];
  /** What the adapter showed before the stored facts were in (ctx.preview), in order. */
  previewed: Pick<SourceChanges<unknown>, 'upserts' | 'deletes'>[];
}

/** A context on a clock the test moves; what the adapter hands over early is recorded, and applied to `into` as the engine would. */
/** `look`: what the store shows a start before the facts are in (ctx.stored); none by default. */
export function testContext(start = Date.parse('2026-12-01T08:00:00.000Z'), into?: MemoryFacts<unknown>, look?: StoredLook): TestContext {
  let t = start;
  const controller = new AbortController();
  const phases: SyncProgress[] = [];
  const handedEarly: TestContext['handedEarly'] = [];
  const previewed: TestContext['previewed'] = [];
  return {
    signal: controller.signal,
    controller,
    phases,
    progress: (p) => phases.push(p),
    now: () => t,
    adopted: async () => {},
    handedEarly,
    early: async (c) => {
      handedEarly.push(c);
      into?.apply({ mode: 'delta', ...c, cursor: null, calls: {}, method: { code: 'readNow', params: {} } });
    },
    previewed,
    stored: () => look ?? null,
    preview: (c) => {
      previewed.push(c);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
