// The console's guard around the one call that costs money: a MitID Erhverv create (20 DKK each).
//  - One create per person at a time inside this console: a per-person lock that the single action, the
//    bulk job and a double click all pass through.
//  - One create per person across workstations: a claim with the IdP (an idempotency key per person)
//    before any create; an IdP that cannot be asked means no create, said in Danish.
//  - At most one POST per create call. An unknown outcome becomes "afventer bekræftelse" (pending),
//    stored before and after the call, and is reconciled later by subjectNameId, CPR and e-mail; it is
//    never POSTed again until the person has been absent from `absentSearches` searches spread over
//    `windowMs` since the attempt (the search lags behind a landed create).
import { ConsoleError, isConsoleError } from '../../../shared/errors.ts';
import { NewMitIdIdentity, type NewMitIdIdentityInput } from '../../../shared/mitid/domain.ts';
import { claimKeyFor, type CreateClaimsPort } from '../../connectors/idp/claims.ts';
import type { CallOptions, MitIdErhvervPort, PersonMatch } from '../../connectors/mitid-erhverv/port.ts';
import type { CreateRecord, MitIdCreateStore } from '../../store/mitid-create-store.ts';
import type { IdentityFloorGate } from '../policies/identity-floor.ts';

export interface ConfirmPolicy {
  /** Searches that must not show the person before a pending create counts as not landed. */
  absentSearches: number;
  /** …spread over at least this long since the attempt. */
  windowMs: number;
}

export const defaultConfirmPolicy: ConfirmPolicy = { absentSearches: 3, windowMs: 5 * 60_000 };

/** What the person page and the bulk job show for a pending create. */
export interface PendingCreateView {
  since: string;
  absentChecks: number;
  absentSearches: number;
  /** When a new create may be sent at the earliest, if the person stays absent. */
  earliestRetryAt: string;
  message: string | null;
}

export type GuardedCreate =
  | { outcome: 'created' | 'reconciled'; uuid: string }
  | { outcome: 'pending-confirmation'; uuid: null; pending: PendingCreateView };

export interface GuardEvent {
  event: 'create-sent' | 'created' | 'pending' | 'confirmed' | 'confirmed-absent' | 'claim-refused';
  subjectNameId: string;
  uuid?: string | null;
  message?: string;
}

export interface CreateGuardDeps {
  mitid: MitIdErhvervPort;
  store: MitIdCreateStore;
  /** null: no IdP set up — then nothing is created (nobody could stop a second workstation). */
  claims: CreateClaimsPort | null;
  workstation: string;
  policy?: Partial<ConfirmPolicy>;
  now?: () => number;
  onEvent?: (e: GuardEvent) => void;
}

const keyOf = (subjectNameId: string) => subjectNameId.trim().toLowerCase();

export class CreateGuard {
  readonly policy: ConfirmPolicy;
  private readonly d: CreateGuardDeps;
  private readonly now: () => number;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(d: CreateGuardDeps) {
    this.d = d;
    this.policy = { ...defaultConfirmPolicy, ...d.policy };
    this.now = d.now ?? Date.now;
  }

  /** Runs `fn` alone for this person: later callers wait for earlier ones, in order. */
  private async locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    // The tail only orders the next caller; this caller gets the failure from `await run` below.
    const tail = run.catch(() => {});
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  private iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  private emit(e: GuardEvent): void {
    try {
      this.d.onEvent?.(e);
    } catch (e) {
      // The journal must not turn a paid create into an error, but the lost record must be seen.
      console.error('MitID Erhverv-oprettelsens hændelse kunne ikke journaliseres:', e);
    }
  }

  view(r: CreateRecord): PendingCreateView {
    const since = Date.parse(r.since);
    const step = this.policy.windowMs / this.policy.absentSearches;
    const last = r.lastCheckAt ? Date.parse(r.lastCheckAt) : this.now();
    const remaining = Math.max(0, this.policy.absentSearches - r.absentChecks);
    const earliest = Math.max(since + this.policy.windowMs, remaining > 0 ? last + remaining * step : 0);
    return { since: r.since, absentChecks: r.absentChecks, absentSearches: this.policy.absentSearches, earliestRetryAt: this.iso(earliest), message: r.message };
  }

  /** The pending create of this person, if any (what the person page shows). */
  pendingFor(subjectNameId: string): PendingCreateView | null {
    const r = this.d.store.get(keyOf(subjectNameId));
    return r && r.state !== 'created' ? this.view(r) : null;
  }

  private pending(r: CreateRecord): GuardedCreate {
    return { outcome: 'pending-confirmation', uuid: null, pending: this.view(r) };
  }

  /** Claim bookkeeping with the IdP after the fact: best effort, retried by sweep() when it fails. */
  private async tellClaim(key: string, subjectNameId: string, state: 'pending' | 'created', uuid: string | null): Promise<void> {
    if (!this.d.claims) return;
    try {
      await this.d.claims.update(claimKeyFor(subjectNameId), { holder: this.d.store.holder, state, uuid });
      if (state === 'created') this.d.store.setClaimSynced(key, true);
    } catch {
      // Stays unsynced; the sweep tells the IdP later.
    }
  }

  private async releaseClaim(subjectNameId: string): Promise<void> {
    // A claim left held only keeps other workstations from creating this person (the safe side); this
    // workstation, the holder, takes it again on its next create.
    await this.d.claims?.release(claimKeyFor(subjectNameId), this.d.store.holder).catch(() => {});
  }

  /**
   * One search for a pending create. Found (our local credential): created. Not found: one more absent
   * check (at most one per windowMs/absentSearches); once enough, and the window has passed, certain.
   */
  private async check(r: CreateRecord, hint: { cprNumber?: string | null; emailAddress?: string | null }, opts?: CallOptions): Promise<'found' | 'absent-certain' | 'pending'> {
    let m: PersonMatch;
    try {
      m = await this.d.mitid.matchPerson({ subjectNameId: r.subjectNameId, cprNumber: hint.cprNumber ?? null, emailAddress: hint.emailAddress ?? r.emailAddress }, opts);
    } catch (e) {
      // Not being able to look is not absence.
      if (isConsoleError(e) && e.code === 'cancelled') throw e;
      return 'pending';
    }
    const at = this.now();
    if (m.ours) {
      const uuid = m.ours.identity.uuid;
      this.d.store.setCreated(r.key, uuid, false, this.iso(at));
      this.emit({ event: 'confirmed', subjectNameId: r.subjectNameId, uuid });
      await this.tellClaim(r.key, r.subjectNameId, 'created', uuid);
      return 'found';
    }
    const step = this.policy.windowMs / this.policy.absentSearches;
    const counted = !r.lastCheckAt || at - Date.parse(r.lastCheckAt) >= step;
    const after = this.d.store.recordCheck(r.key, counted, this.iso(at)) ?? r;
    if (after.absentChecks >= this.policy.absentSearches && at - Date.parse(after.since) >= this.policy.windowMs) return 'absent-certain';
    return 'pending';
  }

  /**
   * Create through the guard. Returns created / reconciled (it existed: by an earlier attempt, a double
   * click, another workstation) / pending-confirmation; throws when nothing was created for certain.
   */
  async create(raw: NewMitIdIdentityInput, opts?: CallOptions): Promise<GuardedCreate> {
    const parsed = NewMitIdIdentity.safeParse(raw);
    if (!parsed.success) throw new ConsoleError('validation', parsed.error.issues[0]?.message ?? 'Ugyldige oplysninger til MitID Erhverv').withKey('mitidBadInput');
    const input = parsed.data;
    const sni = input.subjectNameId;
    if (!sni) throw new ConsoleError('validation', 'Personen kan ikke oprettes uden brugerid (subjectNameId): så kan en oprettelse ikke genfindes.').withKey('mitidCreateNeedsSni');
    const key = keyOf(sni);
    return this.locked(key, () => this.createLocked(key, sni, input, opts));
  }

  private async createLocked(key: string, sni: string, input: NewMitIdIdentity, opts?: CallOptions): Promise<GuardedCreate> {
    const store = this.d.store;
    let rec = store.get(key);
    if (rec?.state === 'created' && rec.uuid) {
      try {
        await this.d.mitid.getIdentity(rec.uuid, opts);
        return { outcome: 'reconciled', uuid: rec.uuid };
      } catch (e) {
        if (!isConsoleError(e) || e.code !== 'not-found') throw e;
        // Deleted since: a new identity is a new, legitimate create.
        store.remove(key);
        await this.releaseClaim(sni);
        rec = null;
      }
    }
    // Certain now that our earlier attempt did not land: the IdP's claim may still say "pending" for it.
    let certainAbsent = false;
    if (rec && rec.state !== 'created') {
      const r = await this.check(rec, input, opts);
      if (r === 'found') return { outcome: 'reconciled', uuid: store.get(key)?.uuid as string };
      if (r === 'pending') return this.pending(store.get(key) ?? rec);
      this.emit({ event: 'confirmed-absent', subjectNameId: sni });
      store.remove(key);
      certainAbsent = true;
    }

    const claims = this.d.claims;
    if (!claims) {
      throw new ConsoleError(
        'unavailable-idp',
        'Den lokale IdP er ikke sat op, så konsollen kan ikke sikre, at ingen anden arbejdsstation opretter personen samtidig. Der er ikke oprettet noget i MitID Erhverv.',
      ).withKey('claimsNoIdp');
    }
    const claimKey = claimKeyFor(sni);
    let acquired;
    try {
      acquired = await claims.acquire(claimKey, { holder: store.holder, workstation: this.d.workstation, label: sni });
    } catch (e) {
      if (isConsoleError(e) && e.code === 'not-found') {
        throw new ConsoleError(
          'unavailable-idp',
          'Den lokale IdP kender ikke oprettelses-claims (dens IdP-admin-API er for gammelt), så konsollen kan ikke sikre, at ingen anden arbejdsstation opretter personen samtidig. Der er ikke oprettet noget i MitID Erhverv.',
          { reason: 'claims-unsupported' },
        ).withKey('claimsUnsupported');
      }
      throw new ConsoleError(
        'unavailable-idp',
        `Den lokale IdP svarer ikke, så oprettelsen kan ikke registreres dér først. Der er ikke oprettet noget i MitID Erhverv – prøv igen, når IdP'en svarer.${isConsoleError(e) ? ` (${e.message})` : ''}`,
        { reason: 'claim-unavailable' },
      ).withKey('claimsUnavailable');
    }
    if (!acquired.granted) {
      const c = acquired.claim;
      if (c.state === 'created' && c.uuid) {
        try {
          await this.d.mitid.getIdentity(c.uuid, opts);
          store.begin({ key, subjectNameId: sni, emailAddress: input.emailAddress, label: sni }, this.iso());
          store.setCreated(key, c.uuid, true, this.iso());
          return { outcome: 'reconciled', uuid: c.uuid };
        } catch (e) {
          if (!isConsoleError(e) || e.code !== 'not-found') throw e;
        }
      }
      this.emit({ event: 'claim-refused', subjectNameId: sni, message: c.workstation ?? c.holder });
      throw new ConsoleError(
        'conflict',
        c.state === 'created'
          ? `Lokal IdP har registreret, at ${sni} blev oprettet fra arbejdsstationen ${c.workstation ?? 'ukendt'}, men identiteten findes ikke længere i MitID Erhverv. Afklar det med den arbejdsstation, før personen oprettes igen. Der er ikke oprettet noget.`
          : `Arbejdsstationen ${c.workstation ?? 'ukendt'} er i gang med at oprette ${sni} i MitID Erhverv (eller venter på at få oprettelsen bekræftet) siden ${new Date(c.updatedAt).toLocaleString('da-DK')}. Konsollen opretter ikke personen igen; prøv igen senere.`,
        { outcome: 'claimed-elsewhere', workstation: c.workstation, claimState: c.state },
      ).withKey('claimedElsewhere', { workstation: c.workstation ?? '?', subjectNameId: sni });
    }
    if (acquired.claim.state === 'pending' && !certainAbsent) {
      // Our own earlier attempt is unconfirmed at the IdP though this folder has no record of it (restored
      // backup): treat it as pending from then.
      const r = store.begin({ key, subjectNameId: sni, emailAddress: input.emailAddress, label: sni }, acquired.claim.updatedAt);
      store.setPending(key, 'Lokal IdP har en ubekræftet oprettelse fra denne konsol.', this.iso());
      const c = await this.check(store.get(key) ?? r, input, opts);
      if (c === 'found') return { outcome: 'reconciled', uuid: store.get(key)?.uuid as string };
      if (c === 'pending') return this.pending(store.get(key) ?? r);
      store.remove(key);
    }

    // Stored before the POST: whatever happens next, this person is never "simply not created".
    store.begin({ key, subjectNameId: sni, emailAddress: input.emailAddress, label: sni }, this.iso());
    this.emit({ event: 'create-sent', subjectNameId: sni });
    try {
      const r = await this.d.mitid.createIdentity(input, opts);
      store.setCreated(key, r.uuid, false, this.iso());
      this.emit({ event: 'created', subjectNameId: sni, uuid: r.uuid, message: r.outcome });
      await this.tellClaim(key, sni, 'created', r.uuid);
      return r;
    } catch (e) {
      const outcome = isConsoleError(e) ? e.details?.outcome : undefined;
      // Unknown outcome, or the caller cancelled while the POST may have been on its way.
      if (outcome === 'unknown' || (isConsoleError(e) && e.code === 'cancelled') || !isConsoleError(e)) {
        const message = isConsoleError(e) ? e.message : 'Ukendt fejl under oprettelsen';
        store.setPending(key, message, this.iso());
        this.emit({ event: 'pending', subjectNameId: sni, message });
        await this.tellClaim(key, sni, 'pending', null);
        return this.pending(store.get(key) as CreateRecord);
      }
      // Refused for certain (validation, 400, someone else's identity): nothing was created.
      store.remove(key);
      await this.releaseClaim(sni);
      throw e;
    }
  }

  /**
   * A search found the person's identity (person page, a bulk row): a pending create of theirs is
   * thereby confirmed.
   */
  async observed(subjectNameId: string, uuid: string): Promise<void> {
    const key = keyOf(subjectNameId);
    const r = this.d.store.get(key);
    if (!r || r.state === 'created') return;
    await this.locked(key, async () => {
      const now = this.d.store.get(key);
      if (!now || now.state === 'created') return;
      this.d.store.setCreated(key, uuid, false, this.iso());
      this.emit({ event: 'confirmed', subjectNameId, uuid });
      await this.tellClaim(key, subjectNameId, 'created', uuid);
    });
  }

  /**
   * Look again at every pending create (the console does this on a timer): found → created; absent long
   * enough → released (certain nothing landed; the next assign creates). Tells the IdP what it missed.
   */
  async sweep(opts?: CallOptions): Promise<{ confirmed: number; released: number; stillPending: number }> {
    const out = { confirmed: 0, released: 0, stillPending: 0 };
    for (const r of this.d.store.open()) {
      if (r.state === 'created') {
        if (r.uuid) await this.tellClaim(r.key, r.subjectNameId, 'created', r.uuid);
        continue;
      }
      await this.locked(r.key, async () => {
        const now = this.d.store.get(r.key);
        if (!now || now.state === 'created') return;
        const c = await this.check(now, {}, opts);
        if (c === 'found') out.confirmed++;
        else if (c === 'pending') out.stillPending++;
        else {
          this.d.store.remove(r.key);
          this.emit({ event: 'confirmed-absent', subjectNameId: r.subjectNameId });
          await this.releaseClaim(r.subjectNameId);
          out.released++;
        }
      });
    }
    return out;
  }

  /** Every create this console has not seen land: in flight or awaiting confirmation (the failed-transfer queue). */
  unconfirmed(): Array<{ subjectNameId: string; since: string; message: string | null; pending: PendingCreateView }> {
    return this.d.store.open().filter((r) => r.state !== 'created').map((r) => ({ subjectNameId: r.subjectNameId, since: r.since, message: r.message, pending: this.view(r) }));
  }

  close(): void {
    this.d.store.close();
  }
}

export function createCreateGuard(d: CreateGuardDeps): CreateGuard {
  return new CreateGuard(d);
}

/**
 * A MitID Erhverv port that carries the console's create guard and the NSIS floor (see core.ts): every
 * identity or local credential the console gives passes the floor first (services/mitid/actions.ts).
 */
export type GuardedMitIdPort = MitIdErhvervPort & { readonly createGuard?: CreateGuard; readonly identityFloor?: IdentityFloorGate };

/**
 * The port every caller in the console gets: the client, except that createIdentity goes through the
 * guard. A caller that does not know about pending creates gets a Danish error for one instead.
 */
export function guardMitIdPort(port: MitIdErhvervPort, guard: CreateGuard, floor?: IdentityFloorGate): GuardedMitIdPort {
  return new Proxy(port, {
    get(target, prop, receiver) {
      if (prop === 'createGuard') return guard;
      if (prop === 'identityFloor') return floor;
      if (prop === 'createIdentity') {
        return async (input: NewMitIdIdentityInput, opts?: CallOptions) => {
          const r = await guard.create(input, opts);
          if (r.outcome === 'pending-confirmation') {
            throw new ConsoleError('conflict', pendingMessage(r.pending), { outcome: 'pending-confirmation' }).withKey('createPending');
          }
          return r;
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as GuardedMitIdPort;
}

export function pendingMessage(p: PendingCreateView): string {
  const at = new Date(p.earliestRetryAt).toLocaleString('da-DK', { dateStyle: 'short', timeStyle: 'short' });
  return (
    'Oprettelsen afventer bekræftelse: MitID Erhverv gav ikke et sikkert svar, og identiteten ses ikke i søgningen endnu. ' +
    `Konsollen opretter ikke personen igen, før den er sikker på, at oprettelsen ikke gik igennem (tidligst ${at}, efter ${p.absentSearches} søgninger uden fund). ` +
    'Den tjekker selv igen; du kan også trykke "Tildel lokalt loginmiddel" igen for at tjekke nu.'
  );
}
