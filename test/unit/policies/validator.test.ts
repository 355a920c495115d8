// The one password validator, code by code: each case breaks exactly one rule under a policy that has
// only that rule switched on, so a wrong code or a missing one fails here.
import { describe, expect, it } from 'vitest';
import { checkPassword, containsNamePart, countInRange, danishFoldings } from '../../../shared/domain/policies.ts';
import { defaultPolicySettings, type PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';

const base: PasswordPolicySettings = { ...defaultPolicySettings(false), minLength: 8, maxLength: 20, preventBadPasswords: false, bannedWords: [] };
const codes = (pw: string, s: Partial<PasswordPolicySettings> = {}, ctx = {}) => checkPassword(pw, { ...base, ...s }, ctx).map((r) => r.code);

describe('each result code', () => {
  it('accepts a password that breaks nothing', () => expect(codes('Hverdag1')).toEqual([]));
  it('TOO_SHORT with the minimum in the message, counting æøå as one character each', () => {
    expect(codes('æøåæøåæ')).toEqual(['TOO_SHORT']);
    expect(codes('æøåæøåæø')).toEqual([]);
    expect(checkPassword('kort', base)[0]!.message).toContain('mindst 8 tegn');
  });
  it('TOO_LONG', () => expect(codes('a'.repeat(21))).toEqual(['TOO_LONG']));
  it('NOT_COMPLEX needs 3 of 4 classes', () => {
    expect(codes('abcdefgh', { requireComplexPassword: true })).toEqual(['NOT_COMPLEX']);
    expect(codes('abcdEFGH', { requireComplexPassword: true })).toEqual(['NOT_COMPLEX']);
    expect(codes('abcdEF12', { requireComplexPassword: true })).toEqual([]);
  });
  it('NO_LOWERCASE, NO_UPPERCASE, NO_DIGITS, NO_SPECIAL_CHARACTERS', () => {
    expect(codes('ABCDEFGH', { requireLowercase: true })).toEqual(['NO_LOWERCASE']);
    expect(codes('abcdefgh', { requireUppercase: true })).toEqual(['NO_UPPERCASE']);
    expect(codes('abcdefgh', { requireDigits: true })).toEqual(['NO_DIGITS']);
    expect(codes('abcdefgh', { requireSpecialCharacters: true })).toEqual(['NO_SPECIAL_CHARACTERS']);
  });
  it('æ, ø and å are letters, not special characters, and count as lower/upper case', () => {
    expect(codes('abcdefgø', { requireSpecialCharacters: true })).toEqual(['NO_SPECIAL_CHARACTERS']);
    expect(codes('ABCDEFGø', { requireLowercase: true })).toEqual([]);
    expect(codes('abcdefgÅ', { requireUppercase: true })).toEqual([]);
  });
  it('DANISH_CHARACTERS_NOT_ALLOWED for lower and upper case', () => {
    expect(codes('blåbærgrød', { disallowDanishCharacters: true })).toEqual(['DANISH_CHARACTERS_NOT_ALLOWED']);
    expect(codes('BLÅBÆRGRØD', { disallowDanishCharacters: true })).toEqual(['DANISH_CHARACTERS_NOT_ALLOWED']);
    expect(codes('blaabaergroed', { disallowDanishCharacters: true })).toEqual([]);
  });
  it('OLD_PASSWORD only when history is on and the password matches it', () => {
    expect(codes('Hverdag1', { passwordHistoryEnabled: true }, { matchesHistory: true })).toEqual(['OLD_PASSWORD']);
    expect(codes('Hverdag1', { passwordHistoryEnabled: false }, { matchesHistory: true })).toEqual([]);
  });
  it('BAD_PASSWORD matches banned words as substrings, case-insensitively, æøå included', () => {
    expect(codes('MinSOMMERferie', { preventBadPasswords: true, bannedWords: ['sommer'] })).toEqual(['BAD_PASSWORD']);
    expect(codes('GodLØRDAG99', { preventBadPasswords: true, bannedWords: ['lørdag'] })).toEqual(['BAD_PASSWORD']);
    expect(codes('MinSOMMERferie', { preventBadPasswords: false, bannedWords: ['sommer'] })).toEqual([]);
  });
  it('WRONG_SPECIAL_CHARACTERS against the allow-list', () => {
    expect(codes('abcdefg#', { allowedSpecialCharacters: '!-' })).toEqual(['WRONG_SPECIAL_CHARACTERS']);
    expect(codes('abcdefg!', { allowedSpecialCharacters: '!-' })).toEqual([]);
  });
  it('LEAKED_PASSWORD only when the policy checks and the lookup said leaked', () => {
    expect(codes('Hverdag1', { checkLeakedPasswords: true }, { leaked: true })).toEqual(['LEAKED_PASSWORD']);
    expect(codes('Hverdag1', { checkLeakedPasswords: false }, { leaked: true })).toEqual([]);
  });
  it('messages are Danish and say "Adgangskoden"', () => {
    const all = checkPassword('ab', { ...base, requireDigits: true, requireUppercase: true });
    expect(all.map((r) => r.code)).toEqual(['TOO_SHORT', 'NO_UPPERCASE', 'NO_DIGITS']);
    for (const r of all) expect(r.message).toMatch(/^Adgangskoden /);
  });
});

describe('CONTAINS_NAME', () => {
  const ctx = { username: 'sojo42', displayName: 'Søren Bjørn Østergaard' };
  const on = { disallowNameAndUsername: true };
  it('finds the username and name parts case-insensitively', () => {
    expect(codes('XXsojo42xx', on, ctx)).toEqual(['CONTAINS_NAME']);
    expect(codes('kaffeSØRENkage', on, ctx)).toEqual(['CONTAINS_NAME']);
  });
  it('finds a name written without æøå (oe/aa or o/a) and a folded name written with æøå', () => {
    expect(codes('Soeren-Kaffe', on, ctx)).toEqual(['CONTAINS_NAME']);
    expect(codes('Ostergaard12', on, ctx)).toEqual(['CONTAINS_NAME']);
    expect(codes('bjoernbanan', on, ctx)).toEqual(['CONTAINS_NAME']);
    expect(codes('Blåbær-Søren', on, { displayName: 'Soeren Hansen' })).toEqual(['CONTAINS_NAME']);
  });
  it('ignores name parts of 2 characters or fewer, and is off unless asked for (or complexity is on)', () => {
    expect(codes('boOlivenTræ', on, { displayName: 'Bo Li' })).toEqual([]);
    expect(codes('kaffeSØRENkage', {}, ctx)).toEqual([]);
    expect(codes('kaffeSØRENkage1', { requireComplexPassword: true }, ctx)).toEqual(['CONTAINS_NAME']);
  });
  it('folds both ways', () => {
    expect(danishFoldings('Ærø Å')).toEqual(['ærø å', 'aeroe aa', 'aro a']);
    expect(containsNamePart('xxaasexx', { displayName: 'Åse Hansen' })).toBe(true);
  });
});

describe('range answers', () => {
  it('finds a suffix case-insensitively and ignores zero-count padding', () => {
    const body = 'ABC:3\r\nDEF:0\r\n0018A45C4D1DEF81644B54AB7F969B88D65:12';
    expect(countInRange(body, '0018a45c4d1def81644b54ab7f969b88d65')).toBe(12);
    expect(countInRange(body, 'DEF')).toBe(0);
    expect(countInRange(body, 'XYZ')).toBe(0);
  });
});
