import type { RoleMapping } from '../../../shared/domain/settings.ts';
import type { Operator, Role } from '../../../shared/roles.ts';
import { roles as allRoles } from '../../../shared/roles.ts';
import type { OperatorIdentity } from '../../connectors/directory-port.ts';

/**
 * Roles come only from the operator's (nested) AD groups through the configured mapping. A group may
 * be named by sAMAccountName or SID; names compare case-insensitively as AD does.
 */
export function operatorFromIdentity(identity: OperatorIdentity, mapping: RoleMapping): Operator {
  const names = new Set(identity.groups.flatMap((g) => [g.name.toLowerCase(), g.sid.toLowerCase()]));
  const has = (group: string) => names.has(group.trim().toLowerCase());

  const granted = new Set<Role>();
  for (const role of allRoles) {
    if (mapping[role].some(has)) granted.add(role);
  }
  // A scoped helpdesk group grants the helpdesk role limited to its OUs.
  const scopes = mapping.helpdeskScopes.filter((s) => has(s.group));
  const unscopedHelpdesk = mapping.helpdesk.some(has);
  if (scopes.length > 0) granted.add('helpdesk');

  return {
    username: identity.username,
    displayName: identity.displayName,
    dn: identity.dn,
    roles: allRoles.filter((r) => granted.has(r)),
    helpdeskOus: scopes.length > 0 && !unscopedHelpdesk ? scopes.flatMap((s) => s.ous) : null,
  };
}
