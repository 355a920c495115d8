import { describe, expect, it } from 'vitest';
import { parseUsernameCsv, splitCsv } from '../../../shared/domain/bulk.ts';

describe('CSV of usernames', () => {
  it('reads what Danish Excel saves: BOM, semicolons, CRLF, a header row', () => {
    const r = parseUsernameCsv('\uFEFFBrugernavn;Navn\r\nhanjen;Hanne Jensen\r\nbofre;Bo Frederiksen\r\n');
    expect(r).toEqual({ usernames: ['hanjen', 'bofre'], duplicates: [], invalid: [], header: true });
  });

  it('takes the username column when the header names it, wherever it is', () => {
    const r = parseUsernameCsv('Navn,Username\n"Jensen, Hanne",hanjen\nBo,bofre\n');
    expect(r.usernames).toEqual(['hanjen', 'bofre']);
  });

  it('reads a bare list with LF, CR or tabs, drops blank lines and domain prefixes', () => {
    expect(parseUsernameCsv('hanjen\n\nFJORDBY\\bofre\n  \n').usernames).toEqual(['hanjen', 'bofre']);
    expect(parseUsernameCsv('a1\rb2\rc3').usernames).toEqual(['a1', 'b2', 'c3']);
    expect(parseUsernameCsv('a1\tx\nb2\ty').usernames).toEqual(['a1', 'b2']);
  });

  it('reports repeats (case-insensitive) and values that cannot be usernames, with their line', () => {
    const r = parseUsernameCsv('hanjen\nHANJEN\n"to ord"\nx=y\nbofre\n');
    expect(r.usernames).toEqual(['hanjen', 'bofre']);
    expect(r.duplicates).toEqual(['HANJEN']);
    expect(r.invalid).toEqual([
      { line: 3, value: 'to ord' },
      { line: 4, value: 'x=y' },
    ]);
  });

  it('keeps e-mail style names (UPN) and æøå', () => {
    expect(parseUsernameCsv('søren.ågård@fjordby.dk\n').usernames).toEqual(['søren.ågård@fjordby.dk']);
  });

  it('splits quoted fields with doubled quotes and line breaks inside', () => {
    expect(splitCsv('"a ""b""";c\r\n"x\ny";z', ';')).toEqual([
      { line: 1, fields: ['a "b"', 'c'] },
      { line: 2, fields: ['x\ny', 'z'] },
    ]);
  });
});
