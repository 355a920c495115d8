import { keyedError } from '../../../shared/errors.ts';
import type { sessionOps } from '../../../shared/operations/session.ts';
import type { Environment, FeatureService } from '../../ports.ts';
import { operatorFromIdentity } from './roles.ts';

export interface SessionServiceDeps {
  environment(): Environment;
  version: string;
  /** The language the machine policy fixes, if it fixes one. */
  policyLanguage?: () => 'da' | 'en' | null;
}

/** Signing in with one's own AD account: the bind is the operator's, the roles come from their groups. */
export function createSessionService(deps: SessionServiceDeps): FeatureService<typeof sessionOps> {
  return {
    'app.info': async () => {
      const env = deps.environment();
      return { version: deps.version, training: env.isTraining, trainingOperators: [...env.operatorCards], policyLanguage: deps.policyLanguage?.() ?? null };
    },

    'session.login': async (input, call) => {
      const env = deps.environment();
      const directory = await env.connections.directory.signIn(input.username, input.password);
      // Roles from the mapping of the domain the bind is in, and only from it: a group of the same name in
      // another domain grants nothing here. The operator carries the domain, which confines what they reach.
      const domain = directory.domain;
      const operator = operatorFromIdentity(directory.identity, env.roleMapping(domain?.id ?? null), domain);
      if (operator.roles.length === 0) {
        await directory.close();
        if (domain) {
          throw keyedError(
            'forbidden',
            'noRoleGroupInDomain',
            `Din konto i domænet ${domain.name} er ikke medlem af nogen af de grupper, der giver en rolle i konsollen i det domæne. Kontakt en administrator.`,
            { domain: domain.name },
          );
        }
        throw keyedError('forbidden', 'noRoleGroup', 'Din konto er ikke medlem af nogen af konsollens rollegrupper. Kontakt en administrator.');
      }
      // The earlier bind is replaced either way; one that fails to close must not refuse the sign-in.
      if (call.session) await call.session.directory.close().catch(() => {});
      const now = Date.now();
      call.setSession({ operator, directory, startedAt: now, lastUsedAt: now });
      call.record({ operation: 'session.login', operator, reason: null, outcome: 'success', summary: { roles: operator.roles, ...(domain ? { domain: domain.id } : {}) } });
      return { operator };
    },

    'session.logout': async (_input, call) => {
      const s = call.session;
      call.setSession(null);
      // Signed out either way; a bind that fails to close is dropped with the session.
      if (s) await s.directory.close().catch(() => {});
      return { ok: true as const };
    },

    'session.current': async (_input, call) => ({ operator: call.session?.operator ?? null }),
  };
}
