import { readFileSync } from 'node:fs';
import { ensurePrivateDir } from './store/private-dir.ts';
import { join } from 'node:path';
import { ConsoleError } from '../shared/errors.ts';
import type { Settings, SystemStatus } from '../shared/domain/settings.ts';
import { domainFromDn, type PersonKey } from '../shared/idp/common.ts';
import type { DirectoryPort } from './connectors/directory-port.ts';
import { createIdpClient, idpClientOptionsFromProfile } from './connectors/idp/client.ts';
import type { IdpPort } from './connectors/idp/idp-port.ts';
import { createDispatcher, toPayload, type Dispatch } from './dispatch/dispatcher.ts';
import { createHandlers } from './dispatch/handlers.ts';
import { createAuditShipping, type AuditShipping } from './services/audit-shipping.ts';
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
import { startTrainingIdp } from './training/idp-sim/training.ts';
import { generateTrainingAccounts, TRAINING_BASE_DN, TRAINING_SIGNING_GROUP, trainingOperators } from './training/seed.ts';

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
  const mitid = !sims
    ? null
    : await startTrainingMitIdErhverv({
        people: accounts.map((a) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email })),
        linkRule,
        // Pupils and departed staff have no business identity, as in a real municipality.
        include: (_p, i) => !accounts[i]?.ouPath.includes('Elever') && !accounts[i]?.ouPath.includes('Fratrådte'),
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
        );
  return {
    training: true,
    directory,
    idp: idp?.port ?? null,
    mitid: mitid?.port ?? null,
    linkRule,
    signingGroupDn: TRAINING_SIGNING_GROUP,
    idpKey: idpKeyFor,
    status: async () => [
      await pingStatus('ad', true, directory, ''),
      await pingStatus('mitid', true, mitid?.port ?? null, 'MitID Erhverv-simulatoren er slået fra.'),
      await pingStatus('idp', true, idp?.port ?? null, 'IdP-simulatoren er slået fra.'),
    ],
    close: async () => {
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
  return {
    training: false,
    directory,
    idp,
    mitid,
    linkRule: settings.ad?.linkRule ?? { kind: 'samaccountname-suffix', suffix: '', lowercase: false },
    signingGroupDn: settings.ad?.signingGroupDn || null,
    idpKey: idpKeyFor,
    status: async () => [
      await pingStatus('ad', false, settings.ad ? directory : null, 'Active Directory er ikke sat op.'),
      await pingStatus('mitid', false, problems.mitid ? broken(problems.mitid) : mitid, 'MitID Erhverv er ikke sat op.'),
      await pingStatus('idp', false, problems.idp ? broken(problems.idp) : idp, 'Den lokale IdP er ikke sat op.'),
    ],
    close: async () => {
      idp?.close();
      await mitid?.close();
    },
  };
}

async function buildConnections(opts: CoreOptions): Promise<Connections> {
  const settings = opts.settings.read();
  const conn = settings.mode === 'training' ? await trainingConnections(opts) : liveConnections(settings, opts.secrets);
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

/** The composition root shared by both hosts: everything below the host, nothing Electron. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  // Journal, caches, evidence and settings: readable by the operator's account only (0700 on POSIX).
  ensurePrivateDir(opts.dataDir);
  const journal = openJournal(join(opts.dataDir, 'journal.sqlite'));
  let connections = await buildConnections(opts);
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
      const idp = connections.idp;
      if (idp) await shipping.sync(idp);
    },
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
      connections = await buildConnections(opts);
      await old.close();
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
  if (opts.auditSyncIntervalMs !== 0) {
    runRetention();
    setInterval(runRetention, 24 * 3600_000).unref();
  }

  // The outbox runs in the background; the timer never keeps the process alive on its own.
  const every = opts.auditSyncIntervalMs ?? 30_000;
  timer = every > 0 ? setInterval(() => void core.syncAudit(), every) : null;
  timer?.unref();
  if (timer) void core.syncAudit();
  return core;
}
