import { z } from 'zod';
import { dnIsWithin } from './dn.ts';

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

/** The OUs (DNs) an operation is limited to for an operator; null = the whole organisation. */
export type Scope = readonly string[] | null;

/** True when a person (by DN) is inside a scope; a person without a DN is inside only the unlimited one. */
export function inScope(scope: Scope, dn: string | null): boolean {
  return scope === null || (dn !== null && scope.some((ou) => dnIsWithin(dn, ou)));
}
