import { z } from 'zod';
import { API_KEY_HEADER, CORRELATION_HEADER, Actor, Health, IDP_API_BASE, IdpErrorBody, PersonKey, WriteContext, idpErrorCodes } from './common.ts';
import { PasswordPolicy, PasswordPolicySettings, PasswordPolicyUpdate } from './password-policy.ts';
import { NsisTerms, PublishTermsVersion, TermsAcceptance, TermsVersion } from './terms.ts';
import { HardwareToken, IdpPerson, MfaDevice, TestPushResult } from './people.ts';
import { AuditEvent, AuditEventWrite, AuditHead, AuditPage, AuditWriteResult } from './audit.ts';
import {
  AcknowledgedHead,
  Attestation,
  AttestationCertificate,
  AttestationRequest,
  ChainedEvent,
  ChainHead,
  HeadPage,
  JournalBatch,
  JournalBatchResult,
  JournalList,
  JournalRef,
  JournalView,
} from './journal.ts';
import {
  AcceptancePage,
  AssignTokenBody,
  CurrentTerms,
  DevicePage,
  HardwareTokenPage,
  LockDeviceBody,
  PolicyPage,
  TermsVersionPage,
  WriteBody,
} from './api.ts';
import { claimComponents, claimKeyParam, claimOps } from './claims.ts';
import { PersonChange, PersonChangePage } from './changes.ts';
import { mailTemplateComponents, mailTemplateOps, mailTemplateTypeParam } from './mail-templates.ts';

/**
 * The OpenAPI 3.1 document of the IdP admin API, generated from the zod schemas so the two cannot drift.
 * resources/openapi/idp-admin-api.yaml is this document as YAML; a unit test fails when they differ and
 * rewrites the file when run with UPDATE_IDP_OPENAPI=1.
 */
const components: [string, z.ZodType, string][] = [
  ['Error', IdpErrorBody, `Every error answer. \`code\` is one of: ${idpErrorCodes.join(', ')}; read it as an open string.`],
  ['Health', Health, 'Reachability and API version.'],
  ['Actor', Actor, 'The operator on whose behalf the console writes.'],
  ['WriteContext', WriteContext, 'Who and why; part of every write.'],
  ['PersonKey', PersonKey, 'A person in the Local IdP: AD sAMAccountName within a domain.'],
  ['PasswordPolicySettings', PasswordPolicySettings, 'Editable fields of a password policy. Also: minLength ≤ maxLength; forceChangeReminderDays < forceChangePasswordIntervalDays. On an NSIS domain (Full Service IdP rule): minLength ≥ 15, triesBeforeLock ≤ 5, lockedMinutes ≥ 5, else 422 full-service-rule.'],
  ['PasswordPolicy', PasswordPolicy, 'One domain\'s (or sub-/pseudo-domain\'s) password policy.'],
  ['PasswordPolicyUpdate', PasswordPolicyUpdate, 'A policy save; basedOnVersion must equal the current version, else 409 conflict.'],
  ['PolicyPage', PolicyPage, 'A page of password policies.'],
  ['NsisTerms', NsisTerms, 'The fixed NSIS terms (read-only).'],
  ['TermsVersion', TermsVersion, 'One immutable version of the municipal addendum; contentHash = SHA-256 (hex) of the UTF-8 content.'],
  ['TermsVersionPage', TermsVersionPage, 'Addendum versions, newest first.'],
  ['CurrentTerms', CurrentTerms, 'The addendum version in effect now (null when none).'],
  ['PublishTermsVersion', PublishTermsVersion, 'A new addendum version; basedOnVersion must be the newest version (null when none), else 409.'],
  ['TermsAcceptance', TermsAcceptance, 'A person\'s acceptance, pinned to the version and hash accepted.'],
  ['AcceptancePage', AcceptancePage, 'A page of acceptances.'],
  ['IdpPerson', IdpPerson, 'A person as the Local IdP sees them.'],
  ['PersonChange', PersonChange, 'One person in the change feed: the person as they are now, or a tombstone (removed = true, person = null).'],
  ['PersonChangePage', PersonChangePage, 'A page of the people change feed, oldest first.'],
  ['MfaDevice', MfaDevice, 'One of a person\'s MFA devices.'],
  ['DevicePage', DevicePage, 'A page of MFA devices.'],
  ['WriteBody', WriteBody, 'Body of writes that need nothing but who and why.'],
  ['LockDeviceBody', LockDeviceBody, 'Lock a device, optionally until a time.'],
  ['TestPushResult', TestPushResult, 'Outcome of a test push.'],
  ['HardwareToken', HardwareToken, 'A hardware TOTP token ("kodeviser") in the pool.'],
  ['HardwareTokenPage', HardwareTokenPage, 'A page of hardware tokens.'],
  ['AssignTokenBody', AssignTokenBody, 'Assign a token from the pool; the same assignment again answers with the existing device.'],
  ['AuditHead', AuditHead, 'Newest audit event id.'],
  ['AuditEvent', AuditEvent, 'One audit event; `action` is an open string (the peer has ~75 types).'],
  ['AuditPage', AuditPage, 'Events with id > after, ascending.'],
  ['AuditEventWrite', AuditEventWrite, 'An event from the console; idempotent by eventId (same content again → 200 created=false; other content → 409).'],
  ['AuditWriteResult', AuditWriteResult, 'Where the event was stored.'],
  ['ChainHead', ChainHead, 'A position in a console journal\'s hash chain: seq and the SHA-256 (hex) of that record.'],
  ['JournalRef', JournalRef, 'A console journal: the random id made with it and the workstation that keeps it.'],
  ['ChainedEvent', ChainedEvent, 'One journal record in a batch: the audit event and its place in the chain.'],
  ['JournalBatch', JournalBatch, 'An outbox batch: consecutive records (seq +1, prevHash = previous hash) and the head to acknowledge (the last record).'],
  ['AcknowledgedHead', AcknowledgedHead, 'A head the IdP acknowledged, and when.'],
  ['JournalBatchResult', JournalBatchResult, 'The acknowledged head and where each event was stored.'],
  ['JournalView', JournalView, 'What the IdP knows about one journal.'],
  ['JournalList', JournalList, 'The journals the IdP knows from a workstation.'],
  ['HeadPage', HeadPage, 'Acknowledged heads with seq > after, ascending.'],
  ['AttestationCertificate', AttestationCertificate, 'The certificate and public key the IdP signs evidence with.'],
  ['AttestationRequest', AttestationRequest, 'An evidence manifest to sign (the bytes, base64).'],
  ['Attestation', Attestation, 'The IdP\'s signature over the manifest bytes, with its certificate.'],
  ...claimComponents,
  ...mailTemplateComponents,
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON Schema from zod, tidied for readers: no per-schema $id/$schema, no giant date-time regex. */
function tidy(v: Json): Json {
  if (Array.isArray(v)) return v.map(tidy);
  if (v === null || typeof v !== 'object') return v;
  const out: { [k: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$schema' || k === '$id') continue;
    if (k === 'pattern' && v['format'] === 'date-time') continue;
    if ((k === 'maximum' && x === Number.MAX_SAFE_INTEGER) || (k === 'minimum' && x === Number.MIN_SAFE_INTEGER)) continue;
    out[k] = tidy(x);
  }
  return out;
}

function schemas(): { [k: string]: Json } {
  const reg = z.registry<{ id: string }>();
  for (const [id, s] of components) reg.add(s, { id });
  // Field descriptions come from .describe() in the zod schemas; 'input' keeps non-strict objects open,
  // as the client reads them (unknown fields in an answer are ignored, not an error).
  const out = z.toJSONSchema(reg, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}`, io: 'input', unrepresentable: 'any' });
  const all = tidy(out.schemas as Json) as { [k: string]: { [k: string]: Json } };
  for (const [id, , description] of components) all[id] = { description, ...all[id] };
  return all;
}

interface Op {
  method: 'get' | 'put' | 'post';
  path: string;
  id: string;
  tag: string;
  summary: string;
  description?: string;
  query?: 'page' | 'audit' | 'tokens' | 'heads' | 'workstation' | 'changes';
  body?: string;
  ok: { status: number; schema?: string; description: string };
  errors: number[];
  /** Where this contract goes beyond OS2faktor: emitted as x-beyond-os2faktor. */
  beyond?: string;
}

/**
 * Where this contract goes beyond OS2faktor Login (2026r2, read from its source), by tag; an operation can
 * say more. OS2faktor's only machine API here is the audit-log read (`/api/auditlog/head`, `/read`).
 */
const beyondByTag: Record<string, string> = {
  'Journal anchor': 'OS2faktor keeps no console journals and acknowledges no hash-chain heads; this is the console\'s own trust anchor.',
  Attestation: 'OS2faktor signs no evidence; this is the console\'s own.',
  'Create claims': 'OS2faktor has no create claims; this is the console\'s own guard against paying twice for a MitID Erhverv identity.',
};
const deviceBeyond = 'OS2faktor\'s helpdesk cannot lock, unlock or remove a single self-registered device; this contract can, with a reason, audited as LIA_* actions (this contract\'s own names). The automatic 5-minute lock after 5 wrong codes is OS2faktor\'s.';

const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });
const P = '/people/{domain}/{username}';

const ops: Op[] = [
  { method: 'get', path: '/health', id: 'getHealth', tag: 'Forbindelse', summary: 'Reachability and API version', ok: { status: 200, schema: 'Health', description: 'Up' }, errors: [] },
  { method: 'get', path: '/password-policies', id: 'listPasswordPolicies', tag: 'Password policy', summary: 'List the password policies of all domains', query: 'page', ok: { status: 200, schema: 'PolicyPage', description: 'A page' }, errors: [] },
  { method: 'get', path: '/password-policies/{domain}', id: 'getPasswordPolicy', tag: 'Password policy', summary: "One domain's password policy", ok: { status: 200, schema: 'PasswordPolicy', description: 'The policy' }, errors: [404] },
  {
    method: 'put', path: '/password-policies/{domain}', id: 'updatePasswordPolicy', tag: 'Password policy', summary: "Save a domain's password policy",
    description: 'Optimistic concurrency: `basedOnVersion` must be the current version (else 409 conflict). On an NSIS domain the Full Service IdP rule applies (else 422 full-service-rule with details.violations[] {field, message}); nothing changes on either error. Audited as CHANGE_PASSWORD_SETTINGS with the full new settings.',
    body: 'PasswordPolicyUpdate', ok: { status: 200, schema: 'PasswordPolicy', description: 'Saved, with the new version' }, errors: [404, 409, 422],
  },
  { method: 'get', path: '/terms/nsis', id: 'getNsisTerms', tag: 'Terms of use', summary: 'The fixed NSIS terms (read-only)', ok: { status: 200, schema: 'NsisTerms', description: 'The terms' }, errors: [] },
  { method: 'get', path: '/terms/addendum/current', id: 'getCurrentTerms', tag: 'Terms of use', summary: 'The addendum version in effect now', ok: { status: 200, schema: 'CurrentTerms', description: 'Current version or null' }, errors: [] },
  { method: 'get', path: '/terms/addendum/versions', id: 'listTermsVersions', tag: 'Terms of use', summary: 'All addendum versions, newest first', query: 'page', ok: { status: 200, schema: 'TermsVersionPage', description: 'A page' }, errors: [] },
  {
    method: 'post', path: '/terms/addendum/versions', id: 'publishTermsVersion', tag: 'Terms of use', summary: 'Publish a new addendum version',
    description: 'Versions are immutable. A stale `basedOnVersion` gets 409. Audited as CHANGE_TERMS_AND_CONDITIONS.',
    body: 'PublishTermsVersion', ok: { status: 201, schema: 'TermsVersion', description: 'Published' }, errors: [409],
  },
  { method: 'get', path: '/terms/addendum/versions/{version}', id: 'getTermsVersion', tag: 'Terms of use', summary: 'One addendum version', ok: { status: 200, schema: 'TermsVersion', description: 'The version' }, errors: [404] },
  { method: 'get', path: '/terms/addendum/versions/{version}/acceptances', id: 'listVersionAcceptances', tag: 'Terms of use', beyond: 'OS2faktor does not say which version a person accepted; this contract does.', summary: 'Who accepted this version', query: 'page', ok: { status: 200, schema: 'AcceptancePage', description: 'A page' }, errors: [404] },
  {
    method: 'get', path: '/people/changes', id: 'listPersonChanges', tag: 'People', summary: 'People whose facts changed since a cursor (the change feed), one bounded page',
    description: 'Every write that changes a person\'s facts (NSIS status and level, identity lock, MFA devices, terms acceptance) moves the person to a new position at the end of the feed; each item is the person as they are when the page is read, so a person changed twice appears once. Removed people come as tombstones. Without `after` the feed starts from the beginning (every person, then everything since). Continue with `after = next` while `hasMore`. A change applied late gets its position when it is applied, and a change the IdP has not made visible yet holds back the ones behind it: a reader\'s cursor never passes a change it has not seen. A cursor the IdP cannot continue from (its feed was rebuilt) is answered from the beginning with `reset: true`. Changes that only the passing of time makes (a timed device lock running out, an addendum taking effect later) are not in the feed.',
    query: 'changes', ok: { status: 200, schema: 'PersonChangePage', description: 'A page' }, errors: [],
  },
  { method: 'get', path: P, id: 'getPerson', tag: 'People', summary: 'A person: NSIS status, identity lock, terms status', ok: { status: 200, schema: 'IdpPerson', description: 'The person' }, errors: [404] },
  { method: 'get', path: `${P}/terms-acceptances`, id: 'listTermsAcceptances', tag: 'Terms of use', beyond: 'OS2faktor records only a flag and a time per person; here every acceptance is pinned to the addendum version and both content hashes.', summary: "A person's acceptances, oldest first", query: 'page', ok: { status: 200, schema: 'AcceptancePage', description: 'A page' }, errors: [404] },
  { method: 'post', path: `${P}/lock`, id: 'lockIdentity', tag: 'People', summary: 'Lock the whole identity (DEACTIVATE_BY_ADMIN)', body: 'WriteBody', ok: { status: 200, schema: 'IdpPerson', description: 'Locked' }, errors: [404] },
  { method: 'post', path: `${P}/unlock`, id: 'unlockIdentity', tag: 'People', summary: 'Lift the identity lock (REACTIVATE_BY_ADMIN)', body: 'WriteBody', ok: { status: 200, schema: 'IdpPerson', description: 'Unlocked' }, errors: [404] },
  { method: 'get', path: `${P}/devices`, id: 'listDevices', tag: 'MFA devices', summary: "A person's MFA devices", query: 'page', ok: { status: 200, schema: 'DevicePage', description: 'A page' }, errors: [404] },
  { method: 'post', path: `${P}/devices/{deviceId}/lock`, id: 'lockDevice', tag: 'MFA devices', beyond: deviceBeyond, summary: 'Lock one device', body: 'LockDeviceBody', ok: { status: 200, schema: 'MfaDevice', description: 'Locked' }, errors: [404] },
  { method: 'post', path: `${P}/devices/{deviceId}/unlock`, id: 'unlockDevice', tag: 'MFA devices', beyond: deviceBeyond, summary: 'Unlock one device', body: 'WriteBody', ok: { status: 200, schema: 'MfaDevice', description: 'Unlocked' }, errors: [404] },
  { method: 'post', path: `${P}/devices/{deviceId}/remove`, id: 'removeDevice', tag: 'MFA devices', beyond: deviceBeyond, summary: 'Remove one device (a hardware token returns to the pool)', body: 'WriteBody', ok: { status: 204, description: 'Removed' }, errors: [404] },
  { method: 'post', path: `${P}/devices/{deviceId}/test-push`, id: 'sendTestPush', tag: 'MFA devices', summary: 'Send a test push (app and browser extension only)', description: '422 device-state for other types or a locked device.', body: 'WriteBody', ok: { status: 200, schema: 'TestPushResult', description: 'Outcome' }, errors: [404, 422] },
  { method: 'post', path: `${P}/hardware-tokens`, id: 'assignHardwareToken', tag: 'MFA devices', summary: 'Assign a hardware token from the pool', description: '409 token-assigned when someone else has it.', body: 'AssignTokenBody', ok: { status: 200, schema: 'MfaDevice', description: 'The new device' }, errors: [404, 409] },
  { method: 'post', path: `${P}/hardware-tokens/{serialNumber}/release`, id: 'releaseHardwareToken', tag: 'MFA devices', summary: 'Release a hardware token back to the pool', body: 'WriteBody', ok: { status: 204, description: 'Released' }, errors: [404] },
  { method: 'get', path: '/hardware-tokens/{serialNumber}', id: 'getHardwareToken', tag: 'MFA devices', summary: 'One hardware token of the pool: free, or whose', description: 'Lets the console validate a typed serial number before it assigns: 404 when the IdP has no such token.', ok: { status: 200, schema: 'HardwareToken', description: 'The token' }, errors: [404] },
  { method: 'get', path: '/hardware-tokens', id: 'listHardwareTokens', tag: 'MFA devices', summary: 'The hardware-token pool', query: 'tokens', ok: { status: 200, schema: 'HardwareTokenPage', description: 'A page' }, errors: [] },
  { method: 'get', path: '/audit/head', id: 'getAuditHead', tag: 'Audit log', summary: 'Newest event id', description: 'As OS2faktor\'s GET /api/auditlog/head: `head` is null while the log is empty. Events are kept 13 months, login events (LOGIN and the OIDC authorization-code events) 3 months, as OS2faktor keeps them; ids are never reused.', ok: { status: 200, schema: 'AuditHead', description: 'The head' }, errors: [] },
  { method: 'get', path: '/audit/events', id: 'readAuditEvents', tag: 'Audit log', beyond: 'OS2faktor reads 100 rows after an offset and answers a bare array ([] when empty); this contract pages with after/limit and answers {items, next, hasMore} ({items: [], next: after, hasMore: false} when empty).', summary: 'Events after an id, ascending, bounded page', description: 'Ids increase but may skip: continue with `after = next` while `hasMore`.', query: 'audit', ok: { status: 200, schema: 'AuditPage', description: 'A page' }, errors: [] },
  {
    method: 'post', path: '/audit/journals/{journalId}/batches', id: 'shipJournalBatch', tag: 'Journal anchor', summary: 'Store an outbox batch and acknowledge its chain head',
    description: 'The events are stored as by writeAuditEvent (idempotent by eventId). The batch must continue the chain the IdP acknowledged for this journal: the record after the newest acknowledged head must carry that head\'s hash as prevHash. Otherwise 409 conflict with details.acknowledged = the newest head, and nothing is stored. The same batch again answers with the head it made. The IdP keeps every acknowledged head.',
    body: 'JournalBatch', ok: { status: 200, schema: 'JournalBatchResult', description: 'Acknowledged' }, errors: [409],
  },
  { method: 'get', path: '/audit/journals', id: 'listJournals', tag: 'Journal anchor', summary: 'The journals known from a workstation', query: 'workstation', ok: { status: 200, schema: 'JournalList', description: 'The journals' }, errors: [] },
  { method: 'get', path: '/audit/journals/{journalId}', id: 'getJournal', tag: 'Journal anchor', summary: 'One journal and its newest acknowledged head', ok: { status: 200, schema: 'JournalView', description: 'The journal' }, errors: [404] },
  { method: 'get', path: '/audit/journals/{journalId}/heads', id: 'listJournalHeads', tag: 'Journal anchor', summary: 'Acknowledged heads after a seq, ascending', query: 'heads', ok: { status: 200, schema: 'HeadPage', description: 'A page' }, errors: [404] },
  { method: 'get', path: '/audit/journals/{journalId}/heads/{seq}', id: 'getJournalHead', tag: 'Journal anchor', summary: 'The hash acknowledged at seq N', ok: { status: 200, schema: 'AcknowledgedHead', description: 'The head' }, errors: [404] },
  { method: 'get', path: '/attestation/certificate', id: 'getAttestationCertificate', tag: 'Attestation', summary: 'The certificate the IdP signs evidence with', ok: { status: 200, schema: 'AttestationCertificate', description: 'The certificate' }, errors: [] },
  {
    method: 'post', path: '/attestation/signatures', id: 'attestEvidence', tag: 'Attestation', summary: 'Sign an evidence manifest',
    description: 'RSASSA-PKCS1-v1_5 with SHA-256 over the decoded manifest bytes, so `openssl dgst -sha256 -verify <public key> -signature <sig> manifest.json` checks it. The IdP records the manifest\'s SHA-256 in its audit log (LIA_EVIDENCE_ATTESTED).',
    body: 'AttestationRequest', ok: { status: 201, schema: 'Attestation', description: 'Signed' }, errors: [],
  },
  { method: 'post', path: '/audit/events', id: 'writeAuditEvent', tag: 'Audit log', beyond: 'OS2faktor\'s audit-log API is read-only; writing the console\'s events into the IdP\'s log is this contract\'s own.', summary: 'Write an event from the console (idempotent by eventId)', body: 'AuditEventWrite', ok: { status: 201, schema: 'AuditWriteResult', description: 'Stored (200 with created=false when the eventId was already stored with the same content)' }, errors: [409] },
  ...claimOps.map((o): Op => ({ ...o, errors: [...o.errors] })),
  ...mailTemplateOps.map((o): Op => ({ ...o, errors: [...o.errors] })),
];

const pathParams: Record<string, Json> = {
  domain: { name: 'domain', in: 'path', required: true, schema: { type: 'string' }, description: 'Domain, sub-domain or pseudo-domain name' },
  username: { name: 'username', in: 'path', required: true, schema: { type: 'string' }, description: 'AD sAMAccountName (case-insensitive)' },
  deviceId: { name: 'deviceId', in: 'path', required: true, schema: { type: 'string' } },
  serialNumber: { name: 'serialNumber', in: 'path', required: true, schema: { type: 'string' } },
  version: { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
  journalId: { name: 'journalId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
  seq: { name: 'seq', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
  key: claimKeyParam as unknown as Json,
  type: mailTemplateTypeParam as unknown as Json,
};
const pageParams: Json[] = [
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
];
const queryParams: Record<NonNullable<Op['query']>, Json[]> = {
  page: pageParams,
  tokens: [...pageParams, { name: 'status', in: 'query', schema: { type: 'string', enum: ['free', 'assigned'] } }],
  audit: [
    { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 }, description: 'Return events with id > after' },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
  ],
  heads: [
    { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 }, description: 'Return heads with seq > after' },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 } },
  ],
  changes: [
    { name: 'after', in: 'query', schema: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' }, description: '`next` of the previous page; absent = from the beginning' },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 500 } },
  ],
  workstation: [{ name: 'workstation', in: 'query', required: true, schema: { type: 'string' }, description: 'The workstation\'s name as the console sends it' }],
};
/** Sent with every call the console makes for an operator's action; stored on the audit events the call causes. */
const correlationParam: Json = {
  name: CORRELATION_HEADER,
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' },
  description:
    'The console operation this call belongs to (the correlation id of its journal records). The IdP stores it as `correlationId` on every audit event the call causes, so the console shows those events in the row of the action that caused them. A value that does not match the pattern is ignored.',
};
const errorText: Record<number, string> = {
  400: 'validation',
  401: 'unauthenticated (missing or wrong ApiKey / bearer token)',
  403: 'forbidden (e.g. a fixed Full Service template)',
  404: 'not-found',
  409: 'conflict (stale version, event id reused with other content) or token-assigned',
  422: 'full-service-rule or device-state',
  500: 'internal',
  503: 'unavailable',
};

export function idpOpenApiDocument(): Json {
  const paths: { [k: string]: { [m: string]: Json } } = {};
  for (const op of ops) {
    const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const responses: { [k: string]: Json } = {
      [String(op.ok.status)]: op.ok.schema
        ? { description: op.ok.description, content: { 'application/json': { schema: ref(op.ok.schema) } } }
        : { description: op.ok.description },
    };
    for (const s of [400, 401, ...op.errors, 500, 503]) {
      responses[String(s)] = { description: errorText[s]!, content: { 'application/json': { schema: ref('Error') } } };
    }
    const o: { [k: string]: Json } = { operationId: op.id, tags: [op.tag], summary: op.summary };
    if (op.description) o['description'] = op.description;
    const beyond = op.beyond ?? beyondByTag[op.tag];
    if (beyond) o['x-beyond-os2faktor'] = beyond;
    const params = [...names.map((n) => pathParams[n]!), ...(op.query ? queryParams[op.query] : []), correlationParam];
    if (params.length > 0) o['parameters'] = params;
    if (op.body) o['requestBody'] = { required: true, content: { 'application/json': { schema: ref(op.body) } } };
    o['responses'] = responses;
    (paths[op.path] ??= {})[op.method] = o;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'IdP admin API',
      version: '1.0.0',
      description:
        'The admin API a Local IdP (or an adapter in front of one) implements for the Lokal IdP Admin console: password policy per domain, terms of use, people\'s MFA devices and the central audit log. Modelled on the data model of OS2faktor Login. Generated from shared/idp (zod); do not edit by hand. Every write carries the operator (actor) and a reason, which the IdP records in its audit log. Audit action names are OS2faktor\'s LogAction names where OS2faktor has the action; actions this contract adds are prefixed LIA_ and marked as its own. Operations marked x-beyond-os2faktor go beyond what OS2faktor offers.',
    },
    servers: [{ url: IDP_API_BASE }],
    security: [{ apiKey: [] }, { bearer: [] }],
    tags: ['Forbindelse', 'Password policy', 'Terms of use', 'People', 'MFA devices', 'Audit log', 'Journal anchor', 'Attestation', 'Create claims', 'Mail templates'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: API_KEY_HEADER },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      schemas: schemas(),
    },
  };
}

// A small YAML emitter for JSON data (block style, strings quoted only when they must be).
const plain = /^[A-Za-z_/][A-Za-z0-9_ ./(),'-]*$/;
const reserved = /^(true|false|null|yes|no|on|off|~|y|n)$/i;
function scalar(v: Json): string {
  if (typeof v === 'string') return plain.test(v) && !reserved.test(v) && !v.endsWith(' ') && !/: | #/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}
const isContainer = (x: Json): boolean => x !== null && typeof x === 'object' && (Array.isArray(x) ? x.length > 0 : Object.keys(x).length > 0);
function emit(v: Json, indent: string): string[] {
  if (Array.isArray(v)) {
    if (v.length === 0) return ['[]'];
    const out: string[] = [];
    for (const item of v) {
      const lines = emit(item, `${indent}  `);
      if (isContainer(item)) {
        out.push(`${indent}- ${lines[0]!.trimStart()}`, ...lines.slice(1));
      } else out.push(`${indent}- ${lines[0]}`);
    }
    return out;
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) return ['{}'];
    const out: string[] = [];
    for (const k of keys) {
      const x = v[k]!;
      const key = plain.test(k) && !reserved.test(k) ? k : JSON.stringify(k);
      if (isContainer(x)) out.push(`${indent}${key}:`, ...emit(x, `${indent}  `));
      else out.push(`${indent}${key}: ${emit(x, '')[0]}`);
    }
    return out;
  }
  return [scalar(v)];
}

export function toYaml(v: Json): string {
  return `${emit(v, '').join('\n')}\n`;
}

export function idpOpenApiYaml(): string {
  return `# Generated from shared/idp/openapi.ts — do not edit by hand.\n${toYaml(idpOpenApiDocument())}`;
}
