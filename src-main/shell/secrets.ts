import { safeStorage } from 'electron';
import type Store from 'electron-store';
import type { SecretKey } from '../../shared/domain/settings.ts';
import type { SecretStore } from '../store/settings-store.ts';

/**
 * Secrets encrypted with Electron safeStorage (DPAPI on Windows) and only the ciphertext stored. When
 * the OS offers no protection, secrets are kept in memory for this session rather than written in clear.
 */
export function safeSecretStore(store: Store<Record<string, unknown>>): SecretStore {
  const persisted = safeStorage.isEncryptionAvailable();
  const memory = new Map<SecretKey, string>();
  const key = (k: SecretKey) => `secrets.${k.replace(/\./g, '_')}`;
  return {
    persisted,
    has: (k) => (persisted ? store.has(key(k)) : memory.has(k)),
    get(k) {
      if (!persisted) return memory.get(k) ?? null;
      const b64 = store.get(key(k));
      return typeof b64 === 'string' ? safeStorage.decryptString(Buffer.from(b64, 'base64')) : null;
    },
    set(k, value) {
      if (!persisted) memory.set(k, value);
      else store.set(key(k), safeStorage.encryptString(value).toString('base64'));
    },
  };
}
