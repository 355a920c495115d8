import { describe, expect, it } from 'vitest';
import { escapeFilterValue } from '../../../src-main/connectors/ad/escape.ts';
import { escapeDnValue, formatDn, ouPathOf, parseDn, rdn, sameDn, firstRdnValue } from '../../../shared/dn.ts';

describe('escapeDnValue (RFC 4514)', () => {
  it.each([
    ['Hansen, Jens', 'Hansen\\, Jens'],
    ['Mette+Ole', 'Mette\\+Ole'],
    ['#1 Hotline', '\\#1 Hotline'],
    ['Nr. #1', 'Nr. #1'],
    ['Ib "Bamse" Larsen', 'Ib \\"Bamse\\" Larsen'],
    ['KOMMUNE\\Bent', 'KOMMUNE\\\\Bent'],
    [' Ulla', '\\ Ulla'],
    ['Åge ', 'Åge\\ '],
    ['a = b; <c>', 'a \\= b\\; \\<c\\>'],
    ['Stjerne*(x)', 'Stjerne*(x)'],
    ['nul\0byte', 'nul\\00byte'],
    ['Søren Ærø Ågård Müller Clément', 'Søren Ærø Ågård Müller Clément'],
    [' ', '\\ '],
  ])('%j → %j', (raw, escaped) => {
    expect(escapeDnValue(raw)).toBe(escaped);
  });

  it('round-trips every special value through parseDn', () => {
    const nasty = ['Hansen, Jens', 'Mette+Ole', '#1', 'Ib "B" L', 'a\\b', ' lead', 'trail ', '  both  ', 'x=y;z<>', 'æøå ÆØÅ é ü', 'nul\0', '*)(objectClass=*'];
    for (const v of nasty) {
      const dn = `${rdn('CN', v)},OU=Fratrådte,DC=kommune,DC=test`;
      const parsed = parseDn(dn);
      expect(parsed[0]).toEqual([{ type: 'CN', value: v }]);
      expect(parsed).toHaveLength(4);
      expect(formatDn(parsed)).toBe(dn);
    }
  });

  it('rejects attribute types that would smuggle DN syntax', () => {
    expect(() => rdn('CN=x,OU', 'y')).toThrow();
  });
});

describe('parseDn', () => {
  it('decodes hex escapes as UTF-8 and keeps multi-valued RDNs', () => {
    expect(parseDn('CN=S\\C3\\B8ren+UID=x,DC=a')).toEqual([
      [{ type: 'CN', value: 'Søren' }, { type: 'UID', value: 'x' }],
      [{ type: 'DC', value: 'a' }],
    ]);
  });
  it('accepts the escapes AD itself writes (\\# and \\, and \\")', () => {
    expect(firstRdnValue('CN=\\#1 Hotline,OU=X,DC=a')).toBe('#1 Hotline');
    expect(firstRdnValue('CN=Ib \\"Bamse\\" Larsen,OU=X')).toBe('Ib "Bamse" Larsen');
    expect(firstRdnValue('CN=Åge Mellemrum\\ ,OU=X')).toBe('Åge Mellemrum ');
  });
  it('keeps inner spaces, surrogate pairs and text around hex escapes in order', () => {
    expect(parseDn('CN=Jens  Hansen \\C3\\A6 x\\20,OU=😀 Skoler\\,A')).toEqual([
      [{ type: 'CN', value: 'Jens  Hansen æ x ' }],
      [{ type: 'OU', value: '😀 Skoler,A' }],
    ]);
    // An escaped space at the end is part of the value; an unescaped one is not.
    expect(parseDn('CN=a\\ ,OU=b ')).toEqual([[{ type: 'CN', value: 'a ' }], [{ type: 'OU', value: 'b' }]]);
  });

  it('drops unescaped spaces around separators', () => {
    expect(parseDn('CN=Jens , OU=Skoler')).toEqual([[{ type: 'CN', value: 'Jens' }], [{ type: 'OU', value: 'Skoler' }]]);
  });
  it.each(['CN', 'CN=a,', '=a', 'CN=a"b', 'CN=a\\', 'C N=a'])('rejects malformed %j', (dn) => {
    expect(() => parseDn(dn)).toThrow(/Ugyldigt DN/);
  });
  it('compares DNs case-insensitively whatever the escaping style', () => {
    expect(sameDn('CN=Hansen\\2C Jens,OU=X,DC=a', 'cn=hansen\\, jens,ou=x,dc=a')).toBe(true);
    expect(sameDn('CN=a,DC=b', 'CN=a,DC=c')).toBe(false);
    expect(sameDn('CN=a"', 'CN=a')).toBe(false);
  });
  it('gives the OU path outermost first, without domain components', () => {
    expect(ouPathOf('CN=Emil,OU=Elever,OU=Skoler,DC=kommune,DC=test')).toBe('Skoler / Elever');
    expect(ouPathOf('CN=Administrator,CN=Users,DC=kommune,DC=test')).toBe('Users');
    expect(ouPathOf('CN=Hansen\\, Jens,OU=Fratrådte,DC=kommune,DC=test')).toBe('Fratrådte');
  });
});

describe('escapeFilterValue (RFC 4515)', () => {
  it.each([
    ['*)(objectClass=*', '\\2a\\29\\28objectClass=\\2a'],
    ['\\2a', '\\5c2a'],
    ['a\0b', 'a\\00b'],
    ['Søren (vikar)', 'Søren \\28vikar\\29'],
    ['plain', 'plain'],
  ])('%j → %j', (raw, escaped) => {
    expect(escapeFilterValue(raw)).toBe(escaped);
  });
});
