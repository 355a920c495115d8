import { secretKeys, type SecretKey } from '../../../shared/domain/settings.ts';
import type { settingsOps } from '../../../shared/operations/settings.ts';
import type { FeatureHandlers, HandlerDeps } from './types.ts';

export function settingsHandlers({ core, reconnect }: HandlerDeps): FeatureHandlers<typeof settingsOps> {
  const settingsView = () => ({
    settings: core.settings.read(),
    secrets: Object.fromEntries(secretKeys.map((k) => [k, core.secrets.has(k)])) as Record<SecretKey, boolean>,
    secretsPersisted: core.secrets.persisted,
  });

  return {
    'settings.get': async () => settingsView(),

    'settings.update': async (input) => {
      core.settings.write(input.settings);
      await reconnect();
      return settingsView();
    },

    'settings.setSecret': async (input) => {
      core.secrets.set(input.key, input.value);
      // The live clients are built with their secrets: rebuild them (training has none to rebuild).
      if (!core.connections().training) await reconnect();
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

    'system.status': async () => {
      const { pending, lastError } = core.shipping.status();
      return { systems: await core.connections().status(), outbox: { pending, lastError } };
    },
  };
}
