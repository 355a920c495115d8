import { ConsoleError } from '../../../shared/errors.ts';
import type { LockedField } from '../../../shared/domain/machine-policy.ts';
import type { ConnectionTest } from '../../../shared/domain/connection-test.ts';
import { secretKeys, type AdDomain, type SecretKey, type SystemStatus } from '../../../shared/domain/settings.ts';
import type { settingsOps } from '../../../shared/operations/settings.ts';
import { boundSecret, secretBinding, type SecretStore, type SettingsStore } from '../../store/settings-store.ts';
import type { Environment, FeatureService } from '../../ports.ts';
import type { AuditShipping } from '../audit/shipping.ts';
import { requireOwnDomainSettings } from './domain-settings.ts';

/** What a secret must be bound to before it can be stored: the address saved in the settings. */
const needsAddress: Record<SecretKey, string> = {
  'mitid.p12Passphrase': 'Gem først adressen til MitID Erhverv og systemcertifikatets fil under Indstillinger; koden knyttes til dem.',
  'idp.apiKey': 'Gem først adressen til Lokal IdP under Indstillinger; API-nøglen knyttes til den.',
  'idp.bearerToken': 'Gem først adressen til Lokal IdP under Indstillinger; nøglen knyttes til den.',
};

export interface SettingsServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  environment(): Environment;
  shipping: AuditShipping;
  /** Build the environment again from the settings (after they or a secret changed). */
  reconnect(): Promise<void>;
  /** The systems' status for the status bar (recent, not waited for: connectors/status.ts). */
  systemStatus(): Promise<SystemStatus[]>;
  /** The fields IT's machine policy locks (the store refuses to change them; this tells the renderer). */
  locks?: () => LockedField[];
  /** Tries each DC of a saved domain (no bind): the AD connector's probe, given by the composition root. */
  testDomain(domain: AdDomain): Promise<ConnectionTest>;
}

/** Connections to AD, MitID Erhverv and the IdP, their secrets, the role mapping, and the status bar. */
export function createSettingsService(deps: SettingsServiceDeps): FeatureService<typeof settingsOps> {
  const core = { settings: deps.settings, secrets: deps.secrets, shipping: deps.shipping, connections: () => deps.environment().connections };
  const reconnect = deps.reconnect;
  const settingsView = () => {
    const settings = core.settings.read();
    const state = Object.fromEntries(secretKeys.map((k) => [k, boundSecret(core.secrets, k, settings).state])) as Record<SecretKey, 'ok' | 'missing' | 'rebind'>;
    return {
      settings,
      // Stored AND entered for the address the settings name now: only such a secret is ever used.
      secrets: Object.fromEntries(secretKeys.map((k) => [k, state[k] === 'ok'])) as Record<SecretKey, boolean>,
      rebind: secretKeys.filter((k) => state[k] === 'rebind'),
      secretsPersisted: core.secrets.persisted,
      locked: deps.locks?.() ?? [],
    };
  };

  return {
    'settings.get': async () => settingsView(),

    'settings.update': async (input, ctx) => {
      requireOwnDomainSettings(ctx.requireSession().operator, core.settings.read(), input.settings);
      core.settings.write(input.settings);
      await reconnect();
      return settingsView();
    },

    'settings.setSecret': async (input) => {
      // The secret is bound to the address saved now; a later change of address makes it unusable.
      const binding = secretBinding(input.key, core.settings.read());
      if (binding === null) throw new ConsoleError('validation', needsAddress[input.key], { fields: { value: needsAddress[input.key] } }).withKey('settingsNeedsAddress');
      core.secrets.set(input.key, input.value, binding);
      // Clients built with their secrets are built again; an environment without stored secrets has none.
      if (deps.environment().usesStoredSecrets) await reconnect();
      return settingsView();
    },

    'settings.testConnection': async (input) => {
      if ('domainId' in input) {
        const domain = core.settings.read().domains.find((d) => d.id === input.domainId);
        return domain ? deps.testDomain(domain) : { ok: false, code: 'unknownDomain', params: { id: input.domainId } };
      }
      // The system as the running environment reaches it; its own answer is Danish, kept as a detail.
      const status = (await core.connections().status()).find((s) => s.system === input.system);
      if (!status || status.state === 'not-configured') return { ok: false, code: 'notConfigured', params: {} };
      return { ok: status.state === 'ok', code: status.state === 'ok' ? 'connected' : 'down', params: { detail: status.message } };
    },

    'system.status': async () => {
      const { pending, lastError, lastErrorRef } = core.shipping.status();
      return { systems: await deps.systemStatus(), outbox: { pending, lastError, error: lastErrorRef } };
    },
  };
}
