import { ConsoleError } from '../../../shared/errors.ts';
import { mitIdStateOf, type MitIdAuthenticator, type MitIdIdentitySummary } from '../../../shared/mitid/domain.ts';
import { subjectNameIdFor, type LinkRule } from '../../../shared/mitid/link-rule.ts';
import type { CallOptions, MitIdErhvervPort } from '../../connectors/mitid-erhverv/port.ts';
import { existsUnlinked } from '../../connectors/mitid-erhverv/create.ts';
import type { GuardedMitIdPort, PendingCreateView } from './create-guard.ts';

/** What the MitID Erhverv actions need to know of a person from the directory. */
import type { MitIdPerson } from '../../../shared/mitid/domain.ts';

export type { MitIdPerson };

export interface IdentityState {
  subjectNameId: string | null;
  /** The person's identity: by their local credential, else an unlinked one with their CPR or e-mail. */
  identity: MitIdIdentitySummary | null;
  localCredential: MitIdAuthenticator | null;
  /** Set when `identity` was found by CPR or e-mail only: the local logins it carries (none, or another's). */
  unlinked?: { localIds: string[]; by: 'cpr' | 'email' } | null;
}

export type AssignOutcome = 'created' | 'reconciled' | 'credential-requested' | 'already-assigned' | 'pending-confirmation';

function expectedId(person: MitIdPerson, rule: LinkRule): string {
  const id = subjectNameIdFor({ sAMAccountName: person.username, userPrincipalName: person.userPrincipalName ?? null }, rule);
  if (!id) throw new ConsoleError('validation', 'Kontoen kan ikke knyttes til MitID Erhverv: forbindelsesreglen giver intet bruger-id (mangler UPN?).').withKey('mitidNoLinkId');
  return id;
}

/**
 * Where the person stands in MitID Erhverv, found through the link rule (subjectNameId) with CPR and
 * e-mail as hints. One place, so the list, the detail, bulk jobs and drift all agree.
 */
export async function identityFor(mitid: MitIdErhvervPort, rule: LinkRule, person: MitIdPerson, opts?: CallOptions): Promise<IdentityState> {
  const subjectNameId = subjectNameIdFor({ sAMAccountName: person.username, userPrincipalName: person.userPrincipalName ?? null }, rule);
  if (!subjectNameId) return { subjectNameId: null, identity: null, localCredential: null };
  // One pass over the search. An identity whose local credential was removed is no longer found by its
  // subjectNameId; before anyone pays for a second identity, the one with the same CPR or e-mail
  // (OS2faktor's third kind of drift) is returned as unlinked — never as the person's own.
  const m = await mitid.matchPerson({ subjectNameId, cprNumber: person.cpr ?? null, emailAddress: person.email }, opts);
  if (m.ours) {
    // A create of theirs that was waiting for confirmation is thereby confirmed.
    await (mitid as GuardedMitIdPort).createGuard?.observed(subjectNameId, m.ours.identity.uuid);
    return { subjectNameId, identity: m.ours.identity, localCredential: m.ours.localCredential, unlinked: null };
  }
  if (m.unlinked) return { subjectNameId, identity: m.unlinked.identity, localCredential: null, unlinked: { localIds: m.unlinked.localIds, by: m.unlinked.by } };
  return { subjectNameId, identity: null, localCredential: null, unlinked: null };
}

/** The person's create waiting for confirmation, if the console has one. */
export function pendingCreateFor(mitid: MitIdErhvervPort, subjectNameId: string | null): PendingCreateView | null {
  return subjectNameId ? ((mitid as GuardedMitIdPort).createGuard?.pendingFor(subjectNameId) ?? null) : null;
}

/**
 * "Tildel lokalt loginmiddel": create the identity with the Local IdP credential when there is none
 * (20 DKK — the client never sends a create twice), or request the credential on the identity that
 * exists. Safe to call again after any failure: it looks before it acts.
 */
export async function assignLocalAuthenticator(
  mitid: MitIdErhvervPort,
  rule: LinkRule,
  person: MitIdPerson & { dn?: string | null },
  opts?: CallOptions,
): Promise<{ outcome: AssignOutcome; uuid: string | null; subjectNameId: string; pending?: PendingCreateView }> {
  const subjectNameId = expectedId(person, rule);
  // A create of ours that was awaiting confirmation and is now found was ours: "reconciled", not "already had it".
  const wasPending = pendingCreateFor(mitid, subjectNameId) !== null;
  // The NSIS floor (#19): nothing is given to a person whose policy domain is outside NSIS — not the
  // credential on an identity someone else made, not a new identity — and it is decided before the lookup
  // below. The single action, drift fixes and bulk rows all come through here; the renderer asks
  // the same decision (policy.identityFloor) first. A create of ours already on its way is still settled.
  if (!wasPending) await (mitid as GuardedMitIdPort).identityFloor?.require(person.dn);
  const state = await identityFor(mitid, rule, person, opts);
  if (state.identity) {
    if (state.localCredential) return { outcome: wasPending ? 'reconciled' : 'already-assigned', uuid: state.identity.uuid, subjectNameId };
    // Found by CPR or e-mail, but carrying someone else's local login: say so, with the fix — not success.
    if (state.unlinked && state.unlinked.localIds.length > 0) {
      throw existsUnlinked({ identity: state.identity, localIds: state.unlinked.localIds, by: state.unlinked.by }, subjectNameId);
    }
    const r = await mitid.requestLocalCredential(state.identity.uuid, subjectNameId, opts);
    return { outcome: r.outcome === 'already-assigned' ? 'already-assigned' : 'credential-requested', uuid: state.identity.uuid, subjectNameId };
  }
  if (!person.email) throw new ConsoleError('validation', 'Personen har ingen e-mailadresse i AD; MitID Erhverv kræver en.').withKey('personNoEmail');
  if (!person.givenName?.trim() || !person.surname?.trim()) throw new ConsoleError('validation', 'Personen mangler for- eller efternavn i AD.').withKey('personNoName');
  const input = { givenName: person.givenName, surname: person.surname, emailAddress: person.email, cprNumber: person.cpr ?? null, subjectNameId };
  const guard = (mitid as GuardedMitIdPort).createGuard;
  if (guard) {
    // Through the per-person lock, the IdP claim and the pending state: never two POSTs for one person.
    const r = await guard.create(input, opts);
    if (r.outcome === 'pending-confirmation') return { outcome: r.outcome, uuid: null, subjectNameId, pending: r.pending };
    return { outcome: r.outcome, uuid: r.uuid, subjectNameId };
  }
  const created = await mitid.createIdentity(input, opts);
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
  if (!state.identity) throw new ConsoleError('not-found', 'Personen har ingen erhvervsidentitet i MitID Erhverv.').withKey('noIdentity');
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
  if (mitIdStateOf(identity.status) === 'suspended') return { uuid: identity.uuid, outcome: 'already-suspended' };
  await mitid.suspend(identity.uuid, opts);
  return { uuid: identity.uuid, outcome: 'suspended' };
}

export async function reactivateIdentity(mitid: MitIdErhvervPort, rule: LinkRule, person: MitIdPerson, opts?: CallOptions): Promise<{ uuid: string; outcome: 'reactivated' | 'already-active' }> {
  const identity = await requireIdentity(mitid, rule, person, opts);
  const state = mitIdStateOf(identity.status);
  if (state === 'active') return { uuid: identity.uuid, outcome: 'already-active' };
  if (state !== 'suspended') {
    throw new ConsoleError('refused', `Identiteten er ikke suspenderet, men har status "${identity.status}" i MitID Erhverv; den kan ikke genaktiveres herfra.`).withKey('mitidNotSuspended', { status: identity.status });
  }
  await mitid.reactivate(identity.uuid, opts);
  return { uuid: identity.uuid, outcome: 'reactivated' };
}
