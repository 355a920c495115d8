import { z } from 'zod';
import { ErrorRef } from '../errors.ts';
import { op } from '../operation.ts';
import { LockedField } from '../domain/machine-policy.ts';
import { ConnectionTest } from '../domain/connection-test.ts';
import { DomainId, SecretKey, Settings, SystemName, SystemStatus } from '../domain/settings.ts';

const SettingsView = z.object({
  settings: Settings,
  /** Which secrets are stored for the address the settings name now (never their values). */
  secrets: z.record(SecretKey, z.boolean()),
  /** Secrets stored for another address (or certificate file): they are not used until entered again. */
  rebind: z.array(SecretKey),
  /** False when the host cannot protect secrets on disk; they are then kept for this session only. */
  secretsPersisted: z.boolean(),
  /** Fields set and locked by IT's machine policy, with the reason shown beside each ("Styres af IT …"). */
  locked: z.array(LockedField),
});

export const settingsOps = {
  'settings.get': op({
    summary: 'Læs forbindelsesindstillinger',
    access: ['administrator', 'auditor'],
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: SettingsView,
  }),
  'settings.update': op({
    summary: 'Ret forbindelsesindstillinger',
    access: ['administrator'],
    scope: 'none',
    writes: true,
    invalidates: ['settings.get', 'system.status', 'app.info'],
    input: z.object({ settings: Settings }).strict(),
    output: SettingsView,
  }),
  'settings.setSecret': op({
    summary: 'Gem en hemmelighed (adgangsnøgle, certifikatkode)',
    access: ['administrator'],
    municipalityOnly: true,
    scope: 'none',
    writes: true,
    invalidates: ['settings.get'],
    secretFields: ['value'],
    input: z.object({ key: SecretKey, value: z.string().min(1, 'Angiv en værdi').max(4096) }).strict(),
    output: SettingsView,
  }),
  'settings.testConnection': op({
    summary: 'Test forbindelsen til et system',
    access: ['administrator'],
    scope: 'none',
    writes: false,
    /** A system as the running environment reaches it, or one saved AD domain (each of its DCs). */
    input: z.union([z.object({ system: SystemName }).strict(), z.object({ system: z.literal('ad'), domainId: DomainId }).strict()]),
    output: ConnectionTest,
  }),
  'system.status': op({
    summary: 'Status for de tilsluttede systemer',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({
      systems: z.array(SystemStatus),
      /** Journal records waiting to be acknowledged by the IdP's central audit log. */
      outbox: z.object({
        pending: z.number().int(),
        /** Why the last round of shipping failed, in main's Danish words. */
        lastError: z.string().nullable(),
        /** The same by code and key, worded by the renderer in the operator's language. */
        error: ErrorRef.nullable().optional(),
      }),
    }),
  }),
};
