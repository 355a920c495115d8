// The scaled test domain for benchmarks: the normal seed plus the AD part of the training
// municipality (src-main/training/seed.ts, the generator behind the 100,000-person benchmarks), so
// the domain holds `people` persons in all. Added offline like the seed, in chunks (see dc.ts).
import { rdn } from '../../../shared/dn.ts';
import { dateToFileTime } from '../../../src-main/connectors/ad/decode.ts';
import { generateTrainingAccounts, type TrainingAccount } from '../../../src-main/training/seed.ts';
import { addRecord } from './ldif.ts';
import {
  DISABLED, DONT_EXPIRE, GLOBAL_SECURITY_GROUP, NORMAL, bulkUsers, departmentOuSddl, groupDn, ou, specialUsers, userAttrs,
  type RoleSids,
} from './seed.ts';
import { BASE_DN, BULK_USER_COUNT, DNS_DOMAIN, OU } from './seed-facts.ts';

export const DEFAULT_SCALE_PEOPLE = 100_000;

/** People in the normal seeded domain: the seed's users plus Administrator, Guest, krbtgt and dns-dc1. */
export const NORMAL_PEOPLE = BULK_USER_COUNT + specialUsers().length + 4;

const SCALE_SEED = 20261124;

/**
 * lockoutTime of a "locked" person: far ahead, so the person reads as locked however old the cached
 * domain is (a real lockout ends after the domain's 30-minute lockoutDuration).
 */
const LOCKED_UNTIL = dateToFileTime(new Date('2100-01-01T00:00:00Z'));

/** The training municipality's groups, so the seed's groups (and their counts in seed-facts) stay as they are. */
export const SCALE_GROUPS = { staff: 'Alle medarbejdere', pupils: 'Elever' } as const;

/**
 * People per team group. The two municipality-wide groups hold teams, not people, as AD is usually
 * organised; it also matters to Samba, which reads a person's groups record by record to compute
 * msDS-User-Account-Control-Computed: with flat 70,000-member groups every person read cost ~3 ms
 * (six minutes per full load of 100,000 people).
 */
const TEAM_SIZE = 500;

/** The training municipality's OU paths on the test domain; two OUs are new. */
const NEW_OUS = {
  teknik: `OU=Teknik og Miljø,${BASE_DN}`,
  skoleansatte: `OU=Medarbejdere,${OU.skoler}`,
} as const;
const OU_OF: Record<string, string> = {
  Borgerservice: OU.borgerservice,
  'Sundhed og Omsorg': OU.sundhed,
  'Teknik og Miljø': NEW_OUS.teknik,
  'Skoler/Medarbejdere': NEW_OUS.skoleansatte,
  'Skoler/Elever': OU.elever,
  'Eksterne konsulenter': OU.eksterne,
  Fratrådte: OU.fratraadte,
};
const DEPARTMENT: Record<string, string> = {
  Borgerservice: 'Borgerservice',
  'Sundhed og Omsorg': 'Sundhed og Omsorg',
  'Teknik og Miljø': 'Teknik og Miljø',
  Skoler: 'Skoler',
  'Eksterne konsulenter': 'Eksterne konsulenter',
  Fratrådte: 'Fratrådte',
};

export interface ScaleUser {
  dn: string;
  /** Who the record is, as the benchmarks seed the other systems (MitID Erhverv, the IdP) with them. */
  person: { username: string; givenName: string; surname: string; displayName: string; email: string | null };
  /** The department (or "Elever") whose team groups the person joins; null for former staff. */
  team: string | null;
  ldif: string;
}

const fileTime = (iso: string | null) => (iso ? dateToFileTime(new Date(iso)) : undefined);

/** How many people the scaled domain adds to the normal seed. */
export function scaleExtra(people: number): number {
  if (!Number.isInteger(people) || people < NORMAL_PEOPLE) {
    throw new Error(`Et skaleret testdomæne skal have mindst ${NORMAL_PEOPLE} personer (fik ${people}).`);
  }
  return people - NORMAL_PEOPLE;
}

/** The extra people as LDIF add records, deterministic for a given `people`. */
export function scaleUsers(people: number): ScaleUser[] {
  const extra = scaleExtra(people);
  // A few more than needed, cut to the exact count: the generator rounds each OU's share.
  const accounts = generateTrainingAccounts(SCALE_SEED, extra + 10).filter((a) => a.password === undefined).slice(0, extra);
  // Names the seed already uses: a person's RDN must be unique in its OU, sAMAccountName in the domain.
  const seed = [...bulkUsers(), ...specialUsers()];
  const dns = new Set(seed.map((u) => u.dn.toLowerCase()));
  const usernames = new Set(seed.map((u) => u.username.toLowerCase()));
  return accounts.map((a) => scaleUser(a, dns, usernames));
}

function scaleUser(a: TrainingAccount, dns: Set<string>, usernames: Set<string>): ScaleUser {
  const path = a.ouPath.join('/');
  const parent = OU_OF[path];
  if (!parent) throw new Error(`scale: ukendt OU ${path}`);
  let username = a.username;
  while (usernames.has(username.toLowerCase())) username += 'x';
  usernames.add(username.toLowerCase());
  let cn = a.displayName;
  let dn = `${rdn('CN', cn)},${parent}`;
  if (dns.has(dn.toLowerCase())) {
    cn = `${a.displayName} (${username})`;
    dn = `${rdn('CN', cn)},${parent}`;
  }
  dns.add(dn.toLowerCase());
  const department = DEPARTMENT[a.ouPath[0] ?? ''] ?? a.ouPath[0] ?? '';
  const pupil = path === 'Skoler/Elever';
  const external = path === 'Eksterne konsulenter';
  let uac = NORMAL;
  if (!a.enabled) uac |= DISABLED;
  if (a.passwordNeverExpires) uac |= DONT_EXPIRE;
  const attrs = userAttrs({
    cn,
    username,
    givenName: a.givenName,
    surname: a.surname,
    displayName: a.displayName,
    email: a.email ? `${username}@${DNS_DOMAIN}` : null, // as `person` below
    // Consultants carry their firm's number in employeeNumber, which the console falls back to.
    employeeId: external ? null : a.employeeId,
    title: a.title,
    department,
    uac,
    pwdLastSet: a.mustChangePassword ? '0' : fileTime(a.passwordLastSet),
    accountExpires: fileTime(a.accountExpires),
    lockoutTime: a.locked ? LOCKED_UNTIL : undefined,
    lastLogonTimestamp: fileTime(a.lastLogon),
  });
  if (external && a.employeeId) attrs.push(['employeeNumber', `K-${a.employeeId}`]);
  const team = pupil ? SCALE_GROUPS.pupils : department === 'Fratrådte' ? null : department;
  const email = a.email ? `${username}@${DNS_DOMAIN}` : null;
  return { dn, team, ldif: addRecord(dn, attrs), person: { username, givenName: a.givenName, surname: a.surname, displayName: a.displayName, email } };
}

/** The two new OUs (before the users) with the same delegation as the seed's department OUs. */
export function scaleOusLdif(roleSids: RoleSids, ouDefaultSddl: string): string {
  return ou(NEW_OUS.teknik, 'Teknik og Miljø', departmentOuSddl(roleSids, ouDefaultSddl, false)) +
    ou(NEW_OUS.skoleansatte, 'Medarbejdere på kommunens skoler'); // inherits Skoler's delegation
}

const group = (name: string, description: string, members: string[]) =>
  addRecord(groupDn(name), [
    ['objectClass', 'group'], ['cn', name], ['sAMAccountName', name], ['groupType', GLOBAL_SECURITY_GROUP],
    ['description', description], ['member', members],
  ]);

/** Team groups of at most `teamSize` people, nested in the two municipality-wide groups (after the users). */
export function scaleGroupsLdif(users: ScaleUser[], teamSize = TEAM_SIZE): string[] {
  const byTeam = new Map<string, string[]>();
  for (const u of users) {
    if (!u.team) continue;
    const dns = byTeam.get(u.team) ?? [];
    dns.push(u.dn);
    byTeam.set(u.team, dns);
  }
  const out: string[] = [];
  const nested = { staff: [] as string[], pupils: [] as string[] };
  for (const [team, dns] of byTeam) {
    const pupils = team === SCALE_GROUPS.pupils;
    for (let i = 0, k = 1; i < dns.length; i += teamSize, k++) {
      const name = pupils ? `Elever hold ${k}` : `${team} team ${k}`;
      out.push(group(name, pupils ? `Elevhold ${k}` : `${team}, team ${k}`, dns.slice(i, i + teamSize)));
      nested[pupils ? 'pupils' : 'staff'].push(groupDn(name));
    }
  }
  out.push(group(SCALE_GROUPS.staff, 'Alle medarbejdere (skaleret testdomæne): afdelingernes teams', nested.staff));
  out.push(group(SCALE_GROUPS.pupils, 'Alle elever (skaleret testdomæne): elevholdene', nested.pupils));
  return out;
}
