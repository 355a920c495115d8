import { ConsoleError } from '../../../shared/errors.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { acceptanceState, acceptanceStateLabels, addendumProblems, lineDiff, type AcceptanceState, type DiffLine } from '../../../shared/domain/policies.ts';
import type { PersonKey } from '../../../shared/idp/common.ts';
import type { NsisTerms, TermsAcceptance, TermsVersion } from '../../../shared/idp/terms.ts';
import type { AcceptanceRow } from '../../../shared/operations/policies.ts';
import type { Operator } from '../../../shared/roles.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import { csvDocument } from '../csv.ts';

export async function allVersions(idp: IdpPort): Promise<TermsVersion[]> {
  const out: TermsVersion[] = [];
  let cursor: string | undefined;
  do {
    const page = await idp.listTermsVersions({ limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  // Newest first, whatever order the IdP used.
  return out.sort((a, b) => b.version - a.version);
}

export async function getTerms(idp: IdpPort): Promise<{ nsis: NsisTerms; current: TermsVersion | null; versions: TermsVersion[]; newest: number | null }> {
  const [nsis, current, versions] = await Promise.all([idp.getNsisTerms(), idp.getCurrentTerms(), allVersions(idp)]);
  return { nsis, current, versions, newest: versions[0]?.version ?? null };
}

export async function diffTerms(idp: IdpPort, from: number, to: number): Promise<{ from: TermsVersion; to: TermsVersion; lines: DiffLine[] }> {
  const [a, b] = await Promise.all([idp.getTermsVersion(from), idp.getTermsVersion(to)]);
  return { from: a, to: b, lines: lineDiff(a.content, b.content) };
}

export async function publishTerms(
  idp: IdpPort,
  operator: Operator,
  input: { content: string; requiresReacceptance: boolean; effectiveFrom?: string | undefined; basedOnVersion: number | null; reason: string },
): Promise<TermsVersion> {
  const problems = addendumProblems(input.content);
  if (problems.length > 0) throw new ConsoleError('validation', problems.join(' '), { fields: { content: problems[0] } }).withKey('termsInvalid');
  if (input.effectiveFrom && Date.parse(input.effectiveFrom) < Date.now() - 5 * 60_000) {
    throw new ConsoleError('validation', 'Ikrafttrædelsen kan ikke ligge i fortiden.', { fields: { effectiveFrom: 'Vælg et tidspunkt fra nu af' } }).withKey('termsEffectivePast');
  }
  try {
    return await idp.publishTermsVersion({
      content: input.content,
      requiresReacceptance: input.requiresReacceptance,
      ...(input.effectiveFrom ? { effectiveFrom: input.effectiveFrom } : {}),
      basedOnVersion: input.basedOnVersion,
      actor: { username: operator.username, displayName: operator.displayName },
      reason: input.reason,
    });
  } catch (e) {
    if (e instanceof ConsoleError && e.code === 'conflict') {
      throw new ConsoleError('conflict', 'En anden har udgivet en ny version af tillægget, mens du redigerede. Hent den nyeste og sammenlign, før du udgiver.', e.details).withKey('termsStale');
    }
    throw e;
  }
}

async function acceptancesOf(idp: IdpPort, version: number): Promise<TermsAcceptance[]> {
  const out: TermsAcceptance[] = [];
  let cursor: string | undefined;
  do {
    const page = await idp.listVersionAcceptances(version, { limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

export interface ReportQuery {
  version?: number | undefined;
  ou: string;
  state: AcceptanceState | 'all' | 'missing';
  includeDisabled: boolean;
}

/** "Skoler" matches "Skoler" and "Skoler / Elever", not "Skolerne". */
function ouMatches(ouPath: string, filter: string): boolean {
  if (!filter) return true;
  const norm = (s: string) => s.split('/').map((p) => p.trim().toLocaleLowerCase('da-DK')).filter(Boolean);
  const a = norm(ouPath);
  const f = norm(filter);
  return f.every((p, i) => a[i] === p);
}

/**
 * Who accepted which version when, for every person of the directory, against one version (default: the
 * one in force). Acceptances are pinned to a version, so a re-acceptance requirement shows as "stale".
 */
export async function acceptanceReport(
  idp: IdpPort,
  people: readonly PersonSummary[],
  idpKey: (dn: string, username: string) => PersonKey,
  q: ReportQuery,
): Promise<{ version: TermsVersion; rows: AcceptanceRow[]; counts: Record<string, number>; total: number }> {
  const versions = await allVersions(idp);
  if (versions.length === 0) throw new ConsoleError('not-found', 'Der er endnu ikke udgivet nogen version af vilkårstillægget.').withKey('termsNone');
  let target: TermsVersion;
  if (q.version !== undefined) {
    const v = versions.find((x) => x.version === q.version);
    if (!v) throw new ConsoleError('not-found', `Version ${q.version} af vilkårstillægget findes ikke.`).withKey('termsVersionMissing', { version: q.version });
    target = v;
  } else {
    target = (await idp.getCurrentTerms()) ?? versions[versions.length - 1]!;
  }
  const ascending = [...versions].reverse();
  const newest = new Map<string, TermsAcceptance>();
  const ofTarget = new Map<string, TermsAcceptance>();
  const lists = await Promise.all(ascending.map((v) => acceptancesOf(idp, v.version)));
  const keyOf = (k: { domain: string; username: string }) => `${k.domain.toLowerCase()}\\${k.username.toLowerCase()}`;
  for (const list of lists) {
    for (const a of list) {
      const k = keyOf(a);
      const seen = newest.get(k);
      if (!seen || a.version > seen.version || (a.version === seen.version && a.acceptedAt > seen.acceptedAt)) newest.set(k, a);
      if (a.version === target.version) ofTarget.set(k, a);
    }
  }
  const rows: AcceptanceRow[] = [];
  const counts: Record<string, number> = { accepted: 0, 'accepted-newer': 0, 'accepted-older-valid': 0, stale: 0, none: 0 };
  let total = 0;
  for (const p of people) {
    if (!q.includeDisabled && !p.enabled) continue;
    if (!ouMatches(p.ouPath, q.ou)) continue;
    const k = keyOf(idpKey(p.dn, p.username));
    const a = newest.get(k) ?? null;
    const state = acceptanceState(a?.version ?? null, target.version, ascending);
    counts[state] = (counts[state] ?? 0) + 1;
    total++;
    const missing = state === 'stale' || state === 'none';
    if (q.state !== 'all' && !(q.state === 'missing' ? missing : q.state === state)) continue;
    rows.push({
      personId: p.id,
      username: p.username,
      displayName: p.displayName,
      ouPath: p.ouPath,
      acceptedVersion: a?.version ?? null,
      acceptedAt: a?.acceptedAt ?? null,
      acceptedThisAt: ofTarget.get(k)?.acceptedAt ?? null,
      state,
    });
  }
  rows.sort((x, y) => x.ouPath.localeCompare(y.ouPath, 'da') || x.displayName.localeCompare(y.displayName, 'da'));
  return { version: target, rows, counts, total };
}

const acceptanceStateLabelsEn: Record<AcceptanceState, string> = {
  accepted: 'Accepted',
  'accepted-newer': 'Accepted a newer version',
  'accepted-older-valid': 'Older acceptance still holds',
  stale: 'Must accept again',
  none: 'Has not accepted',
};

/** A moment as the Danish clock reads it (the municipality's time zone), in the report's language. */
const at = (iso: string | null, language: 'da' | 'en') =>
  iso ? new Date(iso).toLocaleString(language === 'en' ? 'en-GB' : 'da-DK', { timeZone: 'Europe/Copenhagen', timeZoneName: 'short' }) : '';

/**
 * Semicolon-separated UTF-8 with BOM, so Danish Excel opens it with æøå intact; a name that reads as a
 * formula stays text (services/csv.ts). Headers, state words and times in the operator's language.
 */
export function acceptanceCsv(version: TermsVersion, rows: readonly AcceptanceRow[], language: 'da' | 'en' = 'da'): string {
  const en = language === 'en';
  const labels = en ? acceptanceStateLabelsEn : acceptanceStateLabels;
  return csvDocument(
    en
      ? ['Name', 'Username', 'Unit', 'Latest accepted version', 'Accepted (latest)', `Accepted version ${version.version}`, 'Status']
      : ['Navn', 'Brugernavn', 'Enhed', 'Nyeste accepterede version', 'Accepteret (nyeste)', `Accepteret version ${version.version}`, 'Status'],
    rows.map((r) => [r.displayName, r.username, r.ouPath, r.acceptedVersion, at(r.acceptedAt, language), at(r.acceptedThisAt, language), labels[r.state]]),
  );
}
