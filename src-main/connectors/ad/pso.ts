// Mirroring an IdP password policy into an AD fine-grained password policy (PSO), so AD enforces the
// same floor on every password set, not only the IdP. Works on a client bound as the operator: AD's
// own delegation decides who may write PSOs (by default only Domain Admins).
import { Attribute, Change, type Client } from 'ldapts';
import { ConsoleError } from '../../../shared/errors.ts';
import type { PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';
import { intervalToMinutes } from './decode.ts';
import { str, strs } from './entries.ts';
import { isConnectionError, isLdapResultError, mapResultError } from './errors.ts';
import { rdn } from '../../../shared/dn.ts';
import type { MirroredPolicySettings } from '../directory-port.ts';
import { weaknessText, type ReadinessLanguage } from '../../../shared/domain/readiness-text.ts';
import type { AdWeakness } from '../../../shared/domain/policies.ts';

/** A PSO's settings: exactly what the directory port mirrors. */
export type PsoSettings = MirroredPolicySettings;

export interface PsoSpec {
  name: string;
  /** Lower wins when several PSOs apply to a person. */
  precedence: number;
  settings: PsoSettings;
  /** DNs of the groups (or users) the PSO applies to. */
  appliesTo: string[];
}

export const psoContainer = (baseDn: string): string => `CN=Password Settings Container,CN=System,${baseDn}`;

/** The PSO's name for a policy domain: "LIA-<domain>", limited to what a CN comfortably holds. */
export const psoNameFor = (domain: string): string => `LIA-${domain.replace(/[^A-Za-z0-9.-]/g, '-')}`.slice(0, 64);

/** The IdP fields AD can enforce itself; the rest (banned words, leaks, names) stays with the IdP. */
export function psoSettingsFromPolicy(s: PasswordPolicySettings): PsoSettings {
  return {
    minLength: s.minLength,
    historyLength: s.passwordHistoryEnabled ? s.passwordHistoryCount : 0,
    complexity: s.requireComplexPassword,
    maxAgeDays: s.forceChangePassword ? s.forceChangePasswordIntervalDays : null,
    // "At most one change a day" is AD's minimum password age of one day; more per day has no AD twin.
    minAgeDays: s.maxPasswordChangesPerDayEnabled && s.maxPasswordChangesPerDay === 1 ? 1 : 0,
    lockoutThreshold: s.triesBeforeLock,
    lockoutDurationMinutes: s.lockedMinutes,
    lockoutWindowMinutes: s.lockedMinutes,
  };
}

const TICKS_PER_MINUTE = 600_000_000n;
const NEVER = '-9223372036854775808';
/** AD stores these durations as negative 100-ns intervals. */
const interval = (minutes: number): string => (minutes === 0 ? '0' : (-BigInt(minutes) * TICKS_PER_MINUTE).toString());

const PSO_ATTRS = [
  'msDS-PasswordSettingsPrecedence', 'msDS-MinimumPasswordLength', 'msDS-PasswordHistoryLength', 'msDS-PasswordComplexityEnabled', 'msDS-MaximumPasswordAge',
  'msDS-MinimumPasswordAge', 'msDS-LockoutThreshold', 'msDS-LockoutDuration', 'msDS-LockoutObservationWindow', 'msDS-PSOAppliesTo',
];

function attributesOf(spec: PsoSpec): Record<string, string[]> {
  const s = spec.settings;
  return {
    'msDS-PasswordSettingsPrecedence': [String(spec.precedence)],
    'msDS-PasswordReversibleEncryptionEnabled': ['FALSE'],
    'msDS-MinimumPasswordLength': [String(s.minLength)],
    'msDS-PasswordHistoryLength': [String(s.historyLength)],
    'msDS-PasswordComplexityEnabled': [s.complexity ? 'TRUE' : 'FALSE'],
    'msDS-MaximumPasswordAge': [s.maxAgeDays === null ? NEVER : interval(s.maxAgeDays * 1440)],
    'msDS-MinimumPasswordAge': [interval(s.minAgeDays * 1440)],
    'msDS-LockoutThreshold': [String(s.lockoutThreshold)],
    'msDS-LockoutDuration': [interval(s.lockoutDurationMinutes)],
    'msDS-LockoutObservationWindow': [interval(s.lockoutWindowMinutes)],
    'msDS-PSOAppliesTo': spec.appliesTo,
  };
}

function toConsoleError(e: unknown): ConsoleError {
  if (e instanceof ConsoleError) return e;
  if (isLdapResultError(e) && !isConnectionError(e)) return mapResultError(e, { action: 'skrive adgangskodepolitikken (PSO) i Active Directory', subject: 'Adgangskodepolitikken' });
  return new ConsoleError('unavailable-ad', 'Active Directory svarede ikke, da adgangskodepolitikken (PSO) skulle skrives.').withKey('adPsoNoAnswer');
}

async function exists(client: Client, dn: string): Promise<boolean> {
  try {
    const r = await client.search(dn, { scope: 'base', attributes: ['1.1'] });
    return r.searchEntries.length > 0;
  } catch (e) {
    if (isLdapResultError(e) && e.code === 32) return false;
    throw e;
  }
}

/** Creates the PSO or replaces every setting and its targets; returns its DN. */
export async function writePso(client: Client, baseDn: string, spec: PsoSpec): Promise<{ dn: string; created: boolean }> {
  if (spec.appliesTo.length === 0) throw new ConsoleError('validation', 'Angiv mindst én AD-gruppe, som politikken skal gælde for.').withKey('adPsoNoGroup');
  const dn = `${rdn('CN', spec.name)},${psoContainer(baseDn)}`;
  const attrs = attributesOf(spec);
  try {
    if (await exists(client, dn)) {
      // Max age before min age and window before duration would trip AD's cross-checks halfway; one
      // modify request is validated as a whole.
      await client.modify(dn, Object.entries(attrs).map(([type, values]) => new Change({ operation: 'replace', modification: new Attribute({ type, values }) })));
      return { dn, created: false };
    }
    await client.add(dn, { objectClass: ['msDS-PasswordSettings'], ...attrs });
    return { dn, created: true };
  } catch (e) {
    throw toConsoleError(e);
  }
}

/** The PSO's settings and targets as AD holds them; null when it does not exist. */
export async function readPso(client: Client, dn: string): Promise<(PsoSettings & { precedence: number; appliesTo: string[] }) | null> {
  try {
    const r = await client.search(dn, { scope: 'base', attributes: PSO_ATTRS });
    const e = r.searchEntries[0];
    if (!e) return null;
    const one = (k: string): string | undefined => str(e, k) ?? undefined;
    const maxAge = intervalToMinutes(one('msDS-MaximumPasswordAge'));
    return {
      precedence: Number(one('msDS-PasswordSettingsPrecedence')),
      minLength: Number(one('msDS-MinimumPasswordLength')),
      historyLength: Number(one('msDS-PasswordHistoryLength')),
      complexity: one('msDS-PasswordComplexityEnabled')?.toUpperCase() === 'TRUE',
      maxAgeDays: maxAge === null || maxAge === 0 ? null : Math.round(maxAge / 1440),
      minAgeDays: Math.round((intervalToMinutes(one('msDS-MinimumPasswordAge')) ?? 0) / 1440),
      lockoutThreshold: Number(one('msDS-LockoutThreshold')),
      lockoutDurationMinutes: intervalToMinutes(one('msDS-LockoutDuration')) ?? 0,
      lockoutWindowMinutes: intervalToMinutes(one('msDS-LockoutObservationWindow')) ?? 0,
      appliesTo: strs(e, 'msDS-PSOAppliesTo'),
    };
  } catch (e) {
    if (isLdapResultError(e) && e.code === 32) return null;
    throw toConsoleError(e);
  }
}

export async function deletePso(client: Client, dn: string): Promise<void> {
  try {
    await client.del(dn);
  } catch (e) {
    if (isLdapResultError(e) && e.code === 32) return;
    throw toConsoleError(e);
  }
}

/**
 * Where AD is weaker than the IdP policy (one line per field, in the operator's language): the console shows
 * these so an AD policy that lets through what the IdP forbids does not go unnoticed.
 */
export function weakerInAd(ad: { [K in keyof PsoSettings]?: PsoSettings[K] | null }, idp: PasswordPolicySettings, language: ReadinessLanguage = 'da'): string[] {
  return weaknessesInAd(ad, idp).map((w) => weaknessText(w, language));
}

/** The same as codes and figures, for the renderer to word in the operator's language. */
export function weaknessesInAd(ad: { [K in keyof PsoSettings]?: PsoSettings[K] | null }, idp: PasswordPolicySettings): AdWeakness[] {
  const want = psoSettingsFromPolicy(idp);
  const out: AdWeakness[] = [];
  if (ad.minLength != null && ad.minLength < want.minLength) out.push({ code: 'minLength', ad: ad.minLength, idp: want.minLength });
  if (ad.historyLength != null && ad.historyLength < want.historyLength) out.push({ code: 'history', ad: ad.historyLength, idp: want.historyLength });
  if (ad.complexity === false && want.complexity) out.push({ code: 'complexity' });
  if (want.maxAgeDays !== null && (ad.maxAgeDays === null || (ad.maxAgeDays !== undefined && ad.maxAgeDays > want.maxAgeDays))) {
    out.push({ code: 'maxAge', ad: ad.maxAgeDays ?? null, idp: want.maxAgeDays });
  }
  if (ad.lockoutThreshold != null && (ad.lockoutThreshold === 0 || ad.lockoutThreshold > want.lockoutThreshold)) {
    out.push(ad.lockoutThreshold === 0 ? { code: 'neverLocks' } : { code: 'lockout', ad: ad.lockoutThreshold, idp: want.lockoutThreshold });
  }
  return out;
}
