import { describe, expect, it, vi } from 'vitest';
import { defaultPolicySettings, type PasswordPolicy, type PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { PoliciesConfig } from '../../../shared/operations/policies.ts';
import { readinessText } from '../../../shared/domain/readiness-text.ts';
import type { MitIdErhvervPort } from '../../../src-main/connectors/mitid-erhverv/port.ts';
import type { IdpPort } from '../../../src-main/connectors/idp/idp-port.ts';
import { assignLocalAuthenticator } from '../../../src-main/services/mitid/actions.ts';
import type { GuardedMitIdPort } from '../../../src-main/services/mitid/create-guard.ts';
import {
  createIdentityFloorGate,
  floorWarnings,
  governingPolicy,
  holdsIdentity,
  identityFloorOf,
  outsideNsisRule,
} from '../../../src-main/services/policies/identity-floor.ts';
import { floorItem } from '../../../src-main/services/fullservice/readiness.ts';

const BASE = 'DC=fjordby,DC=dk';
const nsis = defaultPolicySettings(true);
const weak: PasswordPolicySettings = { ...defaultPolicySettings(false), minLength: 8, triesBeforeLock: 10 };
const policy = (domain: string, kind: PasswordPolicy['kind'], settings: PasswordPolicySettings): PasswordPolicy => ({
  domain, displayName: domain, kind, parentDomain: null, version: 1, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: null, settings,
});
const main = policy('fjordby.dk', 'domain', nsis);
const pupils = policy('elever.fjordby.dk', 'sub-domain', weak);
const temps = policy('vikarer.fjordby.dk', 'sub-domain', { ...nsis, minLength: 12 });
const trusted = policy('betroede', 'pseudo-domain', { ...nsis, minLength: 18 });
const policies = [main, pupils, temps, trusted];
const config: PoliciesConfig = {
  leakedPasswordEndpoint: 'https://example.test/range/',
  leakedPasswordTimeoutMs: 5000,
  domainOus: {
    'Elever.Fjordby.dk': [`OU=Elever,OU=Skoler,${BASE}`],
    'vikarer.fjordby.dk': [`OU=Vikarer,${BASE}`],
    betroede: [`OU=IT,${BASE}`, `OU=Lærere IT,OU=Elever,OU=Skoler,${BASE}`],
  },
  domainGroups: {},
};
const pupilDn = `CN=Elev 1,OU=7a,OU=Elever,OU=Skoler,${BASE}`;
const staffDn = `CN=Anna,OU=Skoler,${BASE}`;

describe('which policy domain governs a person', () => {
  it('outside any OU, the whole-domain policy of the IdP domain the person’s AD domain corresponds to, not its DNS name', () => {
    // The schools' AD (skole.local) is the IdP's skoler.fjordby.dk: the settings say so, the DN does not.
    const schools = policy('skoler.fjordby.dk', 'domain', weak);
    const teacher = 'CN=Lærer,OU=Medarbejdere,DC=skole,DC=local';
    const idpDomainOf = (dn: string) => (dn.endsWith('DC=skole,DC=local') ? 'skoler.fjordby.dk' : 'fjordby.dk');
    expect(governingPolicy(teacher, [main, schools], config)).toBeNull();
    expect(governingPolicy(teacher, [main, schools], config, idpDomainOf)?.domain).toBe('skoler.fjordby.dk');
    // The decision and the warning use the same reading: the schools' weaker policy refuses an identity there.
    expect(identityFloorOf(teacher, [main, schools], config, idpDomainOf)).toMatchObject({ allowed: false, domain: 'skoler.fjordby.dk' });
    const held = () => ({ mitidState: 'Active', nsisStatus: null });
    expect(floorWarnings([main, schools], [{ id: 't', dn: teacher }], config, held, idpDomainOf)).toMatchObject([{ domain: 'skoler.fjordby.dk', withIdentity: 1 }]);
    expect(floorWarnings([main, schools], [{ id: 't', dn: teacher }], config, held)).toEqual([]);
  });

  it('is the domain whose OUs hold the DN (case-insensitive names), else the whole-domain policy of the AD domain', () => {
    expect(governingPolicy(pupilDn, policies, config)?.domain).toBe('elever.fjordby.dk');
    expect(governingPolicy(`CN=Vik,OU=Vikarer,${BASE}`, policies, config)?.domain).toBe('vikarer.fjordby.dk');
    expect(governingPolicy(staffDn, policies, config)?.domain).toBe('fjordby.dk');
    expect(governingPolicy(`CN=Ole,OU=IT,${BASE}`, policies, config)?.domain).toBe('betroede');
  });

  it('takes the most specific OU when two domains claim it', () => {
    expect(governingPolicy(`CN=Lars,OU=Lærere IT,OU=Elever,OU=Skoler,${BASE}`, policies, config)?.domain).toBe('betroede');
  });

  it('is nobody for another AD domain, or without a DN', () => {
    expect(governingPolicy('CN=X,DC=skole,DC=test', policies, config)).toBeNull();
    expect(governingPolicy(null, policies, config)).toBeNull();
    expect(governingPolicy(undefined, policies, config)).toBeNull();
  });
});

describe('the NSIS rule of a domain', () => {
  it('an exempt domain is not-nsis; an NSIS domain under the floor is below-floor; the floor itself is inside', () => {
    expect(outsideNsisRule(weak)).toBe('not-nsis');
    expect(outsideNsisRule({ ...nsis, minLength: 12 })).toBe('below-floor');
    expect(outsideNsisRule({ ...nsis, triesBeforeLock: 6 })).toBe('below-floor');
    expect(outsideNsisRule({ ...nsis, lockedMinutes: 4 })).toBe('below-floor');
    expect(outsideNsisRule(nsis)).toBeNull();
    // A non-NSIS domain as strict as the floor is still outside the rule: the flag is the administrator's declaration.
    expect(outsideNsisRule({ ...nsis, nsis: false })).toBe('not-nsis');
  });
});

describe('may a person be given an identity', () => {
  it('not in a domain exempt from NSIS; yes in an NSIS domain, even one under the floor, and where no policy governs', () => {
    expect(identityFloorOf(pupilDn, policies, config)).toEqual({ allowed: false, domain: 'elever.fjordby.dk', displayName: 'elever.fjordby.dk', outside: 'not-nsis' });
    expect(identityFloorOf(staffDn, policies, config)).toEqual({ allowed: true, domain: 'fjordby.dk', displayName: 'fjordby.dk', outside: null });
    expect(identityFloorOf(`CN=Vik,OU=Vikarer,${BASE}`, policies, config)).toMatchObject({ allowed: true, outside: 'below-floor' });
    expect(identityFloorOf('CN=X,DC=skole,DC=test', policies, config)).toEqual({ allowed: true, domain: null, displayName: null, outside: null });
  });

  it('the gate refuses with a keyed error naming the domain, from one IdP read', async () => {
    const listPasswordPolicies = vi.fn(async () => ({ items: policies, nextCursor: null }));
    const gate = createIdentityFloorGate({ idp: () => ({ listPasswordPolicies }) as unknown as IdpPort, config: () => config });
    await expect(gate.require(pupilDn)).rejects.toMatchObject({
      code: 'refused',
      ref: { key: 'identityFloorRefused', params: { domain: 'elever.fjordby.dk' } },
      message: expect.stringContaining('En administrator skal først gøre elever.fjordby.dk til et NSIS-domæne'),
    });
    await expect(gate.require(staffDn)).resolves.toBeUndefined();
    expect(listPasswordPolicies).toHaveBeenCalledTimes(2);
    // No IdP set up: no policy domains, nothing to refuse.
    await expect(createIdentityFloorGate({ idp: () => null, config: () => config }).require(pupilDn)).resolves.toBeUndefined();
  });

  it('assignLocalAuthenticator asks the gate before any MitID Erhverv call, and gives nothing when refused', async () => {
    const calls: string[] = [];
    const mitid = new Proxy({}, {
      get: (_t, prop) => {
        if (prop === 'identityFloor') return createIdentityFloorGate({ idp: () => ({ listPasswordPolicies: async () => ({ items: policies, nextCursor: null }) }) as unknown as IdpPort, config: () => config });
        if (prop === 'createGuard' || prop === 'then') return undefined;
        return (..._a: unknown[]) => {
          calls.push(String(prop));
          throw new Error(`unexpected MitID call ${String(prop)}`);
        };
      },
    }) as GuardedMitIdPort & MitIdErhvervPort;
    const person = { username: 'elev1', userPrincipalName: 'elev1@fjordby.dk', givenName: 'Elev', surname: 'En', email: null, dn: pupilDn };
    await expect(assignLocalAuthenticator(mitid, { kind: 'upn' } as never, person)).rejects.toMatchObject({ ref: { key: 'identityFloorRefused' } });
    expect(calls).toEqual([]);
  });
});

describe('the standing warning', () => {
  const people = [
    { id: 'p1', dn: pupilDn },
    { id: 'p2', dn: `CN=Elev 2,OU=7a,OU=Elever,OU=Skoler,${BASE}` },
    { id: 'p3', dn: `CN=Elev 3,OU=7a,OU=Elever,OU=Skoler,${BASE}` },
    { id: 's1', dn: staffDn },
    { id: 'v1', dn: `CN=Vik,OU=Vikarer,${BASE}` },
    { id: 'x1', dn: 'CN=X,DC=skole,DC=test' },
  ];
  const facts: Record<string, { mitidState: string | null; nsisStatus: string | null }> = {
    p2: { mitidState: 'Active', nsisStatus: null },
    p3: { mitidState: 'none', nsisStatus: 'NOT_ISSUED' },
    s1: { mitidState: 'Active', nsisStatus: 'ACTIVE' },
    v1: { mitidState: 'none', nsisStatus: 'ACTIVE' },
    x1: { mitidState: 'Active', nsisStatus: null },
  };

  it('counts, per domain outside the rule, the people it governs who hold an identity; domains with none are left out', () => {
    expect(floorWarnings(policies, people, config, (id) => facts[id] ?? null)).toEqual([
      { domain: 'elever.fjordby.dk', displayName: 'elever.fjordby.dk', outside: 'not-nsis', withIdentity: 1, peopleInScope: 3 },
      { domain: 'vikarer.fjordby.dk', displayName: 'vikarer.fjordby.dk', outside: 'below-floor', withIdentity: 1, peopleInScope: 1 },
    ]);
    expect(floorWarnings(policies, people, config, () => null)).toEqual([]);
  });

  it('an identity is Active or Suspended in MitID Erhverv, or an issued NSIS status at the IdP', () => {
    expect(holdsIdentity({ mitidState: 'Suspended', nsisStatus: null })).toBe(true);
    expect(holdsIdentity({ mitidState: 'unknown', nsisStatus: 'NOT_ISSUED' })).toBe(false);
    expect(holdsIdentity({ mitidState: 'other', nsisStatus: '' })).toBe(false);
    expect(holdsIdentity(null)).toBe(false);
  });

  it('is a failing readiness item worded in both languages from its numbers', () => {
    const w = { domain: 'elever.fjordby.dk', displayName: 'Elever', outside: 'not-nsis' as const, withIdentity: 1, peopleInScope: 560 };
    const da = floorItem(w, 'da');
    expect(da).toMatchObject({ kind: 'policy-identities', domain: 'elever.fjordby.dk', status: 'fail', fix: { kind: 'open-policies' } });
    expect(readinessText('da').items['policy-identities'].title(da.params)).toBe(
      '1 person i elever.fjordby.dk har en MitID Erhverv-identitet, men domænets politik er svagere end NSIS-kravet',
    );
    expect(da.details[0]).toContain('En administrator skal gøre det til et NSIS-domæne');
    const en = floorItem({ ...w, withIdentity: 1200 }, 'en');
    expect(readinessText('en').items['policy-identities'].title(en.params)).toBe(
      "1,200 people in elever.fjordby.dk hold a MitID Erhverv identity, but the domain's policy is weaker than the NSIS floor",
    );
    expect(en.details[0]).toContain('An administrator must make it an NSIS domain');
  });
});
