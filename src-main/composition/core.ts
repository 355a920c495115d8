// The composition root shared by both hosts: it picks the environment, builds every store, connector
// and service once, and hands the services to the dispatcher. Nothing here is Electron; nothing below it
// knows which environment runs.
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { JournalCheck } from '../../shared/domain/audit.ts';
import type { LoadedPolicy } from '../../shared/domain/machine-policy.ts';
import type { Operator } from '../../shared/roles.ts';
import { createDispatcher, directoryTarget, toPayload, type Dispatch } from '../dispatch/dispatcher.ts';
import { createHandlers } from '../dispatch/handlers.ts';
import type { ActiveSession, Connections, Environment, ResolvedTarget } from '../ports.ts';
import { createAuditService } from '../services/audit/audit-service.ts';
import { removeAbandonedExports } from '../services/audit/evidence.ts';
import { createJobRegistry, type JobRegistry } from '../services/audit/jobs.ts';
import { checkJournal } from '../services/audit/journal-anchor.ts';
import { applyRetention } from '../services/audit/retention.ts';
import { createAuditShipping, type AuditShipping } from '../services/audit/shipping.ts';
import { bulkOperations } from '../services/bulk/bulk-operations.ts';
import { createBulkService } from '../services/bulk/index.ts';
import { createTransfersService } from '../services/transfers/transfers-service.ts';
import { createTokensService } from '../services/tokens/tokens-service.ts';
import { createDriftFixService } from '../services/bulk/drift-fix.ts';
import { openTransferQueue } from '../store/transfer-queue.ts';
import { currentCorrelationId } from '../correlation.ts';
import { createCreateGuard, guardMitIdPort } from '../services/mitid/create-guard.ts';
import { createPeopleIndex, type PeopleIndex } from '../services/people/index/people-index.ts';
import { createPeopleService } from '../services/people/people-service.ts';
import { syncSystemsFor, type SyncSettings } from '../services/people/sync/systems.ts';
import { createPoliciesService } from '../services/policies/policies-service.ts';
import { createIdentityFloorGate } from '../services/policies/identity-floor.ts';
import type { PoliciesConfig } from '../../shared/operations/policies.ts';
import { createFullServiceService } from '../services/fullservice/fullservice-service.ts';
import { createSessionService } from '../services/session/session-service.ts';
import { locksOf, managedRetentionStore, managedSettingsStore } from '../services/settings/policy.ts';
import { statusBoard, type StatusBoard } from '../connectors/status.ts';
import { createSettingsService } from '../services/settings/settings-service.ts';
import { testAdDomain } from '../connectors/ad/domain-test.ts';
import { openAuditStore, type AuditStore } from '../store/audit-store.ts';
import { openBulkStore } from '../store/bulk-store.ts';
import { openJournal, type Journal } from '../store/journal.ts';
import { loadMachinePolicy } from '../store/machine-policy.ts';
import { openMitIdCreateStore } from '../store/mitid-create-store.ts';
import { openPeopleStore } from '../store/people-store.ts';
import { fileConfigStore } from '../store/policies-config-store.ts';
import { ensurePrivateDir } from '../store/private-dir.ts';
import { fileRetentionStore } from '../store/retention-store.ts';
import type { SecretStore, SettingsStore } from '../store/settings-store.ts';
import { openViewsStore, type ViewsStore } from '../store/views-store.ts';
import { trainingEnvironment } from '../training/environment.ts';
import { runInBackground } from '../background.ts';
import { liveEnvironment } from './live.ts';

/** Where main logs a failure no caller sees: the correlation id (or the background task) and the operation. */
type LogError = (correlationId: string, operation: string, err: unknown) => void;

/** Who the journal names for the console's own scheduled work. */
const SYSTEM_OPERATOR: Operator = { username: 'konsollen', displayName: 'Konsollen (automatisk)', dn: '', roles: [], helpdeskOus: null };

export interface CoreOptions {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  version: string;
  /** Size of the training municipality (default 2,400 people); benchmarks ask for 100,000. */
  trainingPeople?: number;
  /** A training drill: the MitID Erhverv simulator's switches from the start (see TrainingOptions.mitidSwitches). */
  trainingMitIdSwitches?: unknown;
  /** Start the MitID Erhverv and IdP simulators in the training environment (default true). */
  trainingSimulators?: boolean;
  /** How often the outbox ships to the IdP and the IdP's log is pulled (ms; 0 = only on demand). */
  auditSyncIntervalMs?: number;
  /** Where unexpected errors go (with stack); default stderr. */
  logError?: LogError;
  /**
   * Tests only: change the environment the settings chose before anything uses it (e.g. another
   * simulator in place of the training one).
   */
  adjustEnvironment?: (env: Environment) => Environment | Promise<Environment>;
  /**
   * IT's machine policy; absent = read it from this machine (policy.json, and the registry on Windows),
   * null = none. An invalid policy stops the console (MachinePolicyError).
   */
  machinePolicy?: LoadedPolicy | null;
}

export interface Core {
  dispatch: Dispatch;
  journal: Journal;
  audit: AuditStore;
  views: ViewsStore;
  jobs: JobRegistry;
  shipping: AuditShipping;
  /** Ship pending journal records and pull the IdP's log now (no-op without an IdP). */
  syncAudit(): Promise<void>;
  /** The console's data folder (journal, settings, evidence). */
  dataDir: string;
  /** Where evidence packages are written. */
  evidenceDir: string;
  /** Where the console runs now (training or live), and its connections. */
  environment(): Environment;
  connections(): Connections;
  /** The merged people list of the current connections. */
  people(): PeopleIndex;
  /** The operator's settings with IT's machine policy applied; a save cannot change a locked field. */
  settings: SettingsStore;
  secrets: SecretStore;
  version: string;
  /** IT's machine policy (null: nothing is managed). */
  machinePolicy: LoadedPolicy | null;
  /**
   * The start-up check: crash-left `.partial` exports removed, the journal walked and compared with the
   * IdP's acknowledged heads; a tampered journal is journaled as an event. Shipping waits for it.
   */
  startupCheck: Promise<JournalCheck | null>;
  close(): Promise<void>;
}

/** The environment the settings choose. */
async function chooseEnvironment(opts: CoreOptions, store: SettingsStore): Promise<Environment> {
  const settings = store.read();
  const env =
    settings.mode === 'training'
      ? await trainingEnvironment({ dataDir: opts.dataDir, ...(opts.trainingPeople ? { people: opts.trainingPeople } : {}), simulators: opts.trainingSimulators !== false,
          ...(opts.trainingMitIdSwitches !== undefined ? { mitidSwitches: opts.trainingMitIdSwitches } : {}) })
      : liveEnvironment(settings, opts.secrets);
  return opts.adjustEnvironment ? opts.adjustEnvironment(env) : env;
}

/** An environment, connected: MitID Erhverv creates behind the guard, and the people list with its cache. */
interface Connected {
  environment: Environment;
  connections: Connections;
  people: PeopleIndex;
  /** The status bar's view of these systems. */
  status: StatusBoard;
  close(): Promise<void>;
}

function connect(env: Environment, dataDir: string, journal: Journal, logError: LogError, sync: SyncSettings, policiesConfig: () => PoliciesConfig): Connected {
  const raw = env.connections;
  // Every MitID Erhverv create in the console goes through one guard: a per-person lock, the IdP claim,
  // and the persisted "afventer bekræftelse" state (services/mitid/create-guard.ts).
  const createStore = raw.mitid ? openMitIdCreateStore(join(dataDir, 'mitid-creates.sqlite')) : null;
  const guard =
    raw.mitid && createStore
      ? createCreateGuard({
          mitid: raw.mitid,
          store: createStore,
          claims: raw.createClaims,
          workstation: hostname(),
          ...(env.createConfirm ? { policy: env.createConfirm } : {}),
          onEvent: (e) =>
            journal.append({
              // In the name of the console action that asked for the create (its correlation id), when there is one.
              kind: 'event', operation: 'mitid.createGuard', operator: SYSTEM_OPERATOR, workstation: hostname(), correlationId: currentCorrelationId() ?? randomUUID(),
              target: { id: e.subjectNameId, label: e.subjectNameId, ou: null }, reason: null,
              outcome: e.event === 'pending' ? 'unknown' : null, summary: { ...e },
            }),
        })
      : null;
  const sweepEvery = guard ? Math.max(1_000, Math.ceil(guard.policy.windowMs / guard.policy.absentSearches)) : 0;
  // A timer's tick: nobody waits for it, and the next tick sweeps again.
  const sweeper = guard ? setInterval(() => runInBackground('mitid.createGuard.sweep', guard.sweep(), (e) => logError('sweep', 'mitid.createGuard.sweep', e)), sweepEvery) : null;
  sweeper?.unref();
  // ... and every identity or local credential it gives passes the NSIS floor of the person's policy domain.
  const floor = createIdentityFloorGate({ idp: () => raw.idp, config: policiesConfig, idpDomainOf: (dn) => raw.idpKey(dn, '').domain || null });
  const connections: Connections = { ...raw, mitid: raw.mitid && guard ? guardMitIdPort(raw.mitid, guard, floor) : raw.mitid };
  // The facts store belongs to exactly these systems: other settings never see another AD's people.
  const peopleStore = openPeopleStore(join(dataDir, 'people-cache.sqlite'), createHash('sha256').update(env.cacheKey).digest('hex'));
  const people = createPeopleIndex(connections, { store: peopleStore, systems: syncSystemsFor(connections, sync) });
  return {
    environment: env,
    connections,
    people,
    status: statusBoard(() => connections.status()),
    close: async () => {
      if (sweeper) clearInterval(sweeper);
      people.close();
      await raw.close();
      createStore?.close();
      await peopleStore.close();
    },
  };
}

/**
 * The person an operation names. An AD person is read under the operator's bind; an identity only in
 * MitID Erhverv ("mitid:<uuid>", from the drift view) is named from the people list or MitID Erhverv, so
 * the journal says whose identity it was, and has no DN, so only an unlimited operator can reach it.
 */
async function resolveTarget(now: Connected, session: ActiveSession, personId: string): Promise<ResolvedTarget> {
  const uuid = /^mitid:(.+)$/.exec(personId)?.[1];
  if (!uuid) return directoryTarget(session, personId);
  const row = now.people.row(personId);
  let name = row?.displayName ?? null;
  const mitid = now.connections.mitid;
  if (!name && mitid) {
    // The name only labels the journal record; the operation itself meets MitID Erhverv's error.
    const identity = await mitid.getIdentity(uuid).catch(() => null);
    name = [identity?.givenName, identity?.surname].filter(Boolean).join(' ') || null;
  }
  const domainDn = row?.username ? (now.connections.subjectDomain?.(row.username) ?? null) : null;
  return { id: personId, person: null, dn: null, domainDn, label: `${name ?? 'Ukendt navn'} (MitID Erhverv-identitet ${uuid})`, ou: null };
}

/**
 * Start-up checks: `.partial` exports left by a crash are removed (they hold personal data), and the
 * journal is walked and compared with the IdP's acknowledged heads. Both findings are journaled as events;
 * an unreachable IdP is not (it is said plainly on every verify and export instead).
 */
async function runStartupChecks(core: Core, signal: AbortSignal, logError: LogError): Promise<JournalCheck | null> {
  const event = (operation: string, reason: string, outcome: 'success' | 'failed', summary: Record<string, unknown>) =>
    core.journal.append({ kind: 'event', operation, operator: SYSTEM_OPERATOR, workstation: 'konsollen', correlationId: randomUUID(), target: null, reason, outcome, summary });
  try {
    const removed = removeAbandonedExports(core.evidenceDir);
    if (removed.length) {
      event('audit.evidenceCleanup', `Ufærdige revisionspakker fra en afbrudt eksport er slettet: ${removed.join(', ')}`, 'success', { removed });
    }
    const check = await checkJournal(core.journal, core.connections().idp, core.shipping.anchoredSeq(), { signal });
    if (check.findings.length > 0 || check.findingsOmitted > 0) {
      event('audit.journalTampered', `Journalen er manipuleret eller beskadiget: ${check.findings.slice(0, 5).map((f) => f.message).join(' ')}`.slice(0, 2000), 'failed', {
        findings: check.findings.slice(0, 50),
        findingsOmitted: check.findingsOmitted + Math.max(0, check.findings.length - 50),
        idp: check.idp,
        head: check.head,
      });
    }
    return check;
  } catch (e) {
    if (!signal.aborted) logError('startup', 'audit.verifyJournal', e);
    return null;
  }
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const logError: LogError = opts.logError ?? ((cid, op, err) => console.error(`[${cid}] ${op} fejlede:`, err));
  // Journal, caches, evidence and settings: readable by the operator's account only (0700 on POSIX).
  ensurePrivateDir(opts.dataDir);
  // IT's policy first: an invalid one stops the console before anything is opened.
  const machinePolicy = opts.machinePolicy === undefined ? loadMachinePolicy() : opts.machinePolicy;
  const settings = machinePolicy ? managedSettingsStore(opts.settings, machinePolicy) : opts.settings;

  // ---------------------------------------------------------------- stores
  const journal = openJournal(join(opts.dataDir, 'journal.sqlite'));
  const audit = openAuditStore(journal.file);
  const transferQueue = openTransferQueue(journal.file);
  const shipping = createAuditShipping(journal, audit);
  const views = openViewsStore(join(opts.dataDir, 'views.sqlite'));
  const ownRetention = fileRetentionStore(join(opts.dataDir, 'retention.json'));
  const retention = machinePolicy ? managedRetentionStore(ownRetention, machinePolicy) : ownRetention;
  // Bulk jobs keep their tables beside the journal (one file to back up), through their own connection.
  const bulkStore = openBulkStore(journal.file);
  const jobs = createJobRegistry(toPayload);

  // ---------------------------------------------------------------- the environment, connected
  const syncSettings = (): SyncSettings => ({ mitidCallsPerMinute: settings.read().mitid?.syncCallsPerMinute });
  let now = connect(await chooseEnvironment(opts, settings), opts.dataDir, journal, logError, syncSettings(), () => policiesConfig.read());
  const reconnect = async () => {
    const old = now;
    now = connect(await chooseEnvironment(opts, settings), opts.dataDir, journal, logError, syncSettings(), () => policiesConfig.read());
    await old.close();
  };
  const connections = () => now.connections;
  const environment = () => now.environment;
  const people = () => now.people;
  // IT (policy) or an administrator may put evidence elsewhere, e.g. a share the auditors keep; read at start.
  const evidenceDir = settings.read().evidenceFolder || join(opts.dataDir, 'evidence');
  // The configured AD domains: the environment's own (training brings two), else the settings'.
  const domains = () => now.environment.domains ?? settings.read().domains;

  // ---------------------------------------------------------------- services
  const syncAudit = async () => {
    // Never ship before the journal was compared with the IdP: a tampered point must be seen first.
    await core.startupCheck;
    const idp = now.connections.idp;
    if (idp) await shipping.sync(idp);
  };
  // The bulk runner recovers jobs an earlier process left running; it winds down before the stores close.
  const bulk = createBulkService({
    journal,
    store: bulkStore,
    mitid: () => now.connections.mitid,
    linkRuleFor: (dn) => now.connections.rulesFor(dn).linkRule,
    resultDir: join(opts.dataDir, 'bulk'),
  });
  const policiesConfig = fileConfigStore(join(opts.dataDir, 'policies.json'), () => now.environment.policyDefaults);
  const handlers = createHandlers({
    session: createSessionService({ environment, domains, version: opts.version, policyLanguage: () => machinePolicy?.policy.Language ?? null }),
    settings: createSettingsService({ settings, secrets: opts.secrets, environment, shipping, reconnect, systemStatus: () => now.status.current(), locks: () => locksOf(machinePolicy), testDomain: testAdDomain }),
    people: createPeopleService({ connections, index: people, audit, views }),
    audit: createAuditService({ connections, domains, journal, audit, shipping, jobs, retention, evidenceDir, syncAudit }),
    policies: createPoliciesService({ connections, index: people, config: policiesConfig, leakedPasswordService: () => now.environment.leakedPasswordService, domains }),
    fullService: createFullServiceService({ connections, index: people, config: policiesConfig, domains }),
    bulk: bulkOperations(bulk),
    transfers: createTransfersService({ connections, index: people, queue: transferQueue }),
    tokens: createTokensService({ connections, index: people }),
    driftFix: createDriftFixService({ index: people, bulk }),
  });

  // ---------------------------------------------------------------- background work
  const startup = new AbortController();
  const timers: Array<ReturnType<typeof setInterval>> = [];
  const core: Core = {
    dispatch: createDispatcher({ handlers, journal, resolveTarget: (session, personId) => resolveTarget(now, session, personId), logError }),
    journal,
    audit,
    views,
    jobs,
    shipping,
    syncAudit,
    dataDir: opts.dataDir,
    evidenceDir,
    environment,
    connections,
    people,
    settings,
    secrets: opts.secrets,
    version: opts.version,
    machinePolicy,
    startupCheck: Promise.resolve(null),
    async close() {
      startup.abort();
      await core.startupCheck;
      for (const t of timers) clearInterval(t);
      // A runner that fails to stop is logged; the stores below are closed all the same.
      await bulk.stopAll().catch((e: unknown) => logError('close', 'bulk.stopAll', e));
      // Unshipped records simply stay in the outbox for the next start.
      await now.close();
      bulkStore.close();
      transferQueue.close();
      audit.close();
      journal.close();
      views.close();
    },
  };

  // Start-up checks, in the background so the console opens at once (see Core.startupCheck).
  core.startupCheck = runStartupChecks(core, startup.signal, logError);

  if (opts.auditSyncIntervalMs !== 0) {
    // Retention runs at start and daily; each cut is journaled so the chain's new anchor is explained.
    const runRetention = () => {
      try {
        const r = applyRetention(journal, audit, shipping.ackedSeq(), retention.read());
        if (r.journalRemoved || r.idpRemoved) {
          journal.append({
            kind: 'event', operation: 'audit.purge', operator: SYSTEM_OPERATOR, workstation: 'konsollen', correlationId: randomUUID(),
            target: null, reason: 'Automatisk sletning efter opbevaringsperioden', outcome: 'success', summary: r,
          });
        }
      } catch (e) {
        logError('retention', 'audit.purge', e);
      }
    };
    // After the start-up check, so the check walks the journal as it was found.
    // Not awaited: the console opens while the check runs.
    runInBackground('audit.purge', core.startupCheck.then(() => {
      if (!startup.signal.aborted) runRetention();
    }), (e) => logError('retention', 'audit.purge', e));
    const daily = setInterval(runRetention, 24 * 3600_000);
    daily.unref();
    timers.push(daily);
  }

  // The outbox runs in the background; the timer never keeps the process alive on its own.
  const every = opts.auditSyncIntervalMs ?? 30_000;
  if (every > 0) {
    // Not awaited: the outbox keeps its own error for the status bar (shipping.status().lastError), and a
    // tick that fails is tried again by the next.
    const shipInBackground = () => runInBackground('audit.sync', core.syncAudit(), (e) => logError('outbox', 'audit.sync', e));
    const outbox = setInterval(shipInBackground, every);
    outbox.unref();
    timers.push(outbox);
    shipInBackground();
  }
  return core;
}
