// The facts about the seeded test domain that tests rely on. Everything here is deterministic: the
// seed is generated from these constants, so a test can name an account without searching for it.

/** Bump when the seed's shape changes on purpose (the cache key also hashes the generated LDIF). */
export const SEED_VERSION = 'v1';

export const REALM = 'KOMMUNE.TEST';
export const NETBIOS_DOMAIN = 'KOMMUNE';
export const DNS_DOMAIN = 'kommune.test';
/** Samba spells the naming context in lower case. */
export const BASE_DN = 'DC=kommune,DC=test';
export const ADMIN_PASSWORD = 'Adm1n-Samba-Test-2026!';
export const ADMIN_UPN = `Administrator@${DNS_DOMAIN}`;

/** Password of every seeded account that has one (long enough for the privileged PSO, complex). */
export const SEED_PASSWORD = 'Velkommen-Kommune-2026!';

export const OU = {
  borgerservice: `OU=Borgerservice,${BASE_DN}`,
  skoler: `OU=Skoler,${BASE_DN}`,
  elever: `OU=Elever,OU=Skoler,${BASE_DN}`,
  sundhed: `OU=Sundhed og Omsorg,${BASE_DN}`,
  eksterne: `OU=Eksterne konsulenter,${BASE_DN}`,
  fratraadte: `OU=Fratrådte,${BASE_DN}`,
  it: `OU=IT-afdelingen,${BASE_DN}`,
  grupper: `OU=Grupper,${BASE_DN}`,
} as const;

/** How many bulk (generated) users each OU gets; special accounts come on top. */
export const BULK_USERS = {
  borgerservice: 420,
  skoler: 480,
  elever: 1700,
  sundhed: 520,
  eksterne: 60,
  fratraadte: 40,
} as const;
export const BULK_USER_COUNT = Object.values(BULK_USERS).reduce((a, b) => a + b, 0);

/** The console's role groups and one operator per group (password = SEED_PASSWORD). */
export const ROLE_GROUPS = {
  administrator: 'LIA-Administratorer',
  useradmin: 'LIA-Brugeradministratorer',
  helpdesk: 'LIA-Helpdesk',
  helpdeskSchools: 'LIA-Helpdesk-Skoler',
  auditor: 'LIA-Revisorer',
} as const;

export const OPERATORS = {
  administrator: 'op.admin',
  useradmin: 'op.brugeradmin',
  helpdesk: 'op.helpdesk',
  helpdeskSchools: 'op.skolehelpdesk',
  auditor: 'op.revisor',
  /** Only in IT-Servicedesk, which is nested in LIA-Helpdesk: a role through nesting alone. */
  nestedHelpdesk: 'op.servicedesk',
} as const;

export const GROUPS = {
  /** Nested in IT-afdelingen alle, which is nested in LIA-Helpdesk; op.servicedesk is its only member. */
  servicedesk: 'IT-Servicedesk',
  itAll: 'IT-afdelingen alle',
  /** Every pupil: well over 1,500 members, so reading `member` needs ranged retrieval. */
  allPupils: 'Alle elever',
  /** Contains the three department groups below (nesting two levels deep with Alle ansatte). */
  allStaff: 'Alle ansatte',
  borgerservice: 'Borgerservice-medarbejdere',
  skoler: 'Skole-medarbejdere',
  sundhed: 'Sundhed og Omsorg-medarbejdere',
  /** The fine-grained password policy PSO_PRIVILEGED applies to this group. */
  privileged: 'Privilegerede konti',
  /** Empty group for add/remove membership tests. */
  projekt: 'Projekt Velfærdsteknologi',
} as const;
/** The bulk pupils plus the special pupil (elev.test). */
export const ALL_PUPILS_COUNT = BULK_USERS.elever + 1;

export const PSO = {
  name: 'PSO-Privilegerede',
  dn: `CN=PSO-Privilegerede,CN=Password Settings Container,CN=System,${BASE_DN}`,
  precedence: 10,
  minLength: 15,
  historyLength: 24,
  lockoutThreshold: 3,
} as const;
export const PSO_PUPILS = {
  name: 'PSO-Elever',
  precedence: 20,
  minLength: 8,
} as const;

/** Domain-wide policy the harness sets (Samba's defaults plus a lockout threshold). */
export const DOMAIN_POLICY = {
  minLength: 7,
  historyLength: 24,
  lockoutThreshold: 5,
  lockoutDurationMinutes: 30,
} as const;

/** A person the seed creates on purpose; `cn` is the raw (unescaped) RDN value. */
export interface SpecialUser {
  username: string;
  cn: string;
  ou: string;
  givenName: string;
  surname: string;
  email: string | null;
  hasPassword: boolean;
}

const special = (username: string, cn: string, ou: string, email: string | null = `${username}@${DNS_DOMAIN}`, hasPassword = true): SpecialUser => {
  const [givenName = cn, ...rest] = cn.trim().split(/\s+/);
  return { username, cn, ou, givenName, surname: rest.join(' ') || cn, email, hasPassword };
};

/** Users whose RDN needs RFC 4514 escaping. Key = what is special about it. */
export const NASTY = {
  comma: special('nasty.komma', 'Hansen, Jens Peter', OU.borgerservice),
  plus: special('nasty.plus', 'Mette+Ole Nielsen', OU.borgerservice),
  hash: special('nasty.hash', '#1 Hotline Søren', OU.borgerservice),
  quote: special('nasty.citat', 'Ib "Bamse" Larsen', OU.borgerservice),
  backslash: special('nasty.backslash', 'KOMMUNE\\Bent Ærø', OU.borgerservice),
  leadingSpace: special('nasty.foran', ' Ulla Mellemrum', OU.borgerservice),
  trailingSpace: special('nasty.bagved', 'Åge Mellemrum ', OU.borgerservice),
  star: special('nasty.stjerne', 'Stjerne*Hansen', OU.borgerservice),
  parens: special('nasty.parentes', 'Karen (Vikar) Møller', OU.borgerservice),
  mixed: special('nasty.blandet', 'Lig=Med <Test>; Jørgen', OU.sundhed),
  /** Its name *is* an injection attempt: searching for it must find exactly this one person. */
  injection: special('nasty.injektion', 'Test *)(objectClass=*', OU.sundhed),
} as const;

/** Accounts in particular states (the flag decoders are tested against these). */
export const SPECIAL = {
  noEmail: special('uden.mail', 'Gitte Udenmail', OU.borgerservice, null),
  disabled: special('deaktiveret.bruger', 'Dorte Deaktiveret', OU.fratraadte),
  /** Locked by the harness at start-up with wrong binds (the domain threshold). */
  locked: special('laast.bruger', 'Lars Låst', OU.sundhed),
  /** accountExpires in the past (EXPIRED_AT). */
  expired: special('udloebet.konto', 'Erik Udløbet', OU.eksterne),
  /** pwdLastSet = 0. */
  mustChange: special('skal.skifte', 'Susanne Skalskifte', OU.skoler),
  /** userAccountControl has DONT_EXPIRE_PASSWORD. */
  neverExpires: special('aldrig.udloeb', 'Anders Aldrigudløb', OU.it),
  /** Member of Privilegerede konti, so PSO-Privilegerede (min. 15 characters) governs it. */
  privileged: special('pso.bruger', 'Pia Privilegeret', OU.borgerservice),
  /** Free for tests that lock and unlock. */
  lockTarget: special('laas.test', 'Lone Låsetest', OU.borgerservice),
  /** Free for tests that reset the password. */
  resetTarget: special('nulstil.test', 'Niels Nulstil', OU.borgerservice),
  /** Free for tests that disable/enable and change group membership. */
  toggleTarget: special('skift.test', 'Sofie Skiftetest', OU.borgerservice),
  /** A pupil with a password, for scoped-helpdesk tests. */
  pupil: special('elev.test', 'Emil Elevtest', OU.elever, null),
  /** For the wrong-password test (kept apart so the lockout counter never bites an operator). */
  wrongPassword: special('forkert.kode', 'Frida Forkertkode', OU.sundhed),
  /** Unique employee number for the search-ranking tests. */
  employee: special('medarb.nummer', 'Mads Medarbejdernummer', OU.sundhed),
} as const;
export const EMPLOYEE_ID_OF_SPECIAL = '990001';
export const EXPIRED_AT = '2024-06-30T22:00:00.000Z';

export const OPERATOR_USERS = Object.fromEntries(
  Object.entries(OPERATORS).map(([k, username]) => [k, special(username, `Operatør ${username.slice(3)}`, OU.it)]),
) as Record<keyof typeof OPERATORS, SpecialUser>;

/** Everything a test file needs, in one serialisable object (also handed out via `inject('samba')`). */
export const seedFacts = {
  seedVersion: SEED_VERSION,
  realm: REALM,
  netbiosDomain: NETBIOS_DOMAIN,
  dnsDomain: DNS_DOMAIN,
  baseDn: BASE_DN,
  password: SEED_PASSWORD,
  ou: OU,
  bulkUserCount: BULK_USER_COUNT,
  roleGroups: ROLE_GROUPS,
  operators: OPERATORS,
  groups: GROUPS,
  allPupilsCount: ALL_PUPILS_COUNT,
  pso: PSO,
  domainPolicy: DOMAIN_POLICY,
  nasty: NASTY,
  special: SPECIAL,
  employeeIdOfSpecial: EMPLOYEE_ID_OF_SPECIAL,
  expiredAt: EXPIRED_AT,
};
export type SeedFacts = typeof seedFacts;
