import type { PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import type { PolicyContext } from './evidence.ts';
import { listPolicies } from '../policies/policy-service.ts';
import { allVersions } from '../policies/terms-service.ts';

/** One Danish line per policy, the way an auditor reads it. */
export function policySummary(s: PasswordPolicySettings): string {
  const parts = [`mindst ${s.minLength} tegn`];
  if (s.requireComplexPassword) parts.push('kompleks');
  const classes = [s.requireLowercase && 'små bogstaver', s.requireUppercase && 'store bogstaver', s.requireDigits && 'tal', s.requireSpecialCharacters && 'specialtegn'].filter(Boolean);
  if (classes.length) parts.push(`kræver ${classes.join(', ')}`);
  if (s.disallowNameAndUsername) parts.push('intet navn/brugernavn');
  if (s.preventBadPasswords) parts.push(`${s.bannedWords.length} forbudte ord`);
  if (s.checkLeakedPasswords) parts.push('afviser lækkede');
  parts.push(s.forceChangePassword ? `skift hver ${s.forceChangePasswordIntervalDays}. dag` : 'intet tvunget skift');
  if (s.passwordHistoryEnabled) parts.push(`husker ${s.passwordHistoryCount}`);
  parts.push(`spærring efter ${s.triesBeforeLock} forsøg i ${s.lockedMinutes} min`);
  parts.push(s.nsis ? 'NSIS' : 'ikke NSIS');
  return parts.join(', ');
}

/**
 * What the evidence package prints about policies and terms: every policy as it stands and every terms
 * version with its hash. (Earlier policy versions are in the journal's policy.update records.)
 */
export async function policyEvidenceContext(idp: IdpPort | null): Promise<PolicyContext> {
  if (!idp) return { passwordPolicies: null, termsVersions: null, unavailableReason: 'den lokale IdP er ikke tilsluttet denne konsol.' };
  try {
    const [policies, versions] = await Promise.all([listPolicies(idp), allVersions(idp)]);
    return {
      passwordPolicies: policies.map((p) => ({ domain: p.domain, summary: policySummary(p.settings), version: p.version, changedAt: p.updatedAt })),
      termsVersions: [...versions].reverse().map((v) => ({ version: v.version, publishedAt: v.createdAt, effectiveFrom: v.effectiveFrom, hash: v.contentHash })),
    };
  } catch (e) {
    return { passwordPolicies: null, termsVersions: null, unavailableReason: e instanceof Error ? e.message : 'den lokale IdP svarede ikke.' };
  }
}
