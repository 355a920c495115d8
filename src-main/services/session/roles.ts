import type { RoleMapping } from '../../../shared/domain/settings.ts';
import type { Operator, OperatorDomain, Role } from '../../../shared/roles.ts';
import { operatorUsername, roles as allRoles } from '../../../shared/roles.ts';
import type { OperatorIdentity } from '../../connectors/directory-port.ts';

const none: RoleMapping = { administrator: [], useradmin: [], helpdesk: [], auditor: [], helpdeskScopes: [] };

/**
 * Roles come only from the operator's (nested) AD groups through the role mapping of the domain they
 * signed in to (null: that domain grants no role). A group may be named by sAMAccountName or SID; names
 * compare case-insensitively as AD does. The identity's groups are those of that domain only (read under
 * the operator's bind there), so a group of the same name in another domain never counts.
 */
export function operatorFromIdentity(identity: OperatorIdentity, mapping: RoleMapping | null, domain?: OperatorDomain): Operator {
  const m = mapping ?? none;
  const names = new Set(identity.groups.flatMap((g) => [g.name.toLowerCase(), g.sid.toLowerCase()]));
  const has = (group: string) => names.has(group.trim().toLowerCase());

  const granted = new Set<Role>();
  for (const role of allRoles) {
    if (m[role].some(has)) granted.add(role);
  }
  // A scoped helpdesk group grants the helpdesk role limited to its OUs.
  const scopes = m.helpdeskScopes.filter((s) => has(s.group));
  const unscopedHelpdesk = m.helpdesk.some(has);
  if (scopes.length > 0) granted.add('helpdesk');

  return {
    username: operatorUsername(identity.username, domain),
    displayName: identity.displayName,
    dn: identity.dn,
    roles: allRoles.filter((r) => granted.has(r)),
    helpdeskOus: scopes.length > 0 && !unscopedHelpdesk ? scopes.flatMap((s) => s.ous) : null,
    ...(domain ? { domain } : {}),
  };
}
