// The bulk job pieces assembled by hand (not through a core), so a test controls each of them and the
// MitID Erhverv simulator can outlive a "crashed" console: a journal file in a temp data folder, the bulk
// service on it, the simulator with the real client over mTLS, and an in-memory directory.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMitIdErhvervClient, type MitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import type { DirectorySession } from '../../../src-main/connectors/directory-port.ts';
import { createBulkService, type BulkService } from '../../../src-main/services/bulk/index.ts';
import type { OutagePolicy } from '../../../src-main/services/bulk/runner.ts';
import { openJournal, type Journal } from '../../../src-main/store/journal.ts';
import { createTrainingDirectory } from '../../../src-main/training/directory.ts';
import { seedMitIdSimulator, startMitIdSimulator, type MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { TRAINING_BASE_DN, TRAINING_PASSWORD, type TrainingAccount } from '../../../src-main/training/seed.ts';
import type { LinkRule } from '../../../shared/mitid/link-rule.ts';
import type { Operator } from '../../../shared/roles.ts';

export const rule: LinkRule = { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false };

/** Test-speed client settings: the same logic, millisecond backoffs. */
export const fastClient = {
  timeoutMs: 5_000,
  backoff: { retries: 4, baseDelayMs: 2, maxDelayMs: 20 },
  breaker: { failureThreshold: 50, cooldownMs: 200 },
};
export const fastOutage: OutagePolicy = { baseDelayMs: 20, maxDelayMs: 80, pauseAfter: 3 };

export const operator: Operator = {
  username: 'brugeradmin',
  displayName: 'Brugeradministrator (træning)',
  dn: `CN=Brugeradministrator,OU=IT,${TRAINING_BASE_DN}`,
  roles: ['useradmin'],
  helpdeskOus: null,
};
export const actor = { operator, workstation: 'test-ws' };

/** A stable objectGUID-like id per username. */
export function guidOf(username: string): string {
  const h = createHash('sha256').update(username).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const ouDnOf = (ou: string) => `OU=${ou},${TRAINING_BASE_DN}`;

/** `n` people in one OU, each with e-mail and name, usernames ny0001…; plus the operator who signs in. */
export function accounts(n: number, ou = 'Nyansatte', prefix = 'ny'): TrainingAccount[] {
  const list: TrainingAccount[] = [];
  for (let i = 1; i <= n; i++) {
    const username = `${prefix}${String(i).padStart(4, '0')}`;
    list.push({
      guid: guidOf(username),
      username,
      givenName: `Fornavn${i}`,
      surname: i % 7 === 0 ? 'Ødegård' : 'Hansen',
      displayName: `Fornavn${i} ${i % 7 === 0 ? 'Ødegård' : 'Hansen'}`,
      email: `${username}@fjordby.dk`,
      employeeId: String(50_000 + i),
      ouPath: [ou],
      title: 'Medarbejder',
      enabled: true,
      locked: false,
      mustChangePassword: false,
      passwordNeverExpires: false,
      passwordLastSet: null,
      accountExpires: null,
      lastLogon: null,
      groups: ['Alle medarbejdere'],
    });
  }
  return list;
}

export function operatorAccount(): TrainingAccount {
  return {
    guid: 'ffffffff-0000-4000-8000-000000000001',
    username: 'brugeradmin',
    givenName: 'Brugeradministrator',
    surname: '(træning)',
    displayName: 'Brugeradministrator (træning)',
    email: 'brugeradmin@fjordby.dk',
    employeeId: null,
    ouPath: ['IT'],
    title: 'IT',
    enabled: true,
    locked: false,
    mustChangePassword: false,
    passwordNeverExpires: false,
    passwordLastSet: null,
    accountExpires: null,
    lastLogon: null,
    groups: ['LIA-Brugeradministratorer'],
    password: TRAINING_PASSWORD,
  };
}

export function clientFor(sim: MitIdSimulator): MitIdErhvervClient {
  return createMitIdErhvervClient({ baseUrl: sim.url, pkcs12: sim.client.pfx, passphrase: sim.client.passphrase, ca: sim.caPem, kind: 'training', ...fastClient });
}

export interface Pieces {
  dataDir: string;
  dbFile: string;
  resultDir: string;
  sim: MitIdSimulator;
  client: MitIdErhvervClient;
  people: TrainingAccount[];
  session: DirectorySession;
  journal: Journal;
  bulk: BulkService;
  ou: string;
  /** A new journal connection and service on the same data folder (a restarted console). */
  reopen(): void;
  dispose(): Promise<void>;
}

/** The pieces; `seeded` people already have an identity with the local credential in the simulator. */
export async function pieces(opts: { people: TrainingAccount[]; seeded?: TrainingAccount[]; outage?: OutagePolicy }): Promise<Pieces> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lia-bulk-'));
  const dbFile = join(dataDir, 'journal.sqlite');
  const resultDir = join(dataDir, 'bulk');
  const sim = await startMitIdSimulator({ seed: 7 });
  if (opts.seeded?.length) {
    seedMitIdSimulator(sim.state, {
      people: opts.seeded.map((a) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email })),
      linkRule: rule,
      drift: { suspendedWhileActive: 0, withoutLocalCredential: 0, staleSubjectNameId: 0, onlyInMitId: 0 },
    });
  }
  const client = clientFor(sim);
  const directory = createTrainingDirectory([...opts.people, operatorAccount()]);
  const session = await directory.signIn('brugeradmin', TRAINING_PASSWORD);
  const make = () => {
    const journal = openJournal(dbFile);
    const bulk = createBulkService({ journal, mitid: () => client, linkRuleFor: () => rule, resultDir, outage: opts.outage ?? fastOutage, logError: () => {} });
    return { journal, bulk };
  };
  const p: Pieces = {
    dataDir,
    dbFile,
    resultDir,
    sim,
    client,
    people: opts.people,
    session,
    ...make(),
    ou: ouDnOf(opts.people[0]?.ouPath[0] ?? 'Nyansatte'),
    reopen() {
      const next = make();
      p.journal = next.journal;
      p.bulk = next.bulk;
    },
    async dispose() {
      await p.bulk.stopAll().catch(() => {});
      if (p.journal.isOpen()) p.journal.close();
      await client.close();
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return p;
}

/** Wait until `check` holds, polling. */
export async function until(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
