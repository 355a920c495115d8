import { z } from 'zod';

/**
 * The closed set of error codes that may cross the boundary between main and the renderer
 * (IPC or the web host). Anything else is mapped to `internal` by the dispatcher.
 */
export const errorCodes = [
  'validation',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  /** An external system understood the request and refused it (e.g. AD password policy). */
  'refused',
  'unavailable-ad',
  'unavailable-mitid',
  'unavailable-idp',
  'cancelled',
  'internal',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Values a message key is filled in with (a figure, a name the operator typed, a unit). */
export const MessageParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type MessageParams = z.infer<typeof MessageParams>;

export const ErrorPayload = z.object({
  code: ErrorCode,
  /** Danish, for the Danish UI and the journal. */
  message: z.string(),
  /**
   * The message as a key in the renderer's locale tables (`errors.messages.<key>`) and its values, so an
   * English UI says the same thing in English. Absent: the renderer falls back to the code's own text.
   */
  key: z.string().max(100).optional(),
  params: MessageParams.optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

/** An error carried inside a result (a system's refusal beside an outcome): as it crosses, without details. */
export const ErrorRef = ErrorPayload.pick({ code: true, message: true, key: true, params: true });
export type ErrorRef = z.infer<typeof ErrorRef>;

/** HTTP status used by the web host (and any HTTP simulator) for each code. */
export const httpStatusFor: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  refused: 422,
  'unavailable-ad': 503,
  'unavailable-mitid': 503,
  'unavailable-idp': 503,
  cancelled: 499,
  internal: 500,
};

/**
 * The messages main may name by key (the renderer's `errors.messages.<key>`, in both languages: the
 * translation completeness test checks every one). A closed set, so a key cannot be misspelt in main.
 */
export const messageKeys = [
  'unknownOperation',
  'hostDown',
  'passwordNotAccepted',
  'adBindLocked',
  'adBindDisabled',
  'adBindExpired',
  'adBindMustChange',
  'adBindRestricted',
  'adBindWrong',
  'adPasswordTooShortMin',
  'adPasswordTooShort',
  'adPasswordComplexity',
  'adPasswordHistory',
  'adPasswordMinAge',
  'adPasswordPolicy',
  'adNeedsTls',
  'adChangedMeanwhile',
  'adTimeLimit',
  'adBusy',
  'personNotInAd',
  'viewExists',
  'viewLimit',
  'viewMissing',
  'mitidNotConfigured',
  'idpNotConfigured',
  'noCpr',
  'accountDisabledForAssign',
  'noIdentity',
  'notCodeDisplay',
  'unexpectedAnswer',
  'noRoleGroup',
  'noRoleGroupInDomain',
  'oneDomainOnly',
  'domainAlreadySignedIn',
  'accountNotUnderBase',
  'domainScopeUnknown',
  'policyOtherDomain',
  'auditOtherDomain',
  'auditUnknownDomain',
  'settingsOtherDomain',
  'httpAddressRefused',
  'httpCancelled',
  'httpTimeout',
  'httpServerCertificate',
  'httpClientCertificate',
  'httpTls',
  'httpRefused',
  'httpDns',
  'httpUnexpected',
  'httpConnectionLost',
  'httpUnavailableStatus',
  'httpServerError',
  'httpUnexpectedStatus',
  'httpNotJson',
  'httpBadFormat',
  'httpCircuitOpen',
  'certificateUnreadable',
  'mitidAuthenticatorConflict',
  'mitidNoSubjectNameId',
  'mitidBadUuid',
  'mitidCreateUnknown',
  'mitidExistsUnlinked',
  'mitidCreateNeedsId',
  'mitidSubjectNameIdTaken',
  'mitidExistsUnseen',
  'mitidQualifiedInMitid',
  'mitidNoEmail',
  'mitidCprTaken',
  'mitidSearchFormat',
  'mitidSearchAborted',
  'mitidBadRequest',
  'mitidForbidden',
  'mitidIdentityNotFound',
  'mitidConflict',
  'mitidSlowDown',
  'mitidLoginReset',
  'mitidCertificateRefused',
  'mitidTokenRefused',
  'idpBadInput',
  'idpTermsHash',
  'idpEventsOrder',
  'idpJournalOrder',
  'idpBadRequest',
  'idpKeyRefused',
  'idpForbidden',
  'idpNotFound',
  'idpConflict',
  'idpRefused',
  'idpBadLogPosition',
  'idpBadLogTime',
  'adUnavailable',
  'adNoRight',
  'adObjectGone',
  'adPsoNoAnswer',
  'adPsoNoGroup',
  'adCaUnreadable',
  'adPlainBindRefused',
  'adBaseMissing',
  'adConstraint',
  'adInvalidValue',
  'adUnwilling',
  'adRefusedCode',
  'adSessionClosed',
  'loadCancelled',
  'groupDnInvalid',
  'groupNotInAd',
  'passwordLength',
  'adCannotReadStatus',
  'transferSettled',
  'transferOtherPerson',
  'createSettled',
  'createOtherPerson',
  'transferUnknown',
  'transferNotRetriable',
  'mitidNoLinkId',
  'personNoEmail',
  'personNoName',
  'mitidNotSuspended',
  'mitidCreateNeedsSni',
  'claimsNoIdp',
  'claimsUnsupported',
  'claimsUnavailable',
  'claimedElsewhere',
  'createPending',
  'policyFullServiceViolations',
  'policyNsisAdminOnly',
  'policyNsisIdentities',
  'identityFloorRefused',
  'policyStale',
  'termsInvalid',
  'termsEffectivePast',
  'termsStale',
  'termsNone',
  'termsVersionMissing',
  'bulkDriftEmpty',
  'bulkJobMissing',
  'bulkJobState',
  'bulkNothingToRetry',
  'bulkOuEmpty',
  'bulkGroupDn',
  'bulkGroupEmpty',
  'bulkCsvEmpty',
  'packageNotReady',
  'exportCancelled',
  'jobMissing',
  'packageMissing',
  'packageGone',
  'uploadMissing',
  'packageFileName',
  'uploadTooMany',
  'uploadFromStart',
  'uploadOrder',
  'uploadTooManyFiles',
  'uploadTooLarge',
  'zipTooLarge',
  'zipUnreadable',
  'zipLayout',
  'journalGap',
  'journalRefused',
  'tokenInvalid',
  'tokenAssignedOther',
  'settingsLockedByIt',
  'retentionFloorByIt',
  'settingsNeedsAddress',
  'notSignedIn',
  'mitidBadInput',
  'signInToReadAd',
  'syncSystemNotSetUp',
  'idpKeyInvalid',
  'idpRefreshCancelled',
  'idpUnreadable',
  'mitidRefreshCancelled',
  'mitidWaitSeconds',
  'mitidBudgetWait',
  'signInMissing',
  'actionBlocked',
  'signingGroupNotRestored',
  'orphanHasOwner',
  'driftOnlyInMitidOnIdentity',
  'adNotConfigured',
] as const;
export type MessageKey = (typeof messageKeys)[number];

/** A message by key, for the renderer to put in the operator's language (see `ErrorPayload.key`). */
export interface MessageRef {
  key: MessageKey;
  params?: MessageParams;
}

/**
 * The one error type services and connectors throw on purpose. `message` is Danish and shown to a Danish
 * operator as is; `ref` (optional) names the same message by key and values so the renderer can show it in
 * the operator's language. `details` must never hold secrets.
 */
export class ConsoleError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly ref: MessageRef | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown; ref?: MessageRef }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConsoleError';
    this.code = code;
    this.details = details;
    this.ref = options?.ref;
  }

  /** The same error, named by key for the renderer's locale tables. */
  withKey(key: MessageKey, params?: MessageParams): ConsoleError {
    return new ConsoleError(this.code, this.message, this.details, { cause: this.cause, ref: params ? { key, params } : { key } });
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      message: this.message,
      ...(this.ref ? { key: this.ref.key, ...(this.ref.params ? { params: this.ref.params } : {}) } : {}),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Shorthand: a ConsoleError that carries its message key. */
export function keyedError(code: ErrorCode, key: MessageKey, message: string, params?: MessageParams, details?: Record<string, unknown>): ConsoleError {
  return new ConsoleError(code, message, details, { ref: params ? { key, params } : { key } });
}

export function isConsoleError(e: unknown): e is ConsoleError {
  return e instanceof ConsoleError;
}

/** Any error as an `ErrorRef`: a console error with its code and key; anything else as `internal`, its text kept. */
export function errorRef(e: unknown): ErrorRef {
  if (!isConsoleError(e)) return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
  const { code, message, key, params } = e.toPayload();
  return { code, message, ...(key ? { key } : {}), ...(params ? { params } : {}) };
}
