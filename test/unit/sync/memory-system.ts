// An in-memory system for the engine's and the index's tests: a map of facts that a test changes as the
// real system would be changed, and a SyncSource over it that answers a delta (what changed since the
// cursor) or, without a cursor, everything. It counts what it was asked.
import { ConsoleError } from '../../../shared/errors.ts';
import type { SourceChanges, SyncSource, SyncSystem } from '../../../src-main/services/people/sync/source.ts';

export interface MemorySystem<F> {
  data: Map<string, F>;
  set(key: string, fact: F): void;
  remove(key: string): void;
  source: SyncSource<F>;
  asked: { full: number; delta: number; readNow: string[] };
  /** Make the next refresh wait until `release()` (to cancel it, or to measure while it runs). */
  hold(): { release(): void };
  /** Make refreshes fail with this error until cleared (null). */
  failWith: Error | null;
}

export function memorySystem<F>(system: SyncSystem, initial: Iterable<[string, F]> = []): MemorySystem<F> {
  const data = new Map(initial);
  let seq = 0;
  const changedAt = new Map<string, number>();
  let gate: Promise<void> | null = null;
  const asked = { full: 0, delta: 0, readNow: [] as string[] };
  const stamp = (now: number) => new Date(now).toISOString();
  const m: MemorySystem<F> = {
    data,
    asked,
    failWith: null,
    set(key, fact) {
      data.set(key, fact);
      changedAt.set(key, ++seq);
    },
    remove(key) {
      data.delete(key);
      changedAt.set(key, ++seq);
    },
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return {
        release: () => {
          gate = null;
          release();
        },
      };
    },
    source: {
      system,
      async refresh(cursor, _known, ctx): Promise<SourceChanges<F>> {
        if (m.failWith) throw m.failWith;
        const at = seq;
        if (gate) {
          ctx.progress({ phase: { code: 'starting', params: {} }, done: 1, total: 2 });
          await Promise.race([gate, new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new ConsoleError('cancelled', 'Indlæsningen blev afbrudt.'))))]);
        }
        const readAt = stamp(ctx.now());
        if (cursor === null) {
          asked.full++;
          return { mode: 'full', upserts: [...data].map(([key, fact]) => ({ key, fact, readAt })), deletes: [], cursor: String(at), calls: { all: 1 }, method: { code: 'adFull', params: { why: 'first' } } } satisfies SourceChanges<F>;
        }
        asked.delta++;
        const since = Number(cursor);
        const upserts: SourceChanges<F>['upserts'] = [];
        const deletes: string[] = [];
        for (const [key, n] of changedAt) {
          if (n <= since || n > at) continue;
          const fact = data.get(key);
          if (fact === undefined) deletes.push(key);
          else upserts.push({ key, fact, readAt });
        }
        return { mode: 'delta', upserts, deletes, cursor: String(at), calls: { changes: 1 }, method: { code: 'adDelta', params: { sweepMinutes: 30, swept: false } } };
      },
      async readNow(keys, ctx) {
        asked.readNow.push(...keys);
        const readAt = stamp(ctx.now());
        const upserts = keys.filter((k) => data.has(k)).map((key) => ({ key, fact: data.get(key) as F, readAt }));
        return { mode: 'delta', upserts, deletes: keys.filter((k) => !data.has(k)), cursor: null, calls: { one: keys.length }, method: { code: 'readNow', params: {} } };
      },
    },
  };
  return m;
}

type Refresh<F> = SyncSource<F>['refresh'];

/** The source with its refresh wrapped: `around` gets the source's own refresh and the engine's arguments. */
export function aroundRefresh<F>(source: SyncSource<F>, around: (own: Refresh<F>, ...args: Parameters<Refresh<F>>) => ReturnType<Refresh<F>>): SyncSource<F> {
  return { ...source, refresh: (...args) => around((...a) => source.refresh(...a), ...args) };
}
