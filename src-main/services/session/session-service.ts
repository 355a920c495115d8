import { keyedError } from '../../../shared/errors.ts';
import { signInSuffixOf, type AdDomain } from '../../../shared/domain/settings.ts';
import type { sessionOps } from '../../../shared/operations/session.ts';
import type { Environment, FeatureService } from '../../ports.ts';
import { operatorFromIdentity } from './roles.ts';
import { closeSession } from '../../session-binds.ts';

export interface SessionServiceDeps {
  environment(): Environment;
  /** The configured AD domains (the sign-in screen and "also sign in" name them). */
  domains?: () => readonly AdDomain[];
  version: string;
  /** The language the machine policy fixes, if it fixes one. */
  policyLanguage?: () => 'da' | 'en' | null;
}

/** Signing in with one's own AD account: the bind is the operator's, the roles come from their groups. */
export function createSessionService(deps: SessionServiceDeps): FeatureService<typeof sessionOps> {
  return {
    'app.info': async () => {
      const env = deps.environment();
      const domains = deps.domains?.() ?? [];
      return {
        version: deps.version,
        training: env.isTraining,
        trainingOperators: [...env.operatorCards],
        policyLanguage: deps.policyLanguage?.() ?? null,
        // With one domain there is nothing to choose between; only names and ids, nothing of how they are reached.
        domains: domains.length > 1 ? domains.map((d) => ({ id: d.id, name: d.name, suffix: signInSuffixOf(d) })) : [],
      };
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
      // The earlier binds are replaced either way; one that fails to close must not refuse the sign-in.
      if (call.session) await closeSession(call.session);
      const now = Date.now();
      call.setSession({ operator, directory, startedAt: now, lastUsedAt: now });
      call.record({ operation: 'session.login', operator, reason: null, outcome: 'success', summary: { roles: operator.roles, ...(domain ? { domain: domain.id } : {}) } });
      return { operator };
    },

    'session.addDomain': async (input, call) => {
      const s = call.requireSession();
      const env = deps.environment();
      const home = s.operator.domain;
      if (!home) throw keyedError('validation', 'oneDomainOnly', 'Konsollen kender kun ét AD-domæne.');
      const directory = await env.connections.directory.signIn(input.username, input.password);
      const domain = directory.domain;
      const held = [home, ...(s.operator.also ?? []).flatMap((g) => g.domain ?? [])];
      const refuse = async (e: Error) => {
        await directory.close().catch(() => {});
        throw e;
      };
      if (!domain) return refuse(keyedError('validation', 'oneDomainOnly', 'Konsollen kender kun ét AD-domæne.'));
      if (held.some((d) => d.id === domain.id)) {
        return refuse(keyedError('validation', 'domainAlreadySignedIn', `Du er allerede logget ind i domænet ${domain.name}.`, { domain: domain.name }));
      }
      // The roles of this domain come from its own groups and role mapping, exactly as at a sign-in there.
      const { also: _none, ...grant } = operatorFromIdentity(directory.identity, env.roleMapping(domain.id), domain);
      if (grant.roles.length === 0) {
        return refuse(
          keyedError(
            'forbidden',
            'noRoleGroupInDomain',
            `Din konto i domænet ${domain.name} er ikke medlem af nogen af de grupper, der giver en rolle i konsollen i det domæne. Kontakt en administrator.`,
            { domain: domain.name },
          ),
        );
      }
      const operator = { ...s.operator, also: [...(s.operator.also ?? []), grant] };
      call.setSession({ ...s, operator, others: [...(s.others ?? []), directory], lastUsedAt: Date.now() });
      call.record({ operation: 'session.addDomain', operator: grant, reason: null, outcome: 'success', summary: { roles: grant.roles, domain: domain.id, with: s.operator.username } });
      return { operator };
    },

    'session.logout': async (_input, call) => {
      const s = call.session;
      call.setSession(null);
      // Signed out either way; a bind that fails to close is dropped with the session.
      if (s) await closeSession(s);
      return { ok: true as const };
    },

    'session.current': async (_input, call) => ({ operator: call.session?.operator ?? null }),
  };
}
