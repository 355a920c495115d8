import { describe, expect, it } from 'vitest';
import { fileIn, LINT_TIMEOUT, messages, ruleIds, spec } from './lint.ts';

// The layers of ARCHITECTURE.md are lint errors, not advice. Each probe is a small in-memory file
// linted with the repository's own config, as a file of the layer it stands in for (see lint.ts).

const service = fileIn('src-main/services');
const connector = fileIn('src-main/connectors');
const store = fileIn('src-main/store');
const dispatch = fileIn('src-main/dispatch');
const hostWeb = fileIn('src-main/host-web');
const rendererFile = fileIn('src-renderer/app');
const sharedFile = fileIn('shared');
const training = fileIn('src-main/training');
const ROOT = 'src-main/composition/core.ts';
const LIVE = 'src-main/composition/live.ts';

/** A file that imports `target` and uses it, so no unused-import rule muddies the result. */
const importing = (from: string, target: string) => `import * as m from '${spec(from, target)}';\nexport const x = m;\n`;

describe('layer boundaries', { timeout: LINT_TIMEOUT }, () => {
  it('refuses a renderer file that imports main', async () => {
    const ids = await ruleIds(importing(rendererFile, 'src-main/ports.ts'), rendererFile);
    expect(ids).toContain('import-x/no-restricted-paths');
    expect(ids).toContain('no-restricted-imports');
  });

  it('refuses a service that imports the training environment, the root, the dispatcher or a host', async () => {
    for (const target of [training, ROOT, fileIn('src-main/dispatch'), fileIn('src-main/host-web')]) {
      expect(await ruleIds(importing(service, target), service), target).toContain('import-x/no-restricted-paths');
    }
  });

  it('refuses a connector that imports a service', async () => {
    expect(await ruleIds(importing(connector, service), connector)).toContain('import-x/no-restricted-paths');
  });

  it('refuses a store that imports a connector or a service, and a dispatcher that imports the root', async () => {
    expect(await ruleIds(importing(store, connector), store)).toContain('import-x/no-restricted-paths');
    expect(await ruleIds(importing(store, service), store)).toContain('import-x/no-restricted-paths');
    expect(await ruleIds(importing(dispatch, ROOT), dispatch)).toContain('import-x/no-restricted-paths');
  });

  it('lets only the composition root import training/', async () => {
    expect(await ruleIds(importing(hostWeb, training), hostWeb)).toContain('import-x/no-restricted-paths');
    expect(await ruleIds(importing('src-main/ports.ts', training), 'src-main/ports.ts')).toContain('import-x/no-restricted-paths');
    expect(await ruleIds(importing(ROOT, training), ROOT)).toEqual([]);
  });

  it('keeps shared/ to itself: no Node builtin (however spelled), no Electron, nothing from main', async () => {
    const fs = "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n";
    expect(await ruleIds(fs, sharedFile)).toEqual(expect.arrayContaining(['no-restricted-imports', 'import-x/no-nodejs-modules']));
    expect(await ruleIds("import { readFileSync } from 'fs';\nexport const x = readFileSync;\n", sharedFile)).toContain('import-x/no-nodejs-modules');
    expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", sharedFile)).toContain('no-restricted-imports');
    expect(await ruleIds(importing(sharedFile, 'src-main/ports.ts'), sharedFile)).toContain('import-x/no-restricted-paths');
    expect(await ruleIds("import { z } from 'zod';\nexport const x = z.string();\n", sharedFile)).toEqual([]);
  });

  it('refuses electron in a service', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", service)).toContain('no-restricted-imports');
  });

  it('allows what the layers may use: a service its ports, connectors and stores', async () => {
    for (const target of ['src-main/ports.ts', connector, store, sharedFile]) {
      expect(await ruleIds(importing(service, target), service), target).toEqual([]);
    }
  });

  it('names the rule that was broken, so the failing lint run says what to do', async () => {
    expect(await messages(importing(service, training), service)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^import-x\/no-restricted-paths: .*training.*Only the composition root/s)]),
    );
  });
});

describe('no import cycle in main', { timeout: LINT_TIMEOUT }, () => {
  it('reports a runtime import back into a module that imports this one', async () => {
    // The root imports live.ts at run time; live.ts importing the root closes a circle (inside one
    // layer, so only the cycle rule can object).
    const back = `import { createCore } from '${spec(LIVE, ROOT)}';\nexport const x = createCore;\n`;
    expect(await ruleIds(back, LIVE)).toEqual(['import-x/no-cycle']);
  });

  it('does not follow type-only imports, which vanish at run time', async () => {
    const typeOnly = `import type { Core } from '${spec(LIVE, ROOT)}';\nexport type X = Core;\n`;
    expect(await ruleIds(typeOnly, LIVE)).toEqual([]);
  });
});

describe('promises', { timeout: LINT_TIMEOUT }, () => {
  const decl = 'async function work(): Promise<void> {}\n';

  it('reports a floating promise, and `void` does not count as handling it', async () => {
    expect(await ruleIds(`${decl}export function f(): void {\n  work();\n}\n`, service)).toContain('@typescript-eslint/no-floating-promises');
    expect(await ruleIds(`${decl}export function f(): void {\n  void work();\n}\n`, service)).toContain('@typescript-eslint/no-floating-promises');
    expect(await ruleIds(`${decl}export function f(): void {\n  work().catch(() => {});\n}\n`, rendererFile)).toEqual([]);
  });

  it('reports a promise where a void callback is expected', async () => {
    expect(await ruleIds(`${decl}export const t = setInterval(async () => work(), 1000);\n`, service)).toContain('@typescript-eslint/no-misused-promises');
  });

  it('accepts work handed to runInBackground, the one way to start it without waiting', async () => {
    const code = `import { runInBackground } from '${spec(service, 'src-main/background.ts')}';\n${decl}export function f(): void {\n  runInBackground('work', work());\n}\n`;
    expect(await ruleIds(code, service)).toEqual([]);
  });
});
