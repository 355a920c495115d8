import { rdn } from '../../shared/dn.ts';
import { givenNames, surnames, titles } from './names.ts';
import { prng } from './prng.ts';

/** A person of the fictitious municipality, in the directory's own terms. */
export interface TrainingAccount {
  guid: string;
  username: string;
  givenName: string;
  surname: string;
  displayName: string;
  email: string | null;
  employeeId: string | null;
  ouPath: string[];
  title: string;
  enabled: boolean;
  locked: boolean;
  mustChangePassword: boolean;
  passwordNeverExpires: boolean;
  passwordLastSet: string | null;
  accountExpires: string | null;
  lastLogon: string | null;
  groups: string[];
  /** Only the ready-made operators have a known password. */
  password?: string;
  /** A new hire: active, with e-mail, but no MitID Erhverv identity yet — so a create can be shown in training. */
  newHire?: boolean;
}

/** A small, stable hash of a string (no randomness consumed: the rest of the municipality stays as it was). */
function hashOf(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** OUs whose people never have a business identity in MitID Erhverv (pupils, departed staff). */
const noIdentityOus = ['Elever', 'Fratrådte'];

/**
 * Whether the training MitID Erhverv simulator starts with an identity for this account: staff do, except
 * the new hires (and anyone without e-mail, which MitID Erhverv requires); pupils and departed staff don't.
 */
export function trainingHasMitIdIdentity(a: TrainingAccount): boolean {
  return !a.newHire && !!a.email && !a.ouPath.some((ou) => noIdentityOus.includes(ou));
}

export const TRAINING_DOMAIN = 'fjordby.kommune.test';
export const TRAINING_BASE_DN = 'DC=fjordby,DC=kommune,DC=test';
/** The group the training municipality keeps its signers in (upgrading for signing adds the person). */
export const TRAINING_SIGNING_GROUP = `CN=MitID Erhverv signatur,OU=Grupper,${TRAINING_BASE_DN}`;
export const TRAINING_MUNICIPALITY = 'Fjordby Kommune';
export const TRAINING_PASSWORD = 'Traening-2026';


function guidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const fold = (s: string) =>
  s.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'oe').replace(/å/g, 'aa').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z]/g, '');

/** OUs with how many people each gets in the default municipality (2,400 people in all). */
const ouPlan: Array<{ path: string[]; count: number; email: boolean }> = [
  { path: ['Borgerservice'], count: 320, email: true },
  { path: ['Sundhed og Omsorg'], count: 620, email: true },
  { path: ['Teknik og Miljø'], count: 260, email: true },
  { path: ['Skoler', 'Medarbejdere'], count: 380, email: true },
  { path: ['Skoler', 'Elever'], count: 560, email: false },
  { path: ['Eksterne konsulenter'], count: 120, email: true },
  { path: ['Fratrådte'], count: 140, email: true },
];

export interface TrainingOperator {
  username: string;
  role: string;
  groups: string[];
}

/** Ready-made operators, one per role, shown on the sign-in screen of the training environment. */
export const trainingOperators: TrainingOperator[] = [
  { username: 'admin', role: 'Administrator', groups: ['LIA-Administratorer'] },
  { username: 'brugeradmin', role: 'Brugeradministrator', groups: ['LIA-Brugeradministratorer'] },
  { username: 'helpdesk', role: 'Helpdesk', groups: ['LIA-Helpdesk'] },
  { username: 'helpdesk.skole', role: 'Helpdesk (kun Skoler)', groups: ['LIA-Helpdesk-Skoler'] },
  { username: 'revisor', role: 'Revisor', groups: ['LIA-Revisorer'] },
];

export const DEFAULT_TRAINING_PEOPLE = ouPlan.reduce((n, p) => n + p.count, 0);

/** What one training domain's people are made from: its OUs, ready-made operators and mail domain. */
interface AccountPlan {
  ous: ReadonlyArray<{ path: string[]; count: number; email: boolean }>;
  operators: readonly TrainingOperator[];
  mailDomain: string;
  /** The first employee number handed out. */
  firstEmployeeNo: number;
}

/**
 * The fictitious municipality, deterministic for a given seed. `people` scales every OU in proportion,
 * so the same generator gives the 2,400-person training town and a 100,000-person benchmark city.
 */
export function generateTrainingAccounts(seed = 20261123, people = DEFAULT_TRAINING_PEOPLE): TrainingAccount[] {
  return generateAccounts(seed, people / DEFAULT_TRAINING_PEOPLE, { ous: ouPlan, operators: trainingOperators, mailDomain: 'fjordby.dk', firstEmployeeNo: 10_000 });
}

function generateAccounts(seed: number, scale: number, plan: AccountPlan): TrainingAccount[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const now = Date.UTC(2026, 10, 1);
  const day = 86_400_000;
  const taken = new Set<string>();
  const accounts: TrainingAccount[] = [];
  let employeeNo = plan.firstEmployeeNo;

  for (const ou of plan.ous) {
    const count = Math.round(ou.count * scale);
    for (let i = 0; i < count; i++) {
      const givenName = rand() < 0.15 ? `${pick(givenNames)} ${pick(givenNames)}` : pick(givenNames);
      const surname = rand() < 0.2 ? `${pick(surnames)} ${pick(surnames)}` : pick(surnames);
      const first = givenName.split(' ')[0] ?? givenName;
      const last = surname.split(' ').at(-1) ?? surname;
      let base = (fold(first).slice(0, 3) + fold(last).slice(0, 3)) || 'bruger';
      if (ou.path.includes('Elever')) base = 'elev' + base;
      let username = base;
      for (let n = 2; taken.has(username); n++) username = `${base}${n}`;
      taken.add(username);
      const leaf = ou.path.at(-1) ?? '';
      const departed = leaf === 'Fratrådte';
      const r = rand();
      accounts.push({
        guid: guidFrom(rand),
        username,
        givenName,
        surname,
        displayName: `${givenName} ${surname}`,
        email: ou.email && rand() > 0.03 ? `${username}@${plan.mailDomain}` : null,
        employeeId: ou.path.includes('Elever') ? null : String(employeeNo++),
        ouPath: ou.path,
        title: pick(titles[leaf] ?? ['Medarbejder']),
        enabled: !departed && r > 0.02,
        locked: !departed && r > 0.02 && r < 0.06,
        mustChangePassword: rand() < 0.03,
        passwordNeverExpires: leaf === 'Eksterne konsulenter' && rand() < 0.2,
        passwordLastSet: new Date(now - Math.floor(rand() * 500) * day).toISOString(),
        accountExpires: leaf === 'Eksterne konsulenter' ? new Date(now + Math.floor(rand() * 400 - 60) * day).toISOString() : null,
        lastLogon: departed ? null : new Date(now - Math.floor(rand() * 30) * day).toISOString(),
        groups: ou.path.includes('Elever') ? ['Elever'] : ['Alle medarbejdere'],
      });
    }
  }

  // About one in 40 active staff with e-mail is a new hire without an identity yet: "Tildel lokalt
  // loginmiddel" then creates one (a single person or a bulk job), which training must be able to show.
  for (const a of accounts) {
    if (a.enabled && a.email && !a.ouPath.some((ou) => noIdentityOus.includes(ou)) && hashOf(a.username) % 40 === 7) a.newHire = true;
  }

  for (const op of plan.operators) {
    accounts.push({
      guid: guidFrom(rand),
      username: op.username,
      givenName: op.role,
      surname: '(træning)',
      displayName: `${op.role} (træning)`,
      email: `${op.username}@${plan.mailDomain}`,
      employeeId: null,
      ouPath: ['IT'],
      title: 'IT-supporter',
      enabled: true,
      locked: false,
      mustChangePassword: false,
      passwordNeverExpires: false,
      passwordLastSet: new Date(now - 10 * day).toISOString(),
      accountExpires: null,
      lastLogon: new Date(now).toISOString(),
      groups: ['Alle medarbejdere', ...op.groups],
      password: TRAINING_PASSWORD,
    });
  }
  return accounts;
}

// ---------------------------------------------------------------- the schools' own domain (#19)
// A separate forest beside the municipality's, as many municipalities run one for their schools: school
// staff and pupils, its own role groups and operators (who sign in as name@skoler.fjordby.dk), its own
// IdP domain. Made by its own seed, so the municipality above stays exactly as it was.

export const SCHOOL_DOMAIN_ID = 'skolerne';
export const SCHOOL_DOMAIN_NAME = 'Fjordby Skoler';
export const SCHOOL_BASE_DN = 'DC=skoler,DC=fjordby,DC=test';
/** What a school operator types after their name, and the school staff's e-mail and link-rule suffix. */
export const SCHOOL_UPN_SUFFIX = 'skoler.fjordby.dk';
export const SCHOOL_SIGNING_GROUP = `CN=MitID Erhverv signatur,OU=Grupper,${SCHOOL_BASE_DN}`;

const schoolPlan: AccountPlan['ous'] = [
  { path: ['Medarbejdere'], count: 110, email: true },
  { path: ['Elever'], count: 230, email: false },
  { path: ['Fratrådte'], count: 12, email: true },
];

/** The schools' ready-made operators: their own helpdesk and administrator (and user administrator). */
export const schoolOperators: TrainingOperator[] = [
  { username: 'skoleadmin', role: 'Skolernes administrator', groups: ['Skole-IT-Administratorer'] },
  { username: 'skolebrugeradmin', role: 'Skolernes brugeradministrator', groups: ['Skole-IT-Brugeradministratorer'] },
  { username: 'skolehelpdesk', role: 'Skolernes helpdesk', groups: ['Skole-IT-Helpdesk'] },
];

/** The schools' domain: a few hundred staff and pupils, deterministic, independent of the municipality. */
export function generateSchoolAccounts(seed = 20261207): TrainingAccount[] {
  return generateAccounts(seed, 1, { ous: schoolPlan, operators: schoolOperators, mailDomain: SCHOOL_UPN_SUFFIX, firstEmployeeNo: 70_000 });
}

/** Whether a school account starts with a MitID Erhverv identity: about two in three staff; pupils never. */
export function schoolHasMitIdIdentity(a: TrainingAccount): boolean {
  return trainingHasMitIdIdentity(a) && hashOf(`skole:${a.username}`) % 3 !== 0;
}

export function ouDn(path: readonly string[], baseDn = TRAINING_BASE_DN): string {
  return [...path].reverse().map((p) => `OU=${p}`).join(',') + ',' + baseDn;
}

/** A training account's DN, as the training directory names it (default: in the municipality's domain). */
export function trainingAccountDn(a: Pick<TrainingAccount, 'displayName' | 'ouPath'>, baseDn = TRAINING_BASE_DN): string {
  return `${rdn('CN', a.displayName)},${ouDn(a.ouPath, baseDn)}`;
}
