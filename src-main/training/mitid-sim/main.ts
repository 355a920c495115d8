// Standalone MitID Erhverv simulator, for tests in another process and for trying the API by hand:
//   node src-main/training/mitid-sim/main.ts --out <dir> [--port 0] [--people 50] [--state <file>]
// Writes the test CA and a client certificate into <dir> (test material, generated now, never committed)
// and prints one JSON line: { url, caFile, p12File, passphraseFile }. Stops on SIGINT/SIGTERM.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedMitIdSimulator } from './seed.ts';
import { startMitIdSimulator } from './server.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    port: { type: 'string', default: '0' },
    people: { type: 'string', default: '50' },
    state: { type: 'string' },
  },
});
if (!values.out) {
  console.error('Brug: node src-main/training/mitid-sim/main.ts --out <mappe> [--port 0] [--people 50] [--state <fil>]');
  process.exit(2);
}
const out = resolve(values.out);
await mkdir(out, { recursive: true });
const sim = await startMitIdSimulator({ port: Number(values.port), ...(values.state ? { statePath: resolve(values.state) } : {}) });
if (sim.state.identities.size === 0) {
  const people = Array.from({ length: Number(values.people) }, (_, n) => ({
    username: `bruger${n + 1}`,
    givenName: `Fornavn${n + 1}`,
    surname: `Efternavn${n + 1}`,
    email: `bruger${n + 1}@kommune.test`,
  }));
  seedMitIdSimulator(sim.state, { people, linkRule: { kind: 'samaccountname-suffix', suffix: 'kommune.test' } });
}
const files = { caFile: join(out, 'ca.pem'), p12File: join(out, 'client.p12'), passphraseFile: join(out, 'client-passphrase.txt') };
await writeFile(files.caFile, sim.caPem);
await writeFile(files.p12File, sim.client.pfx, { mode: 0o600 });
await writeFile(files.passphraseFile, sim.client.passphrase, { mode: 0o600 });
process.stdout.write(`${JSON.stringify({ url: sim.url, ...files })}\n`);

const shutdown = () => {
  sim.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
