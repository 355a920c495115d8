// The installer configuration, validated by electron-builder itself: its own config loader and schema
// validation (what `electron-builder` runs first). A real build cannot run here — it needs the Windows
// Electron binary, which is never downloaded on this machine — so this is the dry run that can.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const load = () => getConfig(root, join(root, 'electron-builder.yml'), null);

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s own validation', async () => {
    const config = await load();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the validation is real: a misspelt option is refused', async () => {
    const config = await load();
    const bad = { ...config, nsis: { ...config.nsis, perMachin: true } } as Configuration;
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(/configuration\.nsis should be/);
  });

  it('installs per machine, can run silently, keeps audit data on uninstall, and ships the ADMX templates', async () => {
    const config = await load();
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false, allowElevation: true, deleteAppDataOnUninstall: false, runAfterFinish: false });
    expect(config.msi).toMatchObject({ perMachine: true });
    expect(config.extraResources).toEqual([{ from: 'resources/policy', to: 'policy' }]);
    // No built-in publish feed: updates are IT's (or the policy's UpdateUrl).
    expect(config.publish).toBeNull();
  });

  it('no signing secret in the file: certificates and passwords come from the environment', () => {
    const text = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    for (const key of ['cscLink', 'cscKeyPassword', 'certificatePassword', 'certificateFile', 'password:']) expect(text).not.toContain(key);
    expect(text).toContain('CSC_LINK');
  });
});
