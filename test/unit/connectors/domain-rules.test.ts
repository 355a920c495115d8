import { describe, expect, it } from 'vitest';
import { AdDomain } from '../../../shared/domain/settings.ts';
import { domainRules } from '../../../src-main/connectors/domain-rules.ts';

const domain = (over: Partial<AdDomain> & Pick<AdDomain, 'id' | 'name' | 'baseDn'>): AdDomain => AdDomain.parse({ urls: ['ldaps://dc.example'], ...over });

const kommune = domain({ id: 'kommune', name: 'Kommunen', baseDn: 'DC=fjordby,DC=dk', linkRule: { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false }, signingGroupDn: 'CN=Signatur,OU=Grupper,DC=fjordby,DC=dk' });
// A child domain inside the municipality's, with its own rule, no signing group, and its own IdP domain.
const skole = domain({ id: 'skole', name: 'Skolerne', baseDn: 'DC=skole,DC=fjordby,DC=dk', linkRule: { kind: 'upn', lowercase: true }, idpDomain: 'skoler.fjordby.dk' });

describe('domainRules: the rules of the domain a person lives in', () => {
  const { rulesFor, idpKey } = domainRules([kommune, skole]);

  it('gives a person the link rule and signing group of their own domain, the innermost one', () => {
    expect(rulesFor('CN=Bo,OU=Borgerservice,DC=fjordby,DC=dk')).toEqual({ linkRule: kommune.linkRule, signingGroupDn: kommune.signingGroupDn });
    expect(rulesFor('CN=Anne,OU=Lærere,DC=skole,DC=fjordby,DC=dk')).toEqual({ linkRule: skole.linkRule, signingGroupDn: null });
  });

  it('gives a person with no AD account, or a DN no domain holds, the municipality’s own rules', () => {
    expect(rulesFor(null).linkRule).toEqual(kommune.linkRule);
    expect(rulesFor('CN=X,DC=andet,DC=dk').linkRule).toEqual(kommune.linkRule);
  });

  it('keys a person in the IdP by their domain’s configured IdP domain, else by their DN', () => {
    expect(idpKey('CN=Anne,OU=Lærere,DC=skole,DC=fjordby,DC=dk', 'anne')).toEqual({ domain: 'skoler.fjordby.dk', username: 'anne' });
    expect(idpKey('CN=Bo,OU=Borgerservice,DC=fjordby,DC=dk', 'bo')).toEqual({ domain: 'fjordby.dk', username: 'bo' });
  });

  it('with one domain, a configured IdP domain applies to its people only', () => {
    const one = domainRules([{ ...kommune, idpDomain: 'kommune.example' }]);
    expect(one.idpKey('CN=Bo,OU=Borgerservice,DC=fjordby,DC=dk', 'bo').domain).toBe('kommune.example');
    expect(one.idpKey('CN=X,DC=andet,DC=dk', 'x').domain).toBe('andet.dk');
    expect(one.rulesFor('CN=X,DC=andet,DC=dk').linkRule).toEqual(kommune.linkRule);
  });

  it('tells an identity with no AD account of another domain by its local credential’s suffix', () => {
    const upnSchool = { ...skole, upnSuffix: 'skole.fjordby.dk' };
    const suffixSchool = domain({ id: 'elever', name: 'Eleverne', baseDn: 'DC=elever,DC=dk', linkRule: { kind: 'samaccountname-suffix', suffix: '@elever.dk', lowercase: false } });
    const { subjectDomain } = domainRules([kommune, upnSchool, suffixSchool]);
    expect(subjectDomain!('anne@skole.fjordby.dk')).toBe(upnSchool.baseDn);
    expect(subjectDomain!('Emil@ELEVER.dk')).toBe(suffixSchool.baseDn);
    // The municipality's own subjects, bare names and unknown suffixes: the municipality's.
    expect(subjectDomain!('bo@fjordby.dk')).toBeNull();
    expect(subjectDomain!('bo')).toBeNull();
    expect(subjectDomain!('x@andet.dk')).toBeNull();
    expect(domainRules([kommune]).subjectDomain!('anne@skole.fjordby.dk')).toBeNull();
  });
});

