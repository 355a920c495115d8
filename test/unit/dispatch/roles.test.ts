import { describe, expect, it } from 'vitest';
import { RoleMapping } from '../../../shared/domain/settings.ts';
import { dnIsWithin } from '../../../shared/dn.ts';
import { operatorUsername, usernameDomain } from '../../../shared/roles.ts';
import { operatorFromIdentity } from '../../../src-main/services/session/roles.ts';

const identity = (groups: Array<[string, string]>) => ({
  dn: 'CN=Ida,OU=IT,DC=k,DC=test',
  username: 'ida',
  displayName: 'Ida',
  groups: groups.map(([name, sid]) => ({ name, sid, dn: `CN=${name},DC=k,DC=test` })),
});

const mapping = RoleMapping.parse({
  administrator: ['S-1-5-21-1-512'],
  useradmin: ['LIA-Brugeradm'],
  helpdesk: ['LIA-Helpdesk'],
  auditor: ['lia-revisorer'],
  helpdeskScopes: [{ group: 'LIA-Helpdesk-Skoler', ous: ['OU=Skoler,DC=k,DC=test'] }],
});

describe('role mapping', () => {
  it('maps by group name case-insensitively and by SID', () => {
    expect(operatorFromIdentity(identity([['LIA-REVISORER', 'S-1-5-21-1-2000']]), mapping).roles).toEqual(['auditor']);
    expect(operatorFromIdentity(identity([['Domain Admins', 'S-1-5-21-1-512']]), mapping).roles).toEqual(['administrator']);
  });

  it('gives no role for unmapped groups', () => {
    expect(operatorFromIdentity(identity([['Alle', 'S-1-5-21-1-3000']]), mapping).roles).toEqual([]);
  });

  it('limits a scoped helpdesk to its OUs, unless an unscoped helpdesk group also applies', () => {
    const scoped = operatorFromIdentity(identity([['LIA-Helpdesk-Skoler', 'S-1']]), mapping);
    expect(scoped.roles).toEqual(['helpdesk']);
    expect(scoped.helpdeskOus).toEqual(['OU=Skoler,DC=k,DC=test']);
    const both = operatorFromIdentity(identity([['LIA-Helpdesk-Skoler', 'S-1'], ['LIA-Helpdesk', 'S-2']]), mapping);
    expect(both.helpdeskOus).toBeNull();
  });

  it('compares DNs for OU scope without being fooled by look-alike suffixes', () => {
    expect(dnIsWithin('CN=A,OU=Elever,OU=Skoler,DC=k,DC=test', 'ou=skoler,dc=k,dc=test')).toBe(true);
    expect(dnIsWithin('CN=A,OU=IkkeSkoler,DC=k,DC=test', 'OU=Skoler,DC=k,DC=test')).toBe(false);
    expect(dnIsWithin('OU=Skoler,DC=k,DC=test', 'OU=Skoler,DC=k,DC=test')).toBe(true);
  });
});

describe('OU scope and escaped DNs', () => {
  it('does not let an escaped comma in a name pose as an OU boundary', () => {
    // "CN=X\,OU=Skoler" is one RDN directly under the domain, not a member of OU=Skoler.
    expect(dnIsWithin('CN=X\\,OU=Skoler,DC=k,DC=test', 'OU=Skoler,DC=k,DC=test')).toBe(false);
    expect(dnIsWithin('CN=Hansen\\, Jens,OU=Skoler,DC=k,DC=test', 'OU=Skoler,DC=k,DC=test')).toBe(true);
  });
});

describe('one DN helper for the whole console', () => {
  it('compares DNs as AD does, however a character was escaped', () => {
    // \2C and \, are the same comma; case never matters; spaces around = do not either.
    expect(dnIsWithin('CN=Hansen\\2C Jens,OU=Skoler,DC=k,DC=test', 'OU=Skoler,DC=k,DC=test')).toBe(true);
    expect(dnIsWithin('CN=A,OU=Sk\\C3\\B8le,DC=k,DC=test', 'ou=skøle, dc=k, dc=test')).toBe(true);
    // A DN that does not parse is inside nothing.
    expect(dnIsWithin('CN=A,OU=Skoler,DC=k,DC=test"', 'OU=Skoler,DC=k,DC=test')).toBe(false);
    expect(dnIsWithin('CN=A,OU=Skoler,DC=k,DC=test', '')).toBe(false);
  });
});

describe('operatorUsername', () => {
  const skole = { id: 'skole', name: 'Skolerne', baseDn: 'DC=skole,DC=test', primary: false, nested: [] };
  const kommune = { ...skole, id: 'kommune', name: 'Kommunen', baseDn: 'DC=kommune,DC=test', primary: true };
  it('qualifies another domain’s operator, and no typed suffix can make a name look like one', () => {
    expect(operatorUsername('op.helpdesk', skole)).toBe('op.helpdesk@skole');
    expect(operatorUsername('op.helpdesk', kommune)).toBe('op.helpdesk');
    expect(operatorUsername('op.helpdesk')).toBe('op.helpdesk');
    // A municipality account whose typed name (UPN) ends in "@skole" is still the municipality's "evil".
    expect(operatorUsername('evil@skole', kommune)).toBe('evil');
    expect(usernameDomain(operatorUsername('evil@skole', kommune))).toBeNull();
    expect(operatorUsername('evil@kommune', skole)).toBe('evil@skole');
  });
});
