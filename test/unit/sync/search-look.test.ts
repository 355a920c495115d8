import { describe, expect, it } from 'vitest';
import type { MitIdIdentitySummary } from '../../../shared/mitid/domain.ts';
import { SearchDiff, searchLookText, summaryProbe } from '../../../src-main/services/people/sync/search-look.ts';

// What a start tells MitID Erhverv's changed summaries by, before the stored facts load.
const base: MitIdIdentitySummary = { uuid: 'u-1', id: 7, status: 'Active', givenName: 'Anna', surname: 'Berg', cprNumber: '0101901234', emailAddress: 'anna@kommune.dk', rid: null };
const summaries = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`u-${i}`, { ...base, uuid: `u-${i}`, id: i, emailAddress: `p${i}@kommune.dk` }] as const));

function diffOf(last: Map<string, MitIdIdentitySummary>, now: Map<string, MitIdIdentitySummary>): { fresh: string[]; changed: string[] } {
  const d = new SearchDiff(searchLookText(last));
  for (const [uuid, s] of now) d.check(uuid, s);
  return { fresh: [...d.fresh].sort(), changed: [...d.changed].sort() };
}

describe('the last search as a start compares with it', () => {
  it('tells every field the list shows apart, and null from empty, across field boundaries', () => {
    expect(summaryProbe({ ...base })).toBe(summaryProbe(base));
    const changes: Partial<MitIdIdentitySummary>[] = [
      { status: 'Suspended' }, { givenName: 'Anne' }, { surname: 'Bergh' }, { emailAddress: 'anna.berg@kommune.dk' },
      { id: 8 }, { id: null }, { rid: '12345' }, { givenName: 'Ann', surname: 'aBerg' }, { rid: '' }, { emailAddress: null },
    ];
    const probes = new Set([summaryProbe(base), ...changes.map((c) => summaryProbe({ ...base, ...c }))]);
    expect(probes.size).toBe(changes.length + 1);
  });

  it('finds the changed and the new, in the same order, with identities inserted or deleted, and in another order', () => {
    const last = summaries(1_000);
    const same = new Map(last);
    same.set('u-10', { ...last.get('u-10')!, status: 'Suspended' });
    same.set('u-999', { ...last.get('u-999')!, givenName: 'Bo' });
    expect(diffOf(last, same)).toEqual({ fresh: [], changed: ['u-10', 'u-999'] });

    // A new identity in the middle and one gone: the rest are still told right.
    const moved = new Map<string, MitIdIdentitySummary>();
    for (const [k, v] of same) {
      if (k === 'u-500') moved.set('u-new', { ...base, uuid: 'u-new' });
      if (k !== 'u-20') moved.set(k, v);
    }
    moved.set('u-700', { ...last.get('u-700')!, emailAddress: null });
    expect(diffOf(last, moved)).toEqual({ fresh: ['u-new'], changed: ['u-10', 'u-700', 'u-999'] });

    const reversed = new Map([...same].reverse());
    expect(diffOf(last, reversed)).toEqual({ fresh: [], changed: ['u-10', 'u-999'] });
    expect(diffOf(new Map(), same).fresh).toHaveLength(1_000);
  });
});
