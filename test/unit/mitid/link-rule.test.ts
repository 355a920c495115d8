import { describe, expect, it } from 'vitest';
import { isLinked, subjectNameIdFor } from '../../../shared/mitid/link-rule.ts';

describe('link rule (AD account → subjectNameId)', () => {
  const account = { sAMAccountName: 'JPH', userPrincipalName: 'jens.hansen@kommune.dk' };

  it('builds sAMAccountName@suffix, as the Local IdP sends it', () => {
    expect(subjectNameIdFor(account, { kind: 'samaccountname-suffix', suffix: 'kommune.dk' })).toBe('JPH@kommune.dk');
    expect(subjectNameIdFor(account, { kind: 'samaccountname-suffix', suffix: '@kommune.dk' })).toBe('JPH@kommune.dk');
    expect(subjectNameIdFor(account, { kind: 'samaccountname-suffix', suffix: 'kommune.dk', lowercase: true })).toBe('jph@kommune.dk');
  });

  it('gives the bare sAMAccountName for an empty suffix', () => {
    expect(subjectNameIdFor(account, { kind: 'samaccountname-suffix', suffix: '' })).toBe('JPH');
    expect(subjectNameIdFor(account, { kind: 'samaccountname-suffix' })).toBe('JPH');
  });

  it('uses the UPN, or nothing when the account has none', () => {
    expect(subjectNameIdFor(account, { kind: 'upn' })).toBe('jens.hansen@kommune.dk');
    expect(subjectNameIdFor({ sAMAccountName: 'x', userPrincipalName: null }, { kind: 'upn' })).toBeNull();
    expect(subjectNameIdFor({ sAMAccountName: '  ' }, { kind: 'samaccountname-suffix', suffix: 'k.dk' })).toBeNull();
  });

  it('detects a subjectNameId that no longer matches the account', () => {
    const rule = { kind: 'samaccountname-suffix' as const, suffix: 'kommune.dk' };
    expect(isLinked(account, rule, 'JPH@kommune.dk')).toBe(true);
    expect(isLinked(account, rule, 'jph.gammel@kommune.dk')).toBe(false);
    expect(isLinked(account, rule, null)).toBe(false);
  });

  it('rejects an unknown rule kind', () => {
    expect(() => subjectNameIdFor(account, { kind: 'mail' } as never)).toThrow();
  });
});

describe('client options from the settings profile', () => {
  it('takes base URL and timeout from the profile, the secrets from the caller', async () => {
    const { mitIdClientOptionsFromProfile } = await import('../../../src-main/connectors/mitid-erhverv/index.ts');
    const p12 = new Uint8Array([1, 2, 3]);
    const o = mitIdClientOptionsFromProfile({ baseUrl: 'https://mitid.invalid', p12File: 'x.p12', caFile: '', timeoutMs: 90_000 }, p12, 'hemmelig');
    expect(o).toEqual({ baseUrl: 'https://mitid.invalid', pkcs12: p12, passphrase: 'hemmelig', timeoutMs: 90_000 });
    expect(mitIdClientOptionsFromProfile({ baseUrl: 'https://x.invalid', p12File: '', caFile: '', timeoutMs: 1000 }, p12, '', 'PEM').ca).toBe('PEM');
  });
});
