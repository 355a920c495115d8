// "Klar til Full Service": the checks of OS2faktor's Full Service IdP implementation plan, per NSIS policy
// domain and for the IdP as a whole. Pure functions over what the systems answered, so each rule is tested
// on its own; readiness-service.ts gathers the facts.
import { duplicatesOfFixed, type MailTemplate } from '../../../shared/idp/mail-templates.ts';
import {
  FULL_SERVICE_MAX_TRIES_BEFORE_LOCK,
  FULL_SERVICE_MIN_LENGTH,
  FULL_SERVICE_MIN_LOCKED_MINUTES,
  type PasswordPolicy,
} from '../../../shared/idp/password-policy.ts';
import type { NsisTerms, TermsVersion } from '../../../shared/idp/terms.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import type { ReadinessItem } from '../../../shared/operations/fullservice.ts';
import type { FloorWarning } from '../../../shared/operations/policies.ts';
import type { AdPasswordPolicies, MirroredPolicySettings } from '../../connectors/directory-port.ts';
import { psoNameFor, weakerInAd } from '../../connectors/ad/pso.ts';
import { readinessText, type ReadinessLanguage } from '../../../shared/domain/readiness-text.ts';

export function policyItems(p: PasswordPolicy, language: ReadinessLanguage = 'da'): ReadinessItem[] {
  const x = readinessText(language).details;
  const s = p.settings;
  const lengthOk = s.minLength >= FULL_SERVICE_MIN_LENGTH;
  const lockOk = s.triesBeforeLock <= FULL_SERVICE_MAX_TRIES_BEFORE_LOCK && s.lockedMinutes >= FULL_SERVICE_MIN_LOCKED_MINUTES;
  return [
    {
      kind: 'policy-length',
      domain: p.domain,
      status: lengthOk ? 'ok' : 'fail',
      params: { minLength: s.minLength, required: FULL_SERVICE_MIN_LENGTH },
      details: [x.policyLength(p.version, s.minLength)],
      fix: lengthOk ? null : { kind: 'raise-policy', domain: p.domain },
    },
    {
      kind: 'policy-lockout',
      domain: p.domain,
      status: lockOk ? 'ok' : 'fail',
      params: { tries: s.triesBeforeLock, minutes: s.lockedMinutes, maxTries: FULL_SERVICE_MAX_TRIES_BEFORE_LOCK, minMinutes: FULL_SERVICE_MIN_LOCKED_MINUTES },
      details: [x.lockout(s.triesBeforeLock, s.lockedMinutes)],
      fix: lockOk ? null : { kind: 'raise-policy', domain: p.domain },
    },
  ];
}

/**
 * AD against the IdP for one domain. With groups mapped, the domain's own PSO (the one the console mirrors)
 * must exist and not be weaker, and no other PSO on the same groups may win over it (lower precedence
 * number) while being weaker. Without groups, AD's default domain policy is what governs the people.
 */
export function adItem(
  p: PasswordPolicy,
  groups: readonly string[],
  ad: AdPasswordPolicies | { error: string },
  language: ReadinessLanguage = 'da',
): ReadinessItem {
  const x = readinessText(language).details;
  const base = { kind: 'ad-policy' as const, domain: p.domain };
  if ('error' in ad) return { ...base, status: 'unknown', params: {}, details: [x.adUnreadable(ad.error)], fix: null };
  const d = ad.domain;
  const domainLine = d.readable ? x.domainPolicy(d.minLength ?? null, d.lockoutThreshold ?? null) : x.domainPolicyUnreadable;
  const asSettings = (x: { [K in keyof MirroredPolicySettings]?: MirroredPolicySettings[K] | null }) => x;
  if (groups.length === 0) {
    const weaker = d.readable ? weakerInAd(asSettings({ ...d, maxAgeDays: d.maxAgeDays }), p.settings, language) : [];
    return {
      ...base,
      status: !d.readable ? 'unknown' : weaker.length ? 'fail' : 'ok',
      params: { source: 'domain', groups: 0 },
      details: [domainLine, x.noGroups, ...weaker],
      fix: null,
    };
  }
  const ownName = psoNameFor(p.domain).toLowerCase();
  const own = ad.psos.find((x) => x.name.toLowerCase() === ownName);
  const lower = groups.map((g) => g.toLowerCase());
  const details = [domainLine];
  if (!own) {
    return { ...base, status: 'fail', params: { source: 'pso', groups: groups.length }, details: [...details, x.psoMissing], fix: { kind: 'mirror-ad', domain: p.domain } };
  }
  if (!own.readable) {
    return { ...base, status: 'unknown', params: { source: 'pso', groups: groups.length }, details: [...details, x.psoUnreadable(own.name)], fix: null };
  }
  const weaker = weakerInAd(asSettings(own), p.settings, language);
  details.push(x.pso(own.name, own.precedence ?? null, own.minLength, own.lockoutThreshold));
  const missing = groups.filter((g) => !own.appliesTo.some((a) => a.toLowerCase() === g.toLowerCase()));
  if (missing.length) details.push(x.psoNotFor(missing));
  const winners = ad.psos.filter(
    (x) =>
      x !== own &&
      x.appliesTo.some((a) => lower.includes(a.toLowerCase())) &&
      (x.precedence ?? Infinity) <= (own.precedence ?? Infinity) &&
      (!x.readable || weakerInAd(asSettings(x), p.settings).length > 0),
  );
  for (const w of winners) details.push(x.psoWinner(w.name, w.precedence ?? null));
  const bad = weaker.length > 0 || missing.length > 0;
  return {
    ...base,
    status: bad || winners.length ? 'fail' : 'ok',
    params: { source: 'pso', groups: groups.length, minLength: own.minLength ?? 0 },
    details: [...details, ...weaker],
    // Mirroring rewrites our PSO; another PSO that wins is AD's administrators' to change.
    fix: bad ? { kind: 'mirror-ad', domain: p.domain } : null,
  };
}

/**
 * The people a domain's switch forces to a new password: enabled, with an identity, and a password set
 * before the policy reached 15 characters. The console cannot see a password's length; it sees when it was
 * set. While the policy is below 15, that is everyone; once it reached 15, the policy's last save is the
 * latest the rule can have started, so the count errs on the side of too many (never too few).
 */
export function forcedChange(p: PasswordPolicy, scope: readonly PersonSummary[], hasIdentity: (p: PersonSummary) => boolean): { since: string | null; people: PersonSummary[] } {
  const since = p.settings.minLength >= FULL_SERVICE_MIN_LENGTH ? p.updatedAt : null;
  const cut = since === null ? Infinity : Date.parse(since);
  const people = scope.filter((x) => x.enabled && hasIdentity(x) && (x.passwordLastSet === null || Date.parse(x.passwordLastSet) < cut));
  return { since, people };
}

export function forcedItem(p: PasswordPolicy, facts: { since: string | null; people: readonly PersonSummary[] } | { unknown: string }, language: ReadinessLanguage = 'da'): ReadinessItem {
  const x = readinessText(language).details;
  const base = { kind: 'forced-change' as const, domain: p.domain };
  if ('unknown' in facts) return { ...base, status: 'unknown', params: {}, details: [facts.unknown], fix: null };
  const n = facts.people.length;
  return {
    ...base,
    // Not a blocker: the IdP makes them change at their next login. It is what to tell them in advance.
    status: 'ok',
    params: { count: n, since: facts.since ?? '' },
    details: [
      facts.since === null ? x.forcedBeforeRule(n) : x.forcedSince(n, facts.since),
    ],
    fix: n > 0 ? { kind: 'export-forced', domain: p.domain } : null,
  };
}

export function termsItems(nsis: NsisTerms | null, current: TermsVersion | null, language: ReadinessLanguage = 'da'): ReadinessItem[] {
  const x = readinessText(language).details;
  const nsisOk = nsis !== null && nsis.content.trim().length > 0;
  const migratedAt = nsis?.updatedAt ?? null;
  const reviewed = current === null || (migratedAt !== null && Date.parse(current.createdAt) >= Date.parse(migratedAt));
  return [
    {
      kind: 'terms-nsis',
      domain: null,
      status: nsisOk ? 'ok' : 'fail',
      params: { since: migratedAt ?? '' },
      details: nsis ? [x.nsisTerms(nsis.label, nsis.updatedAt, nsis.contentHash.slice(0, 16))] : [x.noNsisTerms],
      fix: null,
    },
    {
      kind: 'terms-addendum',
      domain: null,
      status: reviewed ? 'ok' : 'fail',
      params: { version: current?.version ?? 0, createdAt: current?.createdAt ?? '', since: migratedAt ?? '' },
      details: current ? [x.addendum(current.version, current.createdAt, migratedAt)] : [x.noAddendum],
      fix: reviewed ? null : { kind: 'review-addendum', version: current?.version ?? null },
    },
  ];
}

/** One item per municipal template that says what a fixed one says and is still on; one "ok" item if none. */
export function mailItems(templates: readonly MailTemplate[], language: ReadinessLanguage = 'da'): ReadinessItem[] {
  const x = readinessText(language).details;
  const dup = templates.filter((t) => !t.fixed && t.enabled && duplicatesOfFixed[t.type] !== undefined);
  if (dup.length === 0) {
    return [{ kind: 'mail-duplicates', domain: null, status: 'ok', params: { count: 0 }, details: [x.mailOk], fix: null }];
  }
  return dup.map((t) => ({
    kind: 'mail-duplicates' as const,
    domain: null,
    status: 'fail' as const,
    params: { type: t.type, fixed: duplicatesOfFixed[t.type]!, count: dup.length },
    details: [x.mailDuplicate(t.type, t.subject, duplicatesOfFixed[t.type]!)],
    fix: { kind: 'disable-template' as const, type: t.type, version: t.version },
  }));
}

/**
 * A domain outside the NSIS rule whose people hold MitID Erhverv identities all the same (the standing
 * warning of the policies screen, from the same count): not ready until the domain is made NSIS (or
 * raised to the floor).
 */
export function floorItem(w: FloorWarning, language: ReadinessLanguage = 'da'): ReadinessItem {
  const x = readinessText(language).details;
  return {
    kind: 'policy-identities',
    domain: w.domain,
    status: 'fail',
    params: { domain: w.domain, count: w.withIdentity, peopleInScope: w.peopleInScope, outside: w.outside },
    details: [x.floorIdentities(w.outside, w.withIdentity, w.peopleInScope)],
    fix: { kind: 'open-policies' },
  };
}
