// `npm run bench -- sync`: the sync engine on the product path — the console's core (composition root,
// dispatcher, people service, sync engine, facts store, AD adapter) in live mode against the scaled Samba
// domain (BENCH_AD_PEOPLE, default 100,000; see bench/README.md and test/support/samba/README.md).
// In one run:
//  1. first start, nothing stored: the list waits for AD's full read (the reference for the delta), and a
//     trivial operation is polled every 250 ms meanwhile (responsiveness of the main process, which is
//     this process);
//  2. 50 people changed in AD by someone else; the AD delta the engine then reads;
//  3. the console stops, 50 more people change, a new console starts on the same data folder: time to the
//     first rows (from the store) and until all 50 changes are visible in the list (the AD delta behind it).
// MitID Erhverv and the IdP adapters with change feeds are part B of issue #15 (their simulators' per-endpoint
// counters too): their metrics are reported as pending here, with the legacy adapters' calls per refresh.
// Needs root and the samba-ad-dc and ldap-utils packages (as the AD integration tests do).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change } from 'ldapts';
import type { OpInput, OpName, OpOutput } from '../shared/operations/index.ts';
import { connectWithFailover } from '../src-main/connectors/ad/connection.ts';
import { createCore, type Core } from '../src-main/composition/core.ts';
import { memorySlot } from '../src-main/dispatch/session.ts';
import { fileSettingsStore, memorySecretStore } from '../src-main/store/settings-store.ts';
import { startDc } from '../test/support/samba/dc.ts';
import { DEFAULT_SCALE_PEOPLE } from '../test/support/samba/scale.ts';
import { ADMIN_PASSWORD, ADMIN_UPN, BASE_DN, DNS_DOMAIN, OPERATORS, OU, ROLE_GROUPS, SEED_PASSWORD } from '../test/support/samba/seed-facts.ts';
import { percentile, round, type Benchmark, type BenchResult } from './lib.ts';

const PEOPLE = Number(process.env.BENCH_AD_PEOPLE ?? DEFAULT_SCALE_PEOPLE);
const CHANGES = 50;
const POLL_MS = 250;
const FILTER = '(&(objectCategory=person)(objectClass=user))';

type Caller = { slot: ReturnType<typeof memorySlot>; workstation: string };

async function call<N extends OpName>(core: Core, name: N, input: OpInput<N>, who: Caller): Promise<OpOutput<N>> {
  const r = await core.dispatch(name, input, who);
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
  return r.data as OpOutput<N>;
}

/** Polls `op` every 250 ms and watches the event loop (a 10 ms timer) until stopped. */
function watch(core: Core, who: Caller) {
  const status: number[] = [];
  const current: number[] = [];
  let gap = 0;
  /** When the longest pause ended (µs, the clock a --cpu-prof profile uses), to find what caused it. */
  let gapEnd = 0n;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last - 10 > gap) {
      gap = now - last - 10;
      gapEnd = process.hrtime.bigint() / 1000n;
    }
    last = now;
  }, 10);
  let stopped = false;
  // Two loops, so a slow system.status (it pings the DC) does not thin out the trivial call's samples.
  const every = async (op: 'session.current' | 'system.status', into: number[]) => {
    while (!stopped) {
      const t0 = performance.now();
      await core.dispatch(op, {}, who);
      into.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };
  const loop = Promise.all([every('session.current', current), every('system.status', status)]);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await loop;
      return { status, current, gap, gapEnd };
    },
  };
}

const bench: Benchmark = {
  name: 'sync',
  description: 'Synkroniseringsmotoren på produktvejen: AD-delta efter 50 ændringer, varm start, svartid under en fuld læsning (Samba med 100.000 personer)',
  async run(): Promise<BenchResult> {
    const dc = await startDc({ people: PEOPLE, log: (m) => console.log(`  ${m}`) });
    const dataDir = mkdtempSync(join(tmpdir(), 'lia-bench-sync-'));
    try {
      const profile = {
        urls: [dc.url], startTls: true, caFile: dc.caFile, baseDn: BASE_DN, upnSuffix: DNS_DOMAIN, timeoutMs: 120_000,
        allowUnencryptedBindLabOnly: false, linkRule: { kind: 'samaccountname-suffix' as const, suffix: '', lowercase: false },
      };
      const settingsFile = join(dataDir, 'settings.json');
      writeFileSync(settingsFile, JSON.stringify({
        mode: 'live', ad: profile,
        roleMapping: { administrator: [ROLE_GROUPS.administrator], useradmin: [ROLE_GROUPS.useradmin], helpdesk: [ROLE_GROUPS.helpdesk], auditor: [ROLE_GROUPS.auditor], helpdeskScopes: [] },
      }));
      const start = () => createCore({ dataDir, settings: fileSettingsStore(settingsFile), secrets: memorySecretStore(), version: 'bench', auditSyncIntervalMs: 0, logError: () => {} });
      const admin = (await connectWithFailover(profile, { name: ADMIN_UPN, password: ADMIN_PASSWORD })).client;
      // One OU of the seed, with a generous time limit: Samba filters before it stops at the size limit.
      const some = (await admin.search(OU.borgerservice, { scope: 'one', filter: FILTER, attributes: ['1.1'], sizeLimit: 2 * CHANGES, timeLimit: 600 })).searchEntries.map((e) => e.dn);
      if (some.length < 2 * CHANGES) throw new Error(`fandt kun ${some.length} personer at ændre`);
      const rename = async (dns: string[], label: string) => {
        for (const [i, dn] of dns.entries()) {
          await admin.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [`${label} ${i}`] }) }));
        }
      };

      // 1. First start: the full read, with the main process polled meanwhile.
      let core = await start();
      const who: Caller = { slot: memorySlot(), workstation: 'bench' };
      await call(core, 'session.login', { username: OPERATORS.helpdesk, password: SEED_PASSWORD }, who);
      const w = watch(core, who);
      const f0 = performance.now();
      const first = await call(core, 'people.list', { limit: 100 }, who);
      const fullMs = performance.now() - f0;
      await core.people().idle();
      const polled = await w.stop();
      const ad = (await call(core, 'people.syncStatus', {}, who)).sources[0];
      console.log(`  fuld læsning: ${first.indexed} personer på ${round(fullMs, 0)} ms (${ad?.method})`);
      const currentP99 = round(percentile(polled.current, 99), 1);
      const currentMax = round(Math.max(...polled.current), 1);
      console.log(`  svartid (session.current hver 250 ms, ${polled.current.length} kald): p99 ${currentP99} ms, max ${currentMax} ms; længste pause i event-løkken ${round(polled.gap, 0)} ms (slut ${polled.gapEnd} µs)`);
      console.log(`  svartid (system.status, pinger AD'en, der selv er optaget af læsningen): p99 ${round(percentile(polled.status, 99), 1)} ms, max ${round(Math.max(...polled.status), 1)} ms`);

      // 2. 50 changes by someone else; the AD delta.
      await rename(some.slice(0, CHANGES), 'Bench Ændret');
      const d0 = performance.now();
      await core.people().engine.refreshSystem('ad');
      const deltaMs = performance.now() - d0;
      const seen = await call(core, 'people.list', { text: 'Bench Ændret', limit: 100 }, who);
      const after = (await call(core, 'people.syncStatus', {}, who)).sources[0];
      console.log(`  AD-delta efter ${CHANGES} ændringer: ${round(deltaMs, 0)} ms (${after?.method}); synlige i listen: ${seen.total}`);
      const peakAfterFull = round(process.resourceUsage().maxRSS / 1024, 0);
      await core.close();

      // 3. Warm start: 50 more changes while the console is closed, then a new console on the same folder.
      await rename(some.slice(CHANGES, 2 * CHANGES), 'Bench Varm');
      const s0 = performance.now();
      core = await start();
      const coreMs = performance.now() - s0;
      const who2: Caller = { slot: memorySlot(), workstation: 'bench-2' };
      const l0 = performance.now();
      await call(core, 'session.login', { username: OPERATORS.helpdesk, password: SEED_PASSWORD }, who2);
      const loginMs = performance.now() - l0;
      const p0 = performance.now();
      const page = await call(core, 'people.list', { limit: 100 }, who2);
      // The console's own work: start and first page; the sign-in (a bind to the DC) in between is the operator's.
      const firstRowsMs = coreMs + (performance.now() - p0);
      let visible = 0;
      while (visible < CHANGES && performance.now() - s0 < 120_000) {
        visible = (await call(core, 'people.list', { text: 'Bench Varm', limit: 100 }, who2)).total;
        if (visible < CHANGES) await new Promise((r) => setTimeout(r, 20));
      }
      const allVisibleMs = performance.now() - s0;
      console.log(`  varm start: ${page.rows.length} rækker (af ${page.indexed}) efter ${round(firstRowsMs, 0)} ms (kernen ${round(coreMs, 0)} ms + første side; login ${round(loginMs, 0)} ms ikke medregnet); alle ${visible} ændringer synlige ${round(allVisibleMs, 0)} ms efter start`);
      await core.people().idle();
      await core.close();
      await admin.unbind();
      const peakRssMb = Math.max(peakAfterFull, round(process.resourceUsage().maxRSS / 1024, 0));

      const metrics: BenchResult['metrics'] = {
        adDeltaAfter50Changes: { value: round(deltaMs, 1), unit: 'ms' },
        adChangesVisible: { value: seen.total, unit: `af ${CHANGES} ændringer`, better: 'higher' },
        warmStartFirstRows: { value: round(firstRowsMs, 1), unit: 'ms (ny kerne + første side fra lageret; login ikke medregnet)' },
        warmStartLogin: { value: round(loginMs, 1), unit: 'ms (operatørens bind mod DC\'en, mellem start og første side)' },
        warmStartAllChangesVisible: { value: round(allVisibleMs, 1), unit: `ms fra start (inkl. login; kun AD's ${CHANGES} ændringer; MitID Erhverv og IdP: del B)` },
        responsivenessP99: { value: currentP99, unit: 'ms (session.current hver 250 ms under fuld læsning)' },
        responsivenessMax: { value: currentMax, unit: 'ms' },
        eventLoopLongestPause: { value: round(polled.gap, 0), unit: 'ms' },
        systemStatusP99: { value: round(percentile(polled.status, 99), 1), unit: 'ms (system.status; pinger AD under dens fulde læsning)' },
        systemStatusMax: { value: round(Math.max(...polled.status), 1), unit: 'ms' },
        peakRss: { value: peakRssMb, unit: 'MB (hele benchmark-processen = hovedprocessen)' },
        fullLoad: { value: round(fullMs, 0), unit: `ms (${first.indexed} personer)` },
        idpCallsLegacy: { value: first.indexed, unit: 'kald pr. opdatering med de gamle adaptere (1 pr. AD-person); ændringsfeed: del B' },
      };
      const goal: Record<string, string> = {
        adDeltaAfter50Changes: '< 1000 ms',
        warmStartFirstRows: '< 1000 ms',
        responsivenessP99: '< 100 ms',
        responsivenessMax: '< 500 ms',
        peakRss: '< 1024 MB',
        adChangesVisible: `>= ${CHANGES}`,
      };
      const result: Omit<BenchResult, 'pass'> = {
        metrics,
        reference: { adDeltaAfter50Changes: { value: round(fullMs, 0), unit: 'ms (fuld læsning i samme kørsel)' } },
        ratio: round(deltaMs / fullMs, 4),
        goal,
        notes: [
          `domænet: ${dc.people} personer (det skalerede testdomæne), samme kørsel for fuld læsning, delta og varm start`,
          'produktvejen: createCore (live, kun AD sat op) → people.list → synkroniseringsmotoren → AD-adapteren (uSNChanged, invocationId) → faktalageret (node:sqlite) → personindekset',
          'svartid: session.current (ingen ekstern forespørgsel) måler hovedprocessen; system.status pinger AD, som (Samba, én proces) selv er optaget af den fulde læsning, så den måler også DC\'en',
          'MitID Erhverv-kald pr. opdatering og IdP-kald pr. opdatering med ændringsfeed, samt "alle 150 ændringer synlige" mod 1,2 × (MitID-søgning + AD-delta + IdP-feed): afventer del B (adaptere og simulatorernes tællere pr. endpoint)',
          'før (de gamle adaptere): MitID Erhverv 1 søgning + 2 kald pr. identitet, IdP 1 kald pr. AD-person pr. opdatering',
        ],
      };
      const metricPass: Record<string, boolean> = {
        adDeltaAfter50Changes: deltaMs < 1000,
        warmStartFirstRows: firstRowsMs < 1000,
        responsivenessP99: currentP99 < 100,
        responsivenessMax: currentMax < 500,
        peakRss: peakRssMb < 1024,
        adChangesVisible: seen.total >= CHANGES,
      };
      return { ...result, metricPass, pass: Object.values(metricPass).every(Boolean) && visible >= CHANGES };
    } finally {
      await dc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
export default bench;
