import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConsoleError } from '../../shared/errors.ts';
import { migrateSettingsDocument, secretTarget, Settings, type SecretKey } from '../../shared/domain/settings.ts';

/** Connection profiles and preferences. The shell backs it with electron-store; the web host with a file. */
export interface SettingsStore {
  /** Throws SettingsUnreadableError when stored settings exist but cannot be read or are invalid. */
  read(): Settings;
  write(settings: Settings): void;
}

/**
 * Secrets are kept apart from settings. The shell encrypts them with Electron safeStorage; a host that
 * cannot protect them keeps them in memory for the session and says so (`persisted: false`). Beside each
 * secret the store keeps its binding: a hash of the address it was entered for (see secretBinding).
 */
export interface SecretStore {
  readonly persisted: boolean;
  has(key: SecretKey): boolean;
  get(key: SecretKey): string | null;
  /** The binding stored with the secret; null when none (a secret from before bindings counts as unbound). */
  binding(key: SecretKey): string | null;
  set(key: SecretKey, value: string, binding: string): void;
}

export function memorySecretStore(): SecretStore {
  const values = new Map<SecretKey, { value: string; binding: string }>();
  return {
    persisted: false,
    has: (k) => values.has(k),
    get: (k) => values.get(k)?.value ?? null,
    binding: (k) => values.get(k)?.binding ?? null,
    set: (k, value, binding) => {
      values.set(k, { value, binding });
    },
  };
}

/** The binding of a secret under these settings: SHA-256 of what it is for; null = nothing to bind to. */
export function secretBinding(key: SecretKey, settings: Settings): string | null {
  const target = secretTarget(key, settings);
  return target === null ? null : createHash('sha256').update(target, 'utf8').digest('hex');
}

export type BoundSecret = { state: 'ok'; value: string } | { state: 'missing' } | { state: 'rebind' };

/**
 * A secret only if it was entered for the address the settings name now. Otherwise `rebind`: the address
 * (or certificate file) changed since, and the old secret must not go to the new one.
 */
export function boundSecret(secrets: SecretStore, key: SecretKey, settings: Settings): BoundSecret {
  const value = secrets.get(key);
  if (value === null) return { state: 'missing' };
  const want = secretBinding(key, settings);
  return want !== null && secrets.binding(key) === want ? { state: 'ok', value } : { state: 'rebind' };
}

/**
 * Stored settings exist but cannot be used. The console stops with this message instead of falling back to
 * the training environment: a live setup's secrets may still be stored, and a silent switch would hide it.
 */
export class SettingsUnreadableError extends ConsoleError {
  constructor(where: string, why: string) {
    super(
      'internal',
      `Indstillingerne i ${where} kan ikke bruges (${why}). Konsollen starter ikke i træningsmiljøet i stedet, fordi en opsætning til rigtige systemer kan være gemt. Ret indstillingerne, eller flyt filen væk for at starte forfra, og start konsollen igen.`,
    );
    this.name = 'SettingsUnreadableError';
  }
}

/** Danish list of what the schema refused, e.g. "idp.baseUrl: Skal være en https:// adresse". */
export function settingsProblems(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'indstillinger'}: ${i.message}`)
    .join('; ');
}

/**
 * Stored settings checked by the schema; anything but valid settings is refused, never defaulted. A
 * document from before several AD domains (one `ad` profile) is read as a one-domain list first; the
 * stored document is left as it is until the next save.
 */
export function parseStoredSettings(raw: unknown, where: string): Settings {
  const doc = migrateSettingsDocument(raw);
  const migrated = doc !== raw;
  // Both shapes at once: which AD is meant cannot be told, and dropping either would lose a setup.
  if (!migrated && raw !== null && typeof raw === 'object' && 'ad' in raw && (raw as { ad: unknown }).ad != null) {
    throw new SettingsUnreadableError(where, 'ugyldigt indhold – både "ad" (fra en tidligere version) og "domains" er udfyldt; fjern den ene');
  }
  const parsed = Settings.safeParse(doc);
  if (!parsed.success) {
    // A problem in a migrated profile is named where it is in the file: ad.urls.0, not domains.0.urls.0.
    const issues = parsed.error.issues.map((i) => (migrated && i.path[0] === 'domains' && i.path[1] === 0 ? { ...i, path: ['ad', ...i.path.slice(2)] } : i));
    throw new SettingsUnreadableError(where, `ugyldigt indhold – ${settingsProblems({ issues })}`);
  }
  return parsed.data;
}

/**
 * A JSON file validated by the same zod schema as electron-store's; written atomically, readable by the
 * owner only. A missing file is a fresh install (defaults: the training environment); a file that exists
 * but cannot be read, is not JSON or does not fit the schema stops the console (SettingsUnreadableError).
 */
export function fileSettingsStore(file: string): SettingsStore {
  return {
    read() {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return Settings.parse({});
        throw new SettingsUnreadableError(file, `filen kan ikke læses: ${code ?? (e instanceof Error ? e.message : String(e))}`);
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new SettingsUnreadableError(file, 'filen er ikke gyldig JSON');
      }
      return parseStoredSettings(raw, file);
    },
    write(settings) {
      const valid = Settings.parse(settings);
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(valid, null, 2), { mode: 0o600 });
      // A file that already existed keeps its mode through rename; the new one is 0600 from the start.
      if (process.platform !== 'win32') chmodSync(tmp, 0o600);
      renameSync(tmp, file);
    },
  };
}
