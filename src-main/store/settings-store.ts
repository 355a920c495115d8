import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Settings, type SecretKey } from '../../shared/domain/settings.ts';

/** Connection profiles and preferences. The shell backs it with electron-store; the web host with a file. */
export interface SettingsStore {
  read(): Settings;
  write(settings: Settings): void;
}

/**
 * Secrets are kept apart from settings. The shell encrypts them with Electron safeStorage; a host that
 * cannot protect them keeps them in memory for the session and says so (`persisted: false`).
 */
export interface SecretStore {
  readonly persisted: boolean;
  has(key: SecretKey): boolean;
  get(key: SecretKey): string | null;
  set(key: SecretKey, value: string): void;
}

export function memorySecretStore(): SecretStore {
  const values = new Map<SecretKey, string>();
  return {
    persisted: false,
    has: (k) => values.has(k),
    get: (k) => values.get(k) ?? null,
    set: (k, v) => {
      values.set(k, v);
    },
  };
}

/** A JSON file validated by the same zod schema as electron-store's; written atomically. */
export function fileSettingsStore(file: string): SettingsStore {
  return {
    read() {
      let raw: unknown = {};
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // Missing or unreadable: start from defaults (the training environment).
      }
      const parsed = Settings.safeParse(raw);
      return parsed.success ? parsed.data : Settings.parse({});
    },
    write(settings) {
      const valid = Settings.parse(settings);
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(valid, null, 2), { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
}
