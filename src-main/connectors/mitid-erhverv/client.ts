// The real MitIdErhvervPort adapter: the IdM API over mutual TLS (see
// shared/reference/mitid-erhverv-idm-api.md; [C]/[I]/[?] refer to its confidence markers).
import { ConsoleError, isConsoleError } from '../../../shared/errors.ts';
import {
  AllowSigningRequest,
  AuthenticatorsResponse,
  authenticatorTypeLocal,
  authenticatorTypePrivateListed,
  authenticatorTypePrivateRequest,
  CategorizedRolesResponse,
  CreateEmployeeRequest,
  CreateEmployeeResponse,
  EmployeeResponse,
  IdentityRolesResponse,
  ProductionUnitsResponse,
  ProfileRequest,
  RequestCredentialsRequest,
  RightsRequest,
  SearchItem,
  SeNumbersResponse,
} from '../../../shared/mitid/api.ts';
import {
  NewMitIdIdentity,
  RightsScope as RightsScopeSchema,
  type CreateOutcome,
  type MitIdAuthenticator,
  type MitIdIdentity,
  type MitIdIdentitySummary,
  type MitIdRightAssignment,
  type MitIdRole,
  type NewMitIdIdentityInput,
  type ProductionUnit,
  type RightsScope,
} from '../../../shared/mitid/domain.ts';
import { insecureUrlProblem, type MitIdProfile } from '../../../shared/domain/settings.ts';
import type { CallOptions, MitIdCapabilities, MitIdErhvervPort, MitIdProfileUpdate } from './port.ts';
import { abortableSleep, backoffDelay, cancelled, type BackoffOptions, type BreakerOptions } from './resilience.ts';
import { forEachEmployee, type SearchParser } from './search-stream.ts';
import { AttemptFailure, MitIdTransport, type CaBundle, parseJson, unexpectedStatus, type TextResponse, type TransportEvent } from './transport.ts';

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

const A = '/api/administration';
const enc = encodeURIComponent;

function toSummary(i: SearchItem): MitIdIdentitySummary {
  return {
    uuid: i.uuid.toLowerCase(),
    id: i.id ?? null,
    status: i.status,
    givenName: i.profile?.givenName ?? null,
    surname: i.profile?.surname ?? null,
    cprNumber: i.profile?.cprNumber ?? null,
    emailAddress: i.emailAddress ?? null,
    rid: i.rid ?? null,
  };
}

function kindOf(type: string): MitIdAuthenticator['kind'] {
  if (type === authenticatorTypeLocal) return 'local';
  // Listed as PrivateMitId; accept the request spelling too in case the listing ever follows it.
  if (type === authenticatorTypePrivateListed || type === authenticatorTypePrivateRequest) return 'private-mitid';
  return 'other';
}

/** For a create whose result could not be established: the caller must look up before trying again. */
function unknownOutcome(e: ConsoleError): ConsoleError {
  return new ConsoleError(
    e.code,
    `Oprettelsen i MitID Erhverv har ukendt udfald – slå identiteten op, før der oprettes igen (${e.message})`,
    { ...e.details, outcome: 'unknown' },
  );
}

function assertUuid(uuid: string): string {
  const t = uuid.trim();
  if (!/^[0-9a-fA-F-]{8,64}$/.test(t)) throw new ConsoleError('validation', 'Ugyldigt MitID Erhverv-id (uuid)');
  return t;
}

export class MitIdErhvervClient implements MitIdErhvervPort {
  readonly kind: 'mitid' | 'training';
  readonly capabilities: MitIdCapabilities;
  private readonly t: MitIdTransport;
  private readonly o: MitIdErhvervClientOptions;
  private readonly compat: Required<NonNullable<MitIdErhvervClientOptions['compat']>>;

  constructor(o: MitIdErhvervClientOptions) {
    // The organisation's certificate authenticates every call and the token rides on it: https only,
    // whoever builds the client.
    const insecure = insecureUrlProblem(o.baseUrl);
    if (insecure) throw new ConsoleError('validation', `MitID Erhverv-adressen afvist: ${insecure}.`);
    this.o = o;
    this.kind = o.kind ?? 'mitid';
    this.capabilities = { qualifiedEligibilityUpdate: o.features?.qualifiedEligibilityUpdate ?? false, sendValidationEmail: false };
    this.compat = {
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
  }

  /** The circuit breaker's state, for the status bar. */
  get circuit(): 'closed' | 'open' | 'half-open' {
    return this.t.breaker.status;
  }

  // ---------------- plumbing ----------------

  /** An idempotent call: retried on unavailability. */
  private call(method: 'GET' | 'PUT' | 'DELETE' | 'POST', path: string, body: unknown, opts?: CallOptions, idempotent = true): Promise<TextResponse> {
    return this.t.withRetry(idempotent, opts?.signal, () => this.t.attempt({ method, path, body, signal: opts?.signal, timeoutMs: opts?.timeoutMs }));
  }

  private expect(res: TextResponse, ok: readonly number[], what: string): void {
    if (!ok.includes(res.status)) throw unexpectedStatus(res, what);
  }

  private async backoff(retry: number, signal?: AbortSignal): Promise<void> {
    const o = this.t.o.backoff;
    await abortableSleep(backoffDelay(retry, o, this.t.o.random), signal);
  }

  // ---------------- reads ----------------

  async ping(): Promise<{ ok: boolean; message: string }> {
    try {
      await this.t.getToken(true);
      return { ok: true, message: 'Forbundet til MitID Erhverv' };
    } catch (e) {
      return { ok: false, message: isConsoleError(e) ? e.message : 'MitID Erhverv svarer ikke' };
    }
  }

  /**
   * The search, handed on item by item (`onItem` is awaited only when it returns a promise). A failure
   * before the first item is retried like any idempotent read; after items were handed on it is not,
   * because the consumer has already acted on them [C: the search is "very unstable"].
   */
  private async streamSearch(
    onItem: (item: MitIdIdentitySummary) => void | Promise<void>,
    opts: CallOptions | undefined,
    control: { stopped?: () => boolean; onBody?: (body: { destroy(): void }) => void } = {},
  ): Promise<number> {
    const spec = {
      method: 'POST' as const,
      path: `${A}/identity/employee/search`,
      body: { maxCount: 0, removeUuidFromResultSet: false },
      signal: opts?.signal,
      timeoutMs: opts?.timeoutMs,
    };
    const stopped = control.stopped ?? (() => false);
    let delivered = 0;
    let consumerError: { e: unknown } | undefined;
    await this.t.withRetry(true, opts?.signal, () =>
      this.t.attemptStream(spec, async (_status, body) => {
        control.onBody?.(body);
        try {
          // Synchronous per item unless the consumer returns a promise: 100,000 awaits would show.
          await forEachEmployee(body, this.o.searchParser, (raw) => {
            if (stopped()) return false;
            const parsed = SearchItem.safeParse(raw);
            if (!parsed.success) throw new ConsoleError('unavailable-mitid', 'MitID Erhverv svarede med et uventet format i søgningen');
            delivered++;
            let r: void | Promise<void>;
            try {
              r = onItem(toSummary(parsed.data));
            } catch (e) {
              consumerError = { e };
              throw e;
            }
            if (!r) return true;
            return r.then(
              () => true,
              (e: unknown) => {
                consumerError = { e };
                throw e;
              },
            );
          });
        } catch (e) {
          if (consumerError || isConsoleError(e) || stopped()) throw e;
          if (opts?.signal?.aborted) throw new AttemptFailure(cancelled(), false);
          const f = new ConsoleError('unavailable-mitid', 'MitID Erhverv svarer ikke (søgningen blev afbrudt undervejs)', { reason: 'search-aborted' });
          if (delivered === 0) throw new AttemptFailure(f, true);
          throw f;
        } finally {
          body.destroy();
        }
      }),
    );
    return delivered;
  }

  async *iterateAll(opts?: CallOptions): AsyncGenerator<MitIdIdentitySummary> {
    const queue: MitIdIdentitySummary[] = [];
    let done = false;
    let failure: unknown;
    let stopped = false;
    let wake: (() => void) | undefined;
    let resume: (() => void) | undefined;
    let currentBody: { destroy(): void } | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    const run = this.streamSearch(
      (item) => {
        queue.push(item);
        notify();
        // Backpressure: stop reading until the consumer has caught up.
        if (queue.length >= 256) return new Promise<void>((r) => (resume = r));
      },
      opts,
      { stopped: () => stopped, onBody: (b) => (currentBody = b) },
    ).then(
      () => {
        done = true;
        notify();
      },
      (e: unknown) => {
        failure = e;
        done = true;
        notify();
      },
    );
    try {
      for (;;) {
        const item = queue.shift();
        if (item) {
          if (queue.length < 64) {
            resume?.();
            resume = undefined;
          }
          yield item;
          continue;
        }
        if (done) break;
        await new Promise<void>((r) => (wake = r));
      }
      if (failure !== undefined) throw failure;
    } finally {
      stopped = true;
      resume?.();
      // Closing the body ends the connection at once when the consumer stops early.
      currentBody?.destroy();
      await run;
    }
  }

  async searchAll(onItem: (item: MitIdIdentitySummary) => void | Promise<void>, opts?: CallOptions): Promise<{ count: number }> {
    return { count: await this.streamSearch(onItem, opts) };
  }

  async getIdentity(uuid: string, opts?: CallOptions): Promise<MitIdIdentity> {
    const res = await this.call('GET', `${A}/identity/employee/${enc(assertUuid(uuid))}`, undefined, opts);
    this.expect(res, [200], 'læs identitet');
    const r = parseJson(res.text, EmployeeResponse);
    return {
      uuid: r.uuid.toLowerCase(),
      status: r.identityProfile.status,
      rid: r.identityProfile.rid,
      givenName: r.identityProfile.givenName,
      surname: r.identityProfile.surname,
      emailAddress: r.identityProfile.emailAddress,
      allowQualifiedCertificateIssuance: r.identityProfile.allowQualifiedCertificateIssuance,
      allowSigning: r.identityPermissions.allowSigning,
      authorizedToRepresent: r.identityPermissions.authorizedToRepresent,
      adminRoles: r.identityProfile.roles,
    };
  }

  async listAuthenticators(uuid: string, opts?: CallOptions): Promise<MitIdAuthenticator[]> {
    const res = await this.call('GET', `${A}/identity/employee/${enc(assertUuid(uuid))}/authenticators`, undefined, opts);
    this.expect(res, [200], 'autentifikatorer');
    return parseJson(res.text, AuthenticatorsResponse).authenticators.map((a) => ({
      uuid: a.uuid.toLowerCase(),
      kind: kindOf(a.type),
      type: a.type,
      status: a.status,
      id: a.id,
    }));
  }

  async findBySubjectNameId(
    subjectNameId: string,
    hint?: { cprNumber?: string | null; emailAddress?: string | null },
    opts?: CallOptions,
  ): Promise<MitIdIdentitySummary | null> {
    const cpr = hint?.cprNumber ?? null;
    const emails = new Set([hint?.emailAddress, subjectNameId].filter((e): e is string => !!e).map((e) => e.toLowerCase()));
    const candidates: MitIdIdentitySummary[] = [];
    for await (const item of this.iterateAll(opts)) {
      if ((cpr && item.cprNumber === cpr) || (item.emailAddress && emails.has(item.emailAddress.toLowerCase()))) candidates.push(item);
    }
    for (const c of candidates) {
      const auths = await this.listAuthenticators(c.uuid, opts).catch((e: unknown) => {
        if (isConsoleError(e) && e.code === 'not-found') return [];
        throw e;
      });
      if (auths.some((a) => a.kind === 'local' && a.id === subjectNameId)) return c;
    }
    return null;
  }

  // ---------------- create (never blindly repeated) ----------------

  /**
   * After an unknown outcome: does the identity we tried to create exist? One pass over the search: a CPR
   * match is the identity (CPR is unique per identity [C: 409 on the same person]); otherwise candidates
   * with the same e-mail are confirmed by their local credential's subjectNameId.
   */
  private async lookupCreated(input: NewMitIdIdentity, opts?: CallOptions): Promise<string | null> {
    this.o.onEvent?.({ type: 'reconcile', note: 'opslag efter ukendt udfald' });
    const email = input.emailAddress.toLowerCase();
    const sni = input.subjectNameId;
    const candidates: string[] = [];
    for await (const item of this.iterateAll(opts)) {
      if (input.cprNumber && item.cprNumber === input.cprNumber) return item.uuid;
      const e = item.emailAddress?.toLowerCase();
      if (sni && e && (e === email || e === sni.toLowerCase())) candidates.push(item.uuid);
    }
    for (const uuid of candidates) {
      const auths = await this.listAuthenticators(uuid, opts).catch((e: unknown) => {
        if (isConsoleError(e) && e.code === 'not-found') return [];
        throw e;
      });
      if (auths.some((a) => a.kind === 'local' && a.id === sni)) return uuid;
    }
    return null;
  }

  async createIdentity(rawInput: NewMitIdIdentityInput, opts?: CallOptions): Promise<{ uuid: string; outcome: CreateOutcome }> {
    const parsedInput = NewMitIdIdentity.safeParse(rawInput);
    if (!parsedInput.success) throw new ConsoleError('validation', parsedInput.error.issues[0]?.message ?? 'Ugyldige oplysninger til MitID Erhverv');
    const input = parsedInput.data;
    const ial = this.o.ial ?? 'Substantial';
    const types = [...(input.subjectNameId ? [authenticatorTypeLocal] : []), ...(input.withPrivateMitId ? [authenticatorTypePrivateRequest] : [])];
    const body = CreateEmployeeRequest.parse({
      identityProfile: {
        status: 'Pending',
        registeredIal: ial,
        targetIal: ial,
        givenName: input.givenName.trim(),
        surname: input.surname.trim(),
        emailAddress: input.emailAddress.trim(),
        cprNumber: input.cprNumber,
        rid: input.rid,
        pseudonym: false,
        allowQualifiedCertificateIssuance: input.allowQualifiedCertificateIssuance,
      },
      ...(this.o.invoiceMethodUuid ? { identityOrganizationProfile: { invoiceMethodUuid: this.o.invoiceMethodUuid } } : {}),
      identityAuthenticators: { authenticatorTypes: types, ...(input.subjectNameId ? { subjectNameId: input.subjectNameId } : {}) },
    });
    if (!input.subjectNameId && !input.cprNumber) {
      // Without either there is no safe way to find out whether a failed create landed.
      throw new ConsoleError('validation', 'Angiv brugerid (subjectNameId) eller CPR-nummer, så en oprettelse kan genfindes');
    }

    let uncertain = false;
    let lastError: ConsoleError | undefined;
    // After an unknown outcome, a failing lookup must not read as "not created": say the outcome is unknown.
    const lookup = async (): Promise<string | null> => {
      try {
        return await this.lookupCreated(input, opts);
      } catch (e) {
        if (!uncertain || !isConsoleError(e) || e.code === 'cancelled') throw e;
        throw unknownOutcome(e);
      }
    };
    for (let attempt = 0; attempt <= this.t.o.backoff.retries; attempt++) {
      if (uncertain) {
        // The previous attempt may have landed (each create costs 20 DKK): look before creating again.
        const existing = await lookup();
        if (existing) return { uuid: existing, outcome: 'reconciled' };
      }
      let res: TextResponse;
      try {
        res = await this.t.attempt({ method: 'POST', path: `${A}/identity/employee`, body, signal: opts?.signal, timeoutMs: opts?.timeoutMs });
      } catch (e) {
        if (!(e instanceof AttemptFailure)) throw e;
        if (!e.unavailable) throw e.error;
        uncertain = true;
        lastError = e.error;
        if (attempt < this.t.o.backoff.retries) await this.backoff(attempt, opts?.signal);
        continue;
      }
      if (res.status === 200 || res.status === 201) {
        return { uuid: parseJson(res.text, CreateEmployeeResponse).employeeUuid.toLowerCase(), outcome: 'created' };
      }
      if (res.status === 409) {
        const existing = await lookup();
        if (existing && uncertain) return { uuid: existing, outcome: 'reconciled' };
        throw new ConsoleError(
          'conflict',
          'MitID Erhverv har allerede en identitet med dette brugerid eller CPR-nummer',
          existing ? { existingUuid: existing } : undefined,
        );
      }
      if (res.status >= 500) {
        // A generic 500 may or may not have landed: find out, but do not try again on our own.
        uncertain = true;
        const existing = await lookup();
        if (existing) return { uuid: existing, outcome: 'reconciled' };
      }
      throw unexpectedStatus(res, 'opret identitet');
    }
    // Attempts used up: a last look, so the caller knows whether it exists.
    const existing = await lookup();
    if (existing) return { uuid: existing, outcome: 'reconciled' };
    throw lastError ?? new ConsoleError('unavailable-mitid', 'MitID Erhverv svarer ikke');
  }

  // ---------------- credentials (not idempotent: list first, list again after an unknown outcome) ----------------

  private async requestCredential(
    uuid: string,
    isPresent: (a: MitIdAuthenticator[]) => 'ours' | 'other' | 'none',
    body: unknown,
    conflictMessage: string,
    opts?: CallOptions,
  ): Promise<{ outcome: 'assigned' | 'already-assigned' | 'reconciled' }> {
    const id = assertUuid(uuid);
    const before = isPresent(await this.listAuthenticators(id, opts));
    if (before === 'ours') return { outcome: 'already-assigned' };
    if (before === 'other') throw new ConsoleError('conflict', conflictMessage);
    let uncertain = false;
    let lastError: ConsoleError | undefined;
    for (let attempt = 0; attempt <= this.t.o.backoff.retries; attempt++) {
      if (uncertain && isPresent(await this.listAuthenticators(id, opts)) === 'ours') return { outcome: 'reconciled' };
      let res: TextResponse;
      try {
        res = await this.t.attempt({ method: 'POST', path: `${A}/identity/employee/${enc(id)}/requestcredentials`, body, signal: opts?.signal, timeoutMs: opts?.timeoutMs });
      } catch (e) {
        if (!(e instanceof AttemptFailure)) throw e;
        if (!e.unavailable) throw e.error;
        uncertain = true;
        lastError = e.error;
        if (attempt < this.t.o.backoff.retries) await this.backoff(attempt, opts?.signal);
        continue;
      }
      if (res.status >= 200 && res.status < 300) return { outcome: 'assigned' };
      if (res.status === 409 || res.status >= 500) {
        const now = isPresent(await this.listAuthenticators(id, opts));
        if (now === 'ours') return { outcome: uncertain ? 'reconciled' : 'already-assigned' };
        if (res.status === 409) throw new ConsoleError('conflict', conflictMessage);
      }
      throw unexpectedStatus(res, 'tildel loginmiddel');
    }
    if (isPresent(await this.listAuthenticators(id, opts)) === 'ours') return { outcome: 'reconciled' };
    throw lastError ?? new ConsoleError('unavailable-mitid', 'MitID Erhverv svarer ikke');
  }

  requestLocalCredential(uuid: string, subjectNameId: string, opts?: CallOptions) {
    const sni = subjectNameId.trim();
    if (!sni) throw new ConsoleError('validation', 'Brugerid (subjectNameId) mangler');
    return this.requestCredential(
      uuid,
      (list) => {
        const local = list.filter((a) => a.kind === 'local');
        if (local.some((a) => a.id === sni)) return 'ours';
        return local.length > 0 ? 'other' : 'none';
      },
      RequestCredentialsRequest.parse({ authenticatorSettingTypes: [authenticatorTypeLocal], authenticatorTypesToShip: [], sharedCredentialUuids: [], subjectNameId: sni }),
      `Brugerid'et ${sni} kan ikke tildeles: identiteten har et andet lokalt login, eller brugerid'et bruges af en anden identitet`,
      opts,
    );
  }

  requestPrivateMitId(uuid: string, opts?: CallOptions) {
    return this.requestCredential(
      uuid,
      (list) => (list.some((a) => a.kind === 'private-mitid') ? 'ours' : 'none'),
      RequestCredentialsRequest.parse({ authenticatorSettingTypes: [authenticatorTypePrivateRequest], authenticatorTypesToShip: [], sharedCredentialUuids: [] }),
      'Identiteten har allerede privat MitID tilknyttet',
      opts,
    );
  }

  async revokeCredential(uuid: string, authenticatorUuid: string, opts?: CallOptions): Promise<{ outcome: 'revoked' | 'already-gone' }> {
    const id = assertUuid(uuid);
    const authId = assertUuid(authenticatorUuid).toLowerCase();
    const path = `${A}/identity/employee/${enc(id)}/revokecredential/${enc(authId)}`;
    let uncertain = false;
    for (let attempt = 0; ; attempt++) {
      if (uncertain && !(await this.listAuthenticators(id, opts)).some((a) => a.uuid === authId)) return { outcome: 'revoked' };
      let res: TextResponse;
      try {
        res = await this.t.attempt({ method: 'POST', path, signal: opts?.signal, timeoutMs: opts?.timeoutMs });
      } catch (e) {
        if (!(e instanceof AttemptFailure) || !e.unavailable || attempt >= this.t.o.backoff.retries) throw e instanceof AttemptFailure ? e.error : e;
        uncertain = true;
        await this.backoff(attempt, opts?.signal);
        continue;
      }
      if (res.status >= 200 && res.status < 300) return { outcome: 'revoked' };
      if (res.status === 404 && this.compat.revokeNotFoundIsGone) {
        // 404 may mean the identity is gone too; that is a not-found for the caller.
        await this.getIdentity(id, opts);
        return { outcome: uncertain ? 'revoked' : 'already-gone' };
      }
      throw unexpectedStatus(res, 'fjern loginmiddel');
    }
  }

  // ---------------- idempotent writes ----------------

  async setAllowSigning(uuid: string, allow: boolean, opts?: CallOptions): Promise<void> {
    const res = await this.call(this.compat.allowSigningMethod, `${A}/identity/employee/${enc(assertUuid(uuid))}/allowsigning`, AllowSigningRequest.parse({ allowSigning: allow }), opts);
    this.expect(res, [200, 201, 204], 'signering');
  }

  async setQualifiedEligibility(uuid: string, allow: boolean, profile: MitIdProfileUpdate, opts?: CallOptions): Promise<void> {
    if (!this.capabilities.qualifiedEligibilityUpdate) {
      throw new ConsoleError(
        'refused',
        'Opgradering til kvalificeret signatur sker i MitID Erhverv: brugeren får en e-mail og validerer med sit private MitID.',
        { capability: 'qualifiedEligibilityUpdate' },
      );
    }
    await this.putProfile(uuid, profile, allow, opts);
  }

  async updateEmail(uuid: string, emailAddress: string, opts?: CallOptions): Promise<void> {
    const email = emailAddress.trim();
    if (!email) throw new ConsoleError('validation', 'E-mailadressen mangler');
    const res = await this.call('PUT', `${A}/identity/employee/${enc(assertUuid(uuid))}/profile/nonsensitive`, { emailAddress: email }, opts);
    this.expect(res, [200, 204], 'skift e-mail');
  }

  updateProfile(uuid: string, profile: MitIdProfileUpdate, opts?: CallOptions): Promise<void> {
    return this.putProfile(uuid, profile, undefined, opts);
  }

  private async putProfile(uuid: string, profile: MitIdProfileUpdate, qualified: boolean | undefined, opts?: CallOptions): Promise<void> {
    const ial = this.o.ial ?? 'Substantial';
    const body = ProfileRequest.parse({
      // `registeredIAL` here, `registeredIal` on create: both observed [C].
      registeredIAL: ial,
      targetIal: ial,
      givenName: profile.givenName.trim(),
      surname: profile.surname.trim(),
      cprNumber: profile.cprNumber,
      emailAddress: profile.emailAddress.trim(),
      ...(qualified === undefined ? {} : { allowQualifiedCertificateIssuance: qualified }),
    });
    const res = await this.call('PUT', `${A}/identity/employee/${enc(assertUuid(uuid))}/profile`, body, opts);
    if (res.status === 409) throw new ConsoleError('conflict', 'CPR-nummeret hører allerede til en anden identitet i MitID Erhverv');
    this.expect(res, [200, 201, 204], 'opdater profil');
  }

  async suspend(uuid: string, opts?: CallOptions): Promise<void> {
    const res = await this.call('PUT', `${A}/identity/employee/${enc(assertUuid(uuid))}/suspend`, undefined, opts);
    this.expect(res, [200, 204], 'spær');
  }

  async reactivate(uuid: string, opts?: CallOptions): Promise<void> {
    const res = await this.call('PUT', `${A}/identity/employee/${enc(assertUuid(uuid))}/reactivate`, undefined, opts);
    this.expect(res, [200, 204], 'genaktivér');
  }

  async deleteIdentity(uuid: string, opts?: CallOptions): Promise<{ outcome: 'deleted' | 'already-gone' }> {
    const res = await this.call('DELETE', `${A}/identity/employee/${enc(assertUuid(uuid))}`, undefined, opts);
    // 404 = already gone [C]: deleting is idempotent for the caller.
    if (res.status === 404) return { outcome: 'already-gone' };
    this.expect(res, [200, 204], 'slet identitet');
    return { outcome: 'deleted' };
  }

  // ---------------- rights ----------------

  /** Rights endpoints answer an unknown uuid with 500 [C]: tell that apart from a real failure. */
  private async rightsFailure(uuid: string, res: TextResponse, what: string, opts?: CallOptions): Promise<never> {
    if (res.status === 500) await this.getIdentity(uuid, opts); // throws not-found when unknown
    throw unexpectedStatus(res, what);
  }

  async listRoleCatalogue(opts?: CallOptions): Promise<MitIdRole[]> {
    const res = await this.call('GET', `${A}/rights/categorizedRoles`, undefined, opts);
    this.expect(res, [200], 'rettighedskatalog');
    return parseJson(res.text, CategorizedRolesResponse).roles.map((r) => ({ ...r, uuid: r.uuid.toLowerCase() }));
  }

  async listRights(uuid: string, opts?: CallOptions): Promise<MitIdRightAssignment[]> {
    const id = assertUuid(uuid);
    const res = await this.call('GET', `${A}/rights/identity/${enc(id)}/roles`, undefined, opts);
    if (res.status !== 200) return this.rightsFailure(id, res, 'rettigheder');
    return parseJson(res.text, IdentityRolesResponse).map((r) => ({ roleUuid: (r.roleUuid ?? r.uuid)?.toLowerCase() ?? null, name: r.name, scope: r.scope }));
  }

  private async writeRights(method: 'POST' | 'DELETE', uuid: string, scope: RightsScope, roleUuids: string[], opts?: CallOptions): Promise<void> {
    const id = assertUuid(uuid);
    const s = RightsScopeSchema.parse(scope);
    const body = RightsRequest.parse({ scope: s, roleUuids: roleUuids.map(assertUuid) });
    // DELETE carries a body here [C].
    const res = await this.call(method, `${A}/rights/identity/${enc(id)}/roles`, body, opts, this.compat.rightsWritesIdempotent);
    if (res.status < 200 || res.status >= 300) await this.rightsFailure(id, res, method === 'POST' ? 'tildel rettigheder' : 'fjern rettigheder');
  }

  assignRights(uuid: string, scope: RightsScope, roleUuids: string[], opts?: CallOptions): Promise<void> {
    return this.writeRights('POST', uuid, scope, roleUuids, opts);
  }

  removeRights(uuid: string, scope: RightsScope, roleUuids: string[], opts?: CallOptions): Promise<void> {
    return this.writeRights('DELETE', uuid, scope, roleUuids, opts);
  }

  // ---------------- organisation ----------------

  async listSeNumbers(opts?: CallOptions): Promise<string[]> {
    const res = await this.call('GET', `${A}/organization/senumber`, undefined, opts);
    this.expect(res, [200], 'SE-numre');
    return parseJson(res.text, SeNumbersResponse).map((s) => s.seNumber);
  }

  async listProductionUnits(opts?: CallOptions): Promise<ProductionUnit[]> {
    const res = await this.call('GET', `${A}/organization/productionunits`, undefined, opts);
    this.expect(res, [200], 'P-numre');
    return parseJson(res.text, ProductionUnitsResponse);
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
  profile: MitIdProfile,
  pkcs12: Uint8Array,
  passphrase: string,
  ca?: CaBundle,
): MitIdErhvervClientOptions {
  return { baseUrl: profile.baseUrl, pkcs12, passphrase, timeoutMs: profile.timeoutMs, ...(ca === undefined ? {} : { ca }) };
}
