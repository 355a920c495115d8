// The seeded municipality as LDIF for `ldbmodify` against the stopped DC's sam.ldb. Offline seeding
// adds the whole domain in one transaction in a few seconds (over LDAP it would be ~45 users/s).
//
// Phase 1 creates the role groups; their SIDs (assigned by Samba) are then read back, because the
// delegation ACEs on the OUs of phase 2 name them.
import { escapeDnValue, rdn } from '../../../shared/dn.ts';
import { dateToFileTime, encodeUnicodePwd } from '../../../src-main/connectors/ad/decode.ts';
import { addRecord, modifyRecord, type LdifAttrs } from './ldif.ts';
import { FIRST_NAMES, SURNAMES, asciiFold } from './names.ts';
import { prng } from '../../../src-main/training/prng.ts';
import {
  BASE_DN, BULK_USERS, DNS_DOMAIN, DOMAIN_POLICY, EMPLOYEE_ID_OF_SPECIAL, EXPIRED_AT, GROUPS, NASTY, OPERATOR_USERS,
  OU, PSO, PSO_PUPILS, ROLE_GROUPS, SEED_PASSWORD, SPECIAL, type SpecialUser,
} from './seed-facts.ts';

export type RoleKey = keyof typeof ROLE_GROUPS;
export type RoleSids = Record<RoleKey, string>;

export const GLOBAL_SECURITY_GROUP = '-2147483646';
export const NORMAL = 0x200;
export const DISABLED = 0x2;
export const DONT_EXPIRE = 0x10000;

/** Schema GUIDs used in the delegation ACEs. */
const G = {
  userClass: 'bf967aba-0de6-11d0-a285-00aa003049e2',
  groupClass: 'bf967a9c-0de6-11d0-a285-00aa003049e2',
  resetPassword: '00299570-246d-11d0-a768-00aa006e0529',
  lockoutTime: '28630ebf-41d5-11d1-a9c1-0000f80367c1',
  pwdLastSet: 'bf967a0a-0de6-11d0-a285-00aa003049e2',
  userAccountControl: 'bf967a68-0de6-11d0-a285-00aa003049e2',
  member: 'bf9679c0-0de6-11d0-a285-00aa003049e2',
};

export const groupDn = (name: string, ou: string = OU.grupper) => `${rdn('CN', name)},${ou}`;
export const roleGroupDn = (key: RoleKey) => groupDn(ROLE_GROUPS[key], OU.it);
export const userDn = (u: Pick<SpecialUser, 'cn' | 'ou'>) => `CN=${escapeDnValue(u.cn)},${u.ou}`;

interface SeedUser {
  dn: string;
  username: string;
  attrs: LdifAttrs;
}

export function userAttrs(u: {
  cn: string; username: string; givenName: string; surname: string; displayName?: string; email: string | null;
  employeeId?: string | null; title?: string; department?: string; uac?: number; password?: string | null;
  pwdLastSet?: string; accountExpires?: string; description?: string; lockoutTime?: string; lastLogonTimestamp?: string;
}): LdifAttrs {
  return [
    ['objectClass', 'user'],
    ['sAMAccountName', u.username],
    ['userPrincipalName', `${u.username}@${DNS_DOMAIN}`],
    ['givenName', u.givenName],
    ['sn', u.surname],
    ['displayName', u.displayName ?? u.cn.trim()],
    ['mail', u.email],
    ['employeeID', u.employeeId ?? null],
    ['title', u.title ?? null],
    ['department', u.department ?? null],
    ['company', 'Kommune Test'],
    ['description', u.description ?? null],
    ['userAccountControl', String(u.uac ?? NORMAL)],
    ['unicodePwd', u.password ? encodeUnicodePwd(u.password) : null],
    // -1 = "now"; 0 = must change at next logon
    ['pwdLastSet', u.pwdLastSet ?? '-1'],
    ['accountExpires', u.accountExpires ?? null],
    ['lockoutTime', u.lockoutTime ?? null],
    ['lastLogonTimestamp', u.lastLogonTimestamp ?? null],
  ];
}

const TITLES: Record<keyof typeof BULK_USERS, string[]> = {
  borgerservice: ['Borgerservicemedarbejder', 'Sagsbehandler', 'Teamleder', 'Specialkonsulent'],
  skoler: ['Lærer', 'Pædagog', 'Skoleleder', 'Skolesekretær', 'Viceskoleleder'],
  elever: ['Elev'],
  sundhed: ['Social- og sundhedshjælper', 'Social- og sundhedsassistent', 'Sygeplejerske', 'Ergoterapeut', 'Fysioterapeut'],
  eksterne: ['Ekstern konsulent'],
  fratraadte: ['Tidligere medarbejder'],
};
const DEPARTMENT: Record<keyof typeof BULK_USERS, string> = {
  borgerservice: 'Borgerservice',
  skoler: 'Skoler',
  elever: 'Skoler',
  sundhed: 'Sundhed og Omsorg',
  eksterne: 'Eksterne konsulenter',
  fratraadte: 'Fratrådte',
};

/** The generated bulk of ordinary people, deterministic (same PRNG seed every time). */
export function bulkUsers(): Array<SeedUser & { ouKey: keyof typeof BULK_USERS }> {
  const rnd = prng(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out: Array<SeedUser & { ouKey: keyof typeof BULK_USERS }> = [];
  const cnsPerOu = new Map<string, Set<string>>();
  const mails = new Set<string>();
  let n = 0;
  for (const ouKey of Object.keys(BULK_USERS) as Array<keyof typeof BULK_USERS>) {
    const ou = OU[ouKey];
    const used = cnsPerOu.get(ou) ?? new Set<string>();
    cnsPerOu.set(ou, used);
    for (let i = 0; i < BULK_USERS[ouKey]; i++) {
      n++;
      const given = pick(FIRST_NAMES);
      const surname = pick(SURNAMES);
      const displayName = `${given} ${surname}`;
      const username = `${asciiFold(given).slice(0, 2)}${asciiFold(surname).slice(0, 2)}${String(n).padStart(4, '0')}`.toLowerCase();
      let cn = displayName;
      if (used.has(cn.toLowerCase())) cn = `${displayName} (${username})`;
      used.add(cn.toLowerCase());
      let email: string | null = null;
      const pupil = ouKey === 'elever';
      // Pupils mostly have no mail; so does roughly one consultant in three.
      if (!(pupil && rnd() < 0.6) && !(ouKey === 'eksterne' && rnd() < 0.33)) {
        const local = `${asciiFold(given)}.${asciiFold(surname)}`.toLowerCase();
        email = mails.has(local) ? `${local}${n}@${DNS_DOMAIN}` : `${local}@${DNS_DOMAIN}`;
        mails.add(local);
      }
      const uac = ouKey === 'fratraadte' ? NORMAL | DISABLED : NORMAL;
      out.push({
        ouKey,
        username,
        dn: `${rdn('CN', cn)},${ou}`,
        attrs: userAttrs({
          cn, username, givenName: given, surname, displayName, email,
          employeeId: pupil ? null : String(100000 + n),
          title: pick(TITLES[ouKey]),
          department: DEPARTMENT[ouKey],
          uac,
          accountExpires: ouKey === 'eksterne' ? dateToFileTime(new Date('2030-12-31T23:00:00Z')) : undefined,
        }),
      });
    }
  }
  return out;
}

function specialUser(u: SpecialUser, extra: Partial<Parameters<typeof userAttrs>[0]> = {}): SeedUser {
  return {
    dn: userDn(u),
    username: u.username,
    attrs: userAttrs({
      cn: u.cn, username: u.username, givenName: u.givenName, surname: u.surname, email: u.email,
      password: u.hasPassword ? SEED_PASSWORD : null, ...extra,
    }),
  };
}

export function specialUsers(): SeedUser[] {
  const s = SPECIAL;
  const users: SeedUser[] = [
    ...Object.values(NASTY).map((u) => specialUser(u)),
    specialUser(s.noEmail),
    specialUser(s.disabled, { uac: NORMAL | DISABLED }),
    specialUser(s.locked),
    specialUser(s.expired, { accountExpires: dateToFileTime(new Date(EXPIRED_AT)) }),
    specialUser(s.mustChange, { pwdLastSet: '0' }),
    specialUser(s.neverExpires, { uac: NORMAL | DONT_EXPIRE }),
    specialUser(s.privileged),
    specialUser(s.lockTarget),
    specialUser(s.resetTarget),
    specialUser(s.toggleTarget),
    specialUser(s.pupil, { title: 'Elev', department: 'Skoler' }),
    specialUser(s.wrongPassword),
    specialUser(s.employee, { employeeId: EMPLOYEE_ID_OF_SPECIAL, title: 'Sygeplejerske', department: 'Sundhed og Omsorg' }),
    ...Object.values(OPERATOR_USERS).map((u) => specialUser(u, { title: 'IT-medarbejder', department: 'IT-afdelingen' })),
  ];
  return users;
}

function group(name: string, ou: string, description: string): string {
  return addRecord(groupDn(name, ou), [
    ['objectClass', 'group'],
    ['cn', name],
    ['sAMAccountName', name],
    ['groupType', GLOBAL_SECURITY_GROUP],
    ['description', description],
  ]);
}

export const ou = (dn: string, description: string, sddl?: string) =>
  addRecord(dn, [['objectClass', 'organizationalUnit'], ['description', description], ['nTSecurityDescriptor', sddl ?? null]]);

/** Phase 1: the IT OU and the console's role groups (no members yet). */
export function phase1Ldif(): string {
  let out = ou(OU.it, 'IT-afdelingen: konsollens operatører og rollegrupper');
  const descriptions: Record<RoleKey, string> = {
    administrator: 'Lokal IdP Admin: administratorer',
    useradmin: 'Lokal IdP Admin: brugeradministratorer',
    helpdesk: 'Lokal IdP Admin: helpdesk',
    helpdeskSchools: 'Lokal IdP Admin: helpdesk for skoleområdet',
    auditor: 'Lokal IdP Admin: revisorer (kun læse)',
  };
  for (const key of Object.keys(ROLE_GROUPS) as RoleKey[]) out += group(ROLE_GROUPS[key], OU.it, descriptions[key]);
  return out;
}

/** Delegation ACEs: who may reset, unlock and enable/disable users below an OU. */
function userAces(sids: string[], withUac: boolean): string {
  let s = '';
  for (const sid of sids) {
    s += `(OA;CIIO;CR;${G.resetPassword};${G.userClass};${sid})`;
    s += `(OA;CIIO;RPWP;${G.lockoutTime};${G.userClass};${sid})`;
    s += `(OA;CIIO;RPWP;${G.pwdLastSet};${G.userClass};${sid})`;
    if (withUac) s += `(OA;CIIO;RPWP;${G.userAccountControl};${G.userClass};${sid})`;
  }
  return s;
}

/** A department OU's security descriptor: managers reset/unlock/enable, helpdesk (and school helpdesk) reset/unlock. */
export function departmentOuSddl(roleSids: RoleSids, ouDefaultSddl: string, schools: boolean): string {
  const managers = [roleSids.administrator, roleSids.useradmin];
  return `O:DAG:DA${ouDefaultSddl.replace(/^D:/, 'D:AI')}` +
    userAces(managers, true) +
    userAces(schools ? [roleSids.helpdesk, roleSids.helpdeskSchools] : [roleSids.helpdesk], false);
}

/** Phase 2: OUs with delegation, every user, group memberships, PSOs and the domain policy. */
export function phase2Ldif(roleSids: RoleSids, ouDefaultSddl: string): string {
  const parts: string[] = [];
  const managers = [roleSids.administrator, roleSids.useradmin];
  const ouSddl = (schools: boolean) => departmentOuSddl(roleSids, ouDefaultSddl, schools);

  parts.push(ou(OU.borgerservice, 'Borgerservice', ouSddl(false)));
  parts.push(ou(OU.skoler, 'Skoler og dagtilbud', ouSddl(true)));
  parts.push(ou(OU.elever, 'Elever i folkeskolen')); // inherits Skoler's delegation
  parts.push(ou(OU.sundhed, 'Sundhed og Omsorg', ouSddl(false)));
  parts.push(ou(OU.eksterne, 'Eksterne konsulenter med tidsbegrænset adgang', ouSddl(false)));
  parts.push(ou(OU.fratraadte, 'Fratrådte medarbejdere (deaktiverede konti)', ouSddl(false)));
  const memberAces = managers.map((sid) => `(OA;CIIO;RPWP;${G.member};${G.groupClass};${sid})`).join('');
  parts.push(ou(OU.grupper, 'Grupper', `O:DAG:DA${ouDefaultSddl.replace(/^D:/, 'D:AI')}${memberAces}`));

  const bulk = bulkUsers();
  const specials = specialUsers();
  for (const u of [...bulk, ...specials]) parts.push(addRecord(u.dn, u.attrs));

  const dnOf = (username: string): string => {
    const u = specials.find((x) => x.username === username);
    if (!u) throw new Error(`seed: ukendt bruger ${username}`);
    return u.dn;
  };
  const byOu = (key: keyof typeof BULK_USERS) => bulk.filter((u) => u.ouKey === key).map((u) => u.dn);

  // Groups with members (members exist by now).
  const addGroup = (name: string, description: string, members: string[]) =>
    parts.push(addRecord(groupDn(name), [
      ['objectClass', 'group'], ['cn', name], ['sAMAccountName', name], ['groupType', GLOBAL_SECURITY_GROUP],
      ['description', description], ['member', members],
    ]));
  addGroup(GROUPS.servicedesk, 'Servicedesk-teamet', [dnOf(OPERATOR_USERS.nestedHelpdesk.username)]);
  addGroup(GROUPS.itAll, 'Hele IT-afdelingen', [groupDn(GROUPS.servicedesk)]);
  addGroup(GROUPS.allPupils, 'Alle elever i kommunens skoler', [...byOu('elever'), dnOf(SPECIAL.pupil.username)]);
  addGroup(GROUPS.borgerservice, 'Medarbejdere i Borgerservice', byOu('borgerservice'));
  addGroup(GROUPS.skoler, 'Medarbejdere på skolerne', [...byOu('skoler'), dnOf(SPECIAL.mustChange.username)]);
  addGroup(GROUPS.sundhed, 'Medarbejdere i Sundhed og Omsorg', byOu('sundhed'));
  addGroup(GROUPS.allStaff, 'Alle ansatte (indlejrede afdelingsgrupper)', [
    groupDn(GROUPS.borgerservice), groupDn(GROUPS.skoler), groupDn(GROUPS.sundhed),
  ]);
  addGroup(GROUPS.privileged, 'Konti med skærpet adgangskodepolitik', [dnOf(SPECIAL.privileged.username)]);
  addGroup(GROUPS.projekt, 'Projektgruppe (tom, til medlemskabstests)', []);

  // Role memberships: one operator per role group, plus the nested IT group in LIA-Helpdesk.
  const roleMembers: Record<RoleKey, string[]> = {
    administrator: [dnOf(OPERATOR_USERS.administrator.username)],
    useradmin: [dnOf(OPERATOR_USERS.useradmin.username)],
    helpdesk: [dnOf(OPERATOR_USERS.helpdesk.username), groupDn(GROUPS.itAll)],
    helpdeskSchools: [dnOf(OPERATOR_USERS.helpdeskSchools.username)],
    auditor: [dnOf(OPERATOR_USERS.auditor.username)],
  };
  for (const key of Object.keys(roleMembers) as RoleKey[]) {
    parts.push(modifyRecord(roleGroupDn(key), [{ op: 'add', attr: 'member', values: roleMembers[key] }]));
  }

  // The Password Settings Container: administrators manage PSOs, the other roles may read them.
  const psc = `CN=Password Settings Container,CN=System,${BASE_DN}`;
  const full = 'RPWPCRCCDCLCLORCWOWDSDDTSW';
  const readers = [roleSids.useradmin, roleSids.helpdesk, roleSids.helpdeskSchools, roleSids.auditor];
  const pscSddl = `O:DAG:DAD:AI(A;;${full};;;DA)(A;;${full};;;SY)(A;CI;${full};;;${roleSids.administrator})` +
    readers.map((sid) => `(A;CI;RPLCLORC;;;${sid})`).join('');
  parts.push(modifyRecord(psc, [{ op: 'replace', attr: 'nTSecurityDescriptor', values: [pscSddl] }]));

  const minutes = (m: number) => String(-BigInt(m) * 600000000n);
  const pso = (name: string, precedence: number, minLength: number, complexity: boolean, history: number, threshold: number, appliesTo: string) =>
    addRecord(`CN=${escapeDnValue(name)},${psc}`, [
      ['objectClass', 'msDS-PasswordSettings'],
      ['msDS-PasswordSettingsPrecedence', String(precedence)],
      ['msDS-PasswordReversibleEncryptionEnabled', 'FALSE'],
      ['msDS-PasswordHistoryLength', String(history)],
      ['msDS-PasswordComplexityEnabled', complexity ? 'TRUE' : 'FALSE'],
      ['msDS-MinimumPasswordLength', String(minLength)],
      ['msDS-MinimumPasswordAge', '0'],
      ['msDS-MaximumPasswordAge', minutes(90 * 24 * 60)],
      ['msDS-LockoutThreshold', String(threshold)],
      ['msDS-LockoutObservationWindow', minutes(60)],
      ['msDS-LockoutDuration', minutes(60)],
      ['msDS-PSOAppliesTo', appliesTo],
    ]);
  parts.push(pso(PSO.name, PSO.precedence, PSO.minLength, true, PSO.historyLength, PSO.lockoutThreshold, groupDn(GROUPS.privileged)));
  parts.push(pso(PSO_PUPILS.name, PSO_PUPILS.precedence, PSO_PUPILS.minLength, false, 5, 10, groupDn(GROUPS.allPupils)));

  parts.push(modifyRecord(BASE_DN, [
    { op: 'replace', attr: 'lockoutThreshold', values: [String(DOMAIN_POLICY.lockoutThreshold)] },
    { op: 'replace', attr: 'lockoutDuration', values: [minutes(DOMAIN_POLICY.lockoutDurationMinutes)] },
    { op: 'replace', attr: 'lockOutObservationWindow', values: [minutes(DOMAIN_POLICY.lockoutDurationMinutes)] },
    { op: 'replace', attr: 'minPwdLength', values: [String(DOMAIN_POLICY.minLength)] },
    { op: 'replace', attr: 'pwdHistoryLength', values: [String(DOMAIN_POLICY.historyLength)] },
    // Passwords never age out: the cached seed may be months old when a test binds with it.
    { op: 'replace', attr: 'maxPwdAge', values: ['-9223372036854775808'] },
  ]));
  return parts.join('');
}
