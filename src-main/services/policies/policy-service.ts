import { ConsoleError, isConsoleError } from '../../../shared/errors.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { checkPassword, diffPolicySettings, type LeakCheck, type PasswordCheck, type PolicyDiffRow } from '../../../shared/domain/policies.ts';
import { domainFromDn } from '../../../shared/idp/common.ts';
import { fullServiceViolations, type PasswordPolicy, type PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { PoliciesConfig } from '../../../shared/operations/policies.ts';
import { dnIsWithin, type Operator } from '../../../shared/roles.ts';
import type { DirectorySession } from '../../connectors/directory-port.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import { checkLeaked } from './leaked.ts';

const DAY = 86_400_000;
const nf = (n: number) => n.toLocaleString('da-DK');

export function requireIdp(idp: IdpPort | null): IdpPort {
  if (!idp) throw new ConsoleError('unavailable-idp', 'Den lokale IdP er ikke sat op. Udfyld IdP-forbindelsen under Indstillinger.');
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

const stricterRules = (a: PasswordPolicySettings, b: PasswordPolicySettings): string[] => {
  const out: string[] = [];
  if (b.minLength > a.minLength) out.push(`mindst ${b.minLength} tegn (før ${a.minLength})`);
  if (b.maxLength < a.maxLength) out.push(`højst ${b.maxLength} tegn (før ${a.maxLength})`);
  for (const [f, label] of [
    ['requireComplexPassword', '3 af 4 tegntyper'],
    ['requireLowercase', 'et lille bogstav'],
    ['requireUppercase', 'et stort bogstav'],
    ['requireDigits', 'et tal'],
    ['requireSpecialCharacters', 'et specialtegn'],
    ['disallowNameAndUsername', 'intet navn eller brugernavn'],
    ['disallowDanishCharacters', 'ingen Æ, Ø eller Å'],
    ['preventBadPasswords', 'ingen forbudte ord'],
    ['checkLeakedPasswords', 'ingen lækkede adgangskoder'],
  ] as const) {
    if (b[f] && !a[f]) out.push(label);
  }
  if (b.allowedSpecialCharacters !== null && b.allowedSpecialCharacters !== a.allowedSpecialCharacters) out.push('kun de tilladte specialtegn');
  if (b.preventBadPasswords) {
    const had = new Set(a.bannedWords.map((w) => w.toLocaleLowerCase('da-DK')));
    const added = b.bannedWords.filter((w) => !had.has(w.toLocaleLowerCase('da-DK')));
    if (added.length > 0) out.push(`${nf(added.length)} nye forbudte ord`);
  }
  return out;
};

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

  const stricter = stricterRules(from, to);
  if (stricter.length > 0) {
    const reach = active ? ` Det kan ramme op til ${nf(active.length)} aktive ${active.length === 1 ? 'person' : 'personer'} ${where}.` : '';
    out.push(
      `Nye krav: ${stricter.join(', ')}. Eksisterende adgangskoder, der ikke opfylder dem, bliver markeret ved næste login med 30 dages frist til at skifte (7 dage for en lækket adgangskode).${reach}`,
    );
  }
  const looser = stricterRules(to, from);
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
): Promise<PreviewResult> {
  const current = await idp.getPasswordPolicy(input.domain);
  const scope = peopleInScope(current, await allPeople(directory), config);
  return {
    current,
    stale: current.version !== input.basedOnVersion,
    violations: fullServiceViolations(input.settings).map((v) => ({ field: v.field, message: v.message })),
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
): Promise<{ policy: PasswordPolicy; previous: PasswordPolicy }> {
  const violations = fullServiceViolations(input.settings);
  if (violations.length > 0) {
    throw new ConsoleError('refused', `Politikken kan ikke gemmes: ${violations.map((v) => v.message).join('; ')}.`, {
      violations,
      fields: Object.fromEntries(violations.map((v) => [`settings.${v.field}`, v.message])),
    });
  }
  const previous = await idp.getPasswordPolicy(input.domain);
  // Taking a domain out of (or into) NSIS decides whether the Full Service rule protects it at all:
  // that is an administrator's call, not a user administrator's.
  if (previous.settings.nsis !== input.settings.nsis && !operator.roles.includes('administrator')) {
    throw new ConsoleError('forbidden', 'Kun en administrator kan ændre, om et domæne er et NSIS-domæne.', { fields: { 'settings.nsis': 'Kun en administrator kan ændre dette' } });
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
    );
  }
}

/** The shared validator: rule codes from the policy (or a draft) plus the k-anonymity leak lookup. */
export async function validatePasswordAgainst(
  settings: PasswordPolicySettings,
  password: string,
  ctx: { username?: string; displayName?: string },
  leak: { endpoint: string; timeoutMs: number },
): Promise<{ ok: boolean; problems: PasswordCheck[]; leak: LeakCheck }> {
  const leakResult: LeakCheck = settings.checkLeakedPasswords && password.length > 0
    ? await checkLeaked(password, leak)
    : { state: 'off', message: 'Politikken kontrollerer ikke for lækkede adgangskoder.', count: null };
  const problems = checkPassword(password, settings, { ...ctx, leaked: leakResult.state === 'leaked' });
  // An unreachable lookup is reported beside the result, not as a failure: the operator decides.
  return { ok: problems.length === 0, problems, leak: leakResult };
}
