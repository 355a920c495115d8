// The MitID Erhverv adapter of the sync engine. One streamed search per refresh; the two per-identity
// calls (authenticators + identity) only for identities that are new, whose search summary changed or
// whose details are still unknown, for keys the console asks about (readNow: "check now", write-through),
// and for a rolling revalidation of the least recently read identities under a call budget. A 429 or 503
// slows the budget down and stops this refresh's reads (the rest wait for the next one) instead of
// hammering. Identities missing from the search are deletes.
import { z } from 'zod';
import { ConsoleError, isConsoleError } from '../../../../shared/errors.ts';
import { hasActivePrivateMitId, type MitIdIdentitySummary } from '../../../../shared/mitid/domain.ts';
import type { MitIdErhvervPort } from '../../../connectors/mitid-erhverv/port.ts';
import type { MitIdFacts } from '../index/merge.ts';
import { BudgetState, CallBudget, DEFAULT_CALLS_PER_MINUTE, type BudgetOptions } from './budget.ts';
import { pause, slicer } from '../../../slices.ts';
import { sortSliced } from '../index/slices.ts';
import { SearchDiff, searchLookText } from './search-look.ts';
import type { KnownFacts, SourceChanges, StoredLook, SyncContext, SyncSource } from './source.ts';

/** Endpoint names as the simulator counts them, so the status line and the tests speak of the same calls. */
export const MITID_SEARCH_CALL = 'POST /identity/employee/search';
export const MITID_IDENTITY_CALL = 'GET /identity/employee/{uuid}';
export const MITID_AUTHENTICATORS_CALL = 'GET /identity/employee/{uuid}/authenticators';

export interface MitIdSourceOptions {
  /** settings.mitid.syncCallsPerMinute (default DEFAULT_CALLS_PER_MINUTE). */
  callsPerMinute?: number | undefined;
  budget?: Partial<Omit<BudgetOptions, 'callsPerMinute'>>;
  /** Identities read at once (the client has its own limit too). */
  concurrency?: number;
  /**
   * An identity read this recently is not taken for deleted when the search lacks it: the search lags
   * behind creates ("very unstable" [C]), and write-through reads a new identity before the search has it.
   */
  searchGraceMs?: number;
}

/** The adapter's cursor: the budget's state, so it is spent across refreshes and restarts. */
const Cursor = z.object({ v: z.literal(1), budget: BudgetState });

function parseCursor(cursor: string | null): BudgetState | null {
  if (cursor === null) return null;
  try {
    const r = Cursor.safeParse(JSON.parse(cursor));
    return r.success ? r.data.budget : null;
  } catch {
    return null;
  }
}

const SUMMARY_FIELDS = ['uuid', 'id', 'status', 'givenName', 'surname', 'cprNumber', 'emailAddress', 'rid'] as const;

/** Did the search say something else about this identity than what we hold? */
export function summaryChanged(a: MitIdIdentitySummary, b: MitIdIdentitySummary): boolean {
  return SUMMARY_FIELDS.some((f) => a[f] !== b[f]);
}

/** A 429/503 (or kin), a timeout or a refused connection, or the open circuit: the service needs air. */
function slowDownSignal(e: unknown): { retryAfter: unknown } | null {
  if (!isConsoleError(e) || e.code !== 'unavailable-mitid') return null;
  const d = e.details ?? {};
  const status = typeof d['status'] === 'number' ? d['status'] : null;
  if (status !== null && [429, 502, 503, 504].includes(status)) return { retryAfter: d['retryAfter'] };
  if (d['circuit'] === 'open') return { retryAfter: d['retryAfterSeconds'] };
  if (d['reason'] === 'timeout' || d['reason'] === 'connection' || d['reason'] === 'connection-refused') return { retryAfter: undefined };
  return null;
}

const cancelledError = () => new ConsoleError('cancelled', 'Opdateringen fra MitID Erhverv blev annulleret').withKey('mitidRefreshCancelled');

/**
 * What a start shows of a search before the facts load: changed summaries on top of the stored facts
 * (details pending), and identities the store does not hold. Only the facts of those are read from it.
 */
function searchPreview(toldApart: ReadonlyMap<string, MitIdIdentitySummary>, look: StoredLook, readAt: string): Pick<SourceChanges<MitIdFacts>, 'upserts' | 'deletes'> {
  const upserts: SourceChanges<MitIdFacts>['upserts'] = [];
  const keys = [...toldApart.keys()];
  // Parsed by the system's schema on the way out of the store.
  const held = look.facts(keys) as ReadonlyMap<string, { fact: MitIdFacts; readAt: string }>;
  for (const uuid of keys) {
    const s = toldApart.get(uuid)!;
    const h = held.get(uuid);
    // Not in the last search but held (read since, e.g. a create written through): only if it differs.
    if (h && summaryChanged(h.fact.summary, s)) upserts.push({ key: uuid, fact: { ...h.fact, summary: s, detailsPending: true }, readAt: h.readAt });
    else if (!h) upserts.push({ key: uuid, fact: { summary: s, localIds: null, allowSigning: null }, readAt });
  }
  return { upserts, deletes: [] };
}

type Details = { localIds: string[]; allowSigning: boolean; privateMitIdActive: boolean; identity: { status: string; givenName: string | null; surname: string | null; emailAddress: string | null; rid: string | null } };
type ReadOutcome = { kind: 'read'; details: Details } | { kind: 'gone' } | { kind: 'failed' } | { kind: 'stop' };

export function createMitIdSource(mitid: MitIdErhvervPort, opts: MitIdSourceOptions = {}): SyncSource<MitIdFacts> {
  const callsPerMinute = opts.callsPerMinute ?? DEFAULT_CALLS_PER_MINUTE;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const graceMs = opts.searchGraceMs ?? 10 * 60_000;
  /** Held in memory between refreshes; restored from the cursor when this adapter has none yet. */
  let budget: CallBudget | null = null;
  /** The facts the engine held at the last refresh: readNow takes a summary's CPR and id from them. */
  let lastKnown: KnownFacts<MitIdFacts> | null = null;

  const budgetFor = (cursor: string | null, now: number): CallBudget =>
    (budget ??= new CallBudget({ ...opts.budget, callsPerMinute }, now, parseCursor(cursor)));
  const cursorOf = (b: CallBudget) => JSON.stringify({ v: 1, budget: b.snapshot() });

  /** The two per-identity calls, counted as made; a slow-down signal pauses the budget. */
  async function readDetails(uuid: string, b: CallBudget, calls: Record<string, number>, ctx: SyncContext): Promise<ReadOutcome> {
    calls[MITID_AUTHENTICATORS_CALL] = (calls[MITID_AUTHENTICATORS_CALL] ?? 0) + 1;
    calls[MITID_IDENTITY_CALL] = (calls[MITID_IDENTITY_CALL] ?? 0) + 1;
    // No retries inside the client: after a 503 the budget slows down instead of the call trying again.
    const call = { signal: ctx.signal, retries: 0, background: true };
    const [auths, identity] = await Promise.allSettled([mitid.listAuthenticators(uuid, call), mitid.getIdentity(uuid, call)]);
    if (auths.status === 'fulfilled' && identity.status === 'fulfilled') {
      const i = identity.value;
      return {
        kind: 'read',
        details: {
          localIds: auths.value.filter((a) => a.kind === 'local' && a.id).map((a) => a.id as string),
          allowSigning: i.allowSigning,
          privateMitIdActive: hasActivePrivateMitId(auths.value),
          identity: { status: i.status, givenName: i.givenName, surname: i.surname, emailAddress: i.emailAddress, rid: i.rid },
        },
      };
    }
    const errors = [auths, identity].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (ctx.signal.aborted || errors.some((e) => isConsoleError(e) && e.code === 'cancelled')) throw cancelledError();
    const signal = errors.map(slowDownSignal).find((s) => s !== null);
    if (signal) {
      b.slowDown(ctx.now(), signal.retryAfter);
      return { kind: 'stop' };
    }
    if (errors.some((e) => isConsoleError(e) && e.code === 'not-found')) return { kind: 'gone' };
    return { kind: 'failed' };
  }

  /** Runs `fn` over the items with bounded concurrency until one says stop (or the refresh is cancelled). */
  async function each<T>(items: readonly T[], fn: (item: T) => Promise<'go' | 'stop'>, ctx: SyncContext): Promise<void> {
    let next = 0;
    let stopped = false;
    const worker = async () => {
      while (!stopped && next < items.length) {
        if (ctx.signal.aborted) throw cancelledError();
        const item = items[next++] as T;
        if ((await fn(item)) === 'stop') stopped = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  }

  return {
    system: 'mitid',

    async refresh(cursor: string | null, known: KnownFacts<MitIdFacts>, ctx: SyncContext): Promise<SourceChanges<MitIdFacts>> {
      lastKnown = known;
      const full = cursor === null;
      const b = budgetFor(cursor, ctx.now());
      const calls: Record<string, number> = {};
      const paused = b.pausedFor(ctx.now());
      if (paused > 0) {
        // Retry-After is honoured: not even the search is sent until the pause is over.
        return { mode: 'delta', upserts: [], deletes: [], cursor: cursorOf(b), calls, method: { code: 'mitidWaiting', params: { budget: b.figures(ctx.now()) } } };
      }

      // At a start the search is told apart from the last one as it streams in (see step 2).
      const look = full ? null : ctx.stored();
      const last = look?.firstLook() ?? null;
      const diff = last ? SearchDiff.of(last) : null;
      /** What the diff told apart from the last search, once each (a search retried half-way streams some twice). */
      const toldApart = new Map<string, MitIdIdentitySummary>();

      // 1. The search: every identity's summary, streamed. Kept in a list while it streams (a map of
      // 100,000 built meanwhile slowed the search by a third); the map is built once what changed is shown.
      const streamed: MitIdIdentitySummary[] = [];
      ctx.progress({ phase: { code: 'mitidSearch', params: {} }, done: 0, total: known.size() });
      calls[MITID_SEARCH_CALL] = 1;
      try {
        await mitid.searchAll(
          (item) => {
            const uuid = item.uuid.toLowerCase();
            // The client lowercases already: a copy per identity only for a port that does not.
            const summary = uuid === item.uuid ? item : { ...item, uuid };
            streamed.push(summary);
            if (diff && diff.check(uuid, summary) !== 'same') toldApart.set(uuid, summary);
            if (streamed.length % 5000 === 0) ctx.progress({ phase: { code: 'mitidSearch', params: {} }, done: streamed.length, total: known.size() });
          },
          // One retry at most: the search is "very unstable" [C], but a storm must not be answered by a volley.
          { signal: ctx.signal, retries: 1, background: true },
        );
      } catch (e) {
        if (ctx.signal.aborted || (isConsoleError(e) && e.code === 'cancelled')) throw cancelledError();
        const signal = slowDownSignal(e);
        if (signal) b.slowDown(ctx.now(), signal.retryAfter);
        throw e;
      }
      const searchedAt = ctx.now();
      // At a start the search ran while the stored facts loaded: what changed is shown at once, told
      // against the last search, and then told against the facts themselves.
      if (look && diff) ctx.preview(searchPreview(toldApart, look, new Date(searchedAt).toISOString()));
      await ctx.adopted();
      // Built after the preview is shown, not before (a map of 100,000 takes a few tens of ms). A search
      // retried half-way streams some identities twice: each is held once, as last streamed.
      // Every pass over the 100,000 below yields in slices (src-main/slices.ts).
      const sliceDone = slicer(20_000);
      const searched = new Map<string, MitIdIdentitySummary>();
      for (const summary of streamed) {
        searched.set(summary.uuid, summary);
        if (sliceDone()) await pause();
      }

      // 2. What must be read: new identities, changed summaries, details still unknown.
      const must: string[] = [];
      for (const [uuid, s] of searched) {
        const k = known.get(uuid);
        if (!k || summaryChanged(k.fact.summary, s) || k.fact.localIds === null || k.fact.allowSigning === null || k.fact.detailsPending) must.push(uuid);
        if (sliceDone()) await pause();
      }
      if (!full) {
        // What the search said is shown at once; the per-identity reads behind it (and the revalidation)
        // take a while. A changed identity keeps its details, and when they were read, until they are read.
        const said: SourceChanges<MitIdFacts>['upserts'] = [];
        for (const uuid of must) {
          const s = searched.get(uuid)!;
          const k = known.get(uuid);
          if (!k) said.push({ key: uuid, fact: { summary: s, localIds: null, allowSigning: null }, readAt: new Date(searchedAt).toISOString() });
          else if (summaryChanged(k.fact.summary, s)) said.push({ key: uuid, fact: { ...k.fact, summary: s, detailsPending: true }, readAt: k.readAt });
        }
        await ctx.early({ upserts: said, deletes: [] });
      }
      const upserts = new Map<string, { key: string } & { fact: MitIdFacts; readAt: string }>();
      const gone = new Set<string>();
      let failed = 0;
      let stopped = false;
      let mustDone = 0;
      const readOne = async (uuid: string): Promise<'go' | 'stop'> => {
        const r = await readDetails(uuid, b, calls, ctx);
        if (r.kind === 'stop') {
          stopped = true;
          return 'stop';
        }
        if (r.kind === 'gone') gone.add(uuid);
        else if (r.kind === 'failed') failed++;
        else upserts.set(uuid, { key: uuid, fact: { summary: searched.get(uuid)!, localIds: r.details.localIds, allowSigning: r.details.allowSigning, privateMitIdActive: r.details.privateMitIdActive }, readAt: new Date(ctx.now()).toISOString() });
        return 'go';
      };
      await each(
        must,
        async (uuid) => {
          b.spend(2, ctx.now());
          const r = await readOne(uuid);
          ctx.progress({ phase: { code: 'mitidChanged', params: {} }, done: ++mustDone, total: must.length });
          return r;
        },
        ctx,
      );

      // 3. The rolling revalidation: the least recently read first, as far as the budget reaches.
      let revalidated = 0;
      if (!stopped) {
        const mustSet = new Set(must);
        const aged: { uuid: string; readAt: string }[] = [];
        for (const uuid of searched.keys()) {
          if (!mustSet.has(uuid)) aged.push({ uuid, readAt: known.get(uuid)?.readAt ?? '' });
          if (sliceDone()) await pause();
        }
        // ISO times: their text order is their time order.
        const candidates = (await sortSliced(aged, (x, y) => (x.readAt < y.readAt ? -1 : x.readAt > y.readAt ? 1 : 0))).map((c) => c.uuid);
        const reach = Math.min(candidates.length, Math.floor(b.available(ctx.now()) / 2));
        const phase = { code: 'mitidRevalidate', params: { budget: b.figures(ctx.now()) } } as const;
        await each(
          candidates,
          async (uuid) => {
            if (!b.tryTake(2, ctx.now())) return 'stop';
            const r = await readOne(uuid);
            ctx.progress({ phase, done: ++revalidated, total: reach });
            return r;
          },
          ctx,
        );
      }

      // 4. What was not read stays as it was: a new identity with unknown details (read next time), a
      // changed one with its old facts (its summary still differs next time, so it is read then).
      for (const uuid of must) {
        if (upserts.has(uuid) || gone.has(uuid)) continue;
        const k = known.get(uuid);
        if (!k) upserts.set(uuid, { key: uuid, fact: { summary: searched.get(uuid)!, localIds: null, allowSigning: null }, readAt: new Date(searchedAt).toISOString() });
        else if (full) upserts.set(uuid, { key: uuid, fact: k.fact, readAt: k.readAt });
      }
      if (full) {
        // A full answer names every identity: those not read keep what was held, with when it was read.
        for (const uuid of searched.keys()) {
          if (upserts.has(uuid) || gone.has(uuid)) continue;
          const k = known.get(uuid);
          if (k) upserts.set(uuid, { key: uuid, fact: { ...k.fact, summary: searched.get(uuid)! }, readAt: k.readAt });
          if (sliceDone()) await pause();
        }
      }
      const deletes: string[] = full ? [] : [...gone];
      if (!full) {
        for (const uuid of known.keys()) {
          if (searched.has(uuid) || gone.has(uuid)) continue;
          const readAt = Date.parse(known.get(uuid)?.readAt ?? '');
          // Just read (write-through of a create): the search may not list it yet.
          if (Number.isFinite(readAt) && searchedAt - readAt < graceMs) continue;
          deletes.push(uuid);
          if (sliceDone()) await pause();
        }
      }
      const now = ctx.now();
      const changed = must.filter((u) => upserts.has(u) && upserts.get(u)!.fact.localIds !== null).length;
      ctx.progress({ phase: { code: 'mitidDone', params: { changed, revalidated, budget: b.figures(now) } }, done: searched.size, total: searched.size });
      return {
        mode: full ? 'full' : 'delta',
        upserts: [...upserts.values()],
        deletes,
        cursor: cursorOf(b),
        calls,
        method: { code: 'mitidRead', params: { searched: searched.size, changed, revalidated, stopped, waiting: stopped ? must.length - mustDone : 0, failed, budget: b.figures(now) } },
        firstLook: await searchLookText(searched),
      };
    },

    async readNow(keys: readonly string[], ctx: SyncContext): Promise<SourceChanges<MitIdFacts>> {
      const b = budgetFor(null, ctx.now());
      const paused = b.pausedFor(ctx.now());
      if (paused > 0) {
        const s = Math.ceil(paused / 1000);
        throw new ConsoleError('unavailable-mitid', `MitID Erhverv har bedt konsollen vente – prøv igen om ${s} s`, { retryAfterSeconds: s }).withKey('mitidWaitSeconds', { seconds: s });
      }
      const unique = [...new Set(keys.map((k) => k.toLowerCase()))];
      const calls: Record<string, number> = {};
      const upserts: SourceChanges<MitIdFacts>['upserts'] = [];
      const deletes: string[] = [];
      let stopped = false;
      let done = 0;
      await each(
        unique,
        async (uuid) => {
          b.spend(2, ctx.now());
          const r = await readDetails(uuid, b, calls, ctx);
          ctx.progress({ phase: { code: 'mitidCheck', params: {} }, done: ++done, total: unique.length });
          if (r.kind === 'stop') {
            stopped = true;
            return 'stop';
          }
          if (r.kind === 'gone') deletes.push(uuid);
          if (r.kind !== 'read') return 'go';
          const old = lastKnown?.get(uuid)?.fact.summary;
          const i = r.details.identity;
          // The identity read has no CPR or numeric id: those come from the last search, when we have it.
          const summary: MitIdIdentitySummary = { uuid, id: old?.id ?? null, cprNumber: old?.cprNumber ?? null, status: i.status, givenName: i.givenName, surname: i.surname, emailAddress: i.emailAddress, rid: i.rid };
          upserts.push({ key: uuid, fact: { summary, localIds: r.details.localIds, allowSigning: r.details.allowSigning, privateMitIdActive: r.details.privateMitIdActive }, readAt: new Date(ctx.now()).toISOString() });
          return 'go';
        },
        ctx,
      );
      if (stopped) throw new ConsoleError('unavailable-mitid', `MitID Erhverv beder konsollen om at vente (${b.describe(ctx.now())})`).withKey('mitidBudgetWait');
      return { mode: 'delta', upserts, deletes, cursor: cursorOf(b), calls, method: { code: 'readNow', params: {} } };
    },
  };
}
