import { ConsoleError } from '../../shared/errors.ts';
import type { MitIdAuthenticator, MitIdIdentitySummary } from '../../shared/mitid/domain.ts';
import { subjectNameIdFor, type LinkRule } from '../../shared/mitid/link-rule.ts';
import type { CallOptions, MitIdErhvervPort } from '../connectors/mitid-erhverv/port.ts';

/** What the MitID Erhverv actions need to know of a person from the directory. */
export interface MitIdPerson {
  username: string;
  userPrincipalName?: string | null;
  givenName: string | null;
  surname: string | null;
  email: string | null;
  /** Only when the municipality keeps CPR in AD; the identity can be created without it. */
  cpr?: string | null;
}

export interface IdentityState {
  subjectNameId: string | null;
  identity: MitIdIdentitySummary | null;
  localCredential: MitIdAuthenticator | null;
}

export type AssignOutcome = 'created' | 'reconciled' | 'credential-requested' | 'already-assigned';

function expectedId(person: MitIdPerson, rule: LinkRule): string {
  const id = subjectNameIdFor({ sAMAccountName: person.username, userPrincipalName: person.userPrincipalName ?? null }, rule);
  if (!id) throw new ConsoleError('validation', 'Kontoen kan ikke knyttes til MitID Erhverv: forbindelsesreglen giver intet bruger-id (mangler UPN?).');
  return id;
}

/**
 * Where the person stands in MitID Erhverv, found through the link rule (subjectNameId) with CPR and
 * e-mail as hints. One place, so the list, the detail, bulk jobs and drift all agree.
 */
export async function identityFor(mitid: MitIdErhvervPort, rule: LinkRule, person: MitIdPerson, opts?: CallOptions): Promise<IdentityState> {
  const subjectNameId = subjectNameIdFor({ sAMAccountName: person.username, userPrincipalName: person.userPrincipalName ?? null }, rule);
  if (!subjectNameId) return { subjectNameId: null, identity: null, localCredential: null };
  let identity = await mitid.findBySubjectNameId(subjectNameId, { cprNumber: person.cpr ?? null, emailAddress: person.email }, opts);
  // An identity whose local credential was removed is no longer found by its subjectNameId. Before
  // anyone pays for a second identity, look for one with the same CPR or e-mail (OS2faktor's third
  // kind of drift): the credential is then requested on that one instead.
  identity ??= await unlinkedMatch(mitid, person, opts);
  if (!identity) return { subjectNameId, identity: null, localCredential: null };
  const auths = await mitid.listAuthenticators(identity.uuid, opts);
  return { subjectNameId, identity, localCredential: auths.find((a) => a.kind === 'local' && a.id === subjectNameId) ?? null };
}

async function unlinkedMatch(mitid: MitIdErhvervPort, person: MitIdPerson, opts?: CallOptions): Promise<MitIdIdentitySummary | null> {
  const email = person.email?.trim().toLowerCase() || null;
  const cpr = person.cpr?.replace(/\D/g, '') || null;
  if (!email && !cpr) return null;
  for await (const item of mitid.iterateAll(opts)) {
    if ((cpr && item.cprNumber === cpr) || (email && item.emailAddress?.trim().toLowerCase() === email)) return item;
  }
  return null;
}

/**
 * "Tildel lokalt loginmiddel": create the identity with the Local IdP credential when there is none
 * (20 DKK — the client never sends a create twice), or request the credential on the identity that
 * exists. Safe to call again after any failure: it looks before it acts.
 */
export async function assignLocalAuthenticator(
  mitid: MitIdErhvervPort,
  rule: LinkRule,
  person: MitIdPerson,
  opts?: CallOptions,
): Promise<{ outcome: AssignOutcome; uuid: string; subjectNameId: string }> {
  const subjectNameId = expectedId(person, rule);
  const state = await identityFor(mitid, rule, person, opts);
  if (state.identity) {
    if (state.localCredential) return { outcome: 'already-assigned', uuid: state.identity.uuid, subjectNameId };
    const r = await mitid.requestLocalCredential(state.identity.uuid, subjectNameId, opts);
    return { outcome: r.outcome === 'already-assigned' ? 'already-assigned' : 'credential-requested', uuid: state.identity.uuid, subjectNameId };
  }
  if (!person.email) throw new ConsoleError('validation', 'Personen har ingen e-mailadresse i AD; MitID Erhverv kræver en.');
  if (!person.givenName?.trim() || !person.surname?.trim()) throw new ConsoleError('validation', 'Personen mangler for- eller efternavn i AD.');
  const created = await mitid.createIdentity(
    { givenName: person.givenName, surname: person.surname, emailAddress: person.email, cprNumber: person.cpr ?? null, subjectNameId },
    opts,
  );
  return { outcome: created.outcome, uuid: created.uuid, subjectNameId };
}

/** Remove the Local IdP credential (the identity stays). */
export async function revokeLocalAuthenticator(mitid: MitIdErhvervPort, rule: LinkRule, person: MitIdPerson, opts?: CallOptions): Promise<{ outcome: 'revoked' | 'already-gone' }> {
  const state = await identityFor(mitid, rule, person, opts);
  if (!state.identity || !state.localCredential) return { outcome: 'already-gone' };
  return mitid.revokeCredential(state.identity.uuid, state.localCredential.uuid, opts);
}

async function requireIdentity(mitid: MitIdErhvervPort, rule: LinkRule, person: MitIdPerson, opts?: CallOptions): Promise<MitIdIdentitySummary> {
  const state = await identityFor(mitid, rule, person, opts);
  if (!state.identity) throw new ConsoleError('not-found', 'Personen har ingen erhvervsidentitet i MitID Erhverv.');
  return state.identity;
}

/** Allow (or stop) signing on behalf of the organisation. Qualified eligibility is a separate flag. */
export async function setSigning(mitid: MitIdErhvervPort, rule: LinkRule, person: MitIdPerson, allow: boolean, opts?: CallOptions): Promise<{ uuid: string }> {
  const identity = await requireIdentity(mitid, rule, person, opts);
  await mitid.setAllowSigning(identity.uuid, allow, opts);
  return { uuid: identity.uuid };
}

export async function suspendIdentity(mitid: MitIdErhvervPort, rule: LinkRule, person: MitIdPerson, opts?: CallOptions): Promise<{ uuid: string; outcome: 'suspended' | 'already-suspended' }> {
  const identity = await requireIdentity(mitid, rule, person, opts);
  if (identity.status === 'Suspended') return { uuid: identity.uuid, outcome: 'already-suspended' };
  await mitid.suspend(identity.uuid, opts);
  return { uuid: identity.uuid, outcome: 'suspended' };
}

export async function reactivateIdentity(mitid: MitIdErhvervPort, rule: LinkRule, person: MitIdPerson, opts?: CallOptions): Promise<{ uuid: string; outcome: 'reactivated' | 'already-active' }> {
  const identity = await requireIdentity(mitid, rule, person, opts);
  if (identity.status === 'Active') return { uuid: identity.uuid, outcome: 'already-active' };
  await mitid.reactivate(identity.uuid, opts);
  return { uuid: identity.uuid, outcome: 'reactivated' };
}
