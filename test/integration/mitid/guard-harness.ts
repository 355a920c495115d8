// Consoles for the never-pay-twice tests: each with its own data folder (its own create store, so its
// own claim holder id), its own MitID Erhverv client and IdP claims client — all against ONE MitID
// Erhverv simulator and ONE IdP simulator, as two workstations of a municipality would be.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIdpClaimsClient, type CreateClaimsPort } from '../../../src-main/connectors/idp/claims.ts';
import type { MitIdErhvervClient, MitIdErhvervClientOptions } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import { assignLocalAuthenticator, type MitIdPerson } from '../../../src-main/services/mitid/actions.ts';
import { createCreateGuard, guardMitIdPort, type ConfirmPolicy, type CreateGuard, type GuardEvent, type GuardedMitIdPort } from '../../../src-main/services/mitid/create-guard.ts';
import { openMitIdCreateStore, type MitIdCreateStore } from '../../../src-main/store/mitid-create-store.ts';
import { startIdpSimulator, type IdpSimulator } from '../../../src-main/training/idp-sim/index.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import type { LinkRule } from '../../../shared/mitid/link-rule.ts';
import { clientFor, fakeCpr, startSim } from './harness.ts';

export const rule: LinkRule = { kind: 'samaccountname-suffix', suffix: 'kommune.dk', lowercase: false };
/** Test-speed confirmation: 3 searches without the person over 1.5 s (the switches' lag stays below). */
export const testPolicy: ConfirmPolicy = { absentSearches: 3, windowMs: 1_500 };

export interface Sims {
  mitid: MitIdSimulator;
  idp: IdpSimulator;
  stop(): Promise<void>;
}

export async function startSims(seed = 42): Promise<Sims> {
  const mitid = await startSim({ seed });
  const idp = await startIdpSimulator({ people: [{ username: 'x', domain: 'kommune.dk', displayName: 'X' }], faultSeed: seed });
  return {
    mitid,
    idp,
    stop: async () => {
      await mitid.stop();
      await idp.stop();
    },
  };
}

export interface TestConsole {
  name: string;
  dataDir: string;
  client: MitIdErhvervClient;
  claims: CreateClaimsPort;
  store: MitIdCreateStore;
  guard: CreateGuard;
  port: GuardedMitIdPort;
  events: GuardEvent[];
  assign(p: MitIdPerson): ReturnType<typeof assignLocalAuthenticator>;
  close(): Promise<void>;
}

export function startConsole(sims: Sims, name: string, opts: { policy?: ConfirmPolicy; client?: Partial<MitIdErhvervClientOptions>; dataDir?: string } = {}): TestConsole {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), `lia-${name}-`));
  const client = clientFor(sims.mitid, { kind: 'training', timeoutMs: 1_500, ...opts.client });
  const claims = createIdpClaimsClient({ baseUrl: sims.idp.url, auth: { kind: 'api-key', apiKey: sims.idp.apiKey }, timeoutMs: 5_000, retryDelayMs: 5 });
  const store = openMitIdCreateStore(join(dataDir, 'mitid-creates.sqlite'));
  const events: GuardEvent[] = [];
  const guard = createCreateGuard({ mitid: client, store, claims, workstation: name, policy: opts.policy ?? testPolicy, onEvent: (e) => events.push(e) });
  const port = guardMitIdPort(client, guard);
  return {
    name,
    dataDir,
    client,
    claims,
    store,
    guard,
    port,
    events,
    assign: (p) => assignLocalAuthenticator(port, rule, p),
    close: async () => {
      store.close();
      claims.close();
      await client.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function newPerson(n: number): MitIdPerson {
  return { username: `ny${n}`, givenName: `Nyansat ${n}`, surname: n % 5 === 0 ? 'Ørsted' : 'Holm', email: `ny${n}@kommune.dk`, cpr: fakeCpr(n) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What an operator (or the bulk job) does: assign, and while the create awaits confirmation, try again a
 * little later. Counts the calls so a test can hold POSTs against them.
 */
export async function assignUntilSettled(c: TestConsole, p: MitIdPerson, calls: { n: number }, deadlineMs = 30_000): Promise<string> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    calls.n++;
    try {
      const r = await c.assign(p);
      if (r.outcome !== 'pending-confirmation') return r.outcome;
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      // Another workstation is on it, or a system did not answer: nothing was created by this call.
      if (!(code === 'conflict' && (e as { details?: { outcome?: string } }).details?.outcome === 'claimed-elsewhere') && !code.startsWith('unavailable-')) throw e;
    }
    if (Date.now() > end) throw new Error(`${p.username}: not settled within ${deadlineMs} ms`);
    await sleep(120 + Math.floor(Math.random() * 80));
  }
}

/** Identities per person (by CPR) in the simulator: the truth about what was paid for. */
export function identitiesPerPerson(sim: MitIdSimulator, people: MitIdPerson[]): number[] {
  return people.map((p) => sim.state.all().filter((i) => i.cprNumber === p.cpr).length);
}
