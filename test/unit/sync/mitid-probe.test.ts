import { describe, expect, it } from 'vitest';
import type { MitIdIdentitySummary } from '../../../shared/mitid/domain.ts';
import { mitidProbe } from '../../../src-main/services/people/sync/mitid-source.ts';

// The probe a start tells MitID Erhverv's changed summaries by, before the stored facts load.
const base: MitIdIdentitySummary = { uuid: 'u-1', id: 7, status: 'Active', givenName: 'Anna', surname: 'Berg', cprNumber: '0101901234', emailAddress: 'anna@kommune.dk', rid: null };

describe('the MitID Erhverv summary probe', () => {
  it('is the same for the same summary and differs when any field the search shows differs', () => {
    expect(mitidProbe({ ...base })).toBe(mitidProbe(base));
    const changes: Partial<MitIdIdentitySummary>[] = [
      { status: 'Suspended' }, { givenName: 'Anne' }, { surname: 'Bergh' }, { emailAddress: 'anna.berg@kommune.dk' }, { cprNumber: null },
      { id: 8 }, { id: null }, { rid: '12345' },
      // Field boundaries and null are their own: not the same text run together.
      { givenName: 'Ann', surname: 'aBerg' }, { rid: '' }, { emailAddress: null },
    ];
    const probes = new Set([mitidProbe(base), ...changes.map((c) => mitidProbe({ ...base, ...c }))]);
    expect(probes.size).toBe(changes.length + 1);
  });
});
