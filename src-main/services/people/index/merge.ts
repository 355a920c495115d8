// Merging the three systems' facts into one row per person: which identity belongs to which AD person,
// and what the row says (states, drift). Pure: the same facts give the same rows.
import { dnIsWithin } from '../../../../shared/dn.ts';
import { z } from 'zod';
import { NO_IDENTITY_OU_PARTS, type DriftKind, type PersonRow } from '../../../../shared/domain/people.ts';
import { blockers, personStates, type Blocker } from '../../../../shared/domain/person-state.ts';
import type { PersonSummary } from '../../../../shared/domain/person.ts';
import { IdpPerson } from '../../../../shared/idp/people.ts';
import { MitIdIdentitySummary } from '../../../../shared/mitid/domain.ts';
import { subjectNameIdFor, type LinkRule } from '../../../../shared/mitid/link-rule.ts';
import { foldedFindable } from '../../../../shared/search.ts';
import type { Entry } from './query.ts';

const DAY = 86_400_000;

/** What the index knows of one MitID Erhverv identity. */
export const MitIdFacts = z.object({
  summary: MitIdIdentitySummary,
  /** Ids of the identity's local credentials (subjectNameIds); null until read. */
  localIds: z.array(z.string()).nullable(),
  allowSigning: z.boolean().nullable(),
  /** The identity has an active private MitID (signing is active, not waiting for the person); null: not read. */
  privateMitIdActive: z.boolean().nullable().optional(),
  /** The search's summary is newer than the details beside it (shown at once; the details are read next). */
  detailsPending: z.literal(true).optional(),
});
export type MitIdFacts = z.infer<typeof MitIdFacts>;

/** The IdP's facts per AD person id; null = the IdP does not know the person. */
export const IdpFacts = z.array(z.tuple([z.string(), IdpPerson.nullable()]));

/** Everything the rows are made from besides the AD people themselves. */
export interface PeopleFacts {
  /** MitID Erhverv identities by uuid. */
  mitid: Map<string, MitIdFacts>;
  /** The identity matched to each AD person (person id → identity uuid; identity-match.ts decides). */
  mitidFor: ReadonlyMap<string, string>;
  /** The IdP's people by the IdP's own key (idpPersonKey: `domain\\username`, lower-cased). */
  idp: Map<string, IdpPerson>;
  /** The domain's maximum password age, for each row's expiry (a PSO may differ: the detail shows it). */
  maxPasswordAgeDays: number | null;
  /** With several AD domains: each domain's, by its base DN (the innermost holding a person's DN counts). */
  maxPasswordAgeIn?: Map<string, number | null>;
}

/** The maximum password age of the domain a person (by DN) lives in. */
function maxAgeFor(facts: PeopleFacts, dn: string): number | null {
  let best: { baseDn: string; days: number | null } | null = null;
  for (const [baseDn, days] of facts.maxPasswordAgeIn ?? []) {
    if (dnIsWithin(dn, baseDn) && (!best || baseDn.length > best.baseDn.length)) best = { baseDn, days };
  }
  return best ? best.days : facts.maxPasswordAgeDays;
}

/** How far MitID Erhverv has been read: drift is only claimed once it has been read whole. */
export interface MitIdProgress {
  loaded: boolean;
  loading: boolean;
}

export interface MergeContext {
  facts: PeopleFacts;
  /** The link rule of the domain a person (by DN) lives in. */
  linkRuleFor(dn: string | null): LinkRule;
  mitid: MitIdProgress;
  /** The IdP's key of an AD person (the composition decides the IdP domain). */
  idpKey(ad: PersonSummary): string;
  /** The IdP has been read whole: a person it does not hold is not in the IdP (rather than not read yet). */
  idpLoaded: boolean;
}

function isExpected(p: PersonSummary): boolean {
  return !NO_IDENTITY_OU_PARTS.some((part) => p.ouPath.split(' / ').includes(part));
}

function departed(p: PersonSummary, now: number): boolean {
  const account = personStates({ ad: p, mitid: null }, now).account;
  return account === 'disabled' || account === 'expired';
}

/** The subjectNameId the link rule gives an AD person. */
export function expectedSubject(p: PersonSummary, linkRule: LinkRule): string | null {
  return subjectNameIdFor({ sAMAccountName: p.username, userPrincipalName: null }, linkRule);
}

const mitidState = (status: string) => (status === 'Active' || status === 'Suspended' ? status : 'other');

export function buildRow(ctx: MergeContext, ad: PersonSummary, now: number): PersonRow {
  const { facts } = ctx;
  const uuid = facts.mitidFor.get(ad.id) ?? null;
  const m = uuid ? (facts.mitid.get(uuid) ?? null) : null;
  const idp = facts.idp.get(ctx.idpKey(ad)) ?? (ctx.idpLoaded ? null : undefined);
  const mitidKnown = ctx.mitid.loaded || ctx.mitid.loading;
  const expected = expectedSubject(ad, ctx.linkRuleFor(ad.dn));
  const localCredential = m ? (m.localIds === null ? null : expected !== null && m.localIds.includes(expected)) : mitidKnown ? false : null;
  const states = personStates(
    {
      ad,
      mitid: m
        ? { status: m.summary.status, allowSigning: m.allowSigning, privateMitIdActive: m.privateMitIdActive ?? null }
        : mitidKnown && ctx.mitid.loaded
          ? { status: null, allowSigning: null, privateMitIdActive: null }
          : null,
    },
    now,
  );
  const drift: DriftKind[] = [];
  let identityBlocker: Blocker | undefined;
  if (ctx.mitid.loaded) {
    if (!m) {
      if (ad.enabled && isExpected(ad) && !departed(ad, now)) {
        // The same preconditions a create is refused with: what cannot be created is its own category.
        identityBlocker = blockers('assign-local', { states, email: ad.email, givenName: ad.givenName, surname: ad.surname })[0];
        drift.push(identityBlocker ? 'identity-blocked' : 'identity-missing');
      }
    } else {
      if (m.summary.status === 'Suspended' && !departed(ad, now)) drift.push('suspended-active-ad');
      if (m.summary.status === 'Active' && departed(ad, now)) drift.push('active-disabled-ad');
      if (m.localIds !== null && !localCredential) drift.push(m.localIds.length > 0 ? 'subject-mismatch' : 'credential-missing');
    }
  }
  const setAt = ad.passwordLastSet ? Date.parse(ad.passwordLastSet) : NaN;
  const maxAge = facts.maxPasswordAgeIn?.size ? maxAgeFor(facts, ad.dn) : facts.maxPasswordAgeDays;
  const pwExpires = Number.isFinite(setAt) && maxAge !== null && !ad.passwordNeverExpires ? new Date(setAt + maxAge * DAY).toISOString() : null;
  return {
    id: ad.id,
    source: 'ad',
    displayName: ad.displayName,
    username: ad.username,
    email: ad.email,
    employeeId: ad.employeeId,
    ouPath: ad.ouPath,
    ad: {
      enabled: ad.enabled,
      locked: ad.locked,
      passwordLastSet: ad.passwordLastSet,
      passwordAgeDays: Number.isFinite(setAt) ? Math.max(0, Math.floor((now - setAt) / DAY)) : null,
      passwordExpires: pwExpires,
      accountExpires: ad.accountExpires,
      mustChangePassword: ad.mustChangePassword,
    },
    mitid: m
      ? { state: mitidState(m.summary.status), status: m.summary.status, uuid: m.summary.uuid, localCredential, allowSigning: m.allowSigning }
      : { state: ctx.mitid.loaded ? 'none' : 'unknown', status: null, uuid: null, localCredential, allowSigning: null },
    idp: idp
      ? { loaded: true, nsisStatus: idp.nsisStatus, nsisLevel: idp.nsisLevel ?? null, deviceCount: idp.deviceCount, acceptedTermsVersion: idp.acceptedTermsVersion, locked: idp.locked !== null }
      : { loaded: idp === null, nsisStatus: null, deviceCount: null, acceptedTermsVersion: null, locked: null },
    drift,
    ...(identityBlocker ? { identityBlocker } : {}),
    states,
  };
}

/** An identity MitID Erhverv knows and no AD person matches. */
export function orphanRow(m: MitIdFacts): PersonRow {
  const name = [m.summary.givenName, m.summary.surname].filter(Boolean).join(' ') || m.summary.uuid;
  return {
    id: `mitid:${m.summary.uuid}`,
    source: 'mitid-only',
    displayName: name,
    username: m.localIds?.[0] ?? '',
    email: m.summary.emailAddress,
    employeeId: null,
    ouPath: '',
    ad: null,
    mitid: {
      state: mitidState(m.summary.status),
      status: m.summary.status,
      uuid: m.summary.uuid,
      localCredential: m.localIds === null ? null : m.localIds.length > 0,
      allowSigning: m.allowSigning,
    },
    idp: { loaded: false, nsisStatus: null, deviceCount: null, acceptedTermsVersion: null, locked: null },
    drift: ['only-in-mitid'],
    states: personStates({ ad: null, mitid: { status: m.summary.status, allowSigning: m.allowSigning, privateMitIdActive: m.privateMitIdActive ?? null } }, Date.now()),
  };
}

/**
 * One index entry. The searchable text is folded on first use (a search) and then kept: a start shows the
 * first rows without folding 100,000 names first; the index folds the rest in the background.
 */
export function entryOf(ad: PersonSummary | null, row: PersonRow): Entry {
  let folded: string | undefined;
  return {
    ad,
    row,
    get folded() {
      return (folded ??= foldedFindable(row));
    },
  };
}
