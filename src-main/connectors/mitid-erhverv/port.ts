import type { PingResult } from '../../../shared/domain/settings.ts';
import type {
  CreateOutcome,
  MitIdAuthenticator,
  MitIdIdentity,
  MitIdIdentitySummary,
  MitIdRightAssignment,
  MitIdRole,
  NewMitIdIdentityInput,
  ProductionUnit,
  RightsScope,
} from '../../../shared/mitid/domain.ts';

export interface MitIdProfileUpdate {
  givenName: string;
  surname: string;
  cprNumber: string | null;
  emailAddress: string;
}

export interface MitIdCapabilities {
  /**
   * [?] Change `allowQualifiedCertificateIssuance` after create. No production client does this; off by
   * default, and then the UI must say the upgrade happens in MitID Erhverv (private-MitID validation).
   */
  qualifiedEligibilityUpdate: boolean;
  /** [?] No endpoint that sends the private-MitID validation e-mail is known: always false for now. */
  sendValidationEmail: boolean;
}

/** Where a person stands in the search: see MitIdErhvervPort.matchPerson. */
export interface PersonMatch {
  /** The identity whose local credential is the person's subjectNameId. */
  ours: { identity: MitIdIdentitySummary; localCredential: MitIdAuthenticator } | null;
  /** Otherwise: an identity with the person's CPR (first) or e-mail, with no or someone else's local credential. */
  unlinked: { identity: MitIdIdentitySummary; localIds: string[]; by: 'cpr' | 'email' } | null;
  /** An identity that carries the subjectNameId but another person's CPR. */
  heldByOther?: MitIdIdentitySummary | null;
}

export interface CallOptions {
  /** Cancels the call (and its retries): ConsoleError('cancelled'). */
  signal?: AbortSignal;
  /** Per-call timeout for each attempt, overriding the client's default. */
  timeoutMs?: number;
  /**
   * Retries after an unavailable answer, overriding the client's policy (reads only). The sync budget
   * passes 0: it slows down itself after a 503 instead of the call trying again at once.
   */
  retries?: number;
  /**
   * Nobody waits for this call (the people list's sync): it leaves one of the client's slots free, so an
   * operator's action is never queued behind a whole read of MitID Erhverv.
   */
  background?: boolean;
}

/**
 * The console's view of MitID Erhverv (the IdM API). Real adapter: axios over mTLS with the organisation's
 * system certificate; the training environment uses the same adapter against the in-process simulator.
 * Every method throws ConsoleError with a Danish message; `unavailable-mitid` when the service is down.
 */
export interface MitIdErhvervPort {
  readonly kind: 'mitid' | 'training';
  readonly capabilities: MitIdCapabilities;
  /** Cheap reachability check: fetches a fresh token. */
  ping(): Promise<PingResult>;

  /**
   * Find the identity whose local credential is `subjectNameId`. The API has no lookup by subjectNameId,
   * so candidates come from the search (same CPR or e-mail as the hint, or e-mail equal to the id) and are
   * confirmed through their authenticators.
   */
  findBySubjectNameId(
    subjectNameId: string,
    hint?: { cprNumber?: string | null; emailAddress?: string | null },
    opts?: CallOptions,
  ): Promise<MitIdIdentitySummary | null>;
  /**
   * One pass over the search: the person's own identity (by their local credential, subjectNameId
   * compared case-insensitively), or an unlinked one with their CPR or e-mail — never confused.
   */
  matchPerson(person: { subjectNameId: string | null; cprNumber?: string | null; emailAddress?: string | null }, opts?: CallOptions): Promise<PersonMatch>;
  /** The whole organisation, parsed as a stream: items reach `onItem` without the body being held. */
  searchAll(onItem: (item: MitIdIdentitySummary) => void | Promise<void>, opts?: CallOptions): Promise<{ count: number }>;
  /** The same as an async iterator. Breaking out of the loop closes the connection. */
  iterateAll(opts?: CallOptions): AsyncIterable<MitIdIdentitySummary>;
  getIdentity(uuid: string, opts?: CallOptions): Promise<MitIdIdentity>;
  listAuthenticators(uuid: string, opts?: CallOptions): Promise<MitIdAuthenticator[]>;

  /**
   * Create an identity (20 DKK each) with ONE POST. After an unknown outcome the identity is looked up
   * once: `reconciled` = it had in fact been created. Not seen: ConsoleError with details.outcome
   * 'unknown' — the caller must not create again until it is certain it did not land. A CPR or e-mail
   * match that is not linked to the person: 'conflict' with details.outcome 'exists-unlinked'.
   */
  createIdentity(input: NewMitIdIdentityInput, opts?: CallOptions): Promise<{ uuid: string; outcome: CreateOutcome }>;
  requestLocalCredential(uuid: string, subjectNameId: string, opts?: CallOptions): Promise<{ outcome: 'assigned' | 'already-assigned' | 'reconciled' }>;
  requestPrivateMitId(uuid: string, opts?: CallOptions): Promise<{ outcome: 'assigned' | 'already-assigned' | 'reconciled' }>;
  revokeCredential(uuid: string, authenticatorUuid: string, opts?: CallOptions): Promise<{ outcome: 'revoked' | 'already-gone' }>;
  /** Permission to sign on behalf of the organisation (not the same as qualified eligibility). */
  setAllowSigning(uuid: string, allow: boolean, opts?: CallOptions): Promise<void>;
  /** Behind `capabilities.qualifiedEligibilityUpdate`; refused with a Danish explanation when off. */
  setQualifiedEligibility(uuid: string, allow: boolean, profile: MitIdProfileUpdate, opts?: CallOptions): Promise<void>;
  updateEmail(uuid: string, emailAddress: string, opts?: CallOptions): Promise<void>;
  updateProfile(uuid: string, profile: MitIdProfileUpdate, opts?: CallOptions): Promise<void>;
  suspend(uuid: string, opts?: CallOptions): Promise<void>;
  reactivate(uuid: string, opts?: CallOptions): Promise<void>;
  deleteIdentity(uuid: string, opts?: CallOptions): Promise<{ outcome: 'deleted' | 'already-gone' }>;

  listRoleCatalogue(opts?: CallOptions): Promise<MitIdRole[]>;
  listRights(uuid: string, opts?: CallOptions): Promise<MitIdRightAssignment[]>;
  assignRights(uuid: string, scope: RightsScope, roleUuids: string[], opts?: CallOptions): Promise<void>;
  removeRights(uuid: string, scope: RightsScope, roleUuids: string[], opts?: CallOptions): Promise<void>;
  listSeNumbers(opts?: CallOptions): Promise<string[]>;
  listProductionUnits(opts?: CallOptions): Promise<ProductionUnit[]>;

  close(): Promise<void>;
}
