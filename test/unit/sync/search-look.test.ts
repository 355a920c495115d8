import { describe, expect, it } from 'vitest';
import type { MitIdIdentitySummary } from '../../../shared/mitid/domain.ts';
import { SearchDiff, searchLookText, summaryHash } from '../../../src-main/services/people/sync/search-look.ts';

// What a start tells MitID Erhverv's changed summaries by, before the stored facts load.
const base: MitIdIdentitySummary = { uuid: 'u-1', id: 7, status: 'Active', givenName: 'Anna', surname: 'Berg', cprNumber: '0101901234', emailAddress: 'anna@kommune.dk', rid: null };
const summaries = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`u-${i}`, { ...base, uuid: `u-${i}`, id: i, emailAddress: `p${i}@kommune.dk` }] as const));

async function diffOf(last: Map<string, MitIdIdentitySummary>, now: Map<string, MitIdIdentitySummary>): Promise<{ fresh: string[]; changed: string[] }> {
  const d = SearchDiff.of(await searchLookText(last))!;
  const told = { new: [] as string[], changed: [] as string[], same: [] as string[] };
  for (const [uuid, s] of now) told[d.check(uuid, s)].push(uuid);
  return { fresh: told.new.sort(), changed: told.changed.sort() };
}

describe('the last search as a start compares with it', () => {
  it('tells every field the list shows apart, and null from empty, across field boundaries', async () => {
    expect(summaryHash({ ...base })).toBe(summaryHash(base));
    const changes: Partial<MitIdIdentitySummary>[] = [
      { status: 'Suspended' }, { givenName: 'Anne' }, { surname: 'Bergh' }, { emailAddress: 'anna.berg@kommune.dk' },
      { id: 8 }, { id: null }, { rid: '12345' }, { givenName: 'Ann', surname: 'aBerg' }, { rid: '' }, { emailAddress: null },
    ];
    const hashes = new Set([summaryHash(base), ...changes.map((c) => summaryHash({ ...base, ...c }))]);
    expect(hashes.size).toBe(changes.length + 1);
    // The CPR number is not in the look (see summaryHash).
    expect(summaryHash({ ...base, cprNumber: '0202901234' })).toBe(summaryHash(base));
  });

  it('finds the changed and the new, in the same order, with identities inserted or deleted, and in another order', async () => {
    const last = summaries(1_000);
    const same = new Map(last);
    same.set('u-10', { ...last.get('u-10')!, status: 'Suspended' });
    same.set('u-999', { ...last.get('u-999')!, givenName: 'Bo' });
    expect(await diffOf(last, same)).toEqual({ fresh: [], changed: ['u-10', 'u-999'] });

    // A new identity in the middle and one gone: the rest are still told right.
    const moved = new Map<string, MitIdIdentitySummary>();
    for (const [k, v] of same) {
      if (k === 'u-500') moved.set('u-new', { ...base, uuid: 'u-new' });
      if (k !== 'u-20') moved.set(k, v);
    }
    moved.set('u-700', { ...last.get('u-700')!, emailAddress: null });
    expect(await diffOf(last, moved)).toEqual({ fresh: ['u-new'], changed: ['u-10', 'u-700', 'u-999'] });

    const reversed = new Map([...same].reverse());
    expect(await diffOf(last, reversed)).toEqual({ fresh: [], changed: ['u-10', 'u-999'] });
    expect((await diffOf(new Map(), same)).fresh).toHaveLength(1_000);
  });

  it('is no look when the text is not one (an earlier version\'s, or cut short)', async () => {
    const text = await searchLookText(summaries(10));
    expect(SearchDiff.of('u-1\tAnna')).toBeNull();
    expect(SearchDiff.of(text.slice(0, -8))).toBeNull();
    expect(SearchDiff.of(text)).not.toBeNull();
  });
});
