import { z } from 'zod';

// One state model per person: the list, the person page, the drift view and bulk planning all read a
// person's states from `personStates`, and the preconditions of an action from `blockers` — never from
// their own reading of the raw facts, so no two places can disagree. Runs in both processes.

/** The AD account: expired beats enabled (an account past its end date cannot sign in, whatever the flag says). */
export const AccountState = z.enum(['active', 'locked', 'disabled', 'expired', 'none']);
export type AccountState = z.infer<typeof AccountState>;

/** The MitID Erhverv identity; "pending-validation": created, the person has not validated it yet. */
export const IdentityState = z.enum(['unknown', 'none', 'pending-create', 'pending-validation', 'active', 'suspended', 'other']);
export type IdentityState = z.infer<typeof IdentityState>;

/** Signing: allowed by the organisation, then active only once the person has an active private MitID. */
export const SigningState = z.enum(['unknown', 'none', 'waiting-for-person', 'active']);
export type SigningState = z.infer<typeof SigningState>;

export const PersonStates = z.object({ account: AccountState, identity: IdentityState, signing: SigningState });
export type PersonStates = z.infer<typeof PersonStates>;

/** The facts the states are made of; the same shape whether they come from the index or from a fresh read. */
export interface StateFacts {
  ad: { enabled: boolean; locked: boolean; accountExpires: string | null } | null;
  /** null: MitID Erhverv has not been read (or is not set up). */
  mitid: {
    /** The identity's status value; null: the person has no identity. */
    status: string | null;
    allowSigning: boolean | null;
    /** The person has an active private MitID on the identity; null: not read. */
    privateMitIdActive: boolean | null;
    /** A create whose outcome is not known yet ("afventer bekræftelse"). */
    pendingCreate?: boolean;
  } | null;
}

export function accountStateOf(ad: StateFacts['ad'], now: number): AccountState {
  if (!ad) return 'none';
  if (ad.accountExpires !== null && Date.parse(ad.accountExpires) < now) return 'expired';
  if (!ad.enabled) return 'disabled';
  return ad.locked ? 'locked' : 'active';
}

function identityStateOf(m: StateFacts['mitid']): IdentityState {
  if (!m) return 'unknown';
  if (m.status === null) return m.pendingCreate ? 'pending-create' : 'none';
  switch (m.status.trim().toLowerCase()) {
    case 'active':
      return 'active';
    case 'suspended':
      return 'suspended';
    case 'pending':
    case 'pendingvalidation':
    case 'pending-validation':
      return 'pending-validation';
    default:
      return 'other';
  }
}

function signingStateOf(m: StateFacts['mitid']): SigningState {
  if (!m) return 'unknown';
  if (m.status === null) return 'none';
  if (m.allowSigning === null) return 'unknown';
  if (!m.allowSigning) return 'none';
  if (m.privateMitIdActive === null) return 'unknown';
  return m.privateMitIdActive ? 'active' : 'waiting-for-person';
}

/** A person's states, from one set of facts. */
export function personStates(f: StateFacts, now: number): PersonStates {
  return { account: accountStateOf(f.ad, now), identity: identityStateOf(f.mitid), signing: signingStateOf(f.mitid) };
}

// ---------------------------------------------------------------- preconditions

/** Why an action cannot succeed for this person now; each has a Danish text and a fix. */
export const blockerKinds = [
  'account-disabled',
  'account-expired',
  'no-ad-account',
  'no-email',
  'missing-name',
  'no-identity',
  'identity-suspended',
  'identity-pending-validation',
  'already-signing',
  'mitid-unknown',
] as const;
export const Blocker = z.enum(blockerKinds);
export type Blocker = z.infer<typeof Blocker>;

/** The actions whose preconditions are decided here (main refuses them the same way). */
export type CheckedAction = 'assign-local' | 'allow-signing' | 'suspend' | 'reactivate';

export interface ActionFacts {
  states: PersonStates;
  email: string | null;
  givenName?: string | null;
  surname?: string | null;
  hasLocalCredential?: boolean | null;
}

/**
 * What stands in the way of an action, first reason first; empty: it can be tried. The renderer disables
 * the button with the first reason, main refuses the call with it, and bulk planning skips the row with it.
 */
export function blockers(action: CheckedAction, f: ActionFacts): Blocker[] {
  const out: Blocker[] = [];
  const { account, identity, signing } = f.states;
  const accountBlock = (): void => {
    if (account === 'none') out.push('no-ad-account');
    else if (account === 'expired') out.push('account-expired');
    else if (account === 'disabled') out.push('account-disabled');
  };
  switch (action) {
    case 'assign-local':
      accountBlock();
      if (identity === 'suspended') out.push('identity-suspended');
      // A create awaiting confirmation is no blocker: asked again, the create guard looks for the identity
      // (and so settles it sooner) and never POSTs a second create.
      // A new identity needs an e-mail address (MitID Erhverv sends the activation there) and a name.
      if (identity === 'none') {
        if (!f.email?.trim()) out.push('no-email');
        if (f.givenName !== undefined && (!f.givenName?.trim() || !f.surname?.trim())) out.push('missing-name');
      }
      break;
    case 'allow-signing':
      accountBlock();
      if (identity === 'unknown') out.push('mitid-unknown');
      else if (identity === 'none' || identity === 'pending-create') out.push('no-identity');
      else if (identity === 'suspended') out.push('identity-suspended');
      else if (identity === 'pending-validation') out.push('identity-pending-validation');
      if (signing === 'active' || signing === 'waiting-for-person') out.push('already-signing');
      break;
    case 'suspend':
    case 'reactivate':
      if (identity === 'unknown') out.push('mitid-unknown');
      else if (identity === 'none' || identity === 'pending-create') out.push('no-identity');
      break;
  }
  return out;
}

export const blockerDa: Record<Blocker, string> = {
  'account-disabled': 'AD-kontoen er deaktiveret',
  'account-expired': 'AD-kontoen er udløbet',
  'no-ad-account': 'Personen har ingen AD-konto',
  'no-email': 'Ingen e-mailadresse i AD (MitID Erhverv kræver en)',
  'missing-name': 'Mangler for- eller efternavn i AD',
  'no-identity': 'Har ingen erhvervsidentitet i MitID Erhverv',
  'identity-suspended': 'Erhvervsidentiteten er suspenderet',
  'identity-pending-validation': 'Erhvervsidentiteten afventer validering af personen',
  'already-signing': 'Må allerede signere',
  'mitid-unknown': 'MitID Erhverv er ikke læst endnu',
};

/** An IdP NSIS status that says an NSIS identity has been issued (anything but "not issued"). */
export function issuedNsisStatus(s: string | null | undefined): boolean {
  return !!s && s.toUpperCase() !== 'NOT_ISSUED';
}
