// Reading password policies from AD: a fine-grained policy (PSO) or the domain's default, in one shape.
import type { Client, Entry } from 'ldapts';
import { ConsoleError } from '../../../shared/errors.ts';
import { groupNameOf } from '../../../shared/dn.ts';
import type { AdPasswordPolicies, AdPso, PasswordPolicy } from '../directory-port.ts';
import { intervalToMinutes } from './decode.ts';
import { str } from './entries.ts';
import { isLdapResultError } from './errors.ts';

/** Max ages: 0 and "never" both mean no expiry. */
const days = (minutes: number | null) => (minutes === null || minutes === 0 ? null : Math.round(minutes / 1440));
const wholeDays = (minutes: number | null) => (minutes === null ? null : Math.round(minutes / 1440));
const int = (v: string | null) => (v !== null && /^-?\d+$/.test(v) ? Number(v) : null);

/** A PSO as a password policy; one AD hides from the operator comes back with its name only. */
export async function readPsoPolicy(c: Client, psoDn: string): Promise<PasswordPolicy> {
  let e: Entry | undefined;
  try {
    const r = await c.search(psoDn, { scope: 'base', attributes: ['cn', 'msDS-MinimumPasswordLength', 'msDS-PasswordHistoryLength', 'msDS-PasswordComplexityEnabled', 'msDS-MaximumPasswordAge', 'msDS-MinimumPasswordAge', 'msDS-LockoutThreshold', 'msDS-LockoutDuration', 'msDS-LockoutObservationWindow'] });
    e = r.searchEntries[0];
  } catch (err) {
    // AD hides PSOs from everyone but administrators unless delegated: report the name only.
    if (!(isLdapResultError(err) && (err.code === 32 || err.code === 50))) throw err;
  }
  const name = groupNameOf(psoDn);
  if (!e || str(e, 'msDS-MinimumPasswordLength') === null) {
    return { source: 'pso', name, dn: psoDn, readable: false, minLength: null, historyLength: null, complexity: null, maxAgeDays: null, minAgeDays: null, lockoutThreshold: null, lockoutDurationMinutes: null, lockoutWindowMinutes: null };
  }
  const complexity = str(e, 'msDS-PasswordComplexityEnabled');
  const duration = str(e, 'msDS-LockoutDuration');
  return {
    source: 'pso',
    name: str(e, 'cn') ?? name,
    dn: psoDn,
    readable: true,
    minLength: int(str(e, 'msDS-MinimumPasswordLength')),
    historyLength: int(str(e, 'msDS-PasswordHistoryLength')),
    complexity: complexity === null ? null : complexity.toUpperCase() === 'TRUE',
    maxAgeDays: days(intervalToMinutes(str(e, 'msDS-MaximumPasswordAge'))),
    minAgeDays: wholeDays(intervalToMinutes(str(e, 'msDS-MinimumPasswordAge'))),
    lockoutThreshold: int(str(e, 'msDS-LockoutThreshold')),
    lockoutDurationMinutes: duration === '0' ? null : intervalToMinutes(duration),
    lockoutWindowMinutes: intervalToMinutes(str(e, 'msDS-LockoutObservationWindow')),
  };
}

/** The domain's default policy, from the domain object (the base DN). */
export async function readDomainPolicy(c: Client, baseDn: string): Promise<PasswordPolicy> {
  const r = await c.search(baseDn, { scope: 'base', attributes: ['minPwdLength', 'pwdHistoryLength', 'pwdProperties', 'maxPwdAge', 'minPwdAge', 'lockoutThreshold', 'lockoutDuration', 'lockOutObservationWindow'] });
  const e = r.searchEntries[0];
  if (!e) throw new ConsoleError('not-found', 'Domæneobjektet (søgebasen) findes ikke i Active Directory.').withKey('adBaseMissing');
  const props = int(str(e, 'pwdProperties'));
  const minAge = intervalToMinutes(str(e, 'minPwdAge'));
  return {
    source: 'domain',
    name: 'Domænets standardpolitik',
    dn: e.dn,
    readable: str(e, 'minPwdLength') !== null,
    minLength: int(str(e, 'minPwdLength')),
    historyLength: int(str(e, 'pwdHistoryLength')),
    complexity: props === null ? null : (props & 1) === 1,
    maxAgeDays: days(intervalToMinutes(str(e, 'maxPwdAge'))),
    minAgeDays: wholeDays(minAge),
    lockoutThreshold: int(str(e, 'lockoutThreshold')),
    lockoutDurationMinutes: intervalToMinutes(str(e, 'lockoutDuration')),
    lockoutWindowMinutes: intervalToMinutes(str(e, 'lockOutObservationWindow')),
  };
}


/** The policy that governs a person: their resultant PSO (msDS-ResultantPSO), else the domain's. */
export async function readResultantPolicy(c: Client, personDn: string, baseDn: string): Promise<PasswordPolicy> {
  const r = await c.search(personDn, { scope: 'base', attributes: ['msDS-ResultantPSO'] });
  const psoDn = str(r.searchEntries[0] ?? { dn: '' }, 'msDS-ResultantPSO');
  return psoDn ? readPsoPolicy(c, psoDn) : readDomainPolicy(c, baseDn);
}

/**
 * The domain's default policy and every PSO in the Password Settings Container the operator may list
 * (one-level search), each read as readPsoPolicy does (a hidden one comes back with its name only).
 */
export async function readAllPolicies(c: Client, baseDn: string): Promise<AdPasswordPolicies> {
  const domain = await readDomainPolicy(c, baseDn);
  const container = `CN=Password Settings Container,CN=System,${baseDn}`;
  let entries: Entry[] = [];
  try {
    entries = (await c.search(container, { scope: 'one', filter: '(objectClass=msDS-PasswordSettings)', attributes: ['cn', 'msDS-PasswordSettingsPrecedence', 'msDS-PSOAppliesTo'] })).searchEntries;
  } catch (err) {
    if (!(isLdapResultError(err) && (err.code === 32 || err.code === 50))) throw err;
  }
  const psos: AdPso[] = [];
  for (const e of entries) {
    const p = await readPsoPolicy(c, e.dn);
    const applies = e['msDS-PSOAppliesTo'];
    psos.push({
      ...p,
      source: 'pso',
      precedence: int(str(e, 'msDS-PasswordSettingsPrecedence')),
      appliesTo: applies === undefined ? [] : (Array.isArray(applies) ? applies : [applies]).map(String),
    });
  }
  psos.sort((a, b) => (a.precedence ?? Infinity) - (b.precedence ?? Infinity) || a.name.localeCompare(b.name));
  return { domain, psos };
}
