import { readFileSync } from 'node:fs';
import { ensurePrivateDir } from './store/private-dir.ts';
import { join } from 'node:path';
import { ConsoleError } from '../shared/errors.ts';
import type { Settings, SystemStatus } from '../shared/domain/settings.ts';
import { domainFromDn, type PersonKey } from '../shared/idp/common.ts';
import type { DirectoryPort } from './connectors/directory-port.ts';
import { createIdpClient, idpClientOptionsFromProfile } from './connectors/idp/client.ts';
import type { IdpPort } from './connectors/idp/idp-port.ts';
import { createDispatcher, directoryTarget, toPayload, type Dispatch, type ResolvedTarget } from './dispatch/dispatcher.ts';
import type { ActiveSession } from './dispatch/session.ts';
import { peopleIndexFor } from './services/people/people-index.ts';
import { createHandlers } from './dispatch/handlers.ts';
import { createAuditShipping, type AuditShipping } from './services/audit-shipping.ts';
import { removeAbandonedExports } from './services/evidence.ts';
import { checkJournal } from './services/journal-anchor.ts';
import type { JournalCheck } from '../shared/domain/audit.ts';
import { createJobRegistry, type JobRegistry } from './services/jobs.ts';
import { applyRetention, readRetention } from './services/retention.ts';
import { createHash, randomUUID } from 'node:crypto';
import type { Operator } from '../shared/roles.ts';
import { openAuditStore, type AuditStore } from './store/audit-store.ts';
import { openJournal, type Journal } from './store/journal.ts';
import { openPeopleSnapshot, type PeopleSnapshot } from './store/people-snapshot.ts';
import { openViewsStore, type ViewsStore } from './store/views-store.ts';
import { boundSecret, type SecretStore, type SettingsStore } from './store/settings-store.ts';
import { createAdDirectory } from './connectors/ad/ad-directory.ts';
import { createMitIdErhvervClient, mitIdClientOptionsFromProfile, type MitIdErhvervPort } from './connectors/mitid-erhverv/index.ts';
import type { LinkRule } from '../shared/mitid/link-rule.ts';
import { createTrainingDirectory } from './training/directory.ts';
import { startTrainingMitIdErhverv } from './training/mitid-sim/training.ts';
import type { MitIdSimulator } from './training/mitid-sim/server.ts';
import { startTrainingIdp } from './training/idp-sim/training.ts';
import { hostname } from 'node:os';
import { createIdpClaimsClient, type CreateClaimsPort } from './connectors/idp/claims.ts';
import { openMitIdCreateStore } from './store/mitid-create-store.ts';
import { createCreateGuard, guardMitIdPort, type ConfirmPolicy } from './services/mitid-create-guard.ts';
import { generateTrainingAccounts, TRAINING_BASE_DN, TRAINING_SIGNING_GROUP, trainingHasMitIdIdentity, trainingOperators } from './training/seed.ts';

/** Who the journal names for the console's own scheduled work. */
const SYSTEM_OPERATOR: Operator = { username: 'konsollen', displayName: 'Konsollen (automatisk)', dn: '', roles: [], helpdeskOus: null };

export interface CoreOptions {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  version: string;
  /** Size of the training municipality (default 2,400 people); benchmarks ask for 100,000. */
  trainingPeople?: number;
  /** Start the MitID Erhverv and IdP simulators in the training environment (default true). */
  trainingSimulators?: boolean;
  /** How often the outbox ships to the IdP and the IdP's log is pulled (ms; 0 = only on demand). */
  auditSyncIntervalMs?: number;
  /** Where unexpected errors go (with stack); default stderr. */
  logError?: (correlationId: string, operation: string, err: unknown) => void;
}

/** The systems the console talks to, chosen from the settings (training or live). */
export interface Connections {
  readonly training: boolean;
  directory: DirectoryPort;
  /** null when the IdP is not set up. */
  idp: IdpPort | null;
  /** null when MitID Erhverv is not set up. */
  mitid: MitIdErhvervPort | null;
  /** How an AD account's subjectNameId is built (per domain; one domain per profile for now). */
  linkRule: LinkRule;
  /** The AD group that mirrors who may sign (null: the municipality does not use one). */
  signingGroupDn?: string | null;
  /** The IdP's key for a person of the directory. */
  idpKey(dn: string, username: string): PersonKey;
  status(): Promise<SystemStatus[]>;
  /** The people list as last seen, for an instant start (absent in tests that build connections by hand). */
  peopleCache?: PeopleSnapshot;
  /** The IdP's create claims (null: no IdP), and how sure the console must be before a create is sent again. */
  createClaims?: CreateClaimsPort | null;
  createConfirm?: ConfirmPolicy;
  /** Training only: the in-process MitID Erhverv simulator (its switches, for drills and tests). */
  trainingMitIdSimulator?: MitIdSimulator;
  close(): Promise<void>;
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
  connections(): Connections;
  settings: SettingsStore;
  secrets: SecretStore;
  version: string;
  /**
   * The start-up check: crash-left `.partial` exports removed, the journal walked and compared with the
   * IdP's acknowledged heads; a tampered journal is journaled as an event. Shipping waits for it.
   */
  startupCheck: Promise<JournalCheck | null>;
  /** Work to wind down before the stores close (e.g. running bulk jobs). */
  onClose(fn: () => Promise<void>): void;
  close(): Promise<void>;
}

function unconfiguredDirectory(): DirectoryPort {
  const fail = () => {
    throw new ConsoleError('unavailable-ad', 'Active Directory er ikke sat op endnu. Udfyld AD-forbindelsen under Indstillinger.');
  };
  return { kind: 'ad', signIn: async () => fail(), ping: async () => ({ ok: false, message: 'Active Directory er ikke sat op.' }) };
}

async function pingStatus(
  system: SystemStatus['system'],
  training: boolean,
  port: { ping(): Promise<{ ok: boolean; message: string }> } | null,
  notConfigured: string,
): Promise<SystemStatus> {
  const checkedAt = new Date().toISOString();
  if (!port) return { system, state: 'not-configured', message: notConfigured, checkedAt, training };
  const r = await port.ping().catch((e: unknown) => ({ ok: false, message: e instanceof Error ? e.message : 'Ukendt fejl' }));
  return { system, state: r.ok ? 'ok' : 'down', message: r.message, checkedAt, training };
}

const idpKeyFor = (dn: string, username: string): PersonKey => ({ domain: domainFromDn(dn) ?? '', username });

async function trainingConnections(opts: CoreOptions): Promise<Connections> {
  const accounts = generateTrainingAccounts(undefined, opts.trainingPeople);
  const directory = createTrainingDirectory(accounts);
  const operators = new Set(trainingOperators.map((o) => o.username));
  const domain = domainFromDn(TRAINING_BASE_DN) ?? '';
  // The simulators run in-process and are reached through the real clients over real sockets.
  const linkRule: LinkRule = { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false };
  const sims = opts.trainingSimulators !== false;
  // Their state lives in the data folder, so the IdP's acknowledged journal heads (and everything else an
  // operator changed) survive a restart. One file per training size: another size is another municipality.
  const stateDir = join(opts.dataDir, 'training');
  if (sims) ensurePrivateDir(stateDir);
  const size = opts.trainingPeople ?? 'standard';
  const newHires = new Set(accounts.filter((a) => !trainingHasMitIdIdentity(a) && a.newHire).map((a) => a.username));
  const mitid = !sims
    ? null
    : await startTrainingMitIdErhverv({
        people: accounts.map((a) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email })),
        linkRule,
        statePath: join(stateDir, `mitid-${size}.json`),
        // Pupils and departed staff have no business identity, as in a real municipality; new hires not yet.
        include: (_p, i) => !accounts[i]?.ouPath.includes('Elever') && !accounts[i]?.ouPath.includes('Fratrådte'),
        notYet: (p) => newHires.has(p.username),
      });
  const idp = !sims
    ? null
    : await startTrainingIdp(
          accounts.map((a) => ({
            username: a.username,
            domain,
            displayName: a.displayName,
            pupil: a.ouPath.includes('Elever'),
            trusted: operators.has(a.username),
            admin: operators.has(a.username),
          })),
          // A change log, not a snapshot: each write appends a line instead of rewriting ~40-130 MB of state.
          { changeLog: join(stateDir, `idp-${size}.log`) },
        );
  const createClaims = idp ? createIdpClaimsClient({ baseUrl: idp.simulator.url, auth: { kind: 'api-key', apiKey: idp.simulator.apiKey }, timeoutMs: 10_000 }) : null;
  return {
    training: true,
    directory,
    idp: idp?.port ?? null,
    mitid: mitid?.port ?? null,
    createClaims,
    ...(mitid ? { trainingMitIdSimulator: mitid.simulator } : {}),
    // Short in training, so a trainee sees an unconfirmed create settle within the session.
    createConfirm: { absentSearches: 2, windowMs: 30_000 },
    linkRule,
    signingGroupDn: TRAINING_SIGNING_GROUP,
    idpKey: idpKeyFor,
    status: async () => [
      await pingStatus('ad', true, directory, ''),
      await pingStatus('mitid', true, mitid?.port ?? null, 'MitID Erhverv-simulatoren er slået fra.'),
      await pingStatus('idp', true, idp?.port ?? null, 'IdP-simulatoren er slået fra.'),
    ],
    close: async () => {
      createClaims?.close();
      await idp?.stop();
      await mitid?.stop();
    },
  };
}

function liveConnections(settings: Settings, secrets: SecretStore): Connections {
  const directory = settings.ad ? createAdDirectory(settings.ad) : unconfiguredDirectory();
  // A client that cannot be built (missing passphrase, unreadable file) must not stop the console:
  // the system is shown as down with the reason, and everything else keeps working.
  const problems: Partial<Record<'mitid' | 'idp', string>> = {};
  const attempt = <T>(system: 'mitid' | 'idp', build: () => T): T | null => {
    try {
      return build();
    } catch (e) {
      problems[system] = e instanceof Error ? e.message : String(e);
      return null;
    }
  };
  // A secret is used only for the address (and certificate file) it was entered for: after a change the
  // system shows as down with the reason, and the old secret is never sent to the new address.
  const secret = (key: 'mitid.p12Passphrase' | 'idp.apiKey' | 'idp.bearerToken', rebind: string): string => {
    const s = boundSecret(secrets, key, settings);
    if (s.state === 'rebind') throw new Error(rebind);
    return s.state === 'ok' ? s.value : '';
  };
  const mitidProfile = settings.mitid;
  const mitid: MitIdErhvervPort | null = mitidProfile?.p12File
    ? attempt('mitid', () =>
        createMitIdErhvervClient(
          mitIdClientOptionsFromProfile(
            mitidProfile,
            readFileSync(mitidProfile.p12File),
            secret('mitid.p12Passphrase', 'Koden til systemcertifikatet blev gemt til en anden adresse eller certifikatfil. Indtast den igen under Indstillinger – den gamle kode bruges ikke til den nye opsætning.'),
            mitidProfile.caFile ? readFileSync(mitidProfile.caFile) : undefined,
          ),
        ),
      )
    : null;
  const idpProfile = settings.idp;
  const idp: IdpPort | null = idpProfile
    ? attempt('idp', () =>
        createIdpClient(
          idpClientOptionsFromProfile(
            idpProfile,
            secret(idpProfile.auth === 'bearer' ? 'idp.bearerToken' : 'idp.apiKey', 'Adgangsnøglen til Lokal IdP blev gemt til en anden adresse. Indtast den igen under Indstillinger – den gamle nøgle sendes ikke til den nye adresse.'),
            idpProfile.caFile ? readFileSync(idpProfile.caFile) : undefined,
          ),
        ),
      )
    : null;
  const broken = (message: string) => ({ ping: async () => ({ ok: false, message }) });
  const createClaims =
    idp && idpProfile
      ? attempt('idp', () =>
          createIdpClaimsClient(
            idpClientOptionsFromProfile(
              idpProfile,
              secrets.get(idpProfile.auth === 'bearer' ? 'idp.bearerToken' : 'idp.apiKey') ?? '',
              idpProfile.caFile ? readFileSync(idpProfile.caFile) : undefined,
            ),
          ),
        )
      : null;
  const confirm = mitidProfile?.createConfirmation;
  return {
    training: false,
    directory,
    idp,
    mitid,
    createClaims,
    ...(confirm ? { createConfirm: { absentSearches: confirm.absentSearches, windowMs: confirm.windowSeconds * 1000 } } : {}),
    linkRule: settings.ad?.linkRule ?? { kind: 'samaccountname-suffix', suffix: '', lowercase: false },
    signingGroupDn: settings.ad?.signingGroupDn || null,
    idpKey: idpKeyFor,
    status: async () => [
      await pingStatus('ad', false, settings.ad ? directory : null, 'Active Directory er ikke sat op.'),
      await pingStatus('mitid', false, problems.mitid ? broken(problems.mitid) : mitid, 'MitID Erhverv er ikke sat op.'),
      await pingStatus('idp', false, problems.idp ? broken(problems.idp) : idp, 'Den lokale IdP er ikke sat op.'),
    ],
    close: async () => {
      createClaims?.close();
      idp?.close();
      await mitid?.close();
    },
  };
}

async function buildConnections(opts: CoreOptions, journal?: Journal): Promise<Connections> {
  const settings = opts.settings.read();
  const raw = settings.mode === 'training' ? await trainingConnections(opts) : liveConnections(settings, opts.secrets);
  // Every MitID Erhverv create in the console goes through one guard: a per-person lock, the IdP claim,
  // and the persisted "afventer bekræftelse" state (src-main/services/mitid-create-guard.ts).
  const createStore = raw.mitid ? openMitIdCreateStore(join(opts.dataDir, 'mitid-creates.sqlite')) : null;
  const guard =
    raw.mitid && createStore
      ? createCreateGuard({
          mitid: raw.mitid,
          store: createStore,
          claims: raw.createClaims ?? null,
          workstation: hostname(),
          ...(raw.createConfirm ? { policy: raw.createConfirm } : {}),
          onEvent: (e) =>
            journal?.append({
              kind: 'event', operation: 'mitid.createGuard', operator: SYSTEM_OPERATOR, workstation: hostname(), correlationId: randomUUID(),
              target: { id: e.subjectNameId, label: e.subjectNameId, ou: null }, reason: null,
              outcome: e.event === 'pending' ? 'unknown' : null, summary: { ...e },
            }),
        })
      : null;
  const sweepEvery = guard ? Math.max(1_000, Math.ceil(guard.policy.windowMs / guard.policy.absentSearches)) : 0;
  const sweeper = guard ? setInterval(() => void guard.sweep().catch(() => {}), sweepEvery) : null;
  sweeper?.unref();
  const conn: Connections = {
    ...raw,
    mitid: raw.mitid && guard ? guardMitIdPort(raw.mitid, guard) : raw.mitid,
    close: async () => {
      if (sweeper) clearInterval(sweeper);
      await raw.close();
      createStore?.close();
    },
  };
  // The cache belongs to exactly these systems: other settings never see another AD's people.
  const key =
    settings.mode === 'training'
      ? `training:${opts.trainingPeople ?? 'standard'}`
      : JSON.stringify([settings.ad?.urls, settings.ad?.baseDn, settings.mitid?.baseUrl, settings.idp?.baseUrl]);
  const peopleCache = openPeopleSnapshot(join(opts.dataDir, 'people-cache.sqlite'), createHash('sha256').update(key).digest('hex'));
  const close = conn.close;
  return {
    ...conn,
    peopleCache,
    close: async () => {
      await close();
      peopleCache.close();
    },
  };
}

/**
 * The person an operation names. An AD person is read under the operator's bind; an identity only in
 * MitID Erhverv ("mitid:<uuid>", from the drift view) is named from the people list or MitID Erhverv, so
 * the journal says whose identity it was, and has no DN, so only an unlimited operator can reach it.
 */
async function resolveTarget(conn: Connections, session: ActiveSession, personId: string): Promise<ResolvedTarget> {
  const uuid = /^mitid:(.+)$/.exec(personId)?.[1];
  if (!uuid) return directoryTarget(session, personId);
  const row = peopleIndexFor(conn).row(personId);
  let name = row?.displayName ?? null;
  if (!name && conn.mitid) {
    const identity = await conn.mitid.getIdentity(uuid).catch(() => null);
    name = [identity?.givenName, identity?.surname].filter(Boolean).join(' ') || null;
  }
  return { id: personId, person: null, dn: null, label: `${name ?? 'Ukendt navn'} (MitID Erhverv-identitet ${uuid})`, ou: null };
}

/**
 * Start-up checks: `.partial` exports left by a crash are removed (they hold personal data), and the
 * journal is walked and compared with the IdP's acknowledged heads. Both findings are journaled as events;
 * an unreachable IdP is not (it is said plainly on every verify and export instead).
 */
async function runStartupChecks(core: Core, system: Operator, signal: AbortSignal, logError: CoreOptions['logError']): Promise<JournalCheck | null> {
  const event = (operation: string, reason: string, outcome: 'success' | 'failed', summary: Record<string, unknown>) =>
    core.journal.append({ kind: 'event', operation, operator: system, workstation: 'konsollen', correlationId: randomUUID(), target: null, reason, outcome, summary });
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
    if (!signal.aborted) (logError ?? (() => {}))('startup', 'audit.verifyJournal', e);
    return null;
  }
}

/** The composition root shared by both hosts: everything below the host, nothing Electron. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  // Journal, caches, evidence and settings: readable by the operator's account only (0700 on POSIX).
  ensurePrivateDir(opts.dataDir);
  const journal = openJournal(join(opts.dataDir, 'journal.sqlite'));
  let connections = await buildConnections(opts, journal);
  let timer: ReturnType<typeof setInterval> | null = null;
  const closers: Array<() => Promise<void>> = [];

  const audit = openAuditStore(journal.db);
  const shipping = createAuditShipping(journal, audit);
  const core: Core = {
    journal,
    audit,
    views: openViewsStore(join(opts.dataDir, 'views.sqlite')),
    shipping,
    syncAudit: async () => {
      // Never ship before the journal was compared with the IdP: a tampered point must be seen first.
      await core.startupCheck;
      const idp = connections.idp;
      if (idp) await shipping.sync(idp);
    },
    startupCheck: Promise.resolve(null),
    jobs: createJobRegistry(toPayload),
    dataDir: opts.dataDir,
    evidenceDir: join(opts.dataDir, 'evidence'),
    settings: opts.settings,
    secrets: opts.secrets,
    version: opts.version,
    connections: () => connections,
    dispatch: null as unknown as Dispatch,
    onClose(fn) {
      closers.push(fn);
    },
    async close() {
      startup.abort();
      await core.startupCheck;
      for (const fn of closers) await fn().catch(() => {});
      // Unshipped records simply stay in the outbox for the next start.
      if (timer) clearInterval(timer);
      await connections.close();
      journal.close();
      core.views.close();
    },
  };
  const handlers = createHandlers({
    core,
    reconnect: async () => {
      const old = connections;
      connections = await buildConnections(opts, journal);
      await old.close();
    },
  });
  core.dispatch = createDispatcher({
    handlers,
    journal,
    resolveTarget: (session, personId) => resolveTarget(connections, session, personId),
    logError:
      opts.logError ??
      ((cid, op, err) => {
        console.error(`[${cid}] ${op} fejlede:`, err);
      }),
  });
  // Retention runs at start and daily; each cut is journaled so the chain's new anchor is explained.
  const runRetention = () => {
    try {
      const r = applyRetention(journal, audit, shipping.ackedSeq(), readRetention(join(opts.dataDir, 'retention.json')));
      if (r.journalRemoved || r.idpRemoved) {
        journal.append({
          kind: 'event', operation: 'audit.purge', operator: SYSTEM_OPERATOR, workstation: 'konsollen', correlationId: randomUUID(),
          target: null, reason: 'Automatisk sletning efter opbevaringsperioden', outcome: 'success', summary: r,
        });
      }
    } catch (e) {
      (opts.logError ?? (() => {}))('retention', 'audit.purge', e);
    }
  };
  // Start-up checks, in the background so the console opens at once (see Core.startupCheck).
  const startup = new AbortController();
  core.startupCheck = runStartupChecks(core, SYSTEM_OPERATOR, startup.signal, opts.logError);

  if (opts.auditSyncIntervalMs !== 0) {
    // After the start-up check, so the check walks the journal as it was found.
    void core.startupCheck.then(() => {
      if (!startup.signal.aborted) runRetention();
    });
    setInterval(runRetention, 24 * 3600_000).unref();
  }

  // The outbox runs in the background; the timer never keeps the process alive on its own.
  const every = opts.auditSyncIntervalMs ?? 30_000;
  timer = every > 0 ? setInterval(() => void core.syncAudit(), every) : null;
  timer?.unref();
  if (timer) void core.syncAudit();
  return core;
}
