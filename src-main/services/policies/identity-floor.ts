// The NSIS floor and MitID Erhverv identities (#19). A policy domain may be weaker than the Full Service
// rule only while none of its people hold an identity:
//  - the decision: which policy domain governs a person (one helper), and whether giving that person an
//    identity or the local credential is allowed (not while the domain is outside NSIS);
//  - the standing warning: domains outside the rule whose people hold identities all the same (someone
//    was given one after the domain was made weaker, or outside the console), counted from what the
//    people list already holds — never a MitID Erhverv call.
import { keyedError, type ConsoleError } from '../../../shared/errors.ts';
import { domainFromDn } from '../../../shared/idp/common.ts';
import { fullServiceViolations, type PasswordPolicy, type PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { FloorWarning, IdentityFloor, PoliciesConfig } from '../../../shared/operations/policies.ts';
import { dnIsWithin } from '../../../shared/dn.ts';
import { issuedNsisStatus } from '../../../shared/domain/person-state.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import { listPolicies } from './policy-service.ts';

/**
 * Why a policy is outside the NSIS rule, or null inside it: `not-nsis` (the domain is exempt from the
 * Full Service rule) or `below-floor` (an NSIS domain whose stored settings are weaker than the floor).
 */
export function outsideNsisRule(s: PasswordPolicySettings): 'not-nsis' | 'below-floor' | null {
  if (!s.nsis) return 'not-nsis';
  return fullServiceViolations(s).length > 0 ? 'below-floor' : null;
}

const findKey = <T>(rec: Record<string, T>, key: string): T | undefined => Object.entries(rec).find(([d]) => d.toLowerCase() === key.toLowerCase())?.[1];

/** The IdP domain a DN's person is kept under (`Connections.idpKey`: the AD domain's configured IdP domain). */
export type IdpDomainOf = (dn: string) => string | null;

/**
 * The policy domain that governs a person, by their DN — the same reading `peopleInScope` makes: the
 * policy whose configured OUs hold the DN (the most specific OU when several do), else the whole-domain
 * policy of the IdP domain the person's AD domain corresponds to (by default its DNS name).
 * null: no policy governs the DN (or there is no DN).
 */
export function governingPolicy(dn: string | null | undefined, policies: readonly PasswordPolicy[], config: PoliciesConfig, idpDomainOf: IdpDomainOf = domainFromDn): PasswordPolicy | null {
  if (!dn) return null;
  let best: { policy: PasswordPolicy; depth: number } | null = null;
  for (const p of policies) {
    for (const ou of findKey(config.domainOus, p.domain) ?? []) {
      if (!dnIsWithin(dn, ou)) continue;
      const depth = ou.split(',').length;
      if (!best || depth > best.depth) best = { policy: p, depth };
    }
  }
  if (best) return best.policy;
  const ad = idpDomainOf(dn)?.toLowerCase();
  return policies.find((p) => p.kind === 'domain' && p.domain.toLowerCase() === ad) ?? null;
}

/**
 * May this person be given a MitID Erhverv identity or the local credential? Not while the domain that
 * governs them is exempt from the NSIS rule: an identity used for NSIS logins would then rest on a password
 * policy weaker than the floor. An NSIS domain whose stored settings are below the floor is allowed (the
 * IdP holds NSIS domains to the floor on every login; the readiness check and the warning say it), and so
 * is a person no policy governs.
 */
export function identityFloorOf(dn: string | null | undefined, policies: readonly PasswordPolicy[], config: PoliciesConfig, idpDomainOf?: IdpDomainOf): IdentityFloor {
  const p = governingPolicy(dn, policies, config, idpDomainOf);
  if (!p) return { allowed: true, domain: null, displayName: null, outside: null };
  const outside = outsideNsisRule(p.settings);
  return { allowed: outside !== 'not-nsis', domain: p.domain, displayName: p.displayName, outside };
}

export function identityFloorRefused(f: IdentityFloor): ConsoleError {
  const domain = f.domain ?? '?';
  return keyedError(
    'refused',
    'identityFloorRefused',
    `Personen hører under politikdomænet ${domain}, som ikke er et NSIS-domæne, så personen kan ikke få en MitID Erhverv-identitet eller det lokale loginmiddel. En administrator skal først gøre ${domain} til et NSIS-domæne (Politikker).`,
    { domain },
    { floor: f },
  );
}

/** The gate main puts in front of every identity or credential it gives (services/mitid/actions.ts). */
export interface IdentityFloorGate {
  decide(dn: string | null | undefined): Promise<IdentityFloor>;
  /** The same decision for many people, the policies read once (a bulk job's dry run). */
  decider(): Promise<(dn: string | null | undefined) => IdentityFloor>;
  /** Throws `identityFloorRefused` when the person may not be given an identity. */
  require(dn: string | null | undefined): Promise<void>;
}

/** The gate over the IdP's policies (one local IdP read, no MitID Erhverv call) and the console's policy config. */
export function createIdentityFloorGate(deps: { idp: () => IdpPort | null; config: () => PoliciesConfig; idpDomainOf?: IdpDomainOf }): IdentityFloorGate {
  const decide = async (dn: string | null | undefined): Promise<IdentityFloor> => {
    const idp = deps.idp();
    // Without an IdP there are no policy domains to govern anyone (and no create either: the claim needs one).
    if (!idp) return { allowed: true, domain: null, displayName: null, outside: null };
    return identityFloorOf(dn, await listPolicies(idp), deps.config(), deps.idpDomainOf);
  };
  return {
    decide,
    decider: async () => {
      const idp = deps.idp();
      if (!idp) return () => ({ allowed: true, domain: null, displayName: null, outside: null });
      const [policies, config] = [await listPolicies(idp), deps.config()];
      return (dn) => identityFloorOf(dn, policies, config, deps.idpDomainOf);
    },
    require: async (dn) => {
      const f = await decide(dn);
      if (!f.allowed) throw identityFloorRefused(f);
    },
  };
}

/** What the people list holds of a person's identity: MitID Erhverv's state, or an NSIS status from the IdP. */
export interface HeldFacts {
  mitidState: string | null;
  nsisStatus: string | null;
}

/** An identity, as far as the people list has matched it (Active or Suspended, or an issued NSIS status). */
export function holdsIdentity(f: HeldFacts | null): boolean {
  if (!f) return false;
  if (f.mitidState === 'Active' || f.mitidState === 'Suspended') return true;
  return issuedNsisStatus(f.nsisStatus);
}

/**
 * The standing warnings: for each policy domain outside the NSIS rule, how many of the people it governs
 * (by `governingPolicy`, the same helper that refuses) hold an identity. Domains with none are left out.
 */
export function floorWarnings(
  policies: readonly PasswordPolicy[],
  people: readonly { id: string; dn: string }[],
  config: PoliciesConfig,
  held: (personId: string) => HeldFacts | null,
  idpDomainOf?: IdpDomainOf,
): FloorWarning[] {
  const counts = new Map<string, { governed: number; holders: number }>();
  for (const person of people) {
    const p = governingPolicy(person.dn, policies, config, idpDomainOf);
    if (!p || outsideNsisRule(p.settings) === null) continue;
    const c = counts.get(p.domain) ?? { governed: 0, holders: 0 };
    c.governed++;
    if (holdsIdentity(held(person.id))) c.holders++;
    counts.set(p.domain, c);
  }
  const out: FloorWarning[] = [];
  for (const p of policies) {
    const c = counts.get(p.domain);
    const outside = outsideNsisRule(p.settings);
    if (!c || c.holders === 0 || outside === null) continue;
    out.push({ domain: p.domain, displayName: p.displayName, outside, withIdentity: c.holders, peopleInScope: c.governed });
  }
  return out;
}
