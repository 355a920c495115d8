import { describe, expect, it } from 'vitest';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { blockers, personStates } from '../../../shared/domain/person-state.ts';
import { buildRow, type MergeContext } from '../../../src-main/services/people/index/merge.ts';

const now = Date.parse('2026-12-06T09:00:00Z');

function person(over: Partial<PersonSummary> = {}): PersonSummary {
  return {
    id: 'a1b2c3d4-0000-4000-8000-000000000001',
    dn: 'CN=Lise Holm,OU=Rådhuset,DC=fjordby,DC=dk',
    username: 'liho',
    displayName: 'Lise Holm',
    givenName: 'Lise',
    surname: 'Holm',
    email: 'liho@fjordby.dk',
    employeeId: null,
    ouPath: 'Rådhuset',
    enabled: true,
    locked: false,
    passwordLastSet: null,
    accountExpires: null,
    mustChangePassword: false,
    passwordNeverExpires: false,
    ...over,
  };
}

/** MitID Erhverv read whole, and this person has no identity there. */
const ctx: MergeContext = {
  facts: { mitid: new Map(), mitidFor: new Map(), idp: new Map(), maxPasswordAgeDays: null },
  linkRuleFor: () => ({ kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false }),
  mitid: { loaded: true, loading: false },
  idpKey: (p) => p.username,
  idpLoaded: true,
};

describe('drift: an identity that cannot be created is its own category', () => {
  it('someone with what a create needs is "identity missing", and can be created', () => {
    const row = buildRow(ctx, person(), now);
    expect(row.drift).toEqual(['identity-missing']);
    expect(row.identityBlocker).toBeUndefined();
  });

  it('no e-mail in AD: "identity blocked", with the same reason a create is refused with', () => {
    const p = person({ email: null });
    const row = buildRow(ctx, p, now);
    expect(row.drift).toEqual(['identity-blocked']);
    expect(row.identityBlocker).toBe('no-email');
    // The list's reason is the decision main refuses the create with, not a reading of its own.
    expect(blockers('assign-local', { states: personStates({ ad: p, mitid: { status: null, allowSigning: null, privateMitIdActive: null } }, now), email: p.email, givenName: p.givenName, surname: p.surname })[0]).toBe(row.identityBlocker);
  });

  it('a missing surname blocks too, even with an e-mail address', () => {
    const row = buildRow(ctx, person({ surname: ' ' }), now);
    expect(row.drift).toEqual(['identity-blocked']);
    expect(row.identityBlocker).toBe('missing-name');
  });

  it('pupils, departed and disabled accounts are in neither category', () => {
    for (const p of [person({ email: null, ouPath: 'Skoler / Elever' }), person({ email: null, enabled: false }), person({ email: null, accountExpires: '2026-01-01T00:00:00Z' })]) {
      expect(buildRow(ctx, p, now).drift).toEqual([]);
    }
  });

  it('before MitID Erhverv has been read whole, nothing is called drift', () => {
    expect(buildRow({ ...ctx, mitid: { loaded: false, loading: true } }, person({ email: null }), now).drift).toEqual([]);
  });
});
