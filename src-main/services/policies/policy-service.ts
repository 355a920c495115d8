import { mayChange } from '../../../shared/access.ts';
import { issuedNsisStatus } from '../../../shared/domain/person-state.ts';
import { ConsoleError, isConsoleError } from '../../../shared/errors.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { checkPassword, diffPolicySettings, type LeakCheck, type PasswordCheck, type PolicyDiffRow } from '../../../shared/domain/policies.ts';
import { domainFromDn } from '../../../shared/idp/common.ts';
import { fullServiceViolations, type PasswordPolicy, type PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { PoliciesConfig } from '../../../shared/operations/policies.ts';
import { type Operator } from '../../../shared/roles.ts';
import { dnIsWithin } from '../../../shared/dn.ts';
import type { DirectorySession } from '../../connectors/directory-port.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import type { MitIdErhvervPort } from '../../connectors/mitid-erhverv/port.ts';
import { checkLeaked, type LeakedOptions } from './leaked.ts';

const DAY = 86_400_000;
const nf = (n: number) => n.toLocaleString('da-DK');

export function requireIdp(idp: IdpPort | null): IdpPort {
  if (!idp) throw new ConsoleError('unavailable-idp', 'Den lokale IdP er ikke sat op. Udfyld IdP-forbindelsen under Indstillinger.').withKey('idpNotConfigured');
  return idp;
}

export async function listPolicies(idp: IdpPort): Promise<PasswordPolicy[]> {
  const out: PasswordPolicy[] = [];
  let cursor: string | undefined;
  do {
    const page = await idp.listPasswordPolicies({ limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** Every person of the directory (the adapters page internally). */
export async function allPeople(directory: DirectorySession): Promise<PersonSummary[]> {
  return (await directory.searchPeople({ text: '', limit: 10_000_000 })).items;
}

/**
 * The people a policy governs, as far as the directory can tell: the OUs configured for it, or for a
 * whole domain everyone in that AD domain except the OUs other policies claim. null = unknown (a pseudo-
 * or sub-domain without configured OUs).
 */
export function peopleInScope(policy: PasswordPolicy, people: readonly PersonSummary[], config: PoliciesConfig): PersonSummary[] | null {
  const key = policy.domain.toLowerCase();
  const own = Object.entries(config.domainOus).find(([d]) => d.toLowerCase() === key)?.[1] ?? [];
  if (own.length > 0) return people.filter((p) => own.some((ou) => dnIsWithin(p.dn, ou)));
  if (policy.kind !== 'domain') return null;
  const claimed = Object.entries(config.domainOus).filter(([d]) => d.toLowerCase() !== key).flatMap(([, ous]) => ous);
  return people.filter((p) => domainFromDn(p.dn) === key && !claimed.some((ou) => dnIsWithin(p.dn, ou)));
}

const ruleFlags = [
  ['requireComplexPassword', '3 af 4 tegntyper'],
  ['requireLowercase', 'et lille bogstav'],
  ['requireUppercase', 'et stort bogstav'],
  ['requireDigits', 'et tal'],
  ['requireSpecialCharacters', 'et specialtegn'],
  ['disallowNameAndUsername', 'intet navn eller brugernavn'],
  ['disallowDanishCharacters', 'ingen Æ, Ø eller Å'],
  ['preventBadPasswords', 'ingen forbudte ord'],
  ['checkLeakedPasswords', 'ingen lækkede adgangskoder'],
] as const;

/**
 * The composition rules a change from `from` to `to` tightens and loosens, each phrased with the new value
 * first and the old in brackets ("mindst 10 tegn (før 15)"), whichever way the change goes.
 */
export function ruleChanges(from: PasswordPolicySettings, to: PasswordPolicySettings): { stricter: string[]; looser: string[] } {
  const stricter: string[] = [];
  const looser: string[] = [];
  if (to.minLength !== from.minLength) (to.minLength > from.minLength ? stricter : looser).push(`mindst ${to.minLength} tegn (før ${from.minLength})`);
  if (to.maxLength !== from.maxLength) (to.maxLength < from.maxLength ? stricter : looser).push(`højst ${to.maxLength} tegn (før ${from.maxLength})`);
  for (const [f, label] of ruleFlags) {
    if (to[f] && !from[f]) stricter.push(label);
    if (!to[f] && from[f]) looser.push(label);
  }
  // An allow-list of special characters: null = any. Dropping a character tightens, adding one loosens.
  const a = from.allowedSpecialCharacters;
  const b = to.allowedSpecialCharacters;
  if (b !== null && (a === null || [...a].some((c) => !b.includes(c)))) stricter.push('kun de tilladte specialtegn');
  if (a !== null && b === null) looser.push('alle specialtegn er tilladt');
  else if (a !== null && b !== null && [...b].some((c) => !a.includes(c))) looser.push('flere tilladte specialtegn');
  const fold = (w: string) => w.toLocaleLowerCase('da-DK');
  const had = new Set(from.bannedWords.map(fold));
  const has = new Set(to.bannedWords.map(fold));
  if (to.preventBadPasswords) {
    const added = [...has].filter((w) => !had.has(w)).length;
    if (added > 0) stricter.push(`${nf(added)} nye forbudte ord`);
  }
  if (from.preventBadPasswords && to.preventBadPasswords) {
    const removed = [...had].filter((w) => !has.has(w)).length;
    if (removed > 0) looser.push(`${nf(removed)} forbudte ord fjernet`);
  }
  return { stricter, looser };
}

/**
 * Every way `to` makes passwords or lockout weaker than `from` (empty = nothing loosened). A domain that
 * issues MitID Erhverv identities may not be loosened once it is outside the NSIS rule.
 */
export function loosenings(from: PasswordPolicySettings, to: PasswordPolicySettings): string[] {
  const out = [...ruleChanges(from, to).looser];
  if (from.nsis && !to.nsis) out.push('NSIS-domæne');
  if (to.triesBeforeLock > from.triesBeforeLock) out.push('flere forkerte forsøg før spærring');
  if (to.lockedMinutes < from.lockedMinutes) out.push('kortere spærretid');
  if (from.passwordHistoryEnabled && (!to.passwordHistoryEnabled || to.passwordHistoryCount < from.passwordHistoryCount)) out.push('færre huskede adgangskoder');
  if (from.forceChangePassword && (!to.forceChangePassword || to.forceChangePasswordIntervalDays > from.forceChangePasswordIntervalDays)) out.push('sjældnere skift af adgangskode');
  return out;
}

/** What a change means for the people it governs, in plain Danish. */
export function consequencesOf(from: PasswordPolicySettings, to: PasswordPolicySettings, scope: PersonSummary[] | null, now = Date.now()): string[] {
  const out: string[] = [];
  const diff = diffPolicySettings(from, to);
  if (diff.length === 0) return ['Udkastet er det samme som politikken, der gælder nu – der er intet at gemme.'];
  const active = scope?.filter((p) => p.enabled) ?? null;
  const where = 'i dette domæne';

  if (to.forceChangePassword && (!from.forceChangePassword || to.forceChangePasswordIntervalDays < from.forceChangePasswordIntervalDays)) {
    const days = to.forceChangePasswordIntervalDays;
    if (active) {
      const cutoff = now - days * DAY;
      const old = active.filter((p) => !p.passwordNeverExpires && p.passwordLastSet !== null && Date.parse(p.passwordLastSet) < cutoff).length;
      const never = active.filter((p) => !p.passwordNeverExpires && p.passwordLastSet === null).length;
      out.push(`${nf(old)} ${old === 1 ? 'person' : 'personer'} ${where} satte deres adgangskode for mere end ${nf(days)} dage siden og vil blive bedt om at skifte den.`);
      if (never > 0) out.push(`${nf(never)} ${never === 1 ? 'person har' : 'personer har'} aldrig sat en adgangskode og vil også blive bedt om at skifte.`);
    } else {
      out.push(`Adgangskoder, der er ældre end ${nf(days)} dage, skal skiftes ved næste login.`);
    }
  } else if (!to.forceChangePassword && from.forceChangePassword) {
    out.push('Adgangskoder udløber ikke længere af sig selv.');
  } else if (to.forceChangePassword && to.forceChangePasswordIntervalDays > from.forceChangePasswordIntervalDays) {
    out.push(`Adgangskoder gælder nu i ${nf(to.forceChangePasswordIntervalDays)} dage (før ${nf(from.forceChangePasswordIntervalDays)}).`);
  }

  const { stricter, looser } = ruleChanges(from, to);
  if (stricter.length > 0) {
    const reach = active ? ` Det kan ramme op til ${nf(active.length)} aktive ${active.length === 1 ? 'person' : 'personer'} ${where}.` : '';
    out.push(
      `Nye krav: ${stricter.join(', ')}. Eksisterende adgangskoder, der ikke opfylder dem, bliver markeret ved næste login med 30 dages frist til at skifte (7 dage for en lækket adgangskode).${reach}`,
    );
  }
  if (looser.length > 0) out.push(`Krav, der lempes: ${looser.join(', ')}. Det gør adgangskoderne svagere.`);

  if (to.passwordHistoryEnabled && (!from.passwordHistoryEnabled || to.passwordHistoryCount !== from.passwordHistoryCount)) {
    out.push(`IdP’en husker fremover de ${nf(to.passwordHistoryCount)} seneste adgangskoder, og de kan ikke genbruges.`);
  } else if (!to.passwordHistoryEnabled && from.passwordHistoryEnabled) {
    out.push('Tidligere adgangskoder kan genbruges.');
  }

  if (to.triesBeforeLock !== from.triesBeforeLock) {
    out.push(
      to.triesBeforeLock < from.triesBeforeLock
        ? `Kontoen spærres allerede efter ${to.triesBeforeLock} forkerte forsøg (før ${from.triesBeforeLock}) – forvent flere henvendelser til helpdesk.`
        : `Kontoen tåler ${to.triesBeforeLock} forkerte forsøg før spærring (før ${from.triesBeforeLock}) – det gør gætteangreb lettere.`,
    );
  }
  if (to.lockedMinutes !== from.lockedMinutes) out.push(`En spærret konto er spærret i ${nf(to.lockedMinutes)} minutter (før ${nf(from.lockedMinutes)}).`);
  if (from.nsis && !to.nsis) out.push('Domænet er ikke længere omfattet af Full Service IdP-reglen. Det må kun ske, hvis domænet ikke bruges til NSIS-login.');
  if (!from.nsis && to.nsis) out.push('Domænet bliver et NSIS-domæne: Full Service IdP-reglen gælder (mindst 15 tegn, spærring efter højst 5 forsøg i mindst 5 minutter).');
  if (scope === null) out.push('Konsollen ved ikke, hvilke personer dette domæne omfatter. Angiv domænets OU’er under Opsætning for at se antal.');
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Does a policy domain issue MitID Erhverv identities? Then the NSIS rule protects identities that are
// used for NSIS logins, and the policy screen may not switch it off (or loosen a domain outside it).

export interface IdentityFacts {
  /** issuing: people of the domain hold identities; none: nobody does; unknown: the console cannot tell. */
  state: 'issuing' | 'none' | 'unknown';
  /** People of the domain with an identity (null when unknown). */
  withIdentity: number | null;
  /** People the domain governs, as far as the directory tells (null when unknown). */
  peopleInScope: number | null;
  /** Danish, for the operator. */
  message: string;
}

export interface IdentitySources {
  people(): Promise<PersonSummary[]>;
  /** null when MitID Erhverv is not set up. */
  mitid: MitIdErhvervPort | null;
  /**
   * What the people list already holds about a person (no call is made for it): an identity matched by its
   * local credential, or an NSIS status from the IdP. Only ever adds evidence of an identity.
   */
  known?(personId: string): { mitidState: string | null; nsisStatus: string | null } | null;
}


/**
 * Whether the people a policy governs hold MitID Erhverv identities: one streamed search of the
 * organisation's identities (never a call per person), matched to the domain's people by e-mail as the
 * console creates them, plus whatever the people list has already matched by local credential or read as
 * an NSIS status. Anything that cannot be settled is `unknown`, which callers treat as issuing.
 */
export async function identitiesOfDomain(policy: PasswordPolicy, config: PoliciesConfig, src: IdentitySources): Promise<IdentityFacts> {
  const d = policy.domain;
  const assume = 'så konsollen går ud fra, at domænet udsteder MitID Erhverv-identiteter';
  let scope: PersonSummary[] | null;
  try {
    scope = peopleInScope(policy, await src.people(), config);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { state: 'unknown', withIdentity: null, peopleInScope: null, message: `Konsollen kunne ikke læse domænets personer i AD (${why}), ${assume}.` };
  }
  if (scope === null) {
    return { state: 'unknown', withIdentity: null, peopleInScope: null, message: `Konsollen ved ikke, hvilke personer ${d} omfatter (angiv domænets OU’er under Opsætning), ${assume}.` };
  }
  if (!src.mitid) {
    return { state: 'unknown', withIdentity: null, peopleInScope: scope.length, message: `MitID Erhverv er ikke sat op, ${assume}.` };
  }
  const emails = new Set<string>();
  try {
    await src.mitid.searchAll((item) => {
      if (item.emailAddress) emails.add(item.emailAddress.trim().toLowerCase());
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { state: 'unknown', withIdentity: null, peopleInScope: scope.length, message: `MitID Erhverv kunne ikke spørges (${why}), ${assume}.` };
  }
  let n = 0;
  for (const p of scope) {
    const k = src.known?.(p.id) ?? null;
    const hasIdentity =
      (p.email !== null && emails.has(p.email.trim().toLowerCase())) ||
      (k !== null && ((k.mitidState !== null && k.mitidState !== 'none' && k.mitidState !== 'unknown') || issuedNsisStatus(k.nsisStatus)));
    if (hasIdentity) n++;
  }
  if (n > 0) {
    return { state: 'issuing', withIdentity: n, peopleInScope: scope.length, message: `${nf(n)} ${n === 1 ? 'person' : 'personer'} i ${d} har en MitID Erhverv-identitet.` };
  }
  return { state: 'none', withIdentity: 0, peopleInScope: scope.length, message: `Ingen af de ${nf(scope.length)} personer i ${d} har en MitID Erhverv-identitet.` };
}

/**
 * Why a change may not be saved from the policy screen, or null when it may: a domain that issues MitID
 * Erhverv identities (or might: unknown counts as issuing) keeps the NSIS rule, and while outside it may
 * not be loosened either. A change that only tightens never needs the lookup.
 */
export async function identityGuard(
  domain: string,
  from: PasswordPolicySettings,
  to: PasswordPolicySettings,
  facts: () => Promise<IdentityFacts>,
): Promise<{ message: string; facts: IdentityFacts } | null> {
  if (to.nsis) return null;
  const weaker = loosenings(from, to);
  if (weaker.length === 0) return null;
  const f = await facts();
  if (f.state === 'none') return null;
  const because = f.state === 'issuing' ? 'domænet udsteder MitID Erhverv-identiteter' : 'konsollen ikke kan udelukke, at domænet udsteder MitID Erhverv-identiteter';
  const message = from.nsis
    ? `NSIS-reglerne kan ikke slås fra for ${domain}, fordi ${because}. ${f.message}`
    : `Politikken for ${domain} kan ikke lempes, fordi ${because}. Markér domænet som NSIS-domæne. ${f.message}`;
  return { message, facts: f };
}

export interface PreviewResult {
  current: PasswordPolicy;
  stale: boolean;
  violations: { field: string; message: string }[];
  diff: PolicyDiffRow[];
  consequences: string[];
  peopleInScope: number | null;
}

export async function previewPolicy(
  idp: IdpPort,
  directory: DirectorySession,
  config: PoliciesConfig,
  input: { domain: string; basedOnVersion: number; settings: PasswordPolicySettings },
  identities: Omit<IdentitySources, 'people'>,
): Promise<PreviewResult> {
  const current = await idp.getPasswordPolicy(input.domain);
  const people = await allPeople(directory);
  const scope = peopleInScope(current, people, config);
  // The save would be refused: say so in the review, before the operator writes a reason.
  const refused = await identityGuard(current.domain, current.settings, input.settings, () =>
    identitiesOfDomain(current, config, { ...identities, people: async () => people }),
  );
  return {
    current,
    stale: current.version !== input.basedOnVersion,
    violations: [
      ...fullServiceViolations(input.settings).map((v) => ({ field: v.field, message: v.message })),
      ...(refused ? [{ field: 'nsis', message: refused.message }] : []),
    ],
    diff: diffPolicySettings(current.settings, input.settings),
    consequences: consequencesOf(current.settings, input.settings, scope),
    peopleInScope: scope ? scope.length : null,
  };
}

/**
 * Saves a policy guarded by the version it was based on. The Full Service rule is checked here first
 * so a breaking draft never leaves the machine; on a stale version the conflict carries both sides.
 */
export async function updatePolicy(
  idp: IdpPort,
  operator: Operator,
  input: { domain: string; basedOnVersion: number; settings: PasswordPolicySettings; reason: string },
  identities: (policy: PasswordPolicy) => Promise<IdentityFacts>,
): Promise<{ policy: PasswordPolicy; previous: PasswordPolicy }> {
  const violations = fullServiceViolations(input.settings);
  if (violations.length > 0) {
    throw new ConsoleError('refused', `Politikken kan ikke gemmes: ${violations.map((v) => v.message).join('; ')}.`, {
      violations,
      fields: Object.fromEntries(violations.map((v) => [`settings.${v.field}`, v.message])),
    }).withKey('policyFullServiceViolations');
  }
  const previous = await idp.getPasswordPolicy(input.domain);
  // Taking a domain out of (or into) NSIS decides whether the Full Service rule protects it at all:
  // that is an administrator's call, not a user administrator's.
  if (previous.settings.nsis !== input.settings.nsis && !mayChange(operator, 'policy.nsisFlag')) {
    throw new ConsoleError('forbidden', 'Kun en administrator kan ændre, om et domæne er et NSIS-domæne.', { fields: { 'settings.nsis': 'Kun en administrator kan ændre dette' } }).withKey('policyNsisAdminOnly');
  }
  // Not even an administrator takes the NSIS rule off a domain whose people hold MitID Erhverv identities.
  const refused = await identityGuard(previous.domain, previous.settings, input.settings, () => identities(previous));
  if (refused) {
    throw new ConsoleError('refused', refused.message, {
      identities: refused.facts,
      fields: { 'settings.nsis': refused.facts.state === 'issuing' ? 'Domænet udsteder MitID Erhverv-identiteter' : 'Det kan ikke afgøres, om domænet udsteder MitID Erhverv-identiteter' },
    }).withKey('policyNsisIdentities');
  }
  try {
    if (previous.version !== input.basedOnVersion) throw new ConsoleError('conflict', 'stale');
    const policy = await idp.updatePasswordPolicy(input.domain, {
      basedOnVersion: input.basedOnVersion,
      settings: input.settings,
      actor: { username: operator.username, displayName: operator.displayName },
      reason: input.reason,
    });
    return { policy, previous };
  } catch (e) {
    if (!isConsoleError(e) || e.code !== 'conflict') throw e;
    const theirs = await idp.getPasswordPolicy(input.domain);
    const when = new Date(theirs.updatedAt).toLocaleString('da-DK', { timeZone: 'Europe/Copenhagen' });
    throw new ConsoleError(
      'conflict',
      `${theirs.updatedBy ?? 'En anden'} gemte politikken for ${theirs.domain} (version ${theirs.version}) ${when}, mens du redigerede. Vælg hvilken udgave der skal gælde.`,
      { theirs, mine: { basedOnVersion: input.basedOnVersion, settings: input.settings }, diff: diffPolicySettings(theirs.settings, input.settings) },
    ).withKey('policyStale', { by: theirs.updatedBy ?? '?', domain: theirs.domain, version: theirs.version });
  }
}

/** The shared validator: rule codes from the policy (or a draft) plus the k-anonymity leak lookup. */
export async function validatePasswordAgainst(
  settings: PasswordPolicySettings,
  password: string,
  ctx: { username?: string; displayName?: string },
  leak: LeakedOptions,
): Promise<{ ok: boolean; problems: PasswordCheck[]; leak: LeakCheck }> {
  const leakResult: LeakCheck = settings.checkLeakedPasswords && password.length > 0
    ? await checkLeaked(password, leak)
    : { state: 'off', message: 'Politikken kontrollerer ikke for lækkede adgangskoder.', count: null };
  const problems = checkPassword(password, settings, { ...ctx, leaked: leakResult.state === 'leaked' });
  // An unreachable lookup is reported beside the result, not as a failure: the operator decides.
  return { ok: problems.length === 0, problems, leak: leakResult };
}
