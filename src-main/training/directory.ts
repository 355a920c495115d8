import { keyedError, type ConsoleError } from '../../shared/errors.ts';
import type { Person, PersonSummary } from '../../shared/domain/person.ts';
import { inScope } from '../../shared/roles.ts';
import { foldText, rankPeople } from '../../shared/search.ts';
import { adComplexityProblems } from '../../shared/domain/policies.ts';
import type { OperatorDomain } from '../../shared/roles.ts';
import type { DirectoryGroup, DirectoryPort, DirectorySession, MirroredPolicySettings, MirroredPolicySpec, PasswordPolicy, PeopleQuery } from '../connectors/directory-port.ts';
import { generateTrainingAccounts, ouDn, TRAINING_BASE_DN, type TrainingAccount } from './seed.ts';
import { groupNameOf, rdn } from '../../shared/dn.ts';



/** A training domain's default policy, as AD would report it. */
const domainPolicyOf = (baseDn: string): PasswordPolicy => ({
  source: 'domain',
  name: 'Domænets standardpolitik',
  dn: baseDn,
  readable: true,
  minLength: 12,
  historyLength: 24,
  complexity: true,
  maxAgeDays: 365,
  minAgeDays: 0,
  lockoutThreshold: 5,
  lockoutDurationMinutes: 5,
  lockoutWindowMinutes: 5,
});
/** Every training domain's policy asks for the same length (AD's own refusal, below). */
const domainMinLength = domainPolicyOf(TRAINING_BASE_DN).minLength ?? 0;

/** What AD itself would refuse under the domain policy (length and complexity), in AD's terms. */
/** The refusal a DC would give (the same keys as the AD connector's, connectors/ad/errors.ts), or null. */
function domainPolicyProblem(pw: string, account: TrainingAccount): ConsoleError | null {
  const min = domainMinLength;
  if (pw.length < min) return keyedError('refused', 'adPasswordTooShortMin', `Active Directory afviste adgangskoden: den er for kort. Den skal være mindst ${min} tegn.`, { min }, { reason: 'too-short', minLength: min });
  const failed = adComplexityProblems(pw, { username: account.username, displayName: account.displayName });
  if (failed.includes('NOT_COMPLEX') || failed.includes('CONTAINS_NAME')) {
    return keyedError('refused', 'adPasswordComplexity', 'Active Directory afviste adgangskoden: den opfylder ikke kravene til kompleksitet (store og små bogstaver, tal og tegn, og ikke brugerens navn).', undefined, { reason: 'complexity' });
  }
  return null;
}


interface Entry {
  account: TrainingAccount;
  dn: string;
  foldedUsername: string;
}

function groupFor(name: string, baseDn: string): DirectoryGroup {
  // A stable fake SID per group name, so role mapping by SID can be practised too.
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return { name, sid: `S-1-5-21-3623811015-3361044348-30300820-${1000 + (h % 100000)}`, dn: `${rdn('CN', name)},OU=Grupper,${baseDn}` };
}

/** Which domain a training directory is (default: the municipality's, as one domain is all there is). */
export interface TrainingDirectoryDomain {
  baseDn: string;
  /** What each session carries as its domain (#19); absent: nothing to confine to. */
  domain?: OperatorDomain;
}

/**
 * The training environment's directory: the same port as the AD adapter, kept in memory and seeded
 * with one fictitious domain's people. Changes last until the console stops.
 */
export function createTrainingDirectory(
  accounts: TrainingAccount[] = generateTrainingAccounts(),
  seedPsos: readonly MirroredPolicySpec[] = [],
  where: TrainingDirectoryDomain = { baseDn: TRAINING_BASE_DN },
): DirectoryPort & {
  accounts: TrainingAccount[];
} {
  const { baseDn } = where;
  const trainingDomainPolicy = domainPolicyOf(baseDn);
  const entries = accounts.map<Entry>((a) => ({
    account: a,
    dn: `${rdn('CN', a.displayName)},${ouDn(a.ouPath, baseDn)}`,
    foldedUsername: foldText(a.username),
  }));
  const byGuid = new Map(entries.map((e) => [e.account.guid, e]));
  // Mirrored password policies (PSOs) by IdP domain, shared by every operator's session as AD's would be.
  const psos = new Map<string, { settings: MirroredPolicySettings; appliesTo: string[] }>();
  for (const p of seedPsos) psos.set(p.domain, { settings: { ...p.settings }, appliesTo: [...p.appliesTo] });
  const byUsername = new Map(entries.map((e) => [e.foldedUsername, e]));

  const summary = (e: Entry): PersonSummary => ({
    id: e.account.guid,
    dn: e.dn,
    username: e.account.username,
    displayName: e.account.displayName,
    givenName: e.account.givenName,
    surname: e.account.surname,
    email: e.account.email,
    employeeId: e.account.employeeId,
    ouPath: e.account.ouPath.join(' / '),
    enabled: e.account.enabled,
    locked: e.account.locked,
    passwordLastSet: e.account.passwordLastSet,
    accountExpires: e.account.accountExpires,
    mustChangePassword: e.account.mustChangePassword,
    passwordNeverExpires: e.account.passwordNeverExpires,
  });

  const detail = (e: Entry): Person => ({
    ...summary(e),
    title: e.account.title,
    department: e.account.ouPath[0] ?? null,
    groups: e.account.groups,
    lastLogon: e.account.lastLogon,
    badPasswordCount: e.account.locked ? 5 : 0,
    lockoutTime: e.account.locked ? new Date(Date.UTC(2026, 10, 20, 8, 12)).toISOString() : null,
  });

  const find = (personId: string): Entry => {
    const e = byGuid.get(personId.toLowerCase());
    if (!e) throw keyedError('not-found', 'personNotInAd', 'Personen findes ikke i Active Directory.', undefined, { personId });
    return e;
  };


  const port = {
    kind: 'training' as const,
    accounts,
    async ping() {
      return { ok: true, message: 'Træningsmappen svarer', detail: { code: 'trainingDirectory' as const, params: {} } };
    },
    async signIn(username: string, password: string): Promise<DirectorySession> {
      const bare = foldText(username.trim().replace(/^.*\\/, '').replace(/@.*$/, ''));
      const e = byUsername.get(bare);
      // Same answer for unknown user and wrong password: no user enumeration.
      if (!e || !e.account.password || e.account.password !== password) {
        throw keyedError('unauthenticated', 'adBindWrong', 'Forkert brugernavn eller adgangskode.');
      }
      if (!e.account.enabled) throw keyedError('unauthenticated', 'adBindDisabled', 'Kontoen er deaktiveret.');
      return {
        identity: {
          dn: e.dn,
          username: e.account.username,
          displayName: e.account.displayName,
          groups: e.account.groups.map((g) => groupFor(g, baseDn)),
        },
        ...(where.domain ? { domain: where.domain } : {}),
        async searchPeople(q: PeopleQuery) {
          const visible = q.within ? entries.filter((x) => inScope(q.within ?? null, x.dn)) : entries;
          const people = visible.map(summary);
          if (!q.text.trim()) return { items: people.slice(0, q.limit), total: people.length };
          const hits = rankPeople(people, q.text, (a, b) => a.displayName.localeCompare(b.displayName, 'da'));
          return { items: hits.slice(0, q.limit), total: hits.length };
        },
        async getPerson(personId: string) {
          return detail(find(personId));
        },
        async unlockAccount(personId: string) {
          const entry = find(personId);
          entry.account.locked = false;
        },
        async resetPassword(personId: string, newPassword: string, mustChange: boolean) {
          const entry = find(personId);
          const problem = domainPolicyProblem(newPassword, entry.account);
          if (problem) throw problem;
          entry.account.password = newPassword;
          entry.account.mustChangePassword = mustChange;
          entry.account.passwordLastSet = new Date().toISOString();
        },
        async setEnabled(personId: string, enabled: boolean) {
          find(personId).account.enabled = enabled;
        },
        async addToGroup(personId: string, groupDn: string) {
          const groups = find(personId).account.groups;
          const name = groupNameOf(groupDn);
          if (!groups.includes(name)) groups.push(name);
        },
        async removeFromGroup(personId: string, groupDn: string) {
          const account = find(personId).account;
          const name = groupNameOf(groupDn);
          account.groups = account.groups.filter((g) => g !== name);
        },
        async getResultantPasswordPolicy(personId: string) {
          const entry = find(personId);
          // Like AD: the mirrored PSO of a group the person is in wins over the domain's policy.
          for (const [domain, pso] of psos) {
            if (pso.appliesTo.some((g) => entry.account.groups.includes(groupNameOf(g)))) {
              return { ...trainingDomainPolicy, source: 'pso' as const, name: `LIA-${domain}`, dn: `CN=LIA-${domain},CN=Password Settings Container,CN=System,${baseDn}`, ...pso.settings };
            }
          }
          return trainingDomainPolicy;
        },
        async mirrorPasswordPolicy(spec: MirroredPolicySpec) {
          const created = !psos.has(spec.domain);
          psos.set(spec.domain, { settings: { ...spec.settings }, appliesTo: [...spec.appliesTo] });
          return { dn: `CN=LIA-${spec.domain},CN=Password Settings Container,CN=System,${baseDn}`, created };
        },
        async readPasswordPolicies() {
          return {
            domain: trainingDomainPolicy,
            psos: [...psos].map(([domain, pso]) => ({
              ...trainingDomainPolicy,
              ...pso.settings,
              source: 'pso' as const,
              name: `LIA-${domain}`,
              dn: `CN=LIA-${domain},CN=Password Settings Container,CN=System,${baseDn}`,
              precedence: 5,
              appliesTo: [...pso.appliesTo],
            })),
          };
        },
        async readMirroredPolicy(domain: string) {
          const pso = psos.get(domain);
          return pso ? { ...pso.settings, appliesTo: [...pso.appliesTo] } : null;
        },
        async close() {},
      };
    },
  };
  return port;
}
