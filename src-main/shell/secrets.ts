import { safeStorage } from 'electron';
import type Store from 'electron-store';
import type { SecretKey } from '../../shared/domain/settings.ts';
import type { SecretStore } from '../store/settings-store.ts';

/**
 * Secrets encrypted with Electron safeStorage (DPAPI on Windows) and only the ciphertext stored. When
 * the OS offers no protection, secrets are kept in memory for this session rather than written in clear.
 * Each secret's binding (a hash of the address it was entered for; not secret) is stored beside it.
 */
export function safeSecretStore(store: Store<Record<string, unknown>>): SecretStore {
  const persisted = safeStorage.isEncryptionAvailable();
  const memory = new Map<SecretKey, string>();
  const memoryBindings = new Map<SecretKey, string>();
  const key = (k: SecretKey) => `secrets.${k.replace(/\./g, '_')}`;
  const bindingKey = (k: SecretKey) => `secretBindings.${k.replace(/\./g, '_')}`;
  return {
    persisted,
    has: (k) => (persisted ? store.has(key(k)) : memory.has(k)),
    get(k) {
      if (!persisted) return memory.get(k) ?? null;
      const b64 = store.get(key(k));
      return typeof b64 === 'string' ? safeStorage.decryptString(Buffer.from(b64, 'base64')) : null;
    },
    binding(k) {
      if (!persisted) return memoryBindings.get(k) ?? null;
      const b = store.get(bindingKey(k));
      return typeof b === 'string' ? b : null;
    },
    set(k, value, binding) {
      if (!persisted) {
        memory.set(k, value);
        memoryBindings.set(k, binding);
      } else {
        store.set(key(k), safeStorage.encryptString(value).toString('base64'));
        store.set(bindingKey(k), binding);
      }
    },
  };
}
