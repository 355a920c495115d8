// Which AD domain a password policy belongs to, so that an operator changes (and mirrors into AD) only the
// policies of the domain they signed in to: a school administrator must not loosen the municipality's
// policy, nor write a PSO for it into the school's AD.
import type { ConsoleError} from '../../../shared/errors.ts';
import { keyedError } from '../../../shared/errors.ts';
import { domainOfDn, idpDomainOf, type AdDomain } from '../../../shared/domain/settings.ts';
import type { Operator } from '../../../shared/roles.ts';

/**
 * The configured AD domain a policy domain belongs to: the one holding all its mapped AD groups; without
 * groups, the one whose IdP domain it is or lies under (the most specific). null: no domain, or groups in
 * several (then it is the municipality's own to manage).
 */
export function adDomainOfPolicy(policyDomain: string, groups: readonly string[], domains: readonly AdDomain[]): AdDomain | null {
  if (groups.length > 0) {
    const owners = new Set(groups.map((g) => domainOfDn(domains, g)?.id ?? null));
    const [only] = [...owners];
    return owners.size === 1 && only ? (domains.find((d) => d.id === only) ?? null) : null;
  }
  const name = policyDomain.trim().toLowerCase();
  let best: AdDomain | null = null;
  for (const d of domains) {
    const own = idpDomainOf(d).toLowerCase();
    if (own && (name === own || name.endsWith(`.${own}`)) && (!best || own.length > idpDomainOf(best).length)) best = d;
  }
  return best;
}

/**
 * Refuses an operator another domain's policy. A policy that belongs to no configured domain is the
 * municipality's own (its first domain's). Nothing to refuse with one domain, or without domain facts
 * (the training municipality).
 */
export function requireOwnPolicy(operator: Operator, policyDomain: string, groups: readonly string[], domains: readonly AdDomain[]): void {
  const owner = policyOfOtherDomain(operator, policyDomain, groups, domains);
  if (owner) throw policyOtherDomain(policyDomain, owner.name, operator.domain!.name);
}

/** Whether a policy is the operator's domain's to change (and to check against their AD). */
export function ownsPolicy(operator: Operator, policyDomain: string, groups: readonly string[], domains: readonly AdDomain[]): boolean {
  return policyOfOtherDomain(operator, policyDomain, groups, domains) === null;
}

/** The domain a policy belongs to when that is not the operator's; null when it is theirs (or nothing to tell). */
export function policyOfOtherDomain(operator: Operator, policyDomain: string, groups: readonly string[], domains: readonly AdDomain[]): AdDomain | null {
  const own = operator.domain;
  if (!own || domains.length < 2) return null;
  const owner = adDomainOfPolicy(policyDomain, groups, domains) ?? domains[0]!;
  return owner.id === own.id ? null : owner;
}

function policyOtherDomain(policy: string, domain: string, own: string): ConsoleError {
  return keyedError(
    'forbidden',
    'policyOtherDomain',
    `Politikken for ${policy} hører til domænet ${domain}. Du er logget ind i ${own}; log ind med en konto i ${domain} for at ændre den.`,
    { policy, domain, own },
  );
}
