// A live core over both test DCs: the municipality's domain first, the schools' second, as an
// administrator would set them up. For the tests of several domains (test/integration/domains/).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoleMapping} from '../../../shared/domain/settings.ts';
import { Settings } from '../../../shared/domain/settings.ts';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { sambaContext, schoolSambaContext, testProfile } from './context.ts';

export interface TwoDomainOptions {
  /** The school domain's own role mapping (absent: none — it then grants nothing). */
  school?: RoleMapping | undefined;
  /** The first domain's DCs (default: the municipality's test DC). */
  kommuneUrls?: string[];
}

/** Builds cores over both DCs and closes them all with `dispose()`. */
export function twoDomainCores() {
  const kommune = sambaContext();
  const skole = schoolSambaContext();
  const made: Array<{ core: Core; dir: string }> = [];
  return {
    kommune,
    skole,
    async core(opts: TwoDomainOptions = {}): Promise<Core> {
      const dir = mkdtempSync(join(tmpdir(), 'lia-two-domains-'));
      const settings = fileSettingsStore(join(dir, 'settings.json'));
      settings.write(
        Settings.parse({
          mode: 'live',
          domains: [
            { id: 'kommune', name: 'Kommunen', ...testProfile(kommune, { urls: opts.kommuneUrls ?? [kommune.url] }) },
            { id: 'skole', name: 'Skolerne', ...testProfile(skole), ...(opts.school ? { roleMapping: opts.school } : {}) },
          ],
          // The global mapping (the municipality's: the first domain has none of its own) names the role
          // groups — whose names the school domain has too.
          roleMapping: { administrator: [kommune.facts.roleGroups.administrator], helpdesk: [kommune.facts.roleGroups.helpdesk] },
        }),
      );
      const core = await createCore({ dataDir: dir, settings, secrets: memorySecretStore(), version: 'test', auditSyncIntervalMs: 0, trainingSimulators: false, logError: () => {} });
      made.push({ core, dir });
      return core;
    },
    async dispose(): Promise<void> {
      for (const { core, dir } of made.splice(0)) {
        await core.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
