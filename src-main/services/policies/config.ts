import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { PoliciesConfig } from '../../../shared/operations/policies.ts';
import { TRAINING_BASE_DN, TRAINING_DOMAIN } from '../../training/seed.ts';

export const DEFAULT_LEAKED_ENDPOINT = 'https://api.pwnedpasswords.com/range/';

/** Defaults: the public range API; in training, the pupils' sub-domain governs the Elever OU. */
export function defaultPoliciesConfig(training: boolean): PoliciesConfig {
  return {
    leakedPasswordEndpoint: DEFAULT_LEAKED_ENDPOINT,
    leakedPasswordTimeoutMs: 5000,
    domainOus: training ? { [`elever.${TRAINING_DOMAIN}`]: [`OU=Elever,OU=Skoler,${TRAINING_BASE_DN}`] } : {},
    domainGroups: training
      ? {
          [TRAINING_DOMAIN]: [`CN=Alle medarbejdere,OU=Grupper,${TRAINING_BASE_DN}`],
          [`elever.${TRAINING_DOMAIN}`]: [`CN=Elever,OU=Grupper,${TRAINING_BASE_DN}`],
        }
      : {},
  };
}

export interface PoliciesConfigStore {
  read(training: boolean): PoliciesConfig;
  write(config: PoliciesConfig): PoliciesConfig;
}

/**
 * The feature's own small settings file next to the console's settings (the shared settings schema
 * belongs to the settings feature). A file that no longer parses falls back to the defaults.
 */
export function fileConfigStore(file: string): PoliciesConfigStore {
  return {
    read(training) {
      if (!existsSync(file)) return defaultPoliciesConfig(training);
      try {
        const parsed = PoliciesConfig.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        return parsed.success ? parsed.data : defaultPoliciesConfig(training);
      } catch {
        return defaultPoliciesConfig(training);
      }
    },
    write(config) {
      const clean = PoliciesConfig.parse(config);
      // Write-then-rename, so a crash never leaves half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(clean, null, 2), 'utf8');
      renameSync(`${file}.tmp`, file);
      return clean;
    },
  };
}
