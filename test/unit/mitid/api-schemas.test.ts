import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JsonArraySplitter } from '../../../src-main/connectors/mitid-erhverv/json-array-splitter.ts';
import { forEachEmployee, type SearchParser } from '../../../src-main/connectors/mitid-erhverv/search-stream.ts';
import { EmployeeResponse, SearchItem, TokenResponse } from '../../../shared/mitid/api.ts';
import { splitFullName } from '../../../shared/mitid/domain.ts';

describe('API schemas', () => {
  it('bind property names case-insensitively and drop unknown fields', () => {
    const r = EmployeeResponse.parse({
      UUID: 'abc-123',
      identityProfile: { Status: 'Active', registeredIAL: 'Substantial', allowQualifiedCertificateIssuance: true, extra: 1 },
      IdentityPermissions: { allowSigning: true },
      somethingNew: { a: 1 },
    });
    expect(r).toEqual({
      uuid: 'abc-123',
      identityProfile: { status: 'Active', rid: null, allowQualifiedCertificateIssuance: true, roles: [], givenName: null, surname: null, emailAddress: null },
      identityPermissions: { allowSigning: true, authorizedToRepresent: false },
    });
  });

  it('are strict where we act on a value', () => {
    expect(SearchItem.safeParse({ id: 1, status: 'Active' }).success).toBe(false);
    expect(SearchItem.safeParse({ uuid: 'x', status: '' }).success).toBe(false);
    const ci = SearchItem.safeParse({ UUID: 'x', Status: 'Active', Profile: { CPRNumber: '0101010101' } });
    expect(ci.success && ci.data).toMatchObject({ uuid: 'x', status: 'Active', profile: { cprNumber: '0101010101' } });
    expect(TokenResponse.safeParse({ accessToken: 't', expiresIn: 0 }).success).toBe(false);
    expect(TokenResponse.parse({ AccessToken: 't', expiresIn: 3600 })).toEqual({ accessToken: 't', tokenType: null, expiresIn: 3600 });
  });

  it('split a full name at the last space, trimmed', () => {
    expect(splitFullName('  Jens  Peter   Hansen ')).toEqual({ givenName: 'Jens Peter', surname: 'Hansen' });
    expect(splitFullName('Madonna')).toEqual({ givenName: 'Madonna', surname: '' });
  });
});

describe('streamed search parsing', () => {
  const body = (s: string, chunk = 7) => Readable.from((function* () {
    for (let i = 0; i < s.length; i += chunk) yield Buffer.from(s.slice(i, i + chunk));
  })());

  it('yields each employee, however the body is chunked, and ignores other properties', async () => {
    const json = JSON.stringify({
      meta: { employees: ['not these'] },
      Employees: [
        { uuid: 'a', status: 'Active', profile: { givenName: 'Æble Ø', surname: 'Å', tags: [1, 2] } },
        { uuid: 'b', status: 'Suspended' },
      ],
      after: [1, 2, 3],
    });
    for (const [chunk, parser] of [[1, 'splitter'], [5, 'stream-json'], [64, 'splitter'], [10_000, 'stream-json']] as const) {
      const out: unknown[] = [];
      await forEachEmployee(body(json, chunk), parser, (v) => out.push(v) > 0);
      expect(out).toEqual([
        { uuid: 'a', status: 'Active', profile: { givenName: 'Æble Ø', surname: 'Å', tags: [1, 2] } },
        { uuid: 'b', status: 'Suspended' },
      ]);
    }
  });

  it('stops when the consumer says so', async () => {
    const seen: unknown[] = [];
    await forEachEmployee(body('{"employees":[1,2,3,4]}', 3), 'splitter', async (v) => seen.push(v) < 2);
    expect(seen).toEqual([1, 2]);
  });

  it('fails on a body that breaks off, or is not JSON', async () => {
    const run = (s: string, parser: SearchParser) => forEachEmployee(body(s), parser, () => true);
    for (const parser of ['splitter', 'stream-json'] as const) {
      await expect(run('{"employees":[{"uuid":"a","status":"Active"},{"uuid":', parser)).rejects.toThrow();
    }
    await expect(run('{"employees":[{"uuid":"a",status:1}]}', 'splitter')).rejects.toThrow(/uventet format/);
  });
});

describe('JSON array splitter (the search parser)', () => {
  const split = (json: string, chunk: number) => {
    const s = new JsonArraySplitter('employees');
    const out: unknown[] = [];
    const bytes = Buffer.from(json, 'utf8');
    for (let i = 0; i < bytes.length; i += chunk) out.push(...s.push(bytes.subarray(i, i + chunk)));
    s.end();
    return out;
  };

  it('yields exactly the elements of the top-level array, for every chunking, including multi-byte text', () => {
    const employees = [
      { uuid: 'a', status: 'Active', profile: { givenName: 'Søren "Sø" Æblø \\ ]}', surname: 'Å', tags: [1, [2, { x: '[' }]] } },
      { uuid: 'b', status: 'Suspended', rid: null, n: -1.5e3 },
      'tekst, med komma ]',
      42,
      true,
      null,
      [],
      {},
    ];
    const json = JSON.stringify({ meta: { employees: [9] }, x: 'employees', Employees: employees, after: [1, 2, { employees: [3] }] });
    for (const chunk of [1, 2, 3, 7, 64, 100_000]) expect(split(json, chunk)).toEqual(employees);
    expect(split(' {\n "employees" : [ ] }\n', 1)).toEqual([]);
    expect(split('{"other":1}', 3)).toEqual([]);
  });

  it('throws when the body breaks off inside the array', () => {
    expect(() => split('{"employees":[{"uuid":"a"},{"uu', 4)).toThrow(/sluttede midt/);
  });
});
