import { describe, expect, it } from 'vitest';
import { defaultPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { AdWeakness } from '../../../shared/domain/policies.ts';
import { psoSettingsFromPolicy, weakerInAd, weaknessesInAd } from '../../../src-main/connectors/ad/pso.ts';
import { weakerText } from '../../../src-renderer/app/server-text.ts';

// Where AD's copy of a password policy is weaker than the IdP's (#18, one language at a time): main sends
// each way by code and figures beside its Danish lines; the policies screen words them in the operator's
// language from the readiness text table, which the readiness check and its PDF read too.

// The lines come from the shared text table, not i18next: only the language matters.
const texts = (language: 'da' | 'en') => ({ language, t: (k: string) => k });

const DANISH = /\b(kræver|kun|husker|tegn|aldrig|først|dage|spærrer|ikke|endnu|forsøg|gør)\b|[æøå]/i;

const settings = { ...defaultPolicySettings(true), requireComplexPassword: true, passwordHistoryEnabled: true, passwordHistoryCount: 8, forceChangePassword: true, forceChangePasswordIntervalDays: 90 };
const want = psoSettingsFromPolicy(settings);
const weakAd = { ...want, minLength: want.minLength - 3, historyLength: 2, complexity: false, maxAgeDays: null, lockoutThreshold: want.lockoutThreshold + 5 };

describe('where AD is weaker than the IdP', () => {
  it('finds each way by code and figures, and says nothing when AD is as strict', () => {
    expect(weaknessesInAd(want, settings)).toEqual([]);
    expect(weaknessesInAd(weakAd, settings)).toEqual([
      { code: 'minLength', ad: want.minLength - 3, idp: want.minLength },
      { code: 'history', ad: 2, idp: 8 },
      { code: 'complexity' },
      { code: 'maxAge', ad: null, idp: 90 },
      { code: 'lockout', ad: want.lockoutThreshold + 5, idp: want.lockoutThreshold },
    ]);
    expect(weaknessesInAd({ ...want, lockoutThreshold: 0 }, settings)).toEqual([{ code: 'neverLocks' }]);
  });

  it('reads in Danish exactly as main\'s own lines', () => {
    for (const ad of [weakAd, { ...want, lockoutThreshold: 0, maxAgeDays: 365 }]) {
      expect(weakerText(weaknessesInAd(ad, settings), texts('da'))).toBe(weakerInAd(ad, settings).join(' '));
    }
    expect(weakerText([{ code: 'notMirrored' }], texts('da'))).toBe('Politikken er ikke skrevet til AD endnu.');
  });

  it('reads in English, with its figures and no Danish', () => {
    expect(weakerText([{ code: 'minLength', ad: 12, idp: 15 }], texts('en'))).toBe('AD requires only 12 characters (IdP: 15).');
    const every: AdWeakness[] = [...weaknessesInAd(weakAd, settings), { code: 'maxAge', ad: 365, idp: 90 }, { code: 'neverLocks' }, { code: 'notMirrored' }];
    for (const w of every) {
      const text = weakerText([w], texts('en'));
      expect(text, w.code).not.toBe('');
      expect(text, w.code).not.toMatch(DANISH);
    }
  });
});
