// The schools' domain (#19): a second, separate AD domain — its own forest, realm and SIDs — for the
// tests of several domains in one console. Small on purpose: a few staff, a few pupils, the console's
// role groups (same names as in the municipality's domain, so a test can show a group name alone does
// not say which domain it grants in), and one username that also exists in the municipality's domain.
import { createHash } from 'node:crypto';
import { encodeUnicodePwd } from '../../../src-main/connectors/ad/decode.ts';
import { addRecord, modifyRecord } from './ldif.ts';
import { OPERATORS } from './seed-facts.ts';

/** Bump when the school seed's shape changes on purpose (the cache key also hashes the LDIF). */
export const SCHOOL_SEED_VERSION = 'v2';
export const SCHOOL_REALM = 'SKOLE.TEST';
export const SCHOOL_NETBIOS = 'SKOLE';
export const SCHOOL_DNS = 'skole.test';
export const SCHOOL_BASE_DN = 'DC=skole,DC=test';
export const SCHOOL_ADMIN_PASSWORD = 'Adm1n-Skole-Test-2026!';
/** Samba's ports are fixed: the second DC listens on the next loopback address. */
export const SCHOOL_HOST = '127.0.0.2';
/** Password of every seeded school account (another than the municipality's: the domains share nothing). */
export const SCHOOL_PASSWORD = 'Velkommen-Skole-2026!';

export const SCHOOL_OU = {
  it: `OU=IT,${SCHOOL_BASE_DN}`,
  medarbejdere: `OU=Medarbejdere,${SCHOOL_BASE_DN}`,
  elever: `OU=Elever,${SCHOOL_BASE_DN}`,
} as const;

/** The console's role groups in the school domain (same names as the municipality's). */
export const SCHOOL_ROLE_GROUPS = { administrator: 'LIA-Administratorer', helpdesk: 'LIA-Helpdesk' } as const;

export const SCHOOL_OPERATORS = {
  administrator: 'op.skoleadmin',
  /** The same sAMAccountName as the municipality's helpdesk operator: another account in another domain. */
  helpdesk: OPERATORS.helpdesk,
} as const;

const staff = [
  ['anne.lærer', 'Anne', 'Lærer-Holm', 'Lærer'],
  ['bo.pædagog', 'Bo', 'Pædagogsen', 'Pædagog'],
  ['camilla.leder', 'Camilla', 'Skov', 'Skoleleder'],
] as const;
const pupils = [
  ['elev.0001', 'Asta', 'Møller'],
  ['elev.0002', 'Bertram', 'Østergaard'],
  ['elev.0003', 'Cecilie', 'Ærenlund'],
  ['elev.0004', 'Dagmar', 'Åkjær'],
] as const;

export const SCHOOL_FACTS = {
  realm: SCHOOL_REALM,
  dnsDomain: SCHOOL_DNS,
  baseDn: SCHOOL_BASE_DN,
  ou: SCHOOL_OU,
  roleGroups: SCHOOL_ROLE_GROUPS,
  operators: SCHOOL_OPERATORS,
  password: SCHOOL_PASSWORD,
  staff: staff.map(([u]) => u),
  pupils: pupils.map(([u]) => u),
  /** Every user account the seed adds. */
  people: staff.length + pupils.length + Object.keys(SCHOOL_OPERATORS).length,
} as const;
export type SchoolFacts = typeof SCHOOL_FACTS;

const userDnOf = (cn: string, ou: string) => `CN=${cn},${ou}`;

function user(username: string, given: string, sn: string, ou: string, title: string | null): string {
  return addRecord(userDnOf(username, ou), [
    ['objectClass', 'user'],
    ['sAMAccountName', username],
    ['userPrincipalName', `${username}@${SCHOOL_DNS}`],
    ['givenName', given],
    ['sn', sn],
    ['displayName', `${given} ${sn}`],
    ['mail', `${username}@${SCHOOL_DNS}`],
    ['title', title],
    ['company', 'Skolerne Test'],
    ['userAccountControl', '512'],
    ['unicodePwd', encodeUnicodePwd(SCHOOL_PASSWORD)],
    ['pwdLastSet', '-1'],
  ]);
}

/** The whole school seed, one LDIF for ldbmodify on the stopped, just-provisioned domain. */
export function schoolLdif(): string {
  let out = '';
  for (const [key, dn] of Object.entries(SCHOOL_OU)) out += addRecord(dn, [['objectClass', 'organizationalUnit'], ['description', `Skolerne: ${key}`]]);
  out += user(SCHOOL_OPERATORS.administrator, 'Sofie', 'Skoleadmin', SCHOOL_OU.it, 'IT-administrator');
  out += user(SCHOOL_OPERATORS.helpdesk, 'Henrik', 'Skolehelpdesk', SCHOOL_OU.it, 'Helpdesk');
  for (const [u, g, s, t] of staff) out += user(u, g, s, SCHOOL_OU.medarbejdere, t);
  for (const [u, g, s] of pupils) out += user(u, g, s, SCHOOL_OU.elever, 'Elev');
  const members = { administrator: [SCHOOL_OPERATORS.administrator], helpdesk: [SCHOOL_OPERATORS.helpdesk] };
  for (const [key, name] of Object.entries(SCHOOL_ROLE_GROUPS) as Array<[keyof typeof SCHOOL_ROLE_GROUPS, string]>) {
    out += addRecord(`CN=${name},${SCHOOL_OU.it}`, [
      ['objectClass', 'group'],
      ['sAMAccountName', name],
      ['description', `Lokal IdP Admin (skolerne): ${key}`],
      ['member', members[key].map((m) => userDnOf(m, SCHOOL_OU.it))],
    ]);
  }
  // The school's IT administrator runs the school domain (Domain Admins: AD lets them reset anyone there);
  // the school helpdesk has no delegation, so AD itself refuses them a reset.
  out += modifyRecord(`CN=Domain Admins,CN=Users,${SCHOOL_BASE_DN}`, [{ op: 'add', attr: 'member', values: [userDnOf(SCHOOL_OPERATORS.administrator, SCHOOL_OU.it)] }]);
  return out;
}

export const SCHOOL_PROVISION_ARGS = [
  'domain', 'provision',
  `--realm=${SCHOOL_REALM}`, `--domain=${SCHOOL_NETBIOS}`, '--server-role=dc', '--dns-backend=NONE',
  `--adminpass=${SCHOOL_ADMIN_PASSWORD}`, '--use-rfc2307', '--host-name=dc1',
  '--option=interfaces=lo', '--option=bind interfaces only=yes',
];

/** The cache key of the provisioned, seeded school domain. */
export function schoolKey(): string {
  const h = createHash('sha256');
  h.update(SCHOOL_PROVISION_ARGS.join('\n'));
  h.update(schoolLdif());
  return `school-${SCHOOL_SEED_VERSION}-${h.digest('hex').slice(0, 12)}`;
}
