// The search parser's fast path (one native JSON.parse per chunk, split at the last `},{`) and its hand-over
// to the exact byte splitter: the same elements as JSON.parse of the whole body, for every chunking and for
// hostile text, with the fast path kept for the shape the service sends.
import { describe, expect, it } from 'vitest';
import { SearchBodySplitter } from '../../../src-main/connectors/mitid-erhverv/json-array-splitter.ts';

function split(json: string, chunk: number): { items: unknown[]; exact: boolean } {
  const s = new SearchBodySplitter('employees');
  const items: unknown[] = [];
  const bytes = Buffer.from(json, 'utf8');
  for (let i = 0; i < bytes.length; i += chunk) items.push(...s.push(bytes.subarray(i, i + chunk)));
  items.push(...s.end());
  return { items, exact: s.exactMode };
}

const employees = Array.from({ length: 300 }, (_, n) => ({
  id: n,
  uuid: `u-${n}`,
  status: n % 7 ? 'Active' : 'Suspended',
  emailAddress: `p${n}@kommune.dk`,
  rid: null,
  profile: { givenName: `Søren Ærø ${n}`, surname: 'Ågård 😀', cprNumber: null },
}));

describe('the search body splitter', () => {
  it('parses the service\'s compact shape on the fast path, for every chunking, multi-byte text cut anywhere', () => {
    const json = JSON.stringify({ employees });
    for (const chunk of [1, 2, 3, 5, 64, 4096, 1 << 20]) {
      const r = split(json, chunk);
      expect(r.items).toEqual(employees);
      expect(r.exact).toBe(false);
    }
    expect(split('{"Employees":[]}', 1)).toEqual({ items: [], exact: false });
  });

  it('hands hostile text over to the exact splitter and still yields exactly the elements', () => {
    const hostile = [
      ...employees.slice(0, 5),
      { uuid: 'x', profile: { givenName: 'a},{"uuid":"evil"},{', surname: '}]}' } },
      { uuid: 'y', tags: [{ a: 1 }, { b: 2 }] }, // `},{` one level down
      ...employees.slice(5, 10),
    ];
    // Only where a chunk's last `},{` lies inside a string does the fast parse fail and hand over; a `},{`
    // elsewhere in a string is inside a region of whole elements and parses as it should.
    for (const chunk of [1, 7, 64, 1 << 20]) expect(split(JSON.stringify({ employees: hostile }), chunk).items).toEqual(hostile);
    const last = [...employees.slice(0, 3), { uuid: 'z', givenName: 'slut},{"uuid":"evil"}' }];
    expect(split(JSON.stringify({ employees: last }), 1 << 20)).toEqual({ items: last, exact: true });
  });

  it('reads other shapes exactly: whitespace, other properties first or after, scalars', () => {
    const pretty = JSON.stringify({ employees: employees.slice(0, 20) }, null, 2);
    expect(split(pretty, 50).items).toEqual(employees.slice(0, 20));
    const others = JSON.stringify({ meta: { employees: [9] }, employees: [1, 'to', null, { a: [] }], after: [{ employees: [3] }] });
    for (const chunk of [1, 3, 1000]) expect(split(others, chunk).items).toEqual([1, 'to', null, { a: [] }]);
    expect(split(JSON.stringify({ employees: [{ a: 1 }, { b: 2 }], total: 2 }), 4).items).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('throws when the body breaks off inside the array, on either path', () => {
    expect(() => split('{"employees":[{"uuid":"a"},{"uuid":"b"},{"uu', 4)).toThrow();
    expect(() => split('{"employees":[{"uuid":"a"},{"uuid":"b"}', 100)).toThrow();
    expect(() => split('{"employees":[{"uuid":"a","x":"},{"},{"uu', 3)).toThrow();
  });
});
