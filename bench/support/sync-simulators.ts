// The sync benchmark's MitID Erhverv and IdP simulators, in a child process of their own, seeded with the
// scaled Samba domain's people (test/support/samba/scale.ts): 100,000 identities and 100,000 IdP people
// held here would otherwise count as the console's memory. The benchmark (the parent, which is the
// console's main process) reaches them over HTTPS like a real console — mutual TLS for MitID Erhverv —
// and asks this process over IPC for the per-endpoint call counts and for changes made "by someone else".
import { DNS_DOMAIN } from '../../test/support/samba/seed-facts.ts';
import { scaleUsers } from '../../test/support/samba/scale.ts';
import { makeTestPki } from '../../test/support/pki.ts';
import { startIdpSimulator } from '../../src-main/training/idp-sim/server.ts';
import { seedMitIdSimulator } from '../../src-main/training/mitid-sim/seed.ts';
import { startMitIdSimulator } from '../../src-main/training/mitid-sim/server.ts';

export const LINK_RULE = { kind: 'samaccountname-suffix', suffix: '', lowercase: false } as const;

/** What the parent asks; every answer carries the request's id. */
export type SimRequest =
  | { id: number; cmd: 'calls' }
  | { id: number; cmd: 'reset' }
  /** Suspend these people's identities (as MitID Erhverv's own portal would): their search summary changes. */
  | { id: number; cmd: 'suspend'; usernames: string[] }
  /** Lock these people's identities at the IdP (as another console would): a change-feed entry each. */
  | { id: number; cmd: 'lock'; usernames: string[] }
  | { id: number; cmd: 'stop' };

export interface SimReady {
  ready: true;
  identities: number;
  idpPeople: number;
  /** People with both an identity and an IdP record, in a fixed order: the benchmark changes these. */
  sample: string[];
  mitid: { url: string; caPem: string; pfxBase64: string; passphrase: string };
  idp: { url: string; caPem: string; apiKey: string };
}

async function main(): Promise<void> {
  const people = Number(process.env.BENCH_AD_PEOPLE);
  const users = scaleUsers(people);
  const mitid = await startMitIdSimulator();
  const seed = seedMitIdSimulator(mitid.state, {
    people: users.map((u) => ({ username: u.person.username, givenName: u.person.givenName, surname: u.person.surname, email: u.person.email })),
    linkRule: LINK_RULE,
    allowSigningShare: 0.1,
  });
  const pki = makeTestPki('IdP-simulator');
  const idp = await startIdpSimulator({
    people: users.map((u) => ({ username: u.person.username, domain: DNS_DOMAIN, displayName: u.person.displayName, dn: u.dn })),
    auditEvents: 1_000,
    tls: { cert: pki.server.certPem, key: pki.server.keyPem },
  });
  const byEmail = new Map(mitid.state.all().map((i) => [i.emailAddress.toLowerCase(), i]));
  const send = (m: unknown) => process.send?.(m);
  process.on('message', (raw) => {
    const r = raw as SimRequest;
    try {
      if (r.cmd === 'calls') send({ id: r.id, mitid: { ...mitid.stats.calls }, idp: idp.calls() });
      else if (r.cmd === 'reset') {
        mitid.resetStats();
        idp.resetCalls();
        send({ id: r.id });
      } else if (r.cmd === 'suspend') {
        const uuids = r.usernames.map((u) => {
          const i = byEmail.get(`${u}@${DNS_DOMAIN}`.toLowerCase());
          if (!i) throw new Error(`ingen identitet til ${u}`);
          i.status = 'Suspended';
          return i.uuid;
        });
        send({ id: r.id, uuids });
      } else if (r.cmd === 'lock') {
        for (const username of r.usernames) idp.state.lockIdentity({ domain: DNS_DOMAIN, username }, { actor: { username: 'anden-konsol' }, reason: 'Benchmark: ændret af en anden' });
        send({ id: r.id });
      } else if (r.cmd === 'stop') {
        Promise.all([mitid.stop(), idp.stop()]).then(
          () => process.exit(0),
          (e: unknown) => {
            console.error('simulatorerne kunne ikke stoppe:', e);
            process.exit(1);
          },
        );
      }
    } catch (e) {
      send({ id: r.id, error: String(e) });
    }
  });
  const ready: SimReady = {
    ready: true,
    identities: seed.identities,
    idpPeople: idp.state.people.size,
    sample: users.filter((u) => u.person.email && byEmail.get(u.person.email.toLowerCase())?.status === 'Active').slice(0, 400).map((u) => u.person.username),
    mitid: { url: mitid.url, caPem: mitid.caPem, pfxBase64: Buffer.from(mitid.client.pfx).toString('base64'), passphrase: mitid.client.passphrase },
    idp: { url: idp.url, caPem: pki.ca.certPem, apiKey: idp.apiKey },
  };
  send(ready);
}

// Imported by the benchmark for its types and link rule; started as the child only when forked as one.
if (process.env.BENCH_SYNC_SIMULATORS === '1') await main();
