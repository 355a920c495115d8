import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { PoliciesConfig } from '../../shared/operations/policies.ts';

export const DEFAULT_LEAKED_ENDPOINT = 'https://api.pwnedpasswords.com/range/';

/** The live defaults: the public range API, no domains mapped to OUs or AD groups yet. */
export const livePoliciesDefaults: PoliciesConfig = {
  leakedPasswordEndpoint: DEFAULT_LEAKED_ENDPOINT,
  leakedPasswordTimeoutMs: 5000,
  domainOus: {},
  domainGroups: {},
};

export interface PoliciesConfigStore {
  read(): PoliciesConfig;
  write(config: PoliciesConfig): PoliciesConfig;
}

/**
 * The policies feature's own small settings file next to the console's settings (the shared settings
 * schema belongs to the settings feature). A file that no longer parses falls back to the defaults the
 * environment gives.
 */
export function fileConfigStore(file: string, defaults: () => PoliciesConfig): PoliciesConfigStore {
  return {
    read() {
      if (!existsSync(file)) return defaults();
      try {
        const parsed = PoliciesConfig.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        return parsed.success ? parsed.data : defaults();
      } catch {
        // Unlike retention, nothing is lost on the defaults: an unmapped domain is said in every policy
        // save's AD result ("not mapped"), and saving the settings again writes a good file.
        return defaults();
      }
    },
    write(config) {
      const clean = PoliciesConfig.parse(config);
      // Write-then-rename, so a crash never leaves half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(clean, null, 2), { encoding: 'utf8', mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      return clean;
    },
  };
}
