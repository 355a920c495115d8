// Bounded concurrency for an adapter's per-key reads, cancellable between calls.
import { ConsoleError } from '../../../../shared/errors.ts';

/** Runs `fn` over the items, at most `n` at a time; a cancelled signal stops handing out new items. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (signal?.aborted) throw new ConsoleError('cancelled', 'Indlæsningen blev afbrudt.').withKey('loadCancelled');
}
