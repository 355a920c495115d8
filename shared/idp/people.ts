import { z } from 'zod';
import { Timestamp } from './common.ts';

export const deviceTypes = ['app', 'browser-extension', 'fido2', 'totp', 'hardware-token'] as const;
export const DeviceType = z.enum(deviceTypes);
export type DeviceType = z.infer<typeof DeviceType>;

/** The NSIS level of the login used to register the device. */
export const nsisLevels = ['none', 'low', 'substantial', 'high'] as const;
export const NsisLevel = z.enum(nsisLevels);
export type NsisLevel = z.infer<typeof NsisLevel>;

export const MfaDevice = z.object({
  id: z.string().min(1).max(100),
  type: DeviceType,
  name: z.string(),
  nsisLevel: NsisLevel.describe('NSIS level of the login used to register the device.'),
  locked: z.boolean().describe('True while the device cannot be used (5 wrong codes, or locked by an administrator).'),
  lockedUntil: Timestamp.nullable().describe('End of a time-limited lock; null when not locked or locked until an administrator unlocks it.'),
  lockedReason: z.string().nullable().describe('Set when an administrator locked it, with the reason given.'),
  lastUsed: Timestamp.nullable(),
  registered: Timestamp,
  serialNumber: z.string().nullable().describe('Serial number of a hardware token ("kodeviser"); null for other types.'),
});
export type MfaDevice = z.infer<typeof MfaDevice>;

/** The peer's NSIS status values, as shown to administrators. */
export const nsisStatuses = [
  'NOT_ISSUED',
  'NOT_ACTIVATED',
  'ACTIVE',
  'LOCKED_BY_SELF',
  'LOCKED_BY_MUNICIPALITY',
  'LOCKED_BY_STATUS',
  'LOCKED_BY_EXPIRE',
] as const;

export const IdpPerson = z.object({
  domain: z.string(),
  username: z.string(),
  displayName: z.string(),
  passwordPolicyDomain: z.string().describe('The policy that governs this person\'s password: their domain, a pupils sub-domain or a pseudo-domain.'),
  nsisStatus: z.string().describe('Read as an open string: a newer IdP may add statuses.'),
  nsisLevel: NsisLevel.nullable()
    .optional()
    .describe('The NSIS assurance level the identity has now (its identity proofing and activation); null or absent when the IdP does not say.'),
  locked: z
    .object({ by: z.string(), at: Timestamp, reason: z.string() })
    .nullable()
    .describe('Whole-identity lock by the municipality, with who, when and why; null when not locked.'),
  acceptedTermsVersion: z.number().int().nullable().describe('Newest addendum version the person has accepted; null when none.'),
  mustAcceptTerms: z.boolean().describe('True when the current addendum requires acceptance the person has not given.'),
  deviceCount: z.number().int().min(0),
  devices: z
    .object({
      locked: z.number().int().min(0).describe('Devices that cannot be used now.'),
      types: z.array(z.string()).describe('The kinds of device the person has, each once, sorted (an open string: a newer IdP may add kinds).'),
    })
    .optional()
    .describe('A summary of the MFA devices, so a change to any of them is a change of the person. Absent from an IdP older than the change feed.'),
});
export type IdpPerson = z.infer<typeof IdpPerson>;

export const TestPushResult = z.object({
  deviceId: z.string(),
  outcome: z.enum(['approved', 'rejected', 'timeout']),
  at: Timestamp,
});
export type TestPushResult = z.infer<typeof TestPushResult>;

export const HardwareToken = z.object({
  serialNumber: z.string(),
  assignedTo: z.object({ domain: z.string(), username: z.string() }).nullable().describe('Owner while assigned; null when in the pool.'),
  deviceId: z.string().nullable().describe('Id of the person\'s device for this token while assigned.'),
});
export type HardwareToken = z.infer<typeof HardwareToken>;

export const SerialNumber = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'Ugyldigt serienummer');
