// The machine policy enforced in main: the settings every part of the console reads are the operator's
// with the policy on top, and a save that would change a locked field is refused (the dispatcher journals
// the refusal). Retention floors are enforced the same way on the retention settings.
import { applyPolicy, lockedFields, lockViolations, type LoadedPolicy, type LockedField } from '../../../shared/domain/machine-policy.ts';
import type { RetentionSettings } from '../../../shared/domain/audit.ts';
import { Settings } from '../../../shared/domain/settings.ts';
import { ConsoleError } from '../../../shared/errors.ts';
import type { RetentionStore } from '../../store/retention-store.ts';
import type { SettingsStore } from '../../store/settings-store.ts';

/** A settings store whose reads carry the policy and whose writes cannot change a locked field. */
export function managedSettingsStore(inner: SettingsStore, loaded: LoadedPolicy): SettingsStore {
  return {
    read: () => Settings.parse(applyPolicy(inner.read(), loaded.policy)),
    write(settings) {
      const changed = lockViolations(settings, loaded);
      if (changed.length > 0) {
        throw new ConsoleError(
          'forbidden',
          `Indstillingerne blev ikke gemt: ${changed.map((l) => l.field).join(', ')} styres af IT og kan ikke ændres her. ${changed[0]!.reason}.`,
          { locked: changed.map((l) => ({ field: l.field, key: l.key })), fields: Object.fromEntries(changed.map((l) => [`settings.${l.field}`, l.reason])) },
        ).withKey('settingsLockedByIt');
      }
      inner.write(settings);
    },
  };
}

/** The fields the policy locks (empty without a policy), for settings.get. */
export function locksOf(loaded: LoadedPolicy | null): LockedField[] {
  return loaded ? lockedFields(loaded) : [];
}

const floorKeys = {
  consoleMonths: 'RetentionConsoleMonthsMin',
  idpLoginMonths: 'RetentionIdpLoginMonthsMin',
  idpOtherMonths: 'RetentionIdpOtherMonthsMin',
} as const;
const floorText: Record<keyof typeof floorKeys, string> = {
  consoleMonths: 'Konsollens journal',
  idpLoginMonths: "Logins fra IdP'ens log",
  idpOtherMonths: "Øvrige hændelser fra IdP'ens log",
};

/**
 * Retention with IT's floors: what is read (and so what the daily purge uses) is never below a floor, and
 * an operator's shorter period is refused rather than quietly raised.
 */
export function managedRetentionStore(inner: RetentionStore, loaded: LoadedPolicy): RetentionStore {
  const floor = (k: keyof typeof floorKeys) => loaded.policy[floorKeys[k]] ?? 0;
  const kinds = Object.keys(floorKeys) as Array<keyof typeof floorKeys>;
  return {
    read() {
      const r = inner.read();
      return Object.fromEntries(kinds.map((k) => [k, Math.max(r[k], floor(k))])) as RetentionSettings;
    },
    write(settings) {
      const below = kinds.filter((k) => settings[k] < floor(k));
      if (below.length > 0) {
        throw new ConsoleError(
          'forbidden',
          `Opbevaringsperioden blev ikke gemt: IT kræver ${below.map((k) => `${floorText[k]} i mindst ${floor(k)} måneder`).join(', ')} (styres af IT).`,
          { fields: Object.fromEntries(below.map((k) => [`settings.${k}`, `Mindst ${floor(k)} måneder (styres af IT)`])) },
        ).withKey('retentionFloorByIt');
      }
      return inner.write(settings);
    },
  };
}
