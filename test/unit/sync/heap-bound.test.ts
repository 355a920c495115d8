// The main process's old-space bound (src-main/heap.ts): set once, at run time, with the measured factor.
import type * as v8 from 'node:v8';
import { describe, expect, it, vi } from 'vitest';

const setFlagsFromString = vi.fn();
vi.mock('node:v8', async (importOriginal) => ({ ...(await importOriginal<typeof v8>()), setFlagsFromString }));

describe('boundHeapGrowth', () => {
  it('sets V8 heap growing to 30 % once per process, however many cores are built', async () => {
    const { boundHeapGrowth, HEAP_GROWING_PERCENT } = await import('../../../src-main/heap.ts');
    expect(HEAP_GROWING_PERCENT).toBe(30);
    boundHeapGrowth();
    boundHeapGrowth();
    expect(setFlagsFromString).toHaveBeenCalledTimes(1);
    expect(setFlagsFromString).toHaveBeenCalledWith('--heap-growing-percent=30');
  });
});
