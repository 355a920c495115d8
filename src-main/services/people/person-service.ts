import { ConsoleError, isConsoleError, keyedError, type MessageParams } from '../../../shared/errors.ts';
import type { Person } from '../../../shared/domain/person.ts';
import { maskCpr, formatCpr, type FixableDriftKind } from '../../../shared/domain/people.ts';
import { adComplexityProblems, checkPassword, type PasswordCheck } from '../../../shared/domain/policies.ts';
import { passwordResultMessages } from '../../../shared/idp/password-policy.ts';
import type { WriteContext } from '../../../shared/idp/common.ts';
import type { TestPushResult } from '../../../shared/idp/people.ts';
import type { IdpPanel, MitIdPanel, WriteOutcome } from '../../../shared/operations/people.ts';
import type { Operator } from '../../../shared/roles.ts';
import type { AuditRow } from '../../../shared/domain/audit.ts';
import type { DirectorySession } from '../../connectors/directory-port.ts';
import { firstRdnValue } from '../../../shared/dn.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import type { MitIdErhvervPort } from '../../connectors/mitid-erhverv/port.ts';
import type { Connections } from '../../ports.ts';
import type { AuditStore } from '../../store/audit-store.ts';
import { hasActivePrivateMitId, mitIdStateOf } from '../../../shared/mitid/domain.ts';
import { blockerDa, blockers, personStates, type Blocker, type CheckedAction, type PersonStates } from '../../../shared/domain/person-state.ts';
import { pendingMessage } from '../mitid/create-guard.ts';
import {
  assignLocalAuthenticator,
  identityFor,
  pendingCreateFor,
  reactivateIdentity,
  revokeLocalAuthenticator,
  setSigning,
  suspendIdentity,
  type MitIdPerson,
} from '../mitid/actions.ts';

export function requireMitId(conn: Connections): MitIdErhvervPort {
  if (!conn.mitid) throw keyedError('unavailable-mitid', 'mitidNotConfigured', 'MitID Erhverv er ikke sat op. Udfyld forbindelsen under Indstillinger.');
  return conn.mitid;
}

export function requireIdpPort(conn: Connections): IdpPort {
  if (!conn.idp) throw keyedError('unavailable-idp', 'idpNotConfigured', 'Den lokale IdP er ikke sat op. Udfyld IdP-forbindelsen under Indstillinger.');
  return conn.idp;
}

export function mitIdPersonOf(p: Person): MitIdPerson {
  return { username: p.username, givenName: p.givenName, surname: p.surname, email: p.email, cpr: null };
}

function failure(e: unknown): { ok: false; code: string; message: string; key?: string; params?: MessageParams } {
  if (isConsoleError(e)) return { ok: false, code: e.code, message: e.message, ...(e.ref ? { key: e.ref.key, ...(e.ref.params ? { params: e.ref.params } : {}) } : {}) };
  return { ok: false, code: 'internal', message: 'Systemet svarede ikke som forventet.', key: 'unexpectedAnswer' };
}

export async function mitIdPanel(conn: Connections, person: Person): Promise<MitIdPanel> {
  const mitid = requireMitId(conn);
  const state = await identityFor(mitid, conn.rulesFor(person.dn).linkRule, mitIdPersonOf(person));
  const pending = pendingCreateFor(mitid, state.subjectNameId);
  const pendingCreate = pending ? { since: pending.since, absentChecks: pending.absentChecks, absentSearches: pending.absentSearches, earliestRetryAt: pending.earliestRetryAt } : null;
  if (!state.identity) {
    return {
      subjectNameId: state.subjectNameId,
      identity: null,
      localCredential: null,
      authenticators: [],
      signingState: 'none',
      privateMitIdActive: null,
      canSetQualifiedEligibility: mitid.capabilities.qualifiedEligibilityUpdate,
      pendingCreate,
      link: 'none',
      unlinkedLocalIds: [],
    };
  }
  const [full, auths] = await Promise.all([mitid.getIdentity(state.identity.uuid), mitid.listAuthenticators(state.identity.uuid)]);
  // Explicit status values only: "Inactive" or "Pending" is not an active private MitID.
  const privateMitId = hasActivePrivateMitId(auths);
  return {
    pendingCreate,
    link: state.localCredential ? 'linked' : 'unlinked',
    unlinkedLocalIds: state.unlinked?.localIds ?? [],
    identityState: mitIdStateOf(full.status),
    subjectNameId: state.subjectNameId,
    identity: {
      uuid: full.uuid,
      status: full.status,
      givenName: full.givenName,
      surname: full.surname,
      emailAddress: full.emailAddress,
      cprMasked: maskCpr(state.identity.cprNumber),
      allowSigning: full.allowSigning,
      qualifiedEligible: full.allowQualifiedCertificateIssuance,
    },
    localCredential: state.localCredential,
    authenticators: auths,
    // The same function the list's rows use: the page and the list cannot say different things.
    signingState: signingOf(personStates({ ad: null, mitid: { status: full.status, allowSigning: full.allowSigning, privateMitIdActive: privateMitId } }, Date.now())),
    privateMitIdActive: privateMitId,
    canSetQualifiedEligibility: mitid.capabilities.qualifiedEligibilityUpdate,
  };
}

const signingOf = (s: PersonStates): MitIdPanel['signingState'] => (s.signing === 'unknown' ? 'none' : s.signing);

/** The person's states and each checked action's blockers, from a fresh read (MitID panel as read, or not at all). */
export function decide(person: Person, mitid: { ok: true; data: MitIdPanel } | { ok: false } | null, now = Date.now()) {
  const m = mitid?.ok ? mitid.data : null;
  const states = personStates(
    {
      ad: person,
      mitid: m
        ? {
            status: m.identity?.status ?? null,
            allowSigning: m.identity?.allowSigning ?? null,
            privateMitIdActive: m.privateMitIdActive ?? null,
            pendingCreate: m.pendingCreate !== null,
          }
        : null,
    },
    now,
  );
  const facts = { states, email: person.email, givenName: person.givenName, surname: person.surname, hasLocalCredential: m ? m.localCredential !== null : null };
  const actions: CheckedAction[] = ['assign-local', 'allow-signing', 'suspend', 'reactivate'];
  return { states, blockers: Object.fromEntries(actions.map((a) => [a, blockers(a, facts)])) as Record<CheckedAction, Blocker[]> };
}

/** Main refuses an action whose precondition fails, with the same reason the page shows on the disabled button. */
export async function requirePossible(conn: Connections, person: Person, action: CheckedAction): Promise<void> {
  const panel = await mitIdPanel(conn, person);
  const first = decide(person, { ok: true, data: panel }).blockers[action][0];
  if (first) throw new ConsoleError('refused', `${blockerDa[first]}.`).withKey('actionBlocked', { blocker: first });
}

export async function idpPanel(conn: Connections, person: Person): Promise<IdpPanel> {
  const idp = requireIdpPort(conn);
  const key = conn.idpKey(person.dn, person.username);
  const [p, devices, terms] = await Promise.all([idp.getPerson(key), idp.listDevices(key, { limit: 1000 }), idp.listTermsAcceptances(key, { limit: 100 })]);
  return { person: p, devices: devices.items, terms: terms.items };
}

export async function overviewPanels(conn: Connections, person: Person) {
  const [mitid, idp] = await Promise.all([
    mitIdPanel(conn, person).then((data) => ({ ok: true as const, data }), failure),
    idpPanel(conn, person).then((data) => ({ ok: true as const, data }), failure),
  ]);
  return { mitid, idp };
}

export async function revealCpr(conn: Connections, person: Person): Promise<string> {
  const state = await identityFor(requireMitId(conn), conn.rulesFor(person.dn).linkRule, mitIdPersonOf(person));
  const cpr = state.identity?.cprNumber;
  if (!cpr) throw keyedError('not-found', 'noCpr', 'Der er ikke registreret et CPR-nummer for personen i MitID Erhverv.');
  return formatCpr(cpr);
}

// ------------------------------------------------------------------ passwords

/**
 * The person's effective policy is the stricter of two: AD's resultant policy (their PSO or the domain's;
 * AD refuses below it) and the Local IdP's policy for their password domain (the NSIS rules). Both are
 * checked before anything is sent.
 */
export async function checkNewPassword(
  conn: Connections,
  session: DirectorySession,
  person: Person,
  password: string,
): Promise<{ ok: boolean; problems: PasswordCheck[]; policy: string }> {
  const problems: PasswordCheck[] = [];
  const names: string[] = [];
  const ctx = { username: person.username, displayName: person.displayName };
  // A policy that cannot be read is left out of the check; `policy` names only those that were checked.
  const ad = await session.getResultantPasswordPolicy(person.id).catch(() => null);
  if (ad) {
    names.push(`AD: ${ad.name}`);
    const len = Array.from(password).length;
    if (ad.minLength !== null && len < ad.minLength) {
      problems.push({ code: 'TOO_SHORT', message: `Adgangskoden er for kort – AD kræver mindst ${ad.minLength} tegn`, params: { min: ad.minLength } });
    }
    if (ad.complexity) {
      const failed = adComplexityProblems(password, { username: person.username, displayName: person.displayName });
      if (failed.includes('NOT_COMPLEX')) problems.push({ code: 'NOT_COMPLEX', message: passwordResultMessages.NOT_COMPLEX.replace(/^Kodeordet/, 'Adgangskoden') });
      if (failed.includes('CONTAINS_NAME')) problems.push({ code: 'CONTAINS_NAME', message: 'Adgangskoden må ikke indeholde brugernavnet eller dele af navnet' });
    }
  }
  if (conn.idp) {
    // As for AD above: left out, and not named in `policy`.
    const idpPerson = await conn.idp.getPerson(conn.idpKey(person.dn, person.username)).catch(() => null);
    const policy = idpPerson ? await conn.idp.getPasswordPolicy(idpPerson.passwordPolicyDomain).catch(() => null) : null;
    if (policy) {
      names.push(`IdP: ${policy.displayName}`);
      for (const p of checkPassword(password, policy.settings, ctx)) if (!problems.some((x) => x.code === p.code)) problems.push(p);
    }
  }
  return { ok: problems.length === 0, problems, policy: names.join(' + ') || 'Ukendt politik' };
}

export async function resetPassword(
  conn: Connections,
  session: DirectorySession,
  person: Person,
  password: string,
  mustChange: boolean,
): Promise<void> {
  const check = await checkNewPassword(conn, session, person, password);
  if (!check.ok) {
    const first = check.problems[0];
    throw keyedError('validation', 'passwordNotAccepted', `Adgangskoden opfylder ikke personens politik: ${check.problems.map((p) => p.message).join('; ')}.`, undefined, {
      fields: { password: first?.message ?? '' },
      // The first problem by its code (the renderer's `codes.password.*`), for an operator in another language.
      ...(first ? { fieldKeys: { password: { key: `codes.password.${first.code}`, params: first.params ?? {} } } } : {}),
    });
  }
  await session.resetPassword(person.id, password, mustChange);
}

// ------------------------------------------------------------------ MitID Erhverv

const assignMessages = {
  created: 'Erhvervsidentiteten er oprettet med det lokale loginmiddel.',
  reconciled: 'Erhvervsidentiteten fandtes allerede (et tidligere forsøg, et dobbeltklik eller en anden arbejdsstation havde oprettet den); den er ikke oprettet igen.',
  'credential-requested': 'Det lokale loginmiddel er tilknyttet den eksisterende erhvervsidentitet.',
  'already-assigned': 'Personen havde allerede det lokale loginmiddel. Intet er ændret.',
} as const;
const assignCodes = { created: 'created', reconciled: 'reconciled', 'credential-requested': 'credentialRequested', 'already-assigned': 'alreadyAssigned' } as const;

/** A MitID Erhverv write's answer: the outcome, in Danish, and the same by code and values. */
export type WriteAnswer = { outcome: string; message: string; said: WriteOutcome };
const said = (code: WriteOutcome['code'], params: WriteOutcome['params'] = {}): WriteOutcome => ({ code, params });

export async function assign(conn: Connections, person: Person): Promise<WriteAnswer> {
  if (!person.enabled) throw keyedError('refused', 'accountDisabledForAssign', 'Kontoen er deaktiveret i AD. Aktivér den, før der tildeles et loginmiddel.');
  await requirePossible(conn, person, 'assign-local');
  const r = await assignLocalAuthenticator(requireMitId(conn), conn.rulesFor(person.dn).linkRule, { ...mitIdPersonOf(person), dn: person.dn });
  if (r.outcome === 'pending-confirmation') {
    return r.pending
      ? { outcome: r.outcome, message: pendingMessage(r.pending), said: said('pendingConfirmation', { at: r.pending.earliestRetryAt, searches: r.pending.absentSearches }) }
      : { outcome: r.outcome, message: 'Oprettelsen afventer bekræftelse.', said: said('pendingUnknown') };
  }
  return { outcome: r.outcome, message: assignMessages[r.outcome], said: said(assignCodes[r.outcome]) };
}

export async function revoke(conn: Connections, person: Person): Promise<WriteAnswer> {
  const r = await revokeLocalAuthenticator(requireMitId(conn), conn.rulesFor(person.dn).linkRule, mitIdPersonOf(person));
  return r.outcome === 'revoked'
    ? { outcome: r.outcome, message: 'Det lokale loginmiddel er fjernet. Erhvervsidentiteten findes stadig.', said: said('revoked') }
    : { outcome: r.outcome, message: 'Personen havde ikke det lokale loginmiddel. Intet er ændret.', said: said('notAssigned') };
}

/**
 * Allow or stop signing. When the municipality keeps its signers in an AD group, the group is changed
 * first (under the operator's own bind) and MitID Erhverv second; if MitID Erhverv then fails, the
 * group change is undone, so AD and MitID Erhverv never disagree because of a half-done upgrade.
 */
export async function signing(
  conn: Connections,
  person: Person,
  allow: boolean,
  session?: DirectorySession,
): Promise<WriteAnswer> {
  const mitid = requireMitId(conn);
  if (allow) await requirePossible(conn, person, 'allow-signing');
  const { signingGroupDn } = conn.rulesFor(person.dn);
  const group = signingGroupDn && session ? signingGroupDn : null;
  const groupName = group ? firstRdnValue(group) : '';
  const wasMember = group ? person.groups.some((g) => g.localeCompare(groupName, 'da', { sensitivity: 'base' }) === 0) : false;
  const changeGroup = group !== null && session !== undefined && wasMember !== allow;
  if (changeGroup) await (allow ? session.addToGroup(person.id, group) : session.removeFromGroup(person.id, group));
  let uuid: string;
  try {
    ({ uuid } = await setSigning(mitid, conn.rulesFor(person.dn).linkRule, mitIdPersonOf(person), allow));
  } catch (e) {
    if (changeGroup) {
      try {
        await (allow ? session.removeFromGroup(person.id, group) : session.addToGroup(person.id, group));
      } catch {
        throw new ConsoleError(
          'unavailable-mitid',
          `MitID Erhverv afviste ændringen, og AD-gruppen "${groupName}" kunne ikke sættes tilbage. Ret gruppemedlemskabet i AD, før du prøver igen.`,
        ).withKey('signingGroupNotRestored', { group: groupName });
      }
    }
    throw e;
  }
  const inGroup = group ? ` Personen er ${allow ? 'medlem af' : 'fjernet fra'} AD-gruppen "${groupName}".` : '';
  if (!allow) {
    return { outcome: 'revoked', message: `Personen kan ikke længere signere på vegne af kommunen.${inGroup}`, said: group ? said('signingStoppedGroup', { group: groupName }) : said('signingStopped') };
  }
  if (mitid.capabilities.qualifiedEligibilityUpdate && person.givenName && person.surname && person.email) {
    await mitid.setQualifiedEligibility(uuid, true, { givenName: person.givenName, surname: person.surname, emailAddress: person.email, cprNumber: null });
  }
  // The person links their private MitID themselves; MitID Erhverv sends the e-mail with the link.
  await mitid.requestPrivateMitId(uuid);
  return {
    outcome: 'waiting-for-person',
    message: `Signatur er tilladt. Personen får en e-mail fra MitID Erhverv og skal selv validere med sit private MitID, før signaturen kan bruges.${inGroup}`,
    said: group ? said('signingAllowedGroup', { group: groupName }) : said('signingAllowed'),
  };
}

export async function suspend(conn: Connections, person: Person): Promise<WriteAnswer> {
  const r = await suspendIdentity(requireMitId(conn), conn.rulesFor(person.dn).linkRule, mitIdPersonOf(person));
  return r.outcome === 'suspended'
    ? { outcome: r.outcome, message: 'Erhvervsidentiteten er suspenderet.', said: said('suspended') }
    : { outcome: r.outcome, message: 'Erhvervsidentiteten var allerede suspenderet.', said: said('alreadySuspended') };
}

export async function reactivate(conn: Connections, person: Person): Promise<WriteAnswer> {
  const r = await reactivateIdentity(requireMitId(conn), conn.rulesFor(person.dn).linkRule, mitIdPersonOf(person));
  return r.outcome === 'reactivated'
    ? { outcome: r.outcome, message: 'Erhvervsidentiteten er genaktiveret.', said: said('reactivated') }
    : { outcome: r.outcome, message: 'Erhvervsidentiteten var allerede aktiv.', said: said('alreadyActive') };
}

/** Re-register the local credential under the id the link rule gives now (the old one is removed). */
/** The fix for each drift of an AD person (one drift only in MitID Erhverv is fixed on the identity: suspendOrphan). */
export const driftFixes: Record<Exclude<FixableDriftKind, 'only-in-mitid'>, (conn: Connections, person: Person) => Promise<WriteAnswer>> = {
  'identity-missing': assign,
  'credential-missing': assign,
  'suspended-active-ad': reactivate,
  'active-disabled-ad': suspend,
  'subject-mismatch': relink,
};

export async function relink(conn: Connections, person: Person): Promise<WriteAnswer> {
  const mitid = requireMitId(conn);
  const state = await identityFor(mitid, conn.rulesFor(person.dn).linkRule, mitIdPersonOf(person));
  const expected = state.subjectNameId;
  if (!state.identity || !expected) throw keyedError('not-found', 'noIdentity', 'Personen har ingen erhvervsidentitet i MitID Erhverv.');
  const auths = await mitid.listAuthenticators(state.identity.uuid);
  for (const a of auths) if (a.kind === 'local' && a.id !== expected) await mitid.revokeCredential(state.identity.uuid, a.uuid);
  const r = await mitid.requestLocalCredential(state.identity.uuid, expected);
  return {
    outcome: r.outcome === 'already-assigned' ? 'already-assigned' : 'relinked',
    message: `Det lokale loginmiddel er registreret som ${expected}.`,
    said: said('relinked', { id: expected }),
  };
}

/**
 * Suspends an identity that only MitID Erhverv knows — after checking, from MitID Erhverv itself and
 * now, that it really belongs to nobody in AD (by its local credential or its e-mail). An identity that
 * does is refused with the person's name: its drift is fixed on that person, never by suspending it.
 */
export async function suspendOrphan(
  conn: Connections,
  uuid: string,
  adMatchFor: (identity: { localIds: readonly string[]; email: string | null }) => { displayName: string; username: string } | null,
): Promise<WriteAnswer> {
  const mitid = requireMitId(conn);
  const [identity, auths] = await Promise.all([mitid.getIdentity(uuid), mitid.listAuthenticators(uuid)]);
  const localIds = auths.filter((a) => a.kind === 'local' && a.id).map((a) => a.id as string);
  const owner = adMatchFor({ localIds, email: identity.emailAddress });
  if (owner) {
    throw new ConsoleError(
      'conflict',
      `Identiteten er ikke uden ejer: den hører til ${owner.displayName} (${owner.username}) i AD. Ret afvigelsen på personen i stedet.`,
    ).withKey('orphanHasOwner', { name: owner.displayName, username: owner.username });
  }
  if (mitIdStateOf(identity.status) === 'suspended') return { outcome: 'already-suspended', message: 'Identiteten var allerede suspenderet.', said: said('orphanAlreadySuspended') };
  await mitid.suspend(uuid);
  return { outcome: 'suspended', message: 'Identiteten, som kun findes i MitID Erhverv, er suspenderet.', said: said('orphanSuspended') };
}

// ------------------------------------------------------------------ IdP

export function writeContext(operator: Operator, reason: string): WriteContext {
  return { actor: { username: operator.username, displayName: operator.displayName }, reason };
}

export async function deviceAction(
  conn: Connections,
  person: Person,
  deviceId: string,
  action: 'lock' | 'unlock' | 'remove' | 'test-push' | 'release-token',
  ctx: WriteContext,
): Promise<WriteAnswer & { push: TestPushResult | null }> {
  const idp = requireIdpPort(conn);
  const key = conn.idpKey(person.dn, person.username);
  switch (action) {
    case 'lock':
      await idp.lockDevice(key, deviceId, ctx);
      return { outcome: 'locked', message: 'MFA-enheden er låst.', said: said('deviceLocked'), push: null };
    case 'unlock':
      await idp.unlockDevice(key, deviceId, ctx);
      return { outcome: 'unlocked', message: 'MFA-enheden er låst op.', said: said('deviceUnlocked'), push: null };
    case 'remove':
      await idp.removeDevice(key, deviceId, ctx);
      return { outcome: 'removed', message: 'MFA-enheden er fjernet.', said: said('deviceRemoved'), push: null };
    case 'test-push': {
      const push = await idp.sendTestPush(key, deviceId, ctx);
      const answer = { approved: 'godkendt', rejected: 'afvist', timeout: 'ikke besvaret' }[push.outcome];
      const code = ({ approved: 'testPushApproved', rejected: 'testPushRejected', timeout: 'testPushTimeout' } as const)[push.outcome];
      return { outcome: push.outcome, message: `Test-push sendt: ${answer}.`, said: said(code), push };
    }
    case 'release-token': {
      const devices = await idp.listDevices(key, { limit: 1000 });
      const device = devices.items.find((d) => d.id === deviceId);
      if (!device?.serialNumber) throw keyedError('validation', 'notCodeDisplay', 'Enheden er ikke en kodeviser.');
      await idp.releaseHardwareToken(key, device.serialNumber, ctx);
      return { outcome: 'released', message: `Kodeviseren ${device.serialNumber} er frigivet og kan gives til en anden.`, said: said('tokenReleased', { serial: device.serialNumber }), push: null };
    }
  }
}

export async function identityLock(conn: Connections, person: Person, locked: boolean, ctx: WriteContext): Promise<WriteAnswer> {
  const idp = requireIdpPort(conn);
  const key = conn.idpKey(person.dn, person.username);
  if (locked) await idp.lockIdentity(key, ctx);
  else await idp.unlockIdentity(key, ctx);
  return locked
    ? { outcome: 'locked', message: 'Identiteten er spærret i IdP’en: personen kan ikke logge ind.', said: said('identityLocked') }
    : { outcome: 'unlocked', message: 'Spærringen af identiteten er ophævet.', said: said('identityUnlocked') };
}

// ------------------------------------------------------------------ history

/**
 * What was done to the person, one row per action: the console's actions (by id) with their outcome and the IdP
 * events they caused folded in, and the IdP's other events about them (by username), newest first.
 */
export function history(audit: AuditStore, person: Person): AuditRow[] {
  const out: AuditRow[] = [];
  const seen = new Set<string>();
  for (const key of [person.id, person.username]) {
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = audit.search({ actions: [], source: 'all', person: key, fold: true }, { limit: 200, ...(cursor ? { cursor } : {}) });
      for (const r of page.rows) {
        const mine = r.source === 'console' ? r.personId === person.id : r.personId?.toLowerCase() === person.username.toLowerCase();
        if (mine && !seen.has(r.key)) {
          seen.add(r.key);
          out.push(r);
        }
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, 500);
}
