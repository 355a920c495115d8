// The real MitIdErhvervPort adapter: the IdM API over mutual TLS (see
// shared/reference/mitid-erhverv-idm-api.md; [C]/[I]/[?] refer to its confidence markers). This file is
// the facade: the options, and one line per port method into the resource modules —
// search.ts, identities.ts, authenticators.ts, create.ts, rights.ts — which share context.ts and the
// one helper for writes that are not idempotent (non-idempotent.ts).
import { isConsoleError } from '../../../shared/errors.ts';
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
import { errorDetail, type MitIdProfile, type PingResult } from '../../../shared/domain/settings.ts';
import * as authenticators from './authenticators.ts';
import type { ClientContext, Compat } from './context.ts';
import { createIdentity } from './create.ts';
import * as identities from './identities.ts';
import type { CallOptions, MitIdCapabilities, MitIdErhvervPort, MitIdProfileUpdate, PersonMatch } from './port.ts';
import type { BackoffOptions, BreakerOptions } from '../http/resilience.ts';
import * as rights from './rights.ts';
import { iterateAll, matchPerson, streamSearch } from './search.ts';
import type { SearchParser } from './search-stream.ts';
import { MitIdTransport, type CaBundle, type TransportEvent } from './transport.ts';

export interface MitIdErhvervClientOptions {
  baseUrl: string;
  pkcs12: Uint8Array;
  passphrase: string;
  /** PEM CA bundle for the server; undefined = the system's trust store. */
  ca?: CaBundle;
  kind?: 'mitid' | 'training';
  timeoutMs?: number;
  searchTimeoutMs?: number;
  tokenRefreshAfterMs?: number;
  tokenEarlyRefreshMs?: number;
  backoff?: Partial<BackoffOptions>;
  breaker?: Partial<BreakerOptions>;
  concurrency?: number;
  /** Sent on create as identityOrganizationProfile.invoiceMethodUuid [C]; omitted when not configured. */
  invoiceMethodUuid?: string;
  /** IAL sent on create and profile update [C: Substantial]. */
  ial?: string;
  /** Order private MitID with every create (authenticatorTypes also holds PrivateNemIdMitId [C]). */
  orderPrivateMitIdOnCreate?: boolean;
  /** identityProfile.allowQualifiedCertificateIssuance on every create (else per call). */
  allowQualifiedOnCreate?: boolean;
  /** [I] behaviour the production clients suggest but do not prove; adjustable without a code change. */
  compat?: {
    /** allowsigning was POST until 2025 and is PUT now [C]. */
    allowSigningMethod?: 'PUT' | 'POST';
    /** Rights assign/remove are set operations, so a retry is harmless [I]. */
    rightsWritesIdempotent?: boolean;
    /** 404 on revokecredential means the authenticator is already gone [I]. */
    revokeNotFoundIsGone?: boolean;
  };
  /** How the search body is parsed (default: the byte splitter; see search-stream.ts). */
  searchParser?: SearchParser;
  /** [?] capabilities, all off by default. */
  features?: Partial<Pick<MitIdCapabilities, 'qualifiedEligibilityUpdate'>>;
  random?: () => number;
  onEvent?: (e: TransportEvent) => void;
}

export class MitIdErhvervClient implements MitIdErhvervPort {
  readonly kind: 'mitid' | 'training';
  readonly capabilities: MitIdCapabilities;
  private readonly t: MitIdTransport;
  private readonly ctx: ClientContext;

  constructor(o: MitIdErhvervClientOptions) {
    this.kind = o.kind ?? 'mitid';
    this.capabilities = { qualifiedEligibilityUpdate: o.features?.qualifiedEligibilityUpdate ?? false, sendValidationEmail: false };
    const compat: Compat = {
      allowSigningMethod: o.compat?.allowSigningMethod ?? 'PUT',
      rightsWritesIdempotent: o.compat?.rightsWritesIdempotent ?? true,
      revokeNotFoundIsGone: o.compat?.revokeNotFoundIsGone ?? true,
    };
    this.t = new MitIdTransport({
      baseUrl: o.baseUrl,
      pkcs12: o.pkcs12,
      passphrase: o.passphrase,
      ...(o.ca === undefined ? {} : { ca: o.ca }),
      timeoutMs: o.timeoutMs ?? 180_000,
      searchTimeoutMs: o.searchTimeoutMs ?? o.timeoutMs ?? 180_000,
      tokenRefreshAfterMs: o.tokenRefreshAfterMs ?? 30 * 60_000,
      tokenEarlyRefreshMs: o.tokenEarlyRefreshMs ?? 60_000,
      backoff: { retries: 4, baseDelayMs: 1000, maxDelayMs: 30_000, ...o.backoff },
      breaker: { failureThreshold: 8, cooldownMs: 30_000, ...o.breaker },
      concurrency: o.concurrency ?? 4,
      random: o.random ?? Math.random,
      ...(o.onEvent ? { onEvent: o.onEvent } : {}),
    });
    this.ctx = { t: this.t, o, compat };
  }

  /** The circuit breaker's state, for the status bar. */
  get circuit(): 'closed' | 'open' | 'half-open' {
    return this.t.breaker.status;
  }

  async ping(): Promise<PingResult> {
    try {
      await this.t.getToken(true);
      return { ok: true, message: 'Forbundet til MitID Erhverv', detail: { code: 'connectedMitid', params: {} } };
    } catch (e) {
      return { ok: false, message: isConsoleError(e) ? e.message : 'MitID Erhverv svarer ikke', detail: errorDetail(e, { code: 'noAnswer', params: {} }) };
    }
  }

  // search
  iterateAll(opts?: CallOptions): AsyncGenerator<MitIdIdentitySummary> {
    return iterateAll(this.ctx, opts);
  }
  async searchAll(onItem: (item: MitIdIdentitySummary) => void | Promise<void>, opts?: CallOptions): Promise<{ count: number }> {
    return { count: await streamSearch(this.ctx, onItem, opts) };
  }
  matchPerson(person: { subjectNameId: string | null; cprNumber?: string | null; emailAddress?: string | null }, opts?: CallOptions): Promise<PersonMatch> {
    return matchPerson(this.ctx, person, opts);
  }
  async findBySubjectNameId(subjectNameId: string, hint?: { cprNumber?: string | null; emailAddress?: string | null }, opts?: CallOptions): Promise<MitIdIdentitySummary | null> {
    const m = await matchPerson(this.ctx, { subjectNameId, cprNumber: hint?.cprNumber ?? null, emailAddress: hint?.emailAddress ?? null }, opts);
    return m.ours?.identity ?? null;
  }

  // identities
  getIdentity(uuid: string, opts?: CallOptions): Promise<MitIdIdentity> {
    return identities.getIdentity(this.ctx, uuid, opts);
  }
  createIdentity(input: NewMitIdIdentityInput, opts?: CallOptions): Promise<{ uuid: string; outcome: CreateOutcome }> {
    return createIdentity(this.ctx, input, opts);
  }
  setAllowSigning(uuid: string, allow: boolean, opts?: CallOptions): Promise<void> {
    return identities.setAllowSigning(this.ctx, uuid, allow, opts);
  }
  setQualifiedEligibility(uuid: string, allow: boolean, profile: MitIdProfileUpdate, opts?: CallOptions): Promise<void> {
    return identities.setQualifiedEligibility(this.ctx, this.capabilities, uuid, allow, profile, opts);
  }
  updateEmail(uuid: string, emailAddress: string, opts?: CallOptions): Promise<void> {
    return identities.updateEmail(this.ctx, uuid, emailAddress, opts);
  }
  updateProfile(uuid: string, profile: MitIdProfileUpdate, opts?: CallOptions): Promise<void> {
    return identities.putProfile(this.ctx, uuid, profile, undefined, opts);
  }
  suspend(uuid: string, opts?: CallOptions): Promise<void> {
    return identities.suspend(this.ctx, uuid, opts);
  }
  reactivate(uuid: string, opts?: CallOptions): Promise<void> {
    return identities.reactivate(this.ctx, uuid, opts);
  }
  deleteIdentity(uuid: string, opts?: CallOptions): Promise<{ outcome: 'deleted' | 'already-gone' }> {
    return identities.deleteIdentity(this.ctx, uuid, opts);
  }

  // authenticators
  listAuthenticators(uuid: string, opts?: CallOptions): Promise<MitIdAuthenticator[]> {
    return authenticators.listAuthenticators(this.ctx, uuid, opts);
  }
  requestLocalCredential(uuid: string, subjectNameId: string, opts?: CallOptions) {
    return authenticators.requestLocalCredential(this.ctx, uuid, subjectNameId, opts);
  }
  requestPrivateMitId(uuid: string, opts?: CallOptions) {
    return authenticators.requestPrivateMitId(this.ctx, uuid, opts);
  }
  revokeCredential(uuid: string, authenticatorUuid: string, opts?: CallOptions): Promise<{ outcome: 'revoked' | 'already-gone' }> {
    return authenticators.revokeCredential(this.ctx, uuid, authenticatorUuid, opts);
  }

  // rights and organisation
  listRoleCatalogue(opts?: CallOptions): Promise<MitIdRole[]> {
    return rights.listRoleCatalogue(this.ctx, opts);
  }
  listRights(uuid: string, opts?: CallOptions): Promise<MitIdRightAssignment[]> {
    return rights.listRights(this.ctx, uuid, opts);
  }
  assignRights(uuid: string, scope: RightsScope, roleUuids: string[], opts?: CallOptions): Promise<void> {
    return rights.writeRights(this.ctx, 'POST', uuid, scope, roleUuids, opts);
  }
  removeRights(uuid: string, scope: RightsScope, roleUuids: string[], opts?: CallOptions): Promise<void> {
    return rights.writeRights(this.ctx, 'DELETE', uuid, scope, roleUuids, opts);
  }
  listSeNumbers(opts?: CallOptions): Promise<string[]> {
    return rights.listSeNumbers(this.ctx, opts);
  }
  listProductionUnits(opts?: CallOptions): Promise<ProductionUnit[]> {
    return rights.listProductionUnits(this.ctx, opts);
  }

  close(): Promise<void> {
    return this.t.close();
  }
}

/** The factory the shell and the training environment use. */
export function createMitIdErhvervClient(o: MitIdErhvervClientOptions): MitIdErhvervClient {
  return new MitIdErhvervClient(o);
}

/** Client options from the settings profile; the caller reads the files and the passphrase (safeStorage). */
export function mitIdClientOptionsFromProfile(
  profile: Pick<MitIdProfile, 'baseUrl' | 'timeoutMs'> & Partial<MitIdProfile>,
  pkcs12: Uint8Array,
  passphrase: string,
  ca?: CaBundle,
): MitIdErhvervClientOptions {
  return {
    baseUrl: profile.baseUrl,
    pkcs12,
    passphrase,
    timeoutMs: profile.timeoutMs,
    ...(ca === undefined ? {} : { ca }),
    // The organisation-level create fields, only when set, so an unset one is never sent [C: invoiceMethodUuid].
    ...(profile.invoiceMethodUuid ? { invoiceMethodUuid: profile.invoiceMethodUuid } : {}),
    ...(profile.ial && profile.ial !== 'Substantial' ? { ial: profile.ial } : {}),
    ...(profile.orderPrivateMitIdOnCreate ? { orderPrivateMitIdOnCreate: true } : {}),
    ...(profile.allowQualifiedOnCreate ? { allowQualifiedOnCreate: true } : {}),
  };
}
