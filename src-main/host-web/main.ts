// Web host entry: `npm run start:web`. Serves the built renderer and the dispatcher on 127.0.0.1.
import { boundHeapGrowth } from '../heap.ts';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logBackgroundError, runInBackground } from '../background.ts';
import { createCore, type Core } from '../composition/core.ts';
import { fileSettingsStore, memorySecretStore } from '../store/settings-store.ts';
import { MIN_TOKEN_LENGTH, randomToken, startWebHost } from './server.ts';

// Everything this process creates (journal, caches, evidence, result files) is its user's alone:
// folders 0700, files 0600 on POSIX, whatever the shell's umask says.
if (process.platform !== 'win32') process.umask(0o077);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const dataDir = process.env.LOKALIDP_DATA_DIR ?? join(homedir(), '.lokal-idp-admin');
const rendererDir = join(root, 'dist', 'renderer');
const port = Number(process.env.PORT ?? 5780);
const token = process.env.CONSOLE_TOKEN || randomToken();

if (process.env.CONSOLE_TOKEN && process.env.CONSOLE_TOKEN.length < MIN_TOKEN_LENGTH) {
  console.error(`CONSOLE_TOKEN er for kort: den skal være mindst ${MIN_TOKEN_LENGTH} tegn (den har ${process.env.CONSOLE_TOKEN.length}). Udelad den, så laver konsollen selv en tilfældig.`);
  process.exit(2);
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT skal være et portnummer (0-65535), ikke "${process.env.PORT}".`);
  process.exit(2);
}
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error('Brugerfladen er ikke bygget. Kør "npm run start:web" (den bygger først) eller "npm run build:renderer".');
  process.exit(2);
}

const trainingPeople = process.env.LOKALIDP_TRAINING_PEOPLE ? Number(process.env.LOKALIDP_TRAINING_PEOPLE) : undefined;
if (trainingPeople !== undefined && !(Number.isInteger(trainingPeople) && trainingPeople > 0 && trainingPeople <= 1_000_000)) {
  console.error('LOKALIDP_TRAINING_PEOPLE skal være et helt tal mellem 1 og 1.000.000.');
  process.exit(2);
}

// A training drill (LOKALIDP_TRAINING_MITID_FAULTS, JSON of the MitID Erhverv simulator's switches), e.g.
// {"failAfterApply":{"rate":1,"answer":"503"}}: writes land but answer with an error.
let trainingMitIdSwitches: unknown;
try {
  trainingMitIdSwitches = process.env.LOKALIDP_TRAINING_MITID_FAULTS ? JSON.parse(process.env.LOKALIDP_TRAINING_MITID_FAULTS) : undefined;
} catch {
  console.error('LOKALIDP_TRAINING_MITID_FAULTS skal være JSON med MitID Erhverv-simulatorens kontakter.');
  process.exit(2);
}

// This process is the console's main process: keep its old space near what lives (src-main/heap.ts).
boundHeapGrowth();
let core: Core;
try {
  core = await createCore({
    dataDir,
    trainingPeople,
    ...(trainingMitIdSwitches !== undefined ? { trainingMitIdSwitches } : {}),
    settings: fileSettingsStore(join(dataDir, 'settings.json')),
    // Without Electron's safeStorage there is no OS-protected place for secrets: keep them in memory only.
    secrets: memorySecretStore(),
    version: pkg.version,
  });
} catch (e) {
  // Unreadable settings, a data folder others can read: stop with the reason, never fall back to training.
  console.error(`Lokal IdP Admin kan ikke starte: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}

const host = await startWebHost({ core, port, token, rendererDir });
const training = core.environment().isTraining;
console.log(`Lokal IdP Admin ${pkg.version} – ${training ? 'Træningsmiljø (fiktiv kommune)' : 'tilsluttet rigtige systemer'}`);
console.log(`Åbn konsollen: ${host.url}#token=${token}`);
console.log(`READY ${host.url}`);

const stop = async () => {
  await host.close();
  await core.close();
  process.exit(0);
};
// A signal handler cannot wait; a stop that fails is logged and still ends the process.
const stopInBackground = () =>
  runInBackground('Stop af konsollen', stop(), (e) => {
    logBackgroundError('Stop af konsollen')(e);
    process.exit(1);
  });
process.on('SIGINT', stopInBackground);
process.on('SIGTERM', stopInBackground);
