// The training environment: the fictitious municipality, its directory and both simulators, reached
// through the real clients over real sockets. The one place (with the composition root) that knows
// training exists.
import { join } from 'node:path';
import type { RoleMapping } from '../../shared/domain/settings.ts';
import type { PoliciesConfig } from '../../shared/operations/policies.ts';
import { domainFromDn } from '../../shared/idp/common.ts';
import type { LinkRule } from '../../shared/mitid/link-rule.ts';
import { createIdpClaimsClient } from '../connectors/idp/claims.ts';
import { notSetUp, pingStatus, idpKeyFor } from '../connectors/status.ts';
import { oneDomainRules } from '../connectors/domain-rules.ts';
import type { Environment } from '../ports.ts';
import type { MirroredPolicySpec } from '../connectors/directory-port.ts';
import { ensurePrivateDir } from '../store/private-dir.ts';
import { DEFAULT_LEAKED_ENDPOINT } from '../store/policies-config-store.ts';
import { createTrainingDirectory } from './directory.ts';
import { startTrainingIdp, type TrainingIdp } from './idp-sim/training.ts';
import type { SeedPerson } from './idp-sim/seed.ts';
import { operatorFromIdentity } from '../services/session/roles.ts';
import { startTrainingMitIdErhverv, type TrainingMitId } from './mitid-sim/training.ts';
import { startRangeSimulator, type RangeSimulator } from './range-sim.ts';
import {
  generateTrainingAccounts,
  ouDn,
  TRAINING_BASE_DN,
  TRAINING_DOMAIN,
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

export const trainingOperatorCards = trainingOperators.map((o) => ({
  username: o.username,
  password: TRAINING_PASSWORD,
  role: o.role,
}));

/** The pupils' sub-domain governs the Elever OU; staff and pupils each have their AD group for the PSO. */
export const trainingPolicyDefaults: PoliciesConfig = {
  leakedPasswordEndpoint: DEFAULT_LEAKED_ENDPOINT,
  leakedPasswordTimeoutMs: 5000,
  domainOus: {
    [`elever.${TRAINING_DOMAIN}`]: [`OU=Elever,OU=Skoler,${TRAINING_BASE_DN}`],
    [`vikarer.${TRAINING_DOMAIN}`]: [`OU=Vikarer,${TRAINING_BASE_DN}`],
    'betroede-medarbejdere': [ouDn(['IT'])],
  },
  domainGroups: {
    [TRAINING_DOMAIN]: [`CN=Alle medarbejdere,OU=Grupper,${TRAINING_BASE_DN}`],
    [`elever.${TRAINING_DOMAIN}`]: [`CN=Elever,OU=Grupper,${TRAINING_BASE_DN}`],
    [`vikarer.${TRAINING_DOMAIN}`]: [`CN=Vikarer,OU=Grupper,${TRAINING_BASE_DN}`],
    'betroede-medarbejdere': trainingOperators.flatMap((o) => o.groups).map((g) => `CN=${g},OU=Grupper,${TRAINING_BASE_DN}`),
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
  const directory = createTrainingDirectory(accounts, trainingSeedPsos);
  const linkRule: LinkRule = { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false };
  const sims = opts.simulators !== false;
  // Their state lives in the data folder, so the IdP's acknowledged journal heads (and everything else an
  // operator changed) survive a restart. One file per training size: another size is another municipality.
  const stateDir = join(opts.dataDir, 'training');
  if (sims) ensurePrivateDir(stateDir);
  const size = opts.people ?? 'standard';
  const newHires = new Set(accounts.filter((a) => !trainingHasMitIdIdentity(a) && a.newHire).map((a) => a.username));
  const mitid = !sims
    ? null
    : await startTrainingMitIdErhverv({
        people: accounts.map((a) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email })),
        linkRule,
        statePath: join(stateDir, `mitid-${size}.json`),
        // Pupils and departed staff have no business identity, as in a real municipality; new hires not yet.
        include: (_p, i) => !accounts[i]?.ouPath.includes('Elever') && !accounts[i]?.ouPath.includes('Fratrådte'),
        notYet: (p) => newHires.has(p.username),
      });
  // Checked by the simulator's own schema of its switches: an unknown switch stops the start, with the reason.
  if (mitid && opts.mitidSwitches !== undefined) mitid.simulator.faults.apply(opts.mitidSwitches);
  const idp = !sims
    ? null
    : await startTrainingIdp(
        trainingIdpPeople(accounts),
        // A change log, not a snapshot: each write appends a line instead of rewriting ~40-130 MB of state.
        { changeLog: join(stateDir, `idp-${size}.log`) },
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
      rulesFor: oneDomainRules({ linkRule, signingGroupDn: TRAINING_SIGNING_GROUP }),
      idpKey: idpKeyFor,
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
    // One fictitious domain: every training session maps through the same table.
    roleMapping: () => trainingRoleMapping,
    policyDefaults: trainingPolicyDefaults,
    ...(leaked ? { leakedPasswordService: { endpoint: leaked.url, ca: leaked.caPem } } : {}),
    operatorCards: trainingOperatorCards,
    cacheKey: `training:${size}`,
    usesStoredSecrets: false,
    // Short in training, so a trainee sees an unconfirmed create settle within the session; never shorter
    // than twice a drill's search lag, or the guard would take a create that landed for one that did not.
    createConfirm: { absentSearches: 2, windowMs: Math.max(30_000, 2 * (mitid?.simulator.faults.searchLagMs ?? 0)) },
    simulators: { mitid, idp, leaked },
  };
}
