import { z } from 'zod';
import { Timestamp, WriteContext, pageOf } from './common.ts';
import { PasswordPolicy } from './password-policy.ts';
import { TermsAcceptance, TermsVersion } from './terms.ts';
import { HardwareToken, MfaDevice, SerialNumber } from './people.ts';

/**
 * Request bodies and page shapes of the IdP admin API that are not a resource of their own.
 * Paths (relative to `/api/v1`) are documented in resources/openapi/idp-admin-api.yaml:
 *
 *   GET  /health
 *   GET  /password-policies                        GET/PUT /password-policies/{domain}
 *   GET  /terms/nsis                                GET /terms/addendum/current
 *   GET  /terms/addendum/versions                   POST /terms/addendum/versions
 *   GET  /terms/addendum/versions/{version}         GET /terms/addendum/versions/{version}/acceptances
 *   GET  /people/{domain}/{username}                POST /people/{domain}/{username}/lock|unlock
 *   GET  /people/{domain}/{username}/terms-acceptances
 *   GET  /people/{domain}/{username}/devices
 *   POST /people/{domain}/{username}/devices/{deviceId}/lock|unlock|remove|test-push
 *   POST /people/{domain}/{username}/hardware-tokens
 *   POST /people/{domain}/{username}/hardware-tokens/{serialNumber}/release
 *   GET  /hardware-tokens?status=free|assigned      GET /hardware-tokens/{serialNumber}
 *   GET  /audit/head     GET /audit/events?after=&limit=     POST /audit/events
 */
export const LockDeviceBody = WriteContext.extend({
  until: Timestamp.optional().describe('Until when; omitted = until an administrator unlocks it.'),
}).strict();
export type LockDeviceBody = z.infer<typeof LockDeviceBody>;

export const WriteBody = WriteContext.strict();
export type WriteBody = z.infer<typeof WriteBody>;

export const AssignTokenBody = WriteContext.extend({ serialNumber: SerialNumber }).strict();
export type AssignTokenBody = z.infer<typeof AssignTokenBody>;

export const TokenStatusQuery = z.enum(['free', 'assigned']);

export const CurrentTerms = z.object({ current: TermsVersion.nullable() });

export const PolicyPage = pageOf(PasswordPolicy);
export const TermsVersionPage = pageOf(TermsVersion);
export const AcceptancePage = pageOf(TermsAcceptance);
export const DevicePage = pageOf(MfaDevice);
export const HardwareTokenPage = pageOf(HardwareToken);
