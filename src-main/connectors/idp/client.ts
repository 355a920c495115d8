import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConsoleError } from '../../../shared/errors.ts';
import {
  Domain,
  Health,
  PageQuery,
  PersonKey,
  WriteContext,
} from '../../../shared/idp/common.ts';
import type { PageQuery as PageQueryInput } from '../../../shared/idp/common.ts';
import { PasswordPolicy, PasswordPolicyUpdate } from '../../../shared/idp/password-policy.ts';
import { NsisTerms, PublishTermsVersion, TermsVersion } from '../../../shared/idp/terms.ts';
import { HardwareToken, IdpPerson, MfaDevice, SerialNumber, TestPushResult } from '../../../shared/idp/people.ts';
import { AuditEventWrite, AuditHead, AuditPage, AuditReadQuery, AuditWriteResult } from '../../../shared/idp/audit.ts';
import { PersonChangePage, PersonChangesQuery } from '../../../shared/idp/changes.ts';
import {
  AcknowledgedHead,
  Attestation,
  AttestationCertificate,
  AttestationRequest,
  HeadPage,
  HeadReadQuery,
  JournalBatch,
  JournalBatchResult,
  JournalId,
  JournalList,
  JournalView,
  Workstation,
} from '../../../shared/idp/journal.ts';
import {
  AcceptancePage,
  AssignTokenBody,
  CurrentTerms,
  DevicePage,
  HardwareTokenPage,
  LockDeviceBody,
  PolicyPage,
  TermsVersionPage,
  TokenStatusQuery,
  WriteBody,
} from '../../../shared/idp/api.ts';
import { MailTemplate, MailTemplateList, MailTemplateType, MailTemplateUpdate } from '../../../shared/idp/mail-templates.ts';
import { errorDetail, type IdpProfile } from '../../../shared/domain/settings.ts';
import type { IdpPort } from './idp-port.ts';
import { idpHttpFrom, type IdpClientOptions, type IdpHttp, type RequestSpec } from './http.ts';

export type { IdpAuth, IdpClientOptions } from './http.ts';

/**
 * Client options from the settings' IdP profile and the secret kept for it (idp.apiKey or
 * idp.bearerToken, by `profile.auth`) plus the CA file's content when one is configured.
 */
export function idpClientOptionsFromProfile(profile: IdpProfile, secret: string, ca?: string | Buffer): IdpClientOptions {
  return {
    baseUrl: profile.baseUrl,
    auth: profile.auth === 'bearer' ? { kind: 'bearer', token: secret } : { kind: 'api-key', apiKey: secret },
    timeoutMs: profile.timeoutMs,
    ...(ca !== undefined ? { ca } : {}),
  };
}

/** Checks input before anything is sent, so a bad call never reaches the IdP. */
function input<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ConsoleError('validation', `Ugyldige data til Lokal IdP: ${r.error.issues.map((i) => `${i.path.join('.') || 'værdi'}: ${i.message}`).join('; ')}`).withKey('idpBadInput');
  }
  return r.data;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The addendum and the NSIS terms are pinned by hash: an answer whose hash does not fit is not trusted. */
function checkHash<T extends { content: string; contentHash: string }>(t: T): T {
  if (sha256(t.content) !== t.contentHash) {
    throw new ConsoleError('unavailable-idp', 'Lokal IdP sendte vilkår, hvis indhold ikke passer til deres SHA-256').withKey('idpTermsHash');
  }
  return t;
}

const enc = encodeURIComponent;

/** A 404 is an answer ("not known"), not a failure. */
async function notFoundAsNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ConsoleError && e.code === 'not-found') return null;
    throw e;
  }
}

/**
 * The real IdpPort: a Local IdP that implements the IdP admin API v1, over the shared HTTP stack. Given
 * options it builds its own stack; given a stack (idpHttpFor) it shares it, e.g. with the claims client.
 */
export function createIdpClient(source: IdpClientOptions | IdpHttp): IdpPort {
  const { h, close } = idpHttpFrom(source);

  const get = <T extends z.ZodType>(path: string, schema: T, query?: RequestSpec<T>['query']) =>
    h.request({ method: 'GET', path, schema, idempotent: true, ...(query ? { query } : {}) });
  const write = <T extends z.ZodType>(method: 'POST' | 'PUT', path: string, body: unknown, schema: T | null) =>
    h.request({ method, path, body, schema, idempotent: false });
  const page = (p?: PageQueryInput) => {
    const q = input(PageQuery, p ?? {});
    return { limit: q.limit, cursor: q.cursor };
  };
  const who = (p: PersonKey) => {
    const k = input(PersonKey, p);
    return `/people/${enc(k.domain)}/${enc(k.username)}`;
  };
  const deviceId = (id: string) => enc(input(z.string().trim().min(1).max(100), id));

  return {
    kind: 'idp-admin-api',

    async ping() {
      try {
        const health = await h.request({ method: 'GET', path: '/health', schema: Health, idempotent: false });
        return {
          ok: true,
          message: `Forbundet til ${health.product} (IdP-admin-API v${health.apiVersion})`,
          detail: { code: 'connectedIdp', params: { product: health.product, version: health.apiVersion } },
        };
      } catch (e) {
        return { ok: false, message: e instanceof ConsoleError ? e.message : 'Lokal IdP kan ikke nås', detail: errorDetail(e, { code: 'noAnswer', params: {} }) };
      }
    },

    listPasswordPolicies: async (p) => get('/password-policies', PolicyPage, page(p)),
    getPasswordPolicy: async (domain) => get(`/password-policies/${enc(input(Domain, domain))}`, PasswordPolicy),
    updatePasswordPolicy: async (domain, update) =>
      write('PUT', `/password-policies/${enc(input(Domain, domain))}`, input(PasswordPolicyUpdate, update), PasswordPolicy),

    getNsisTerms: async () => checkHash(await get('/terms/nsis', NsisTerms)),
    getCurrentTerms: async () => {
      const { current } = await get('/terms/addendum/current', CurrentTerms);
      return current ? checkHash(current) : null;
    },
    listTermsVersions: async (p) => {
      const r = await get('/terms/addendum/versions', TermsVersionPage, page(p));
      r.items.forEach(checkHash);
      return r;
    },
    getTermsVersion: async (version) =>
      checkHash(await get(`/terms/addendum/versions/${input(z.number().int().min(1), version)}`, TermsVersion)),
    publishTermsVersion: async (body) =>
      checkHash(await write('POST', '/terms/addendum/versions', input(PublishTermsVersion, body), TermsVersion)),
    listVersionAcceptances: async (version, p) =>
      get(`/terms/addendum/versions/${input(z.number().int().min(1), version)}/acceptances`, AcceptancePage, page(p)),

    getPerson: async (person) => get(who(person), IdpPerson),
    listPersonChanges: async (after, limit, opts) => {
      const q = input(PersonChangesQuery, { after, limit });
      return h.request({ method: 'GET', path: '/people/changes', schema: PersonChangePage, idempotent: true, query: { after: q.after, limit: q.limit }, signal: opts?.signal });
    },
    listTermsAcceptances: async (person, p) => get(`${who(person)}/terms-acceptances`, AcceptancePage, page(p)),
    lockIdentity: async (person, ctx) => write('POST', `${who(person)}/lock`, input(WriteBody, ctx), IdpPerson),
    unlockIdentity: async (person, ctx) => write('POST', `${who(person)}/unlock`, input(WriteBody, ctx), IdpPerson),

    listDevices: async (person, p) => get(`${who(person)}/devices`, DevicePage, page(p)),
    lockDevice: async (person, id, body) => write('POST', `${who(person)}/devices/${deviceId(id)}/lock`, input(LockDeviceBody, body), MfaDevice),
    unlockDevice: async (person, id, ctx) => write('POST', `${who(person)}/devices/${deviceId(id)}/unlock`, input(WriteBody, ctx), MfaDevice),
    removeDevice: async (person, id, ctx) => {
      await write('POST', `${who(person)}/devices/${deviceId(id)}/remove`, input(WriteBody, ctx), null);
    },
    sendTestPush: async (person, id, ctx) => write('POST', `${who(person)}/devices/${deviceId(id)}/test-push`, input(WriteBody, ctx), TestPushResult),
    getHardwareToken: async (serialNumber) => notFoundAsNull(get(`/hardware-tokens/${enc(input(SerialNumber, serialNumber))}`, HardwareToken)),
    listHardwareTokens: async (q) => {
      const status = q?.status === undefined ? undefined : input(TokenStatusQuery, q.status);
      return get('/hardware-tokens', HardwareTokenPage, { ...page(q), status });
    },
    assignHardwareToken: async (person, serialNumber, ctx) =>
      write('POST', `${who(person)}/hardware-tokens`, input(AssignTokenBody, { ...input(WriteContext, ctx), serialNumber }), MfaDevice),
    releaseHardwareToken: async (person, serialNumber, ctx) => {
      await write('POST', `${who(person)}/hardware-tokens/${enc(input(SerialNumber, serialNumber))}/release`, input(WriteBody, ctx), null);
    },

    listMailTemplates: async () => (await get('/mail-templates', MailTemplateList)).items,
    updateMailTemplate: async (type, update) =>
      write('PUT', `/mail-templates/${enc(input(MailTemplateType, type))}`, input(MailTemplateUpdate, update), MailTemplate),

    auditHead: async () => (await get('/audit/head', AuditHead)).head ?? 0,
    readAudit: async (after, limit) => {
      const q = input(AuditReadQuery, { after, limit });
      const p = await get('/audit/events', AuditPage, { after: q.after, limit: q.limit });
      if (p.items.some((e, i) => e.id <= (i === 0 ? q.after : p.items[i - 1]!.id))) {
        throw new ConsoleError('unavailable-idp', 'Lokal IdP sendte hændelser uden for rækkefølge').withKey('idpEventsOrder');
      }
      return p;
    },
    // Idempotent by event id, so it is safe to retry like a GET.
    writeAuditEvent: async (event) =>
      h.request({ method: 'POST', path: '/audit/events', body: input(AuditEventWrite, event), schema: AuditWriteResult, idempotent: true }),

    // A batch is idempotent by its events' ids and its head, so a retry after a lost answer is safe.
    shipJournalBatch: async (batch) => {
      const b = input(JournalBatch, batch);
      return h.request({ method: 'POST', path: `/audit/journals/${enc(b.journal.journalId)}/batches`, body: b, schema: JournalBatchResult, idempotent: true });
    },
    getJournal: async (journalId) => notFoundAsNull(get(`/audit/journals/${enc(input(JournalId, journalId))}`, JournalView)),
    listJournals: async (workstation) => (await get('/audit/journals', JournalList, { workstation: input(Workstation, workstation) })).items,
    journalHeads: async (journalId, after, limit) => {
      const q = input(HeadReadQuery, { after, limit });
      const p = await get(`/audit/journals/${enc(input(JournalId, journalId))}/heads`, HeadPage, { after: q.after, limit: q.limit });
      if (p.items.some((x, i) => x.seq <= (i === 0 ? q.after : p.items[i - 1]!.seq))) {
        throw new ConsoleError('unavailable-idp', 'Lokal IdP sendte journalhoveder uden for rækkefølge').withKey('idpJournalOrder');
      }
      return p;
    },
    journalHeadAt: async (journalId, seq) =>
      notFoundAsNull(get(`/audit/journals/${enc(input(JournalId, journalId))}/heads/${input(z.number().int().min(1), seq)}`, AcknowledgedHead)),

    attestationCertificate: async () => get('/attestation/certificate', AttestationCertificate),
    // Signing twice is harmless (the IdP logs both); a retry after a lost answer beats an unsigned package.
    attest: async (req) => h.request({ method: 'POST', path: '/attestation/signatures', body: input(AttestationRequest, req), schema: Attestation, idempotent: true }),

    close,
  };
}
