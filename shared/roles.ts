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

/** True when `dn` is `ou` itself or lies below it (DN comparison is case-insensitive in AD). */
export function dnIsWithin(dn: string, ou: string): boolean {
  const d = dn.toLowerCase().replace(/\s*,\s*/g, ',');
  const o = ou.toLowerCase().replace(/\s*,\s*/g, ',');
  return d === o || d.endsWith(',' + o);
}
