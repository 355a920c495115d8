import type { PingResult } from '../../../shared/domain/settings.ts';
import type { Page, PageQuery, PersonKey, WriteContext } from '../../../shared/idp/common.ts';
import type { PasswordPolicy, PasswordPolicyUpdate } from '../../../shared/idp/password-policy.ts';
import type { NsisTerms, PublishTermsVersion, TermsAcceptance, TermsVersion } from '../../../shared/idp/terms.ts';
import type { HardwareToken, IdpPerson, MfaDevice, TestPushResult } from '../../../shared/idp/people.ts';
import type { AuditEventWrite, AuditPage, AuditWriteResult } from '../../../shared/idp/audit.ts';
import type { PersonChangePage } from '../../../shared/idp/changes.ts';
import type { MailTemplate, MailTemplateUpdate } from '../../../shared/idp/mail-templates.ts';
import type { AcknowledgedHead, Attestation, AttestationCertificate, AttestationRequest, HeadPage, JournalBatch, JournalBatchResult, JournalView } from '../../../shared/idp/journal.ts';

/**
 * Read side of a Local IdP's audit log by cursor. Both the IdP admin API client and the adapter for
 * OS2faktor's own audit-log API implement it, so the console's log cache works against either.
 */
export interface AuditLogSource {
  /** Newest event id; 0 when the log is empty. */
  auditHead(): Promise<number>;
  /** Events with id > after, ascending, at most one bounded page. */
  readAudit(after: number, limit?: number): Promise<AuditPage>;
}

export type LockDeviceInput = WriteContext & { until?: string };

/**
 * The console's view of the Local IdP (IdP admin API v1). Every method throws ConsoleError:
 * 'unavailable-idp' (down, timeout, 5xx, an answer that does not match the contract), 'conflict' (409:
 * stale version, token taken), 'refused' (422: Full Service IdP rule, device state), 'not-found',
 * 'validation' (bad input, caught before anything is sent), 'forbidden'.
 */
export interface IdpPort extends AuditLogSource {
  readonly kind: 'idp-admin-api';
  ping(): Promise<PingResult>;

  listPasswordPolicies(page?: PageQuery): Promise<Page<PasswordPolicy>>;
  getPasswordPolicy(domain: string): Promise<PasswordPolicy>;
  /** 409 → conflict when `basedOnVersion` is stale; 422 → refused when an NSIS domain breaks the Full Service rule. */
  updatePasswordPolicy(domain: string, update: PasswordPolicyUpdate): Promise<PasswordPolicy>;

  getNsisTerms(): Promise<NsisTerms>;
  getCurrentTerms(): Promise<TermsVersion | null>;
  /** Newest first. */
  listTermsVersions(page?: PageQuery): Promise<Page<TermsVersion>>;
  getTermsVersion(version: number): Promise<TermsVersion>;
  publishTermsVersion(input: PublishTermsVersion): Promise<TermsVersion>;
  listVersionAcceptances(version: number, page?: PageQuery): Promise<Page<TermsAcceptance>>;

  getPerson(person: PersonKey): Promise<IdpPerson>;
  /**
   * One page of the people change feed after `after` (undefined: from the beginning), oldest first. Pass
   * `next` back as `after`; `reset` says the IdP started over from the beginning (the cursor was stale).
   */
  listPersonChanges(after: string | undefined, limit?: number, opts?: { signal?: AbortSignal }): Promise<PersonChangePage>;
  listTermsAcceptances(person: PersonKey, page?: PageQuery): Promise<Page<TermsAcceptance>>;
  lockIdentity(person: PersonKey, ctx: WriteContext): Promise<IdpPerson>;
  unlockIdentity(person: PersonKey, ctx: WriteContext): Promise<IdpPerson>;

  listDevices(person: PersonKey, page?: PageQuery): Promise<Page<MfaDevice>>;
  lockDevice(person: PersonKey, deviceId: string, input: LockDeviceInput): Promise<MfaDevice>;
  unlockDevice(person: PersonKey, deviceId: string, ctx: WriteContext): Promise<MfaDevice>;
  removeDevice(person: PersonKey, deviceId: string, ctx: WriteContext): Promise<void>;
  sendTestPush(person: PersonKey, deviceId: string, ctx: WriteContext): Promise<TestPushResult>;
  /** One token of the pool (free, or whose); null when the IdP has no token with that serial number. */
  getHardwareToken(serialNumber: string): Promise<HardwareToken | null>;
  listHardwareTokens(query?: PageQuery & { status?: 'free' | 'assigned' }): Promise<Page<HardwareToken>>;
  assignHardwareToken(person: PersonKey, serialNumber: string, ctx: WriteContext): Promise<MfaDevice>;
  releaseHardwareToken(person: PersonKey, serialNumber: string, ctx: WriteContext): Promise<void>;

  /** Every mail template: the fixed Full Service ones and the municipality's own. */
  listMailTemplates(): Promise<MailTemplate[]>;
  /** 403 → forbidden for a fixed template; 409 → conflict when `basedOnVersion` is stale. */
  updateMailTemplate(type: MailTemplate['type'], update: MailTemplateUpdate): Promise<MailTemplate>;

  /** Idempotent by `eventId`: a retried write never duplicates (the result says whether it was new). */
  writeAuditEvent(event: AuditEventWrite): Promise<AuditWriteResult>;

  /**
   * One outbox batch with the journal's identity and chain head. 409 → conflict when the batch does not
   * continue the chain the IdP acknowledged (details.acknowledged is the IdP's head). Safe to retry.
   */
  shipJournalBatch(batch: JournalBatch): Promise<JournalBatchResult>;
  /** What the IdP knows about a journal; null when it does not know it. */
  getJournal(journalId: string): Promise<JournalView | null>;
  /** Every journal the IdP knows from a workstation. */
  listJournals(workstation: string): Promise<JournalView[]>;
  /** Acknowledged heads with seq > after, ascending, one bounded page. */
  journalHeads(journalId: string, after: number, limit?: number): Promise<HeadPage>;
  /** The hash the IdP acknowledged at `seq`; null when it acknowledged no head there. */
  journalHeadAt(journalId: string, seq: number): Promise<AcknowledgedHead | null>;

  /** The certificate (and public key) the IdP signs evidence with. */
  attestationCertificate(): Promise<AttestationCertificate>;
  /** The IdP signs an evidence manifest with its own key. */
  attest(request: AttestationRequest): Promise<Attestation>;

  /** Frees sockets; the port is unusable afterwards. */
  close(): void;
}

/** Every event after `after`, page by page, each exactly once and in id order. */
export async function* auditEventsAfter(source: AuditLogSource, after: number, limit?: number): AsyncGenerator<AuditPage['items'][number]> {
  let cursor = after;
  for (;;) {
    const page = await source.readAudit(cursor, limit);
    for (const e of page.items) {
      // Guard against a server that repeats or reorders: the cursor only moves forward.
      if (e.id > cursor) {
        cursor = e.id;
        yield e;
      }
    }
    if (!page.hasMore || page.items.length === 0) return;
  }
}
