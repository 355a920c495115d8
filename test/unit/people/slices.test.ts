// The people index's sliced work: the slicer says when a slice is over (and only then), and the sliced
// sorts give the same order as a plain sort while letting the event loop run in between.
import { describe, expect, it } from 'vitest';
import { slicer } from '../../../src-main/slices.ts';
import { mergeSorted, sortByKeyThenExact, sortSliced } from '../../../src-main/services/people/index/slices.ts';
import { prng } from '../../../src-main/training/prng.ts';

const collator = new Intl.Collator('da', { sensitivity: 'base', numeric: true });

describe('slicer', () => {
  it('says true once per budget of units, and false (no promise) in between', () => {
    const sliceDone = slicer(3);
    expect([sliceDone(), sliceDone(), sliceDone(), sliceDone(), sliceDone(), sliceDone()]).toEqual([false, false, true, false, false, true]);
    // Units count as many; the count starts over after each slice.
    expect(sliceDone(2)).toBe(false);
    expect(sliceDone(5)).toBe(true);
    expect(sliceDone(1)).toBe(false);
  });

  it('also ends a slice once it has held the loop ~15 ms, however much of its budget is left; the clock starts after the pause', () => {
    const busy = (ms: number) => {
      const t = performance.now();
      while (performance.now() - t < ms);
    };
    const sliceDone = slicer(1_000_000);
    let units = 0;
    let ended = false;
    while (!ended && units < 1_000) {
      busy(0.5);
      units++;
      ended = sliceDone();
    }
    // The clock is read every 64 units: 64 units of 0.5 ms are past the limit.
    expect(units).toBe(64);
    // A long pause (other work on the loop) does not count against the next slice.
    busy(30);
    expect(Array.from({ length: 200 }, () => sliceDone()).some(Boolean)).toBe(false);
  });
});

describe('the sliced sorts', () => {
  const rnd = prng(7);
  const numbers = Array.from({ length: 5_000 }, () => Math.floor(rnd() * 1_000));

  it('sortSliced is a stable sort that lets the event loop in', async () => {
    const items = numbers.map((n, i) => ({ n, i }));
    let turns = 0;
    const tick = () => {
      turns++;
      if (turns < 1_000) setImmediate(tick);
    };
    setImmediate(tick);
    const sorted = await sortSliced(items, (a, b) => a.n - b.n, 1_000);
    expect(sorted).toEqual([...items].sort((a, b) => a.n - b.n || a.i - b.i));
    // 13 passes over 5,000 items in slices of 1,000: the loop ran in between, many times.
    expect(turns).toBeGreaterThan(20);
  });

  it('sortByKeyThenExact gives the exact order, from a near key or from far off', async () => {
    const names = ['Åse', 'Aage', 'Zenia', 'Ærø', 'Øjvind', 'anna', 'Anna 10', 'Anna 9', 'Ébba', 'Bo'];
    const many = Array.from({ length: 3_000 }, (_, i) => `${names[i % names.length]!} ${Math.floor(rnd() * 100)}`);
    const expected = [...many].sort(collator.compare);
    const near = (s: string) => s.toLowerCase();
    expect(await sortByKeyThenExact(many, near, collator.compare)).toEqual(expected);
    // A key far from the exact order: the exact comparator sorts it all.
    expect(await sortByKeyThenExact(many, () => String(Math.floor(rnd() * 10)), collator.compare)).toEqual(expected);
  });

  it('mergeSorted merges two sorted lists', async () => {
    const a = numbers.slice(0, 2_500).sort((x, y) => x - y);
    const b = numbers.slice(2_500).sort((x, y) => x - y);
    expect(await mergeSorted(a, b, (x, y) => x - y)).toEqual([...numbers].sort((x, y) => x - y));
    expect(await mergeSorted([], b, (x, y) => x - y)).toEqual(b);
  });
});
