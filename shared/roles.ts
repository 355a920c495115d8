import { z } from 'zod';
import { dnIsWithin } from './dn.ts';

/** The console's roles. Which AD groups grant them is configured in settings (role mapping). */
export const roles = ['administrator', 'useradmin', 'helpdesk', 'auditor'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

/**
 * The AD domain an operator signed in to (#19). An operator acts in their own domain only: their bind is
 * there, and their roles come from that domain's groups through that domain's role mapping.
 */
export const OperatorDomain = z.object({
  id: z.string(),
  name: z.string(),
  baseDn: z.string(),
  /** The municipality's own domain (the first configured): its operators also see identities with no AD account. */
  primary: z.boolean(),
  /** Base DNs of other configured domains inside this one (a child domain, DC=skole,DC=kommune,DC=dk): not this domain's people. */
  nested: z.array(z.string()).default([]),
});
export type OperatorDomain = z.infer<typeof OperatorDomain>;

const Grant = z.object({
  username: z.string(),
  displayName: z.string(),
  dn: z.string(),
  roles: z.array(Role),
  /** OUs a helpdesk operator is limited to; null = not limited. Only applies to the helpdesk role. */
  helpdeskOus: z.array(z.string()).nullable(),
  /** Absent only where one domain is all there is (the training municipality, older tests): nothing to confine to. */
  domain: OperatorDomain.optional(),
});
/** What one sign-in gives: who the operator is in that domain, and their roles and OUs there. */
export type OperatorGrant = z.infer<typeof Grant>;

export const Operator = Grant.extend({
  /**
   * Further AD domains signed in to in the same session (#19), one grant each: the operator's account,
   * roles and OUs in that domain, from its own bind and role mapping. A person is decided by the grant of
   * their domain; a list holds the people of every grant that allows it.
   */
  also: z.array(Grant).optional(),
});
export type Operator = z.infer<typeof Operator>;

/** Every grant of a session, the municipality's own domain first (the order a list or the journal names them in). */
export function grantsOf(operator: Operator): OperatorGrant[] {
  const { also = [], ...home } = operator;
  const all: OperatorGrant[] = [home, ...also];
  return all.length < 2 ? all : [...all.filter((g) => g.domain?.primary), ...all.filter((g) => !g.domain?.primary)];
}

/**
 * An operator's username as the console keeps it (journal, jobs, views): one of another domain than the
 * municipality's own is `name@<domain id>`, so the same account name in two domains is never one operator.
 * An sAMAccountName never holds '@'.
 */
export function operatorUsername(name: string, domain?: OperatorDomain): string {
  // Only a typed name (when AD withheld the sAMAccountName) can hold '@': its suffix never names a domain here.
  const plain = name.split('@')[0] ?? name;
  return domain && !domain.primary ? `${plain}@${domain.id}` : plain;
}

/** The domain a kept username names: its id, or null for the municipality's own (the first). */
export function usernameDomain(username: string): string | null {
  const at = username.lastIndexOf('@');
  return at < 0 ? null : username.slice(at + 1);
}

/**
 * The one domain whose settings entry an operator may change (an administrator of another domain than the
 * municipality's own); null: no such limit. Main refuses the rest (services/settings/domain-settings.ts)
 * and Indstillinger disables it, from this one reading.
 */
export function settingsConfinedTo(operator: OperatorGrant | null | undefined): OperatorGrant['domain'] | null {
  return operator?.domain && !operator.domain.primary ? operator.domain : null;
}

/** Whether what `username` made (a bulk job, …) is in the operator's domain; always, with no domain facts. */
export function madeInOwnDomain(operator: OperatorGrant, username: string): boolean {
  if (!operator.domain) return true;
  return usernameDomain(username) === (operator.domain.primary ? null : operator.domain.id);
}

/** The OUs (DNs) an operation is limited to for an operator; null = the whole organisation. */
export type Scope = readonly string[] | null;

/**
 * In a scope: the people with no AD account (identities only MitID Erhverv knows). They belong to the
 * municipality's own domain, so a confined operator of that domain keeps them and one of another domain
 * does not. Not a DN (no '='): no person's DN is ever within it.
 */
export const NO_AD_ACCOUNT = 'ingen-ad-konto';
/**
 * In a scope, `!<DN>`: nobody at or below that DN is reached through an OU of the scope that lies above
 * it (another domain nested inside this one). It takes nothing from an OU at or below it, so the scopes of
 * two domains' grants join by concatenation (`unionScopes`). DNs never start with '!'.
 */
const EXCEPT = '!';
export const except = (dn: string) => `${EXCEPT}${dn}`;

/** True when a person (by DN) is inside a scope; a person without a DN only where the scope says so. */
export function inScope(scope: Scope, dn: string | null): boolean {
  if (scope === null) return true;
  if (dn === null) return scope.includes(NO_AD_ACCOUNT);
  const excepted = scope.filter((ou) => ou.startsWith(EXCEPT)).map((ou) => ou.slice(EXCEPT.length));
  return scope.some(
    (ou) =>
      ou !== NO_AD_ACCOUNT &&
      !ou.startsWith(EXCEPT) &&
      dnIsWithin(dn, ou) &&
      // An exception below this OU (strictly) that holds the person takes them out of it.
      !excepted.some((x) => dnIsWithin(dn, x) && dnIsWithin(x, ou) && !dnIsWithin(ou, x)),
  );
}

/** The people in any of these scopes (one per domain grant); null holds everyone. */
export function unionScopes(scopes: readonly Scope[]): Scope {
  if (scopes.some((s) => s === null)) return null;
  return [...new Set(scopes.flatMap((s) => s ?? []))];
}

/** The OUs of a scope, without its markers (for naming them to a person). */
export function scopeOus(scope: readonly string[]): string[] {
  return scope.filter((ou) => ou !== NO_AD_ACCOUNT && !ou.startsWith(EXCEPT));
}
