import { describe, expect, it } from 'vitest';
import { parseOperatorName, peopleFilter } from '../../../src-main/connectors/ad/ad-directory.ts';
import { rankPerson } from '../../../shared/search.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';

const person = (over: Partial<PersonSummary>): PersonSummary => ({
  id: '00000000-0000-0000-0000-000000000000', dn: 'CN=x,DC=a', username: 'x', displayName: 'X', givenName: null, surname: null,
  email: null, employeeId: null, ouPath: '', enabled: true, locked: false, passwordLastSet: null, accountExpires: null,
  mustChangePassword: false, passwordNeverExpires: false, ...over,
});

describe('peopleFilter', () => {
  it('puts search text into the filter as escaped literals only', () => {
    const f = peopleFilter('*)(objectClass=*').toString();
    expect(f).toContain('\\2a\\29\\28objectClass=\\2a');
    expect(f).not.toContain('(objectClass=*)');
    expect(f.startsWith('(&(objectCategory=person)(objectClass=user)(|')).toBe(true);
  });
  it('escapes backslashes and NUL', () => {
    const f = peopleFilter('\\2a a\0b').toString();
    expect(f).toContain('\\5c2a');
    expect(f).toContain('a\\00b');
  });
  it('requires every word to match (AND of ORs)', () => {
    const f = peopleFilter('  Søren   Jørgensen ').toString();
    expect(f.match(/\(\|/g)).toHaveLength(2);
    expect(f).toContain('(displayName=*Søren*)');
    expect(f).toContain('(sn=Jørgensen*)');
  });
  it('empty text is every person', () => {
    expect(peopleFilter('').toString()).toBe('(&(objectCategory=person)(objectClass=user))');
  });
});

describe('rankPerson', () => {
  const exact = person({ username: 'jens', displayName: 'Jens Hansen' });
  const prefix = person({ username: 'jensen1', displayName: 'Mette Jensen' });
  const name = person({ username: 'abcd0001', displayName: 'Jens Pedersen' });
  const contains = person({ username: 'abcd0002', displayName: 'Anne Bejens' });
  it('orders exact, username prefix, name prefix, contains', () => {
    expect(rankPerson(exact, 'jens')).toBe(0);
    expect(rankPerson(prefix, 'jens')).toBe(2);
    expect(rankPerson(name, 'jens')).toBe(3);
    expect(rankPerson(contains, 'jens')).toBe(5);
  });
  it('ranks employee numbers and mail like a helpdesk expects', () => {
    expect(rankPerson(person({ employeeId: '990001' }), '990001')).toBe(0);
    expect(rankPerson(person({ email: 'jens@kommune.dk' }), 'JENS@kommune.dk')).toBe(1);
    expect(rankPerson(person({ employeeId: '990001' }), '9900')).toBe(4);
  });
  it('folds case for Danish letters', () => {
    expect(rankPerson(person({ displayName: 'Åse Ærø' }), 'åse')).toBe(3);
    expect(rankPerson(person({ displayName: 'Åse Ærø' }), 'ÆRØ')).toBe(3);
  });
});

describe('parseOperatorName', () => {
  const profile = { upnSuffix: '', baseDn: 'DC=kommune,DC=test' };
  it('adds the UPN suffix (from the base DN when none is set) to a plain name', () => {
    expect(parseOperatorName('jens', profile).bindName).toBe('jens@kommune.test');
    expect(parseOperatorName('jens', { ...profile, upnSuffix: 'kommune.dk' }).bindName).toBe('jens@kommune.dk');
  });
  it('keeps user@suffix and DOMAIN\\user as typed', () => {
    expect(parseOperatorName(' jens@kommune.dk ', profile).bindName).toBe('jens@kommune.dk');
    expect(parseOperatorName('KOMMUNE\\jens', profile).bindName).toBe('KOMMUNE\\jens');
  });
  it('looks the operator up with literal (escaped) filters', () => {
    const { lookup } = parseOperatorName('KOMMUNE\\*)(x=*', profile);
    expect(lookup.map((l) => l.toString())).toEqual(['(sAMAccountName=\\2a\\29\\28x=\\2a)']);
  });
});
