// The training environment: the fictitious municipality, its directory and both simulators, reached
// through the real clients over real sockets. The one place (with the composition root) that knows
// training exists.
import { join } from 'node:path';
import { AdDomain, roleMappingOf, type RoleMapping } from '../../shared/domain/settings.ts';
import type { PoliciesConfig } from '../../shared/operations/policies.ts';
import { domainFromDn } from '../../shared/idp/common.ts';
import type { LinkRule } from '../../shared/mitid/link-rule.ts';
import { createIdpClaimsClient } from '../connectors/idp/claims.ts';
import { notSetUp, pingStatus } from '../connectors/status.ts';
import { domainRules } from '../connectors/domain-rules.ts';
import { operatorDomainOf, signInByDomain } from '../connectors/ad/domains-directory.ts';
import type { Environment } from '../ports.ts';
import type { DirectoryPort, MirroredPolicySpec } from '../connectors/directory-port.ts';
import { ensurePrivateDir } from '../store/private-dir.ts';
import { DEFAULT_LEAKED_ENDPOINT } from '../store/policies-config-store.ts';
import { createTrainingDirectory } from './directory.ts';
import { startTrainingIdp, type TrainingIdp } from './idp-sim/training.ts';
import type { SeedPerson } from './idp-sim/seed.ts';
import { operatorFromIdentity } from '../services/session/roles.ts';
import { startTrainingMitIdErhverv, type TrainingMitId } from './mitid-sim/training.ts';
import { startRangeSimulator, type RangeSimulator } from './range-sim.ts';
import {
  generateSchoolAccounts,
  generateTrainingAccounts,
  ouDn,
  SCHOOL_BASE_DN,
  SCHOOL_DOMAIN_ID,
  SCHOOL_DOMAIN_NAME,
  SCHOOL_SIGNING_GROUP,
  SCHOOL_UPN_SUFFIX,
  schoolHasMitIdIdentity,
  schoolOperators,
  TRAINING_BASE_DN,
  TRAINING_DOMAIN,
  TRAINING_MUNICIPALITY,
  TRAINING_PASSWORD,
  TRAINING_SIGNING_GROUP,
  trainingAccountDn,
  trainingHasMitIdIdentity,
  trainingOperators,
  type TrainingAccount,
} from './seed.ts';

/** The training municipality's role groups; the same names the Samba test domain uses. */
export const trainingRoleMapping: RoleMapping = {
  administrator: ['LIA-Administratorer'],
  useradmin: ['LIA-Brugeradministratorer'],
  helpdesk: ['LIA-Helpdesk'],
  auditor: ['LIA-Revisorer'],
  helpdeskScopes: [{ group: 'LIA-Helpdesk-Skoler', ous: [ouDn(['Skoler'])] }],
};

/** The schools' own role groups: they grant roles in the schools' domain only (roleMappingOf). */
export const schoolRoleMapping: RoleMapping = {
  administrator: ['Skole-IT-Administratorer'],
  useradmin: ['Skole-IT-Brugeradministratorer'],
  helpdesk: ['Skole-IT-Helpdesk'],
  auditor: [],
  helpdeskScopes: [],
};

/** The schools' IdP domain (the DNS name of their base DN), with its pupils' sub-domain under it. */
export const SCHOOL_IDP_DOMAIN = domainFromDn(SCHOOL_BASE_DN) ?? '';
const municipalityLinkRule: LinkRule = { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false };
const schoolLinkRule: LinkRule = { kind: 'samaccountname-suffix', suffix: SCHOOL_UPN_SUFFIX, lowercase: false };

/**
 * The training's AD domains as a municipality's settings would list them (#19): its own first (its role
 * groups are the global mapping, as IT's Role* keys set it), then the schools' forest with its own groups.
 * The product's multi-domain pieces (sign-in by UPN suffix, per-domain rules and role mapping, the
 * operator's domain) work from this list exactly as from live settings.
 */
export const trainingDomains: readonly AdDomain[] = [
  AdDomain.parse({
    id: 'kommunen',
    name: TRAINING_MUNICIPALITY,
    urls: [`ldaps://dc.${TRAINING_DOMAIN}`],
    baseDn: TRAINING_BASE_DN,
    upnSuffix: 'fjordby.dk',
    linkRule: municipalityLinkRule,
    signingGroupDn: TRAINING_SIGNING_GROUP,
  }),
  AdDomain.parse({
    id: SCHOOL_DOMAIN_ID,
    name: SCHOOL_DOMAIN_NAME,
    urls: [`ldaps://dc.${SCHOOL_IDP_DOMAIN}`],
    baseDn: SCHOOL_BASE_DN,
    upnSuffix: SCHOOL_UPN_SUFFIX,
    linkRule: schoolLinkRule,
    signingGroupDn: SCHOOL_SIGNING_GROUP,
    roleMapping: schoolRoleMapping,
  }),
];

export const trainingOperatorCards = [
  ...trainingOperators.map((o) => ({ username: o.username, password: TRAINING_PASSWORD, role: o.role })),
  // A school operator types the schools' UPN suffix: that is what sends the sign-in to their domain.
  ...schoolOperators.map((o) => ({ username: `${o.username}@${SCHOOL_UPN_SUFFIX}`, password: TRAINING_PASSWORD, role: o.role })),
];

/** The pupils' sub-domain governs the Elever OU; staff and pupils each have their AD group for the PSO. */
export const trainingPolicyDefaults: PoliciesConfig = {
  leakedPasswordEndpoint: DEFAULT_LEAKED_ENDPOINT,
  leakedPasswordTimeoutMs: 5000,
  domainOus: {
    [`elever.${TRAINING_DOMAIN}`]: [`OU=Elever,OU=Skoler,${TRAINING_BASE_DN}`],
    [`vikarer.${TRAINING_DOMAIN}`]: [`OU=Vikarer,${TRAINING_BASE_DN}`],
    'betroede-medarbejdere': [ouDn(['IT'])],
    [`elever.${SCHOOL_IDP_DOMAIN}`]: [`OU=Elever,${SCHOOL_BASE_DN}`],
  },
  domainGroups: {
    [TRAINING_DOMAIN]: [`CN=Alle medarbejdere,OU=Grupper,${TRAINING_BASE_DN}`],
    [`elever.${TRAINING_DOMAIN}`]: [`CN=Elever,OU=Grupper,${TRAINING_BASE_DN}`],
    [`vikarer.${TRAINING_DOMAIN}`]: [`CN=Vikarer,OU=Grupper,${TRAINING_BASE_DN}`],
    'betroede-medarbejdere': trainingOperators.flatMap((o) => o.groups).map((g) => `CN=${g},OU=Grupper,${TRAINING_BASE_DN}`),
    // The schools' staff are an NSIS domain of their own; their pupils' sub-domain is weaker than the floor.
    [SCHOOL_IDP_DOMAIN]: [`CN=Alle medarbejdere,OU=Grupper,${SCHOOL_BASE_DN}`],
    [`elever.${SCHOOL_IDP_DOMAIN}`]: [`CN=Elever,OU=Grupper,${SCHOOL_BASE_DN}`],
  },
};

/**
 * The training directory as the IdP simulator is seeded from it: every person with their DN, and the
 * ready-made operators with the roles and OU limit the console grants them (the same role mapping), so
 * the seeded history is made by the same access decision the console enforces.
 */
export function trainingIdpPeople(accounts: readonly TrainingAccount[]): SeedPerson[] {
  const domain = domainFromDn(TRAINING_BASE_DN) ?? '';
  const operators = new Set(trainingOperators.map((o) => o.username));
  return accounts.map((a) => {
    const dn = trainingAccountDn(a);
    const operator = operators.has(a.username)
      ? operatorFromIdentity({ dn, username: a.username, displayName: a.displayName, groups: a.groups.map((name) => ({ name, sid: '', dn: '' })) }, trainingRoleMapping)
      : null;
    return {
      username: a.username,
      domain,
      displayName: a.displayName,
      dn,
      pupil: a.ouPath.includes('Elever'),
      trusted: operator !== null,
      admin: operator !== null,
      ...(operator ? { operator: { roles: operator.roles, helpdeskOus: operator.helpdeskOus } } : {}),
    };
  });
}

/** The schools' people as the IdP simulator is seeded from them: their own IdP domain, pupils apart. */
export function schoolIdpPeople(accounts: readonly TrainingAccount[]): SeedPerson[] {
  return accounts.map((a) => ({
    username: a.username,
    domain: SCHOOL_IDP_DOMAIN,
    displayName: a.displayName,
    dn: trainingAccountDn(a, SCHOOL_BASE_DN),
    pupil: a.ouPath.includes('Elever'),
  }));
}

/**
 * The training directory of both domains: one in-memory directory per domain, each session carrying its
 * domain, and sign-in sent by the typed name's UPN suffix (a bare name: the municipality's) as in live.
 */
function trainingDomainsDirectory(accounts: TrainingAccount[], schoolAccounts: TrainingAccount[]): DirectoryPort {
  const [municipality, schools] = trainingDomains as [AdDomain, AdDomain];
  const own = createTrainingDirectory(accounts, trainingSeedPsos, { baseDn: TRAINING_BASE_DN, domain: operatorDomainOf(municipality, municipality, trainingDomains) });
  const school = createTrainingDirectory(schoolAccounts, [], { baseDn: SCHOOL_BASE_DN, domain: operatorDomainOf(schools, municipality, trainingDomains) });
  return {
    kind: 'training',
    ping: () => own.ping(),
    signIn: signInByDomain(trainingDomains, new Map([[municipality.id, own], [schools.id, school]])),
  };
}

/**
 * AD as the training municipality left it before the switch to Full Service: a PSO for its staff from the
 * old days (12 characters, 10 attempts) that no longer matches the IdP's policy, and the temps' PSO matching
 * their (still too weak) IdP policy. The readiness screen finds both.
 */
const oldPso = { minLength: 12, historyLength: 5, complexity: true, maxAgeDays: null, minAgeDays: 0, lockoutThreshold: 10, lockoutDurationMinutes: 5, lockoutWindowMinutes: 5 };
export const trainingSeedPsos: MirroredPolicySpec[] = [
  { domain: TRAINING_DOMAIN, settings: oldPso, appliesTo: [`CN=Alle medarbejdere,OU=Grupper,${TRAINING_BASE_DN}`] },
  { domain: `vikarer.${TRAINING_DOMAIN}`, settings: oldPso, appliesTo: [`CN=Vikarer,OU=Grupper,${TRAINING_BASE_DN}`] },
];

export interface TrainingOptions {
  dataDir: string;
  /** Size of the training municipality (default 2,400 people); benchmarks ask for 100,000. */
  people?: number;
  /** Start the MitID Erhverv and IdP simulators (default true). */
  simulators?: boolean;
  /**
   * A drill: the MitID Erhverv simulator's hostile switches from the start (say, writes applied and then
   * answered with an error), so a training session meets the failed-transfer queue for real.
   */
  mitidSwitches?: unknown;
}

/** The training environment, and its simulators for drills and tests. */
export interface TrainingEnvironment extends Environment {
  simulators: { mitid: TrainingMitId | null; idp: TrainingIdp | null; leaked: RangeSimulator | null };
}

export async function trainingEnvironment(opts: TrainingOptions): Promise<TrainingEnvironment> {
  const accounts = generateTrainingAccounts(undefined, opts.people);
  // The schools' domain is the same few hundred people whatever the municipality's size.
  const schoolAccounts = generateSchoolAccounts();
  const directory = trainingDomainsDirectory(accounts, schoolAccounts);
  const linkRule = municipalityLinkRule;
  const sims = opts.simulators !== false;
  // Their state lives in the data folder, so the IdP's acknowledged journal heads (and everything else an
  // operator changed) survive a restart. One file per training size: another size is another municipality
  // (and the files from before the schools' domain are not reused: they lack its people).
  const stateDir = join(opts.dataDir, 'training');
  if (sims) ensurePrivateDir(stateDir);
  const size = opts.people ?? 'standard';
  const newHires = new Set(accounts.filter((a) => !trainingHasMitIdIdentity(a) && a.newHire).map((a) => a.username));
  const mitid = !sims
    ? null
    : await startTrainingMitIdErhverv({
        people: accounts.map((a) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email })),
        linkRule,
        statePath: join(stateDir, `mitid-${size}-skoler.json`),
        // Pupils and departed staff have no business identity, as in a real municipality; new hires not yet.
        include: (_p, i) => !accounts[i]?.ouPath.includes('Elever') && !accounts[i]?.ouPath.includes('Fratrådte'),
        notYet: (p) => newHires.has(p.username),
        // Some school staff hold a business identity too (under the schools' link rule); pupils never.
        also: [
          {
            addDomain: SCHOOL_DOMAIN_ID,
            people: schoolAccounts.map((a) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email })),
            linkRule: schoolLinkRule,
            include: (_p, i) => !!schoolAccounts[i] && schoolHasMitIdIdentity(schoolAccounts[i]),
            drift: { suspendedWhileActive: 0, withoutLocalCredential: 0, staleSubjectNameId: 0, onlyInMitId: 0 },
          },
        ],
      });
  // Checked by the simulator's own schema of its switches: an unknown switch stops the start, with the reason.
  if (mitid && opts.mitidSwitches !== undefined) mitid.simulator.faults.apply(opts.mitidSwitches);
  const idp = !sims
    ? null
    : await startTrainingIdp(
        trainingIdpPeople(accounts),
        // A change log, not a snapshot: each write appends a line instead of rewriting ~40-130 MB of state.
        {
          changeLog: join(stateDir, `idp-${size}.log`),
          otherDomains: [{ domain: SCHOOL_IDP_DOMAIN, displayName: SCHOOL_DOMAIN_NAME, people: schoolIdpPeople(schoolAccounts) }],
        },
      );
  // The leaked-password check asks the local range simulator (same protocol, real HTTPS), never the internet.
  const leaked = sims ? await startRangeSimulator() : null;
  const createClaims = idp ? createIdpClaimsClient({ baseUrl: idp.simulator.url, auth: { kind: 'api-key', apiKey: idp.simulator.apiKey }, timeoutMs: 10_000 }) : null;
  return {
    isTraining: true,
    connections: {
      directory,
      idp: idp?.port ?? null,
      mitid: mitid?.port ?? null,
      createClaims,
      ...domainRules(trainingDomains),
      status: async () =>
        Promise.all([
          pingStatus('ad', true, directory, notSetUp('', true)),
          pingStatus('mitid', true, mitid?.port ?? null, notSetUp('MitID Erhverv-simulatoren er slået fra.', true)),
          pingStatus('idp', true, idp?.port ?? null, notSetUp('IdP-simulatoren er slået fra.', true)),
        ]),
      close: async () => {
        createClaims?.close();
        await idp?.stop();
        await mitid?.stop();
        await leaked?.stop();
      },
    },
    // Per domain, as in live: the municipality's groups grant roles there, the schools' groups in theirs.
    roleMapping: (domainId) => roleMappingOf({ domains: [...trainingDomains], roleMapping: trainingRoleMapping }, domainId ?? trainingDomains[0]!.id),
    domains: trainingDomains,
    policyDefaults: trainingPolicyDefaults,
    ...(leaked ? { leakedPasswordService: { endpoint: leaked.url, ca: leaked.caPem } } : {}),
    operatorCards: trainingOperatorCards,
    cacheKey: `training:${size}:skoler`,
    usesStoredSecrets: false,
    // Short in training, so a trainee sees an unconfirmed create settle within the session; never shorter
    // than twice a drill's search lag, or the guard would take a create that landed for one that did not.
    createConfirm: { absentSearches: 2, windowMs: Math.max(30_000, 2 * (mitid?.simulator.faults.searchLagMs ?? 0)) },
    simulators: { mitid, idp, leaked },
  };
}
