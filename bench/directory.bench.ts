// `npm run bench -- directory`: load every user of a Samba AD DC holding 100,000 people
// (BENCH_AD_PEOPLE; the scaled test domain, built offline once and cached, see
// test/support/samba/README.md) with the console's adapter (ldapts: bind, paged search, decoding into
// PersonSummary) and with OpenLDAP's ldapsearch (same DC, bind, filter, attributes and page size;
// output discarded) in the same run. Both are timed from "nothing open" to "all entries read",
// alternating, and the medians are compared.
// Needs root and the samba-ad-dc and ldap-utils packages (as the AD integration tests do).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Attribute, Change } from 'ldapts';
import { join } from 'node:path';
import { createAdDirectory, PAGE_SIZE, SUMMARY_ATTRS } from '../src-main/connectors/ad/ad-directory.ts';
import { connectWithFailover } from '../src-main/connectors/ad/connection.ts';
import type { DirectorySession } from '../src-main/ports.ts';
import { AdFact, createAdSource } from '../src-main/services/people/sync/ad-source.ts';
import { createSyncEngine, type SourceSpec } from '../src-main/services/people/sync/engine.ts';
import { openPeopleStore } from '../src-main/store/people-store.ts';
import { startDc } from '../test/support/samba/dc.ts';
import { DEFAULT_SCALE_PEOPLE, NORMAL_PEOPLE } from '../test/support/samba/scale.ts';
import { ADMIN_PASSWORD, ADMIN_UPN, BASE_DN, DNS_DOMAIN, OPERATORS, SEED_PASSWORD } from '../test/support/samba/seed-facts.ts';
import { median, round, type Benchmark, type BenchResult } from './lib.ts';

/** People in the DC's domain: NORMAL_PEOPLE (3254) is the normal test seed, more the scaled domain. */
const PEOPLE = Number(process.env.BENCH_AD_PEOPLE ?? DEFAULT_SCALE_PEOPLE);
/** Fewer runs on the big domain: one load of 100,000 people takes Samba about a minute. */
const RUNS = Number(process.env.BENCH_RUNS ?? (PEOPLE > 20_000 ? 5 : 7));
const FILTER = '(&(objectCategory=person)(objectClass=user))';

function ldapsearch(url: string, caFile: string, bindName: string, passwordFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(
      'ldapsearch',
      ['-LLL', '-x', '-H', url, '-D', bindName, '-y', passwordFile, '-b', BASE_DN, '-E', `pr=${PAGE_SIZE}/noprompt`, FILTER, ...SUMMARY_ATTRS],
      { env: { ...process.env, LDAPTLS_CACERT: caFile, LDAPTLS_REQCERT: 'demand' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let entries = 0;
    let err = '';
    let tail = '';
    p.stdout.on('data', (d: Buffer) => {
      const s = tail + d.toString('latin1');
      const m = s.match(/^dn:/gm);
      entries += m ? m.length : 0;
      tail = s.slice(-3);
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`ldapsearch fejlede (${code}): ${err.trim()}`));
      else resolve(entries > 0 ? ms : Number.NaN);
    });
  });
}

const bench: Benchmark = {
  name: 'directory',
  description: 'Hent alle brugere fra Samba AD: konsollens adapter (ldapts) mod ldapsearch, samme filter, attributter og sidestørrelse',
  async run(): Promise<BenchResult> {
    const dc = await startDc({ people: PEOPLE, log: (m) => console.log(`  ${m}`) });
    try {
      const username = OPERATORS.auditor;
      const bindName = `${username}@${DNS_DOMAIN}`;
      const dir = createAdDirectory({
        urls: [dc.url], startTls: true, caFile: dc.caFile, baseDn: BASE_DN, upnSuffix: DNS_DOMAIN, timeoutMs: 30_000,
        allowUnencryptedBindLabOnly: false, linkRule: { kind: 'samaccountname-suffix', suffix: '', lowercase: false },
      });
      let count = 0;
      const adapterOnce = async () => {
        const t0 = performance.now();
        const s = await dir.signIn(username, SEED_PASSWORD);
        const people = await s.loadAllPeople();
        const ms = performance.now() - t0;
        await s.close();
        count = people.length;
        return ms;
      };
      // The password goes in a private file in the DC's temp folder, not on the command line.
      const passwordFile = join(dc.dir, 'bench-password');
      writeFileSync(passwordFile, SEED_PASSWORD, { mode: 0o600 });
      const refOnce = () => ldapsearch(dc.url, dc.caFile, bindName, passwordFile);
      // Warm both (server caches, JIT), then alternate so drift hits both equally.
      await adapterOnce();
      await refOnce();
      const a: number[] = [];
      const r: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        a.push(await adapterOnce());
        r.push(await refOnce());
      }
      // Warm start + delta, on the product path (the sync engine, its AD adapter and the facts store): the
      // facts from the local store, then a uSNChanged delta after 50 users changed.
      const cacheFile = join(dc.dir, 'bench-people.sqlite');
      let current: DirectorySession | null = null;
      const engineOn = (file: string) => {
        const store = openPeopleStore(file, 'bench');
        const engine = createSyncEngine({
          store,
          systems: { ad: { source: createAdSource({ session: () => current }), schema: AdFact, intervalMs: 60_000 } as SourceSpec<unknown> },
          onChange: async () => {},
        });
        const closeAll = async () => {
          engine.close();
          await store.close();
        };
        return Object.assign(engine, { closeAll });
      };
      {
        current = await dir.signIn(username, SEED_PASSWORD);
        const e = engineOn(cacheFile);
        await e.restore();
        await e.refreshSystem('ad');
        await e.closeAll();
        await current.close();
      }
      const admin = (await connectWithFailover(
        { urls: [dc.url], startTls: true, caFile: dc.caFile, baseDn: BASE_DN, upnSuffix: DNS_DOMAIN, timeoutMs: 30_000, allowUnencryptedBindLabOnly: false, linkRule: { kind: 'samaccountname-suffix', suffix: '', lowercase: false } },
        { name: ADMIN_UPN, password: ADMIN_PASSWORD },
      )).client;
      // sizeLimit, not paging: the first 50 are enough, and paging would read the whole domain.
      const some = await admin.search(BASE_DN, { scope: 'sub', filter: FILTER, attributes: ['1.1'], sizeLimit: 50 });
      for (const e of some.searchEntries.slice(0, 50)) {
        await admin.modify(e.dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'description', values: [`bench ${Date.now()}`] }) }));
      }
      await admin.unbind();
      const w0 = performance.now();
      const warm = engineOn(cacheFile);
      await warm.restore();
      const warmRows = warm.facts('ad').size;
      const warmListMs = performance.now() - w0;
      current = await dir.signIn(username, SEED_PASSWORD);
      await warm.refreshSystem('ad');
      const status = warm.status().find((x) => x.system === 'ad');
      await warm.closeAll();
      await current.close();
      const warmDeltaMs = round(performance.now() - w0, 1);
      console.log(`  varm start: ${warmRows} fakta på ${round(warmListMs, 1)} ms; + delta (${JSON.stringify(status?.method)}) i alt ${warmDeltaMs} ms`);

      const adapterMs = round(median(a), 1);
      const refMs = round(median(r), 1);
      const ratio = round(adapterMs / refMs, 3);
      // The whole bench process at its peak (adapter results, ldapts buffers, the SQLite cache).
      const peakRssMb = round(process.resourceUsage().maxRSS / 1024, 0);
      console.log(`  adapter: ${adapterMs} ms, ldapsearch: ${refMs} ms, ratio ${ratio} (${count} brugere, median af ${RUNS}); største RSS ${peakRssMb} MB`);
      return {
        metrics: {
          loadAllUsers: { value: adapterMs, unit: 'ms' },
          users: { value: count, unit: 'brugere', better: 'higher' },
          warmListFromCache: { value: round(warmListMs, 1), unit: 'ms' },
          warmStartPlusDelta: { value: warmDeltaMs, unit: 'ms' },
          peakRss: { value: peakRssMb, unit: 'MB (hele benchmark-processen)' },
        },
        reference: { loadAllUsers: { value: refMs, unit: 'ms' }, warmStartPlusDelta: { value: adapterMs, unit: 'ms (fuld indlæsning)' } },
        ratio,
        goal: { loadAllUsers: '≤ 1.05 × ldapsearch', warmStartPlusDelta: '< 1000 ms' },
        pass: ratio <= 1.05 && warmDeltaMs < 1000,
        notes: [
          `domænet: ${dc.people} personer (testseedet${dc.people > NORMAL_PEOPLE ? ' + træningskommunens personer' : ''}), bygget offline én gang${dc.buildSeconds === null ? '' : ` (${dc.buildSeconds} s)`} og cachet`,
          `median af ${RUNS} kørsler hver, skiftevis; begge måles fra ingen forbindelse til alle poster læst (inkl. TLS og bind; adapteren læser også operatørens tokenGroups)`,
          'varm start = synkroniseringsmotorens faktalager (node:sqlite) åbnet og læst; delta = AD-adapterens uSNChanged-delta efter at 50 brugere er ændret (sletninger findes af objectGUID-gennemgangen, der kører sjældnere)',
        ],
      };
    } finally {
      await dc.stop();
    }
  },
};
export default bench;
