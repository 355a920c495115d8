import { describe, expect, it } from 'vitest';
import { AdDomain } from '../../../shared/domain/settings.ts';
import type { Operator } from '../../../shared/roles.ts';
import { adDomainOfPolicy, requireOwnPolicy } from '../../../src-main/services/policies/policy-domain.ts';

const domain = (id: string, name: string, baseDn: string, idpDomain = ''): AdDomain => AdDomain.parse({ id, name, baseDn, idpDomain, urls: ['ldaps://dc.example'] });
const kommune = domain('kommune', 'Kommunen', 'DC=fjordby,DC=dk');
const skole = domain('skole', 'Skolerne', 'DC=skole,DC=test', 'skole.fjordby.dk');
const domains = [kommune, skole];
const operatorOf = (d: AdDomain, primary: boolean): Operator => ({
  username: 'x', displayName: 'X', dn: `CN=X,${d.baseDn}`, roles: ['administrator'], helpdeskOus: null,
  domain: { id: d.id, name: d.name, baseDn: d.baseDn, primary, nested: [] },
});

describe('which AD domain a password policy belongs to', () => {
  it('is the domain holding its AD groups, else the most specific IdP domain it lies under', () => {
    expect(adDomainOfPolicy('fjordby.dk', [`CN=Elever,OU=Grupper,${skole.baseDn}`], domains)?.id).toBe('skole');
    expect(adDomainOfPolicy('fjordby.dk', [], domains)?.id).toBe('kommune');
    expect(adDomainOfPolicy('elever.skole.fjordby.dk', [], domains)?.id).toBe('skole');
    expect(adDomainOfPolicy('Betroede medarbejdere', [], domains)).toBeNull();
    // Groups in both domains: nobody's alone.
    expect(adDomainOfPolicy('x', [`CN=A,${kommune.baseDn}`, `CN=B,${skole.baseDn}`], domains)).toBeNull();
  });

  it('refuses another domain’s operator, naming both domains; a policy of no domain is the municipality’s', () => {
    expect(() => requireOwnPolicy(operatorOf(skole, false), 'fjordby.dk', [], domains)).toThrow(
      expect.objectContaining({ code: 'forbidden', ref: { key: 'policyOtherDomain', params: { policy: 'fjordby.dk', domain: 'Kommunen', own: 'Skolerne' } } }),
    );
    expect(() => requireOwnPolicy(operatorOf(skole, false), 'Betroede medarbejdere', [], domains)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => requireOwnPolicy(operatorOf(kommune, true), 'elever.skole.fjordby.dk', [], domains)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => requireOwnPolicy(operatorOf(skole, false), 'elever.skole.fjordby.dk', [], domains)).not.toThrow();
    expect(() => requireOwnPolicy(operatorOf(kommune, true), 'Betroede medarbejdere', [], domains)).not.toThrow();
  });

  it('refuses nothing with one domain or without the operator’s domain (training)', () => {
    expect(() => requireOwnPolicy(operatorOf(skole, false), 'fjordby.dk', [], [kommune])).not.toThrow();
    const { domain: _d, ...training } = operatorOf(skole, false);
    expect(() => requireOwnPolicy(training, 'fjordby.dk', [], domains)).not.toThrow();
  });
});
