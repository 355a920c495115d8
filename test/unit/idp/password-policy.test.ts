import { describe, expect, it } from 'vitest';
import {
  PasswordPolicySettings,
  defaultPolicySettings,
  fullServiceViolations,
  validatePassword,
} from '../../../shared/idp/password-policy.ts';

describe('Full Service IdP rule', () => {
  it('holds for the NSIS defaults and exempts non-NSIS domains', () => {
    expect(fullServiceViolations(defaultPolicySettings(true))).toEqual([]);
    expect(fullServiceViolations({ ...defaultPolicySettings(false), minLength: 6, triesBeforeLock: 20, lockedMinutes: 1 })).toEqual([]);
  });

  it('names each broken field on an NSIS domain', () => {
    const v = fullServiceViolations({ ...defaultPolicySettings(true), minLength: 14, triesBeforeLock: 6, lockedMinutes: 4 });
    expect(v.map((x) => x.field)).toEqual(['minLength', 'triesBeforeLock', 'lockedMinutes']);
    expect(v[0]!.message).toContain('15');
  });

  it('accepts stricter lockout values than 5/5', () => {
    expect(fullServiceViolations({ ...defaultPolicySettings(true), minLength: 20, triesBeforeLock: 3, lockedMinutes: 60 })).toEqual([]);
  });
});

describe('settings schema', () => {
  it('rejects min > max and a reminder after expiry', () => {
    expect(PasswordPolicySettings.safeParse({ ...defaultPolicySettings(false), minLength: 30, maxLength: 20 }).success).toBe(false);
    expect(PasswordPolicySettings.safeParse({ ...defaultPolicySettings(false), forceChangePasswordIntervalDays: 7, forceChangeReminderDays: 7 }).success).toBe(false);
    expect(PasswordPolicySettings.safeParse({ ...defaultPolicySettings(false), extra: 1 }).success).toBe(false);
    expect(PasswordPolicySettings.safeParse(defaultPolicySettings(true)).success).toBe(true);
  });
});

describe('validatePassword', () => {
  const base = { ...defaultPolicySettings(false), minLength: 8, maxLength: 20, preventBadPasswords: false };

  it('checks length', () => {
    expect(validatePassword('kort', base)).toEqual(['TOO_SHORT']);
    expect(validatePassword('x'.repeat(21), base)).toEqual(['TOO_LONG']);
    expect(validatePassword('passende-længde', base)).toEqual([]);
  });

  it('counts Æ Ø Å as letters, not special characters', () => {
    const s = { ...base, requireSpecialCharacters: true, requireUppercase: true };
    expect(validatePassword('ÆbleGrødÅ', s)).toEqual(['NO_SPECIAL_CHARACTERS']);
    expect(validatePassword('æblegrød!å', s)).toEqual(['NO_UPPERCASE']);
  });

  it('requires 3 of 4 classes and no name for a complex password', () => {
    const s = { ...base, requireComplexPassword: true };
    expect(validatePassword('abcdefghij', s)).toEqual(['NOT_COMPLEX']);
    expect(validatePassword('Abcdefgh1j', s)).toEqual([]);
    expect(validatePassword('Hansen2026x', s, { displayName: 'Anne Hansen', username: 'anhe' })).toEqual(['CONTAINS_NAME']);
  });

  it('ignores name parts of two characters or fewer, case-insensitively matches the username', () => {
    const s = { ...base, disallowNameAndUsername: true };
    expect(validatePassword('bo-og-li-kører', s, { displayName: 'Bo Li' })).toEqual([]);
    expect(validatePassword('xxANHExxyy', s, { username: 'anhe' })).toEqual(['CONTAINS_NAME']);
  });

  it('applies the Danish-character ban, the special-character allow-list and the banned words', () => {
    expect(validatePassword('rødgrødmedfløde', { ...base, disallowDanishCharacters: true })).toEqual(['DANISH_CHARACTERS_NOT_ALLOWED']);
    expect(validatePassword('abc#defghi', { ...base, allowedSpecialCharacters: '!-_' })).toEqual(['WRONG_SPECIAL_CHARACTERS']);
    expect(validatePassword('abc!defghi', { ...base, allowedSpecialCharacters: '!-_' })).toEqual([]);
    expect(validatePassword('MinKOMMUNE2026', { ...base, preventBadPasswords: true, bannedWords: ['kommune'] })).toEqual(['BAD_PASSWORD']);
  });

  it('reports history and leak results only when the policy asks for them', () => {
    expect(validatePassword('gammelt-kodeord', base, { matchesHistory: true, leaked: true })).toEqual([]);
    expect(validatePassword('gammelt-kodeord', { ...base, passwordHistoryEnabled: true, checkLeakedPasswords: true }, { matchesHistory: true, leaked: true })).toEqual([
      'OLD_PASSWORD',
      'LEAKED_PASSWORD',
    ]);
  });
});

describe('domainFromDn', () => {
  it('reads the DC components of a DN, and null when there are none', async () => {
    const { domainFromDn } = await import('../../../shared/idp/common.ts');
    expect(domainFromDn('CN=Jensen\\, Anne,OU=Elever,OU=Skoler,DC=Fjordby,DC=kommune,DC=test')).toBe('fjordby.kommune.test');
    expect(domainFromDn('CN=x,OU=y')).toBeNull();
  });
});
