import { z } from 'zod';
import { Actor, PAGE_LIMIT_MAX, Timestamp } from './common.ts';

/**
 * Actions this contract adds where OS2faktor's LogAction has none. They carry the prefix LIA_ (Lokal IdP
 * Admin) so that nobody mistakes them for OS2faktor's own: OS2faktor cannot lock or unlock one device, hand
 * out a hardware token from a pool over an API, sign evidence, or change a mail template over an API.
 */
export const ownActions = {
  lockDevice: 'LIA_LOCK_MFA_DEVICE',
  unlockDevice: 'LIA_UNLOCK_MFA_DEVICE',
  assignToken: 'LIA_KODEVISER_ASSIGNED',
  evidenceAttested: 'LIA_EVIDENCE_ATTESTED',
  /** The automatic 5-minute lock after 5 wrong codes (OS2faktor does it, but has no action of its own for it). */
  deviceLockedByWrongCodes: 'LIA_MFA_DEVICE_LOCKED_WRONG_CODES',
  /** OS2faktor's LogAction (as read) has no action for a template change. */
  changeMailTemplate: 'LIA_CHANGE_EMAIL_TEMPLATE',
} as const;

/**
 * Some of the peer's ~75 action types (OS2faktor `LogAction`), then this contract's own. The wire carries
 * actions as open strings so a new type on the server never breaks a read; this list is for labels and
 * filters only.
 */
export const knownAuditActions = [
  'LOGIN',
  'WRONG_PASSWORD',
  'TOO_MANY_ATTEMPTS',
  'ACCEPT_MFA',
  'REJECT_MFA',
  'ACTIVATE',
  'ACCEPTED_TERMS',
  'DEACTIVATE_BY_ADMIN',
  'REACTIVATE_BY_ADMIN',
  'RANDOM_PASSWORD_SET_BY_ADMIN',
  'CHANGED_TRANSFER_TO_NEMLOGIN',
  'CHANGED_ALLOW_QUALIFIED_SIGNATURE',
  'CHANGE_PASSWORD',
  'ASSOCIATE_MFA',
  'DELETED_MFA_DEVICE',
  'ADDED_ROLE_BY_ADMIN',
  'CHANGE_PASSWORD_SETTINGS',
  'CHANGE_TERMS_AND_CONDITIONS',
  'KODEVISER_RESET',
  'MITID_ERVHERV_ACTION',
  'ADMIN_MFA_TEST',
  'UNLOCK_ACCOUNT',
  'SENT_EBOKS',
  'SENT_MAIL',
  ...Object.values(ownActions),
] as const;

/** OS2faktor keeps every event 13 months and login events 3 months. */
export const RETENTION_MONTHS = { all: 13, logins: 3 } as const;
/** The actions of OS2faktor's 3-month login report (ReportType.LOGIN_HISTORY): kept 3 months. */
export const loginRetentionActions: readonly string[] = ['LOGIN', 'OIDC_AUTHORIZATION_CODE_REQUEST', 'OIDC_AUTHORIZATION_CODE_REQUEST_RESPONSE'];

export const AuditAction = z.string().trim().min(1).max(100);

export const AuditPersonRef = z.object({
  domain: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
});

export const AuditEvent = z.object({
  id: z.number().int().min(1).describe('Increases with every event; may skip numbers. The read cursor.'),
  time: Timestamp,
  action: AuditAction,
  message: z.string(),
  ipAddress: z.string().nullable(),
  correlationId: z.string().nullable().describe('One login session (or one console operation).'),
  person: AuditPersonRef.nullable(),
  performer: z.object({ username: z.string(), displayName: z.string().nullable() }).nullable().describe('The administrator who performed it; null for the person\'s own actions.'),
  details: z.string().nullable().describe('Free text, JSON or XML as the IdP stored it.'),
  cprMasked: z.string().regex(/^\d{6}-XXXX$/).nullable().describe('CPR masked as ddmmyy-XXXX; the full number never crosses this API.'),
  source: z.string().describe('\'console\' for events written through this API.'),
  eventId: z.string().nullable().describe('The writer\'s idempotency key for events written through this API.'),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditHead = z.object({
  head: z.number().int().min(0).nullable().describe('Newest id; null when the log is empty, as OS2faktor answers (the maximum id of no rows). Older servers of this contract answered 0; read both as "no events".'),
});

export const AUDIT_PAGE_DEFAULT = 100;

export const AuditReadQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(AUDIT_PAGE_DEFAULT),
});

export const AuditPage = z.object({
  items: z.array(AuditEvent).describe('Events with id > after, ascending, at most `limit`.'),
  next: z.number().int().min(0).describe('Pass as `after` for the next page (the last id returned, or `after` when empty).'),
  hasMore: z.boolean().describe('True when more events exist after `next` right now.'),
});
export type AuditPage = z.infer<typeof AuditPage>;

/** An event the console ships from its own journal; idempotent by `eventId`. */
export const AuditEventWrite = z
  .object({
    eventId: z.uuid(),
    time: Timestamp,
    action: AuditAction,
    message: z.string().max(2000),
    performer: Actor,
    person: z.object({ domain: z.string().min(1), username: z.string().min(1) }).nullable(),
    correlationId: z.string().max(100).nullable(),
    reason: z.string().max(500).nullable().describe('Reason given by the operator, for admin actions.'),
    details: z.string().max(20_000).nullable(),
  })
  .strict();
export type AuditEventWrite = z.infer<typeof AuditEventWrite>;

export const AuditWriteResult = z.object({
  id: z.number().int().min(1),
  eventId: z.string(),
  created: z.boolean().describe('false when the event id was already stored (a retry): nothing was added.'),
});
export type AuditWriteResult = z.infer<typeof AuditWriteResult>;
