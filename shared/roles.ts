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
});
export type OperatorDomain = z.infer<typeof OperatorDomain>;

export const Operator = z.object({
  username: z.string(),
  displayName: z.string(),
  dn: z.string(),
  roles: z.array(Role),
  /** OUs a helpdesk operator is limited to; null = not limited. Only applies to the helpdesk role. */
  helpdeskOus: z.array(z.string()).nullable(),
  /** Absent only where one domain is all there is (the training municipality, older tests): nothing to confine to. */
  domain: OperatorDomain.optional(),
});
export type Operator = z.infer<typeof Operator>;

/** The OUs (DNs) an operation is limited to for an operator; null = the whole organisation. */
export type Scope = readonly string[] | null;

/** True when a person (by DN) is inside a scope; a person without a DN is inside only the unlimited one. */
export function inScope(scope: Scope, dn: string | null): boolean {
  return scope === null || (dn !== null && scope.some((ou) => dnIsWithin(dn, ou)));
}
