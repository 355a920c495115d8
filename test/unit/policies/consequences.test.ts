import { describe, expect, it } from 'vitest';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { conflictRows, DANISH_WEAK_WORDS, mergeMine } from '../../../shared/domain/policies.ts';
import { defaultPolicySettings, type PasswordPolicy } from '../../../shared/idp/password-policy.ts';
import { consequencesOf, identityGuard, peopleInScope, ruleChanges, type IdentityFacts } from '../../../src-main/services/policies/policy-service.ts';
import { trainingPolicyDefaults } from '../../../src-main/training/environment.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-11-23T12:00:00Z');
let n = 0;
function person(dn: string, lastSetDaysAgo: number | null, extra: Partial<PersonSummary> = {}): PersonSummary {
  n++;
  return {
    id: `id-${n}`, dn, username: `u${n}`, displayName: `Person ${n}`, givenName: null, surname: null, email: null, employeeId: null, ouPath: '',
    enabled: true, locked: false, passwordLastSet: lastSetDaysAgo === null ? null : new Date(now - lastSetDaysAgo * DAY).toISOString(),
    accountExpires: null, mustChangePassword: false, passwordNeverExpires: false, ...extra,
  };
}
const base = 'DC=fjordby,DC=kommune,DC=test';
const people = [
  person(`CN=a,OU=Borgerservice,${base}`, 400),
  person(`CN=b,OU=Borgerservice,${base}`, 366),
  person(`CN=c,OU=Borgerservice,${base}`, 10),
  person(`CN=d,OU=Borgerservice,${base}`, 900, { passwordNeverExpires: true }),
  person(`CN=e,OU=Borgerservice,${base}`, 900, { enabled: false }),
  person(`CN=f,OU=Borgerservice,${base}`, null),
  person(`CN=g,OU=Elever,OU=Skoler,${base}`, 800),
];
const policy = (domain: string, kind: PasswordPolicy['kind']): PasswordPolicy => ({
  domain, displayName: domain, kind, parentDomain: null, version: 1, updatedAt: new Date(now).toISOString(), updatedBy: null, settings: defaultPolicySettings(true),
});

describe('who a policy governs', () => {
  const cfg = trainingPolicyDefaults;
  it('the main domain minus the OUs other policies claim; a sub-domain by its OUs; a pseudo-domain by its OUs, else unknown', () => {
    expect(peopleInScope(policy('fjordby.kommune.test', 'domain'), people, cfg)!.map((p) => p.dn.slice(3, 4))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(peopleInScope(policy('elever.fjordby.kommune.test', 'sub-domain'), people, cfg)!.map((p) => p.dn.slice(3, 4))).toEqual(['g']);
    // The training municipality gives its trusted staff the IT OU: nobody above works there.
    expect(peopleInScope(policy('betroede-medarbejdere', 'pseudo-domain'), people, cfg)).toEqual([]);
    const { ['betroede-medarbejdere']: _it, ...withoutIt } = cfg.domainOus;
    expect(peopleInScope(policy('betroede-medarbejdere', 'pseudo-domain'), people, { ...cfg, domainOus: withoutIt })).toBeNull();
  });
});

describe('consequences in plain Danish', () => {
  const from = defaultPolicySettings(true);
  const scope = people.slice(0, 6);
  it('counts enabled people whose password is older than the new max age (never-expiring ones excluded)', () => {
    const c = consequencesOf(from, { ...from, forceChangePassword: true, forceChangePasswordIntervalDays: 365 }, scope, now);
    expect(c[0]).toBe('2 personer i dette domæne satte deres adgangskode for mere end 365 dage siden og vil blive bedt om at skifte den.');
    expect(c[1]).toBe('1 person har aldrig sat en adgangskode og vil også blive bedt om at skifte.');
  });
  it('names stricter and looser rules, lockout and history', () => {
    const c = consequencesOf(from, { ...from, minLength: 18, triesBeforeLock: 3, passwordHistoryEnabled: true, passwordHistoryCount: 10 }, scope, now);
    expect(c.join('\n')).toContain('Nye krav: mindst 18 tegn (før 15)');
    expect(c.join('\n')).toContain('op til 5 aktive personer');
    expect(c.join('\n')).toContain('spærres allerede efter 3 forkerte forsøg (før 5)');
    expect(c.join('\n')).toContain('de 10 seneste adgangskoder');
    expect(consequencesOf({ ...from, requireDigits: true }, from, scope, now).join('\n')).toContain('Krav, der lempes: et tal');
  });
  it('says when nothing changes and when the scope is unknown', () => {
    expect(consequencesOf(from, from, scope, now)).toHaveLength(1);
    expect(consequencesOf(from, { ...from, lockedMinutes: 10 }, null, now).at(-1)).toContain('ved ikke, hvilke personer');
  });
});

describe('the consequences read the right way round in both directions', () => {
  const nsis = defaultPolicySettings(true);
  const pupils = { ...defaultPolicySettings(false), minLength: 10 };
  it('taking a domain out of NSIS with a 10-character minimum: the minimum is loosened to 10, from 15', () => {
    const text = consequencesOf(nsis, { ...nsis, nsis: false, minLength: 10 }, null, now).join('\n');
    expect(text).toContain('Krav, der lempes: mindst 10 tegn (før 15).');
    expect(text).not.toContain('(før 10)');
    expect(text).not.toContain('Nye krav');
    expect(text).toContain('Domænet er ikke længere omfattet af Full Service IdP-reglen');
  });
  it('putting a domain into NSIS with a 15-character minimum: a new requirement of 15, from 10', () => {
    const text = consequencesOf(pupils, { ...pupils, nsis: true, minLength: 15 }, null, now).join('\n');
    expect(text).toContain('Nye krav: mindst 15 tegn (før 10).');
    expect(text).not.toContain('(før 15)');
    expect(text).not.toContain('lempes');
    expect(text).toContain('Domænet bliver et NSIS-domæne');
  });
  it('each rule names its new value first, tightened or loosened', () => {
    expect(ruleChanges({ ...nsis, maxLength: 64 }, { ...nsis, maxLength: 40 })).toEqual({ stricter: ['højst 40 tegn (før 64)'], looser: [] });
    expect(ruleChanges({ ...nsis, maxLength: 40 }, { ...nsis, maxLength: 64 })).toEqual({ stricter: [], looser: ['højst 64 tegn (før 40)'] });
    const words = { ...nsis, preventBadPasswords: true, bannedWords: ['sommer', 'vinter'] };
    expect(ruleChanges(words, { ...words, bannedWords: ['sommer'] })).toEqual({ stricter: [], looser: ['1 forbudte ord fjernet'] });
    expect(ruleChanges({ ...nsis, allowedSpecialCharacters: '!#' }, { ...nsis, allowedSpecialCharacters: '!#$' }).looser).toEqual(['flere tilladte specialtegn']);
    expect(ruleChanges({ ...nsis, allowedSpecialCharacters: '!#' }, { ...nsis, allowedSpecialCharacters: '!' }).stricter).toEqual(['kun de tilladte specialtegn']);
  });
});

describe('NSIS rules and domains that issue MitID Erhverv identities', () => {
  const nsis = defaultPolicySettings(true);
  const facts = (state: IdentityFacts['state']): (() => Promise<IdentityFacts>) => {
    let asked = 0;
    const f = async () => {
      asked++;
      return { state, withIdentity: state === 'issuing' ? 12 : state === 'none' ? 0 : null, peopleInScope: state === 'unknown' ? null : 40, message: `(${state})` };
    };
    return Object.assign(f, { asked: () => asked });
  };
  it('refuses switching NSIS off for a domain that issues identities, in Danish', async () => {
    const r = await identityGuard('kommune.dk', nsis, { ...nsis, nsis: false, minLength: 10 }, facts('issuing'));
    expect(r?.message).toBe('NSIS-reglerne kan ikke slås fra for kommune.dk, fordi domænet udsteder MitID Erhverv-identiteter. (issuing)');
  });
  it('fails closed: when the console cannot tell, it refuses too', async () => {
    const r = await identityGuard('kommune.dk', nsis, { ...nsis, nsis: false }, facts('unknown'));
    expect(r?.message).toContain('fordi konsollen ikke kan udelukke, at domænet udsteder MitID Erhverv-identiteter');
  });
  it('allows it for a domain without identities (pupils)', async () => {
    expect(await identityGuard('elever.kommune.dk', nsis, { ...nsis, nsis: false, minLength: 8 }, facts('none'))).toBeNull();
  });
  it('a domain outside NSIS that issues identities may be tightened but not loosened', async () => {
    const outside = { ...defaultPolicySettings(false), minLength: 12 };
    const tighten = facts('issuing');
    expect(await identityGuard('x.dk', outside, { ...outside, minLength: 14 }, tighten)).toBeNull();
    expect((tighten as unknown as { asked(): number }).asked()).toBe(0);
    expect((await identityGuard('x.dk', outside, { ...outside, minLength: 8 }, facts('issuing')))?.message).toContain('kan ikke lempes');
    expect((await identityGuard('x.dk', outside, { ...outside, triesBeforeLock: 50 }, facts('unknown')))?.message).toContain('Markér domænet som NSIS-domæne');
  });
});

describe('conflicts between two saves', () => {
  const b = defaultPolicySettings(true);
  const theirs = { ...b, passwordHistoryCount: 12, minLength: 16 };
  const mine = { ...b, minLength: 18, checkLeakedPasswords: true };
  it('shows every field either side changed, and marks the clash', () => {
    const rows = conflictRows(b, theirs, mine);
    expect(rows.map((r) => [r.field, r.clash])).toEqual([['minLength', true], ['checkLeakedPasswords', false], ['passwordHistoryCount', false]]);
  });
  it('"keep mine" keeps their untouched changes and applies only mine', () => {
    expect(mergeMine(b, theirs, mine)).toEqual({ ...b, passwordHistoryCount: 12, minLength: 18, checkLeakedPasswords: true });
  });
  it('the weak-word seed list holds no words short enough to ban half the dictionary', () => {
    expect(DANISH_WEAK_WORDS.every((w) => Array.from(w).length >= 3)).toBe(true);
    expect(new Set(DANISH_WEAK_WORDS).size).toBe(DANISH_WEAK_WORDS.length);
  });
});
