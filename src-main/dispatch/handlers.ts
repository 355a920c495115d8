import { ConsoleError } from '../../shared/errors.ts';
import { secretKeys, type SecretKey } from '../../shared/domain/settings.ts';
import type { Core } from '../core.ts';
import { operatorFromIdentity } from '../services/roles.ts';
import { trainingOperatorCards, trainingRoleMapping } from '../training/environment.ts';
import type { Handlers } from './dispatcher.ts';

interface HandlerDeps {
  core: Core;
  /** Rebuild the connections after the settings changed. */
  reconnect(): void;
}

/** One line per operation: the work itself lives in services and connectors. */
export function createHandlers({ core, reconnect }: HandlerDeps): Handlers {
  const settingsView = () => ({
    settings: core.settings.read(),
    secrets: Object.fromEntries(secretKeys.map((k) => [k, core.secrets.has(k)])) as Record<SecretKey, boolean>,
    secretsPersisted: core.secrets.persisted,
  });

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

    'settings.get': async () => settingsView(),

    'settings.update': async (input) => {
      core.settings.write(input.settings);
      reconnect();
      return settingsView();
    },

    'settings.setSecret': async (input) => {
      core.secrets.set(input.key, input.value);
      return settingsView();
    },

    'settings.testConnection': async (input) => {
      const conn = core.connections();
      if (input.system === 'ad') {
        const r = await conn.directory.ping();
        return { ok: r.ok, message: r.message };
      }
      const status = (await conn.status()).find((s) => s.system === input.system);
      return { ok: status?.state === 'ok', message: status?.message ?? 'Ukendt system' };
    },

    'system.status': async () => ({ systems: await core.connections().status() }),

    'people.search': async (input, ctx) => ctx.requireSession().directory.searchPeople({ text: input.text, limit: input.limit }),

    'people.get': async (input, ctx) => ({ person: await ctx.requireSession().directory.getPerson(input.personId) }),

    'people.unlockAccount': async (input, ctx) => {
      const dir = ctx.requireSession().directory;
      await dir.unlockAccount(input.personId);
      return { person: await dir.getPerson(input.personId) };
    },
  };
}
