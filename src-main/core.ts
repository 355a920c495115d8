import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleError } from '../shared/errors.ts';
import type { Settings, SystemStatus } from '../shared/domain/settings.ts';
import type { DirectoryPort } from './connectors/directory-port.ts';
import { createDispatcher, toPayload, type Dispatch } from './dispatch/dispatcher.ts';
import { createHandlers } from './dispatch/handlers.ts';
import { openJournal, type Journal } from './store/journal.ts';
import { openAuditStore, type AuditStore } from './store/audit-store.ts';
import { createJobRegistry, type JobRegistry } from './services/jobs.ts';
import type { SecretStore, SettingsStore } from './store/settings-store.ts';
import { createTrainingDirectory } from './training/directory.ts';
import { generateTrainingAccounts } from './training/seed.ts';

export interface CoreOptions {
  dataDir: string;
  /** Size of the training municipality (default 2,400 people); benchmarks ask for 100,000. */
  trainingPeople?: number;
  settings: SettingsStore;
  secrets: SecretStore;
  version: string;
  /** Where unexpected errors go (with stack); default stderr. */
  logError?: (correlationId: string, operation: string, err: unknown) => void;
}

/** The systems the console talks to, chosen from the settings (training or live). */
export interface Connections {
  readonly training: boolean;
  directory: DirectoryPort;
  status(): Promise<SystemStatus[]>;
}

export interface Core {
  dispatch: Dispatch;
  journal: Journal;
  audit: AuditStore;
  jobs: JobRegistry;
  /** Where evidence packages are written. */
  evidenceDir: string;
  connections(): Connections;
  settings: SettingsStore;
  secrets: SecretStore;
  version: string;
  close(): void;
}

function unconfiguredDirectory(): DirectoryPort {
  const fail = () => {
    throw new ConsoleError('unavailable-ad', 'Active Directory er ikke sat op endnu. Udfyld AD-forbindelsen under Indstillinger.');
  };
  return { kind: 'ad', signIn: async () => fail(), ping: async () => ({ ok: false, message: 'Active Directory er ikke sat op.' }) };
}

function buildConnections(settings: Settings, opts: CoreOptions): Connections {
  if (settings.mode === 'training') {
    const directory = createTrainingDirectory(generateTrainingAccounts(undefined, opts.trainingPeople));
    return {
      training: true,
      directory,
      async status() {
        const at = new Date().toISOString();
        const ad = await directory.ping();
        return [
          { system: 'ad', state: ad.ok ? 'ok' : 'down', message: ad.message, checkedAt: at, training: true },
          { system: 'mitid', state: 'not-configured', message: 'MitID Erhverv-simulatoren er ikke tilsluttet endnu.', checkedAt: at, training: true },
          { system: 'idp', state: 'not-configured', message: 'IdP-simulatoren er ikke tilsluttet endnu.', checkedAt: at, training: true },
        ];
      },
    };
  }
  const directory = unconfiguredDirectory();
  return {
    training: false,
    directory,
    async status() {
      const at = new Date().toISOString();
      const ad = await directory.ping().catch((e: unknown) => ({ ok: false, message: e instanceof Error ? e.message : 'Ukendt fejl' }));
      return [
        { system: 'ad', state: settings.ad ? (ad.ok ? 'ok' : 'down') : 'not-configured', message: ad.message, checkedAt: at, training: false },
        { system: 'mitid', state: 'not-configured', message: 'MitID Erhverv er ikke sat op.', checkedAt: at, training: false },
        { system: 'idp', state: 'not-configured', message: 'Den lokale IdP er ikke sat op.', checkedAt: at, training: false },
      ];
    },
  };
}

/** The composition root shared by both hosts: everything below the host, nothing Electron. */
export function createCore(opts: CoreOptions): Core {
  mkdirSync(opts.dataDir, { recursive: true });
  const journal = openJournal(join(opts.dataDir, 'journal.sqlite'));
  let connections = buildConnections(opts.settings.read(), opts);

  const core: Core = {
    journal,
    audit: openAuditStore(journal.db),
    jobs: createJobRegistry(toPayload),
    evidenceDir: join(opts.dataDir, 'evidence'),
    settings: opts.settings,
    secrets: opts.secrets,
    version: opts.version,
    connections: () => connections,
    dispatch: null as unknown as Dispatch,
    close() {
      journal.close();
    },
  };
  const handlers = createHandlers({
    core,
    reconnect: () => {
      connections = buildConnections(opts.settings.read(), opts);
    },
  });
  core.dispatch = createDispatcher({
    handlers,
    journal,
    logError:
      opts.logError ??
      ((cid, op, err) => {
        console.error(`[${cid}] ${op} fejlede:`, err);
      }),
  });
  return core;
}
