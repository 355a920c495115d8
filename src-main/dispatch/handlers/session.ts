import { ConsoleError } from '../../../shared/errors.ts';
import type { sessionOps } from '../../../shared/operations/session.ts';
import { operatorFromIdentity } from '../../services/roles.ts';
import { trainingOperatorCards, trainingRoleMapping } from '../../training/environment.ts';
import type { FeatureHandlers, HandlerDeps } from './types.ts';

export function sessionHandlers({ core }: HandlerDeps): FeatureHandlers<typeof sessionOps> {
  return {
    'app.info': async () => {
      const training = core.connections().training;
      return { version: core.version, training, trainingOperators: training ? trainingOperatorCards : [] };
    },

    'session.login': async (input, ctx) => {
      const conn = core.connections();
      const directory = await conn.directory.signIn(input.username, input.password);
      const mapping = conn.training ? trainingRoleMapping : core.settings.read().roleMapping;
      const operator = operatorFromIdentity(directory.identity, mapping);
      if (operator.roles.length === 0) {
        await directory.close();
        throw new ConsoleError('forbidden', 'Din konto er ikke medlem af nogen af konsollens rollegrupper. Kontakt en administrator.');
      }
      const previous = ctx.call.slot.get();
      if (previous) await previous.directory.close().catch(() => {});
      const now = Date.now();
      ctx.call.slot.set({ operator, directory, startedAt: now, lastUsedAt: now });
      core.journal.append({
        kind: 'event',
        operation: 'session.login',
        operator,
        workstation: ctx.call.workstation,
        correlationId: ctx.correlationId,
        target: null,
        reason: null,
        outcome: 'success',
        summary: { roles: operator.roles },
      });
      return { operator };
    },

    'session.logout': async (_input, ctx) => {
      const s = ctx.call.slot.get();
      ctx.call.slot.set(null);
      if (s) await s.directory.close().catch(() => {});
      return { ok: true as const };
    },

    'session.current': async (_input, ctx) => ({ operator: ctx.session?.operator ?? null }),
  };
}
