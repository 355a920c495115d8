import type { RoleMapping } from '../../shared/domain/settings.ts';
import { ouDn, TRAINING_PASSWORD, trainingOperators } from './seed.ts';

/** The training municipality's role groups; the same names the Samba test domain uses. */
export const trainingRoleMapping: RoleMapping = {
  administrator: ['LIA-Administratorer'],
  useradmin: ['LIA-Brugeradministratorer'],
  helpdesk: ['LIA-Helpdesk'],
  auditor: ['LIA-Revisorer'],
  helpdeskScopes: [{ group: 'LIA-Helpdesk-Skoler', ous: [ouDn(['Skoler'])] }],
};

export const trainingOperatorCards = trainingOperators.map((o) => ({
  username: o.username,
  password: TRAINING_PASSWORD,
  role: o.role,
}));
