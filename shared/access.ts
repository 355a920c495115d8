import type { OperationSpec } from './operation.ts';
import { operations, type OpName } from './operations/index.ts';
import { dnIsWithin, ouLabel } from './dn.ts';
import { except, grantsOf, inScope, NO_AD_ACCOUNT, scopeOus, unionScopes, type Operator, type OperatorDomain, type OperatorGrant, type Role, type Scope } from './roles.ts';

export { inScope, type Scope };

/**
 * The console's one access decision. The dispatcher asks it on every call and the renderer asks it
 * before it offers an action, so the two can never disagree about who may do what to whom.
 *
 * - The role: the operation's `access` names the roles that may call it.
 * - The scope: a helpdesk operator may be limited to OUs. The limit applies to every operation that
 *   names a person (reads included) and to every list, search, export and report, which main filters
 *   to the scope. A limit applies only when no other role of the operator grants the operation.
 * - The domain (several AD domains): an operator acts only in the domain they signed in to — their bind
 *   is there and their roles came from its groups — whatever their role. Its base DN is part of every
 *   scope, and only the municipality's own domain keeps the people with no AD account. What administers
 *   the whole console or IdP (`municipalityOnly`) is for the municipality's own domain's operators only.
 * - Several domains in one session: each sign-in is a grant of its own (`Operator.also`). A person is
 *   decided by the grant of the domain they live in, and nothing else; an operation that names nobody is
 *   allowed when a grant allows it, and its scope is the union of those grants' scopes.
 */


/** The person an operation names: their DN, or null when they have no AD account (an orphan identity). */
export interface AccessTarget {
  dn: string | null;
}

export type Denial = {
  allowed: false;
  code: 'unauthenticated' | 'forbidden';
  /**
   * signed-out: nobody is signed in; role: no role grants it; scope: the person is outside the operator's
   * OUs; domain: the person is not in the AD domain the operator signed in to; municipality: the operation
   * administers the whole console or IdP, which only the municipality's own domain's operators do.
   */
  reason: 'signed-out' | 'role' | 'scope' | 'domain' | 'municipality';
  message: string;
  /** For a domain or municipality refusal: the name of the operator's own domain. */
  domain?: string;
  /** For a scope refusal: the operator's units by name, so the renderer can say them in any language. */
  units?: string[];
  /** For a scope refusal: the person has no AD account at all (only MitID Erhverv knows them). */
  noAccount?: boolean;
};
export type Decision =
  | {
      allowed: true;
      scope: Scope;
      /**
       * The grant it was decided by: the one of the person's domain, or for an operation that names nobody
       * the first grant that allows it (the municipality's own first). Main acts and journals as it.
       */
      by?: OperatorGrant;
      /** Every grant that allows it (their binds are the ones a list reads under). */
      grants?: OperatorGrant[];
    }
  | Denial;

const everyone: readonly Role[] = ['administrator', 'useradmin', 'helpdesk', 'auditor'];

/** The roles an operation grants ('public' for operations callable before sign-in). */
export function grantingRoles(spec: OperationSpec): readonly Role[] | 'public' {
  if (spec.access === 'public') return 'public';
  return spec.access === 'signed-in' ? everyone : spec.access;
}

/** "Skoler, Skoler / Elever" — how the operator's OUs are named in a refusal. */
export function scopeLabel(scope: readonly string[]): string {
  return scope.map((ou) => ouLabel(ou) || ou).join(', ');
}

/**
 * Decisions finer than an operation: one field of an operation's input that only some of the roles
 * granting it may change. Main enforces them where the field is handled; the renderer asks them here.
 */
const fieldRules = {
  /** Whether a policy domain is an NSIS domain decides whether the Full Service rule protects it at all. */
  'policy.nsisFlag': ['administrator'],
} as const satisfies Record<string, readonly Role[]>;

export function mayChange(operator: OperatorGrant | null, field: keyof typeof fieldRules): boolean {
  const roles: readonly Role[] = fieldRules[field];
  return !!operator && operator.roles.some((r) => roles.includes(r));
}

export function can(operator: Operator | null, operation: OpName, target?: AccessTarget): Decision {
  const spec = operations[operation] as OperationSpec;
  const granted = grantingRoles(spec);
  // Journaled operations always need someone to journal, even if the contract ever marked one public.
  if (granted === 'public' && !spec.writes && !spec.sensitive) return { allowed: true, scope: null };
  if (!operator) return { allowed: false, code: 'unauthenticated', reason: 'signed-out', message: 'Du er ikke logget ind.' };
  const grants = grantsOf(operator);
  if (grants.length === 1) return decide(operator, spec, granted, target);
  if (target) {
    // The person's own domain decides, by the grant the operator holds there; without one, the home grant refuses.
    const theirs = grants.find((g) => g.domain && inDomain(g.domain, target.dn)) ?? operator;
    const d = decide(theirs, spec, granted, target);
    return d.allowed ? { ...d, by: theirs, grants: [theirs] } : d;
  }
  const decisions = grants.map((g) => ({ g, d: decide(g, spec, granted) }));
  const allowed = decisions.flatMap(({ g, d }) => (d.allowed ? [{ g, scope: d.scope }] : []));
  const [first] = allowed;
  if (!first) return (decisions.find(({ d }) => !d.allowed && d.reason !== 'role') ?? decisions[0])?.d as Denial;
  return { allowed: true, scope: unionScopes(allowed.map((a) => a.scope)), by: first.g, grants: allowed.map((a) => a.g) };
}

/** One grant's decision (the whole of it with one domain). */
function decide(operator: OperatorGrant, spec: OperationSpec, granted: readonly Role[] | 'public', target?: AccessTarget): Decision {
  const roles = granted === 'public' ? operator.roles : operator.roles.filter((r) => granted.includes(r));
  if (roles.length === 0) {
    return { allowed: false, code: 'forbidden', reason: 'role', message: `Din rolle giver ikke adgang til: ${spec.summary}.` };
  }
  if (spec.municipalityOnly && operator.domain && !operator.domain.primary) {
    const { name } = operator.domain;
    return {
      allowed: false,
      code: 'forbidden',
      reason: 'municipality',
      domain: name,
      message: `Det kan kun kommunens egne administratorer: ${spec.summary}. Du er logget ind i domænet ${name}.`,
    };
  }
  // Only the helpdesk role is ever limited to OUs; any other granting role lifts that limit (not the domain).
  const ous: Scope = operator.helpdeskOus !== null && roles.every((r) => r === 'helpdesk') ? operator.helpdeskOus : null;
  const scope = operator.domain ? withinDomain(ous, operator.domain) : ous;
  if (target && operator.domain && !inDomain(operator.domain, target.dn)) {
    const { name } = operator.domain;
    return {
      allowed: false,
      code: 'forbidden',
      reason: 'domain',
      domain: name,
      noAccount: target.dn === null,
      message:
        target.dn === null
          ? `Personen har ingen AD-konto i domænet ${name}, som du er logget ind i.`
          : `Personen hører ikke til domænet ${name}, som du er logget ind i. Log ind med en konto i personens domæne.`,
    };
  }
  if (target && scope !== null && !inScope(scope, target.dn)) {
    const units = scopeOus(scope);
    return {
      allowed: false,
      code: 'forbidden',
      reason: 'scope',
      units: units.map((ou) => ouLabel(ou) || ou),
      noAccount: target.dn === null,
      message:
        target.dn === null
          ? `Personen har ingen AD-konto i dine enheder: ${scopeLabel(units)}.`
          : `Personen ligger uden for dine enheder: ${scopeLabel(units)}.`,
    };
  }
  return { allowed: true, scope };
}

/** Whether a person (by DN; null = no AD account) is in the operator's domain. */
function inDomain(domain: OperatorDomain, dn: string | null): boolean {
  if (dn === null) return domain.primary;
  return dnIsWithin(dn, domain.baseDn) && !domain.nested.some((n) => dnIsWithin(dn, n));
}

/**
 * A scope confined to the operator's domain: the whole domain (and, in the municipality's own, the people
 * with no AD account), or the operator's OUs that lie in it — an OU of another domain grants nothing.
 */
function withinDomain(ous: Scope, domain: OperatorDomain): readonly string[] {
  const others = domain.nested.map(except);
  if (ous === null) return [domain.baseDn, ...(domain.primary ? [NO_AD_ACCOUNT] : []), ...others];
  return [...ous.filter((ou) => inDomain(domain, ou)), ...others];
}
