// `npm start`: builds and launches the Electron shell — or, when the Electron binary is not installed
// (it cannot be downloaded on every machine), says so and points to the web host instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

function electronBinary(): string | null {
  try {
    const rel = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const bin = join(electronDir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
if (!bin) {
  console.error(`
Electron-programmet er ikke installeret på denne maskine, så skrivebordsudgaven kan ikke starte.
  • Brug web-værten i stedet:   npm run start:web   (åbn derefter linket, den skriver)
  • Eller installér Electron, hvor der er adgang til Electrons udgivelser:
      node node_modules/electron/install.js

The Electron binary is not installed on this machine, so the desktop app cannot start.
  • Use the web host instead:   npm run start:web   (then open the link it prints)
  • Or install Electron where its releases can be downloaded:
      node node_modules/electron/install.js
`);
  process.exit(1);
}

const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(join(root, 'node_modules', '.bin', 'electron-vite'), ['build']);
run(bin, ['.']);
