import { describe, expect, it } from 'vitest';
import { fileIn, LINT_TIMEOUT, ruleIds } from './lint.ts';

// The architecture's red lines are lint rules; prove they fire where they should and only there.
const rawIpc = "import { ipcMain } from 'electron';\nipcMain.handle('x', async () => 1);\n";

describe('lint rules', { timeout: LINT_TIMEOUT }, () => {
  it('forbids raw ipcMain outside the one binding module', async () => {
    expect(await ruleIds(rawIpc, 'src-main/shell/main.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds(rawIpc, fileIn('src-main/services'))).toEqual(expect.arrayContaining(['no-restricted-syntax', 'no-restricted-imports']));
    expect(await ruleIds(rawIpc, 'src-main/shell/ipc.ts')).toEqual([]);
  });

  it('keeps Electron, Node and main-side code out of the renderer and shared/', async () => {
    const node = "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n";
    expect(await ruleIds(node, fileIn('src-renderer/app'))).toContain('no-restricted-imports');
    expect(await ruleIds(node, fileIn('shared'))).toContain('no-restricted-imports');
    expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", fileIn('shared'))).toContain('no-restricted-imports');
  });
});
