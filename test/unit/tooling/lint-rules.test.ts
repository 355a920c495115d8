import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The architecture's red lines are lint rules; prove they fire where they should and only there.
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const rawIpc = "import { ipcMain } from 'electron';\nipcMain.handle('x', async () => 1);\n";

describe('lint rules', () => {
  it('forbids raw ipcMain outside the one binding module', async () => {
    expect(await ruleIds(rawIpc, 'src-main/shell/main.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds(rawIpc, 'src-main/services/people.ts')).toEqual(expect.arrayContaining(['no-restricted-syntax', 'no-restricted-imports']));
    expect(await ruleIds(rawIpc, 'src-main/shell/ipc.ts')).toEqual([]);
  });

  it('keeps Electron, Node and main-side code out of the renderer and shared/', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src-renderer/app/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'shared/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", 'shared/x.ts')).toContain('no-restricted-imports');
  });
});
