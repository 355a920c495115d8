// Sorting and merging 100,000 rows in slices (src-main/slices.ts), and the key that sorts them nearly as
// the Danish collator does.
import { pause, slicer } from '../../../slices.ts';

/** Bottom-up merge sort that yields between slices (stable). */
export async function sortSliced<T>(items: readonly T[], cmp: (a: T, b: T) => number, budget = 40_000): Promise<T[]> {
  const n = items.length;
  let a = items.slice();
  let b: T[] = new Array<T>(n);
  const sliceDone = slicer(budget);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) b[k++] = cmp(a[j] as T, a[i] as T) < 0 ? (a[j++] as T) : (a[i++] as T);
      while (i < mid) b[k++] = a[i++] as T;
      while (j < hi) b[k++] = a[j++] as T;
      if (sliceDone(hi - lo)) await pause();
    }
    [a, b] = [b, a];
  }
  return a;
}

/**
 * Sort by an exact but slow comparator (Intl.Collator): first by a cheap key that gives nearly the same
 * order (plain string comparison, fast), then an insertion pass with the exact comparator, which on
 * nearly-sorted input costs about one comparison per item. Should the key be far off, the exact
 * comparator sorts the whole thing (sliced, so still without stalling).
 */
export async function sortByKeyThenExact<T>(items: readonly T[], key: (x: T) => string, exact: (a: T, b: T) => number): Promise<T[]> {
  // Restored from the store in name order: the exact insertion pass alone (about one comparison each).
  const presorted = await insertionSorted(items.slice(), exact, items.length / 8 + 100);
  if (presorted) return presorted;
  // The keys, each with its item's position, sorted by the engine's own string sort (no comparator
  // callback: about 0.1 s for 100,000 instead of a second in a comparator-driven sort).
  const keyed: string[] = [];
  const sliceDone = slicer(5_000);
  for (let i = 0; i < items.length; i++) {
    keyed.push(`${key(items[i] as T)}\u0000${i.toString(36).padStart(4, '0')}`);
    if (sliceDone()) await pause();
  }
  keyed.sort();
  await pause();
  const sorted = keyed.map((k) => items[Number.parseInt(k.slice(k.lastIndexOf('\u0000') + 1), 36)] as T);
  return (await insertionSorted(sorted, exact, sorted.length * 4 + 1000)) ?? sortSliced(items, exact);
}

/** Insertion sort in place, in slices; null once it has moved more than `limit` items (input far from sorted). */
async function insertionSorted<T>(sorted: T[], exact: (a: T, b: T) => number, limit: number): Promise<T[] | null> {
  const sliceDone = slicer(20_000);
  let moves = 0;
  for (let i = 1; i < sorted.length; i++) {
    const x = sorted[i] as T;
    let j = i - 1;
    while (j >= 0 && exact(sorted[j] as T, x) > 0) {
      sorted[j + 1] = sorted[j] as T;
      j--;
      moves++;
    }
    sorted[j + 1] = x;
    if (moves > limit) return null;
    if (sliceDone(i - j)) await pause();
  }
  return sorted;
}

/** Two sorted lists as one, in slices. */
export async function mergeSorted<T>(a: readonly T[], b: readonly T[], cmp: (x: T, y: T) => number): Promise<T[]> {
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  const out: T[] = [];
  const sliceDone = slicer(20_000);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    out.push(cmp(b[j] as T, a[i] as T) < 0 ? (b[j++] as T) : (a[i++] as T));
    if (sliceDone()) await pause();
  }
  while (i < a.length) out.push(a[i++] as T);
  while (j < b.length) out.push(b[j++] as T);
  return out;
}

/**
 * A key that sorts nearly as the Danish collator does (base sensitivity, numbers by value): lower case,
 * accents dropped, æ/ä < ø/ö < å/aa after z, digit runs padded.
 */
export function danishNameKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/aa/g, 'å')
    .replace(/[æä]/g, '{0')
    .replace(/[øö]/g, '{1')
    .replace(/å/g, '{2')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\d+/g, (d) => d.padStart(12, '0'));
}
