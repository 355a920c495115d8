import { z } from 'zod';

/** The console's roles. Which AD groups grant them is configured in settings (role mapping). */
export const roles = ['administrator', 'useradmin', 'helpdesk', 'auditor'] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const Operator = z.object({
  username: z.string(),
  displayName: z.string(),
  dn: z.string(),
  roles: z.array(Role),
  /** OUs a helpdesk operator is limited to; null = not limited. Only applies to the helpdesk role. */
  helpdeskOus: z.array(z.string()).nullable(),
});
export type Operator = z.infer<typeof Operator>;

/**
 * Splits a DN into its RDNs at unescaped commas (RFC 4514), so an escaped comma inside a name such as
 * `CN=X\\,OU=Skoler` can never pass for an OU boundary. RDNs are compared case-insensitively, as AD does.
 */
export function dnRdns(dn: string): string[] {
  const rdns: string[] = [];
  let cur = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i] as string;
    if (c === '\\' && i + 1 < dn.length) {
      cur += c + dn[++i];
    } else if (c === ',') {
      rdns.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  rdns.push(cur);
  return rdns.map((r) => r.trim().replace(/\s*=\s*/, '=').toLowerCase());
}

/** True when `dn` is `ou` itself or lies below it. */
export function dnIsWithin(dn: string, ou: string): boolean {
  const d = dnRdns(dn);
  const o = dnRdns(ou);
  if (o.length > d.length) return false;
  return o.every((rdn, i) => d[d.length - o.length + i] === rdn);
}

/** The OUs (DNs) an operation is limited to for an operator; null = the whole organisation. */
export type Scope = readonly string[] | null;

/** True when a person (by DN) is inside a scope; a person without a DN is inside only the unlimited one. */
export function inScope(scope: Scope, dn: string | null): boolean {
  return scope === null || (dn !== null && scope.some((ou) => dnIsWithin(dn, ou)));
}
