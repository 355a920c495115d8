import type { PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import type { PolicyContext } from './evidence.ts';
import type { EvidenceLanguage } from './evidence-i18n.ts';
import { listPolicies } from '../policies/policy-service.ts';
import { allVersions } from '../policies/terms-service.ts';

/** One line per policy, the way an auditor reads it (Danish unless the package is English). */
export function policySummary(s: PasswordPolicySettings, language: EvidenceLanguage = 'da'): string {
  const en = language === 'en';
  const parts = [en ? `at least ${s.minLength} characters` : `mindst ${s.minLength} tegn`];
  if (s.requireComplexPassword) parts.push(en ? 'complex' : 'kompleks');
  const classes = (en
    ? [s.requireLowercase && 'lower case', s.requireUppercase && 'upper case', s.requireDigits && 'digits', s.requireSpecialCharacters && 'special characters']
    : [s.requireLowercase && 'små bogstaver', s.requireUppercase && 'store bogstaver', s.requireDigits && 'tal', s.requireSpecialCharacters && 'specialtegn']
  ).filter(Boolean);
  if (classes.length) parts.push(`${en ? 'requires' : 'kræver'} ${classes.join(', ')}`);
  if (s.disallowNameAndUsername) parts.push(en ? 'no name/username' : 'intet navn/brugernavn');
  if (s.preventBadPasswords) parts.push(en ? `${s.bannedWords.length} banned words` : `${s.bannedWords.length} forbudte ord`);
  if (s.checkLeakedPasswords) parts.push(en ? 'rejects leaked' : 'afviser lækkede');
  if (en) parts.push(s.forceChangePassword ? `change every ${s.forceChangePasswordIntervalDays} days` : 'no forced change');
  else parts.push(s.forceChangePassword ? `skift hver ${s.forceChangePasswordIntervalDays}. dag` : 'intet tvunget skift');
  if (s.passwordHistoryEnabled) parts.push(en ? `remembers ${s.passwordHistoryCount}` : `husker ${s.passwordHistoryCount}`);
  parts.push(en ? `locked after ${s.triesBeforeLock} attempts for ${s.lockedMinutes} min` : `spærring efter ${s.triesBeforeLock} forsøg i ${s.lockedMinutes} min`);
  parts.push(s.nsis ? 'NSIS' : en ? 'not NSIS' : 'ikke NSIS');
  return parts.join(', ');
}

/**
 * What the evidence package prints about policies and terms: every policy as it stands and every terms
 * version with its hash. (Earlier policy versions are in the journal's policy.update records.)
 */
export async function policyEvidenceContext(idp: IdpPort | null, language: EvidenceLanguage = 'da'): Promise<PolicyContext> {
  if (!idp) return { passwordPolicies: null, termsVersions: null, unavailableReason: language === 'en' ? 'the Local IdP is not connected to this console.' : 'den lokale IdP er ikke tilsluttet denne konsol.' };
  try {
    const [policies, versions] = await Promise.all([listPolicies(idp), allVersions(idp)]);
    return {
      passwordPolicies: policies.map((p) => ({ domain: p.domain, summary: policySummary(p.settings, language), version: p.version, changedAt: p.updatedAt })),
      termsVersions: [...versions].reverse().map((v) => ({ version: v.version, publishedAt: v.createdAt, effectiveFrom: v.effectiveFrom, hash: v.contentHash })),
    };
  } catch (e) {
    return { passwordPolicies: null, termsVersions: null, unavailableReason: e instanceof Error ? e.message : language === 'en' ? 'the Local IdP did not answer.' : 'den lokale IdP svarede ikke.' };
  }
}
