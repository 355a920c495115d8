// The AD adapter of the sync engine. A refresh asks the DC for the people whose uSNChanged is above the
// cursor's (creates, changes and moves all raise it), keyed on the DC's invocationId: another DC, or this DC
// restored from a backup, has another invocationId (or a lower USN) and its USNs mean nothing against ours,
// so that is a full read. A delete does not show in such a delta (the tombstone leaves the people filter),
// so deletions are found by a sweep of objectGUIDs — the ids only, a fraction of a full read — at a longer
// interval. (DirSync would report deletions with the delta, but needs the "Replicating Directory Changes"
// right that an operator's own account does not normally hold; the method line says which is used.)
import { z } from 'zod';
import { ConsoleError } from '../../../../shared/errors.ts';
import { PersonSummary } from '../../../../shared/domain/person.ts';
import type { DirectorySession } from '../../../ports.ts';
import type { ReadOptions } from '../../../connectors/ad/ad-directory.ts';
import type { AdFullReason } from '../../../../shared/domain/sync.ts';
import { dnIsWithin } from '../../../../shared/dn.ts';
import { pause, slicer } from '../../../slices.ts';
import type { KnownFacts, SourceChanges, SyncContext, SyncMethod, SyncSource } from './source.ts';

/** A domain's own facts, held under its domain key beside the people (`baseDn`: which domain, with several). */
export const AdDomainFact = z.object({ kind: z.literal('domain'), maxPasswordAgeDays: z.number().nullable(), baseDn: z.string().optional() }).strict();
// People first: nearly every fact is one (a union tries its options in order; 100,000 parse at a start).
export const AdFact = z.union([PersonSummary, AdDomainFact]);
export type AdFact = z.infer<typeof AdFact>;
/** The key of the domain's own facts; with several domains, `domain:<id>` per domain. */
export const DOMAIN_KEY = 'domain';
export const isPerson = (f: AdFact): f is PersonSummary => !('kind' in f);
export const isDomainKey = (key: string) => key === DOMAIN_KEY || key.startsWith(`${DOMAIN_KEY}:`);
const domainKeyOf = (s: DirectorySession) => (s.domain ? `${DOMAIN_KEY}:${s.domain.id}` : DOMAIN_KEY);

/** What a directory session must offer for the delta (the AD adapter's sessions do; the training one reads whole). */
export interface DeltaSession extends DirectorySession {
  readSyncPoint(): Promise<{ dsa: string; invocationId: string | null; usn: number }>;
  loadAllPeople(opts?: ReadOptions): Promise<PersonSummary[]>;
  loadPeopleChangedSince(usn: number, opts?: ReadOptions): Promise<PersonSummary[]>;
  listAllIds(): Promise<string[]>;
}

export function isDeltaSession(s: DirectorySession): s is DeltaSession {
  const d = s as Partial<DeltaSession>;
  return typeof d.readSyncPoint === 'function' && typeof d.loadPeopleChangedSince === 'function' && typeof d.listAllIds === 'function' && typeof d.loadAllPeople === 'function';
}

/** Where one domain's reading stands: its DC's database, the counter read up to, when deletions were last swept. */
const DomainCursor = z.object({ dc: z.string().min(1), usn: z.number().int().nonnegative(), sweptAt: z.number() });
type DomainCursor = z.infer<typeof DomainCursor>;
// v1: one domain (a session with no domain facts). v2: one per domain the list is read in, by domain id.
const AdCursor = z.union([DomainCursor.extend({ v: z.literal(1) }), z.object({ v: z.literal(2), domains: z.record(z.string(), DomainCursor) })]);
type AdCursor = z.infer<typeof AdCursor>;

function parseCursor(cursor: string | null): AdCursor | null {
  if (!cursor) return null;
  try {
    const r = AdCursor.safeParse(JSON.parse(cursor));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** A domain's cursor in a stored one; a v1 cursor is the cursor of the one domain that has no id. */
function cursorOf(c: AdCursor | null, s: DirectorySession): DomainCursor | null {
  if (!c) return null;
  if (c.v === 1) return s.domain ? null : c;
  return c.domains[s.domain?.id ?? ''] ?? null;
}

export interface AdSourceOptions {
  /** The operator's session the list is read under (AD's own delegation decides what it sees); null: nobody signed in. */
  session?(): DirectorySession | null;
  /** With several domains: the binds the list is read under, one per domain (each domain under its own). */
  sessions?(): readonly DirectorySession[];
  /** How often the delta also sweeps the object GUIDs for deletions (default 30 minutes). */
  sweepEveryMs?: number;
}

export const DEFAULT_SWEEP_MS = 30 * 60_000;

const stamp = (ctx: SyncContext) => new Date(ctx.now()).toISOString();

function cancelled(ctx: SyncContext): void {
  if (ctx.signal.aborted) throw new ConsoleError('cancelled', 'Indlæsningen blev afbrudt.').withKey('loadCancelled');
}

/** The domain's maximum password age (each row's expiry; a PSO may differ, the person page shows it). */
async function domainFact(session: DirectorySession, anyone: PersonSummary | undefined): Promise<AdFact> {
  const maxPasswordAgeDays = anyone
    ? await session.getResultantPasswordPolicy(anyone.id).then((p) => (p.source === 'domain' ? p.maxAgeDays : null)).catch(() => null)
    : null;
  return { kind: 'domain', maxPasswordAgeDays, ...(session.domain ? { baseDn: session.domain.baseDn } : {}) };
}

/** Whether a held fact is of the domain a session reads (without domain facts: every fact is). */
function ofDomain(s: DirectorySession, key: string, fact: AdFact | undefined): boolean {
  const d = s.domain;
  if (!d) return true;
  if (isDomainKey(key)) return key === domainKeyOf(s);
  const dn = fact && isPerson(fact) ? fact.dn : null;
  return dn !== null && dnIsWithin(dn, d.baseDn) && !d.nested.some((n) => dnIsWithin(dn, n));
}

/** What is held of one domain. */
interface Held {
  keys(): string[];
  any(): boolean;
}

/** One domain's part of a refresh. */
interface DomainRead {
  full: boolean;
  upserts: SourceChanges<AdFact>['upserts'];
  deletes: string[];
  cursor: DomainCursor | null;
  calls: Record<string, number>;
  method: SyncMethod;
}

export function createAdSource(opts: AdSourceOptions): SyncSource<AdFact> {
  const sweepEvery = opts.sweepEveryMs ?? DEFAULT_SWEEP_MS;

  function sessions(): readonly DirectorySession[] {
    const list = opts.sessions?.() ?? [opts.session?.() ?? null].filter((x): x is DirectorySession => x !== null);
    if (list.length === 0) throw new ConsoleError('unauthenticated', 'Log ind for at læse Active Directory.').withKey('signInToReadAd');
    return list;
  }

  async function full(s: DirectorySession, ctx: SyncContext, why: AdFullReason, point: { dc: string; usn: number } | null): Promise<DomainRead> {
    const phase = { code: 'adFull', params: { why } } as const;
    ctx.progress({ phase, done: 0, total: 0 });
    const people = isDeltaSession(s)
      ? await s.loadAllPeople({ signal: ctx.signal, onProgress: (n) => ctx.progress({ phase, done: n, total: 0 }) })
      : (await s.searchPeople({ text: '', limit: 10_000_000 })).items;
    cancelled(ctx);
    const readAt = stamp(ctx);
    const upserts: SourceChanges<AdFact>['upserts'] = [];
    const sliceDone = slicer(20_000);
    for (const p of people) {
      upserts.push({ key: p.id, fact: p, readAt });
      if (sliceDone()) await pause();
    }
    upserts.push({ key: domainKeyOf(s), fact: await domainFact(s, people[0]), readAt });
    return {
      full: true,
      upserts,
      deletes: [],
      cursor: point ? { dc: point.dc, usn: point.usn, sweptAt: ctx.now() } : null,
      calls: { [isDeltaSession(s) ? 'ldap.fullSearch' : 'directory.search']: 1, 'ldap.passwordPolicy': 1 },
      method: { code: 'adFull', params: { why } },
    };
  }

  /** One domain, under its own bind: what changed since its cursor, or all of it. */
  async function readDomain(s: DirectorySession, c: DomainCursor | null, known: KnownFacts<AdFact>, mine: Held, ctx: SyncContext): Promise<DomainRead> {
    if (!isDeltaSession(s)) return full(s, ctx, 'noCounter', null);
    ctx.progress({ phase: { code: 'adCounter', params: {} }, done: 0, total: 0 });
    const sp = await s.readSyncPoint();
    const point = { dc: sp.invocationId ?? `dsa:${sp.dsa}`, usn: sp.usn };
    // Read the counter first: anything changed while we read is picked up again by the next delta.
    if (!c) return full(s, ctx, 'first', point);
    if (c.dc !== point.dc) return full(s, ctx, 'otherDc', point);
    if (point.usn < c.usn) return full(s, ctx, 'counterBack', point);
    cancelled(ctx);

    ctx.progress({ phase: { code: 'adChanges', params: {} }, done: 0, total: 0 });
    const changed = await s.loadPeopleChangedSince(c.usn, { signal: ctx.signal });
    cancelled(ctx);
    const readAt = stamp(ctx);
    const upserts: SourceChanges<AdFact>['upserts'] = changed.map((p) => ({ key: p.id, fact: p, readAt }));
    // At a start the delta was asked for while the stored facts loaded: shown at once, and only of use
    // (a sweep, the answer) on top of them.
    ctx.preview({ upserts, deletes: [] });
    await ctx.adopted();
    if (!mine.any()) return full(s, ctx, 'first', point);
    const calls: Record<string, number> = { 'ldap.rootDse': 1, 'ldap.invocationId': 1, 'ldap.deltaSearch': 1 };
    const deletes: string[] = [];
    let sweptAt = c.sweptAt;
    const sweep = ctx.now() - c.sweptAt >= sweepEvery;
    if (sweep) {
      ctx.progress({ phase: { code: 'adSweep', params: {} }, done: 0, total: mine.keys().length });
      const present = new Set(await s.listAllIds());
      cancelled(ctx);
      const upserted = new Set(changed.map((p) => p.id));
      for (const key of mine.keys()) if (!isDomainKey(key) && !present.has(key) && !upserted.has(key)) deletes.push(key);
      sweptAt = ctx.now();
      calls['ldap.guidSweep'] = 1;
      // The domain's policy is re-read with the sweep, not with every delta.
      const anyone = changed[0] ?? mine.keys().map((k) => known.get(k)?.fact).find((f): f is PersonSummary => !!f && isPerson(f));
      upserts.push({ key: domainKeyOf(s), fact: await domainFact(s, anyone), readAt });
      calls['ldap.passwordPolicy'] = 1;
    }
    const minutes = Math.round(sweepEvery / 60_000);
    return {
      full: false,
      upserts,
      deletes,
      cursor: { dc: point.dc, usn: Math.max(point.usn, c.usn), sweptAt },
      calls,
      method: { code: 'adDelta', params: { sweepMinutes: minutes, swept: sweep } },
    };
  }

  /**
   * The facts held of a session's domain (a full read of it replaces exactly these), once the stored facts
   * are in: listed at most once per refresh (a
   * DN check per fact: 100,000 at a large municipality), and "any?" answered at the first one found.
   */
  function heldOf(s: DirectorySession, known: KnownFacts<AdFact>): Held {
    const mineKey = (k: string) => ofDomain(s, k, known.get(k)?.fact);
    let list: string[] | null = null;
    return {
      keys: () => (list ??= [...known.keys()].filter(mineKey)),
      any: () => (list ? list.length > 0 : [...known.keys()].some(mineKey)),
    };
  }

  /** Which of the binds reads a person: the one of the domain their DN is in, the others after it. */
  function bindsFor(key: string, known: KnownFacts<AdFact>): readonly DirectorySession[] {
    const list = sessions();
    const fact = known.get(key)?.fact;
    return [...list].sort((a, b) => Number(ofDomain(b, key, fact)) - Number(ofDomain(a, key, fact)));
  }

  let held: KnownFacts<AdFact> | null = null;

  return {
    system: 'ad',

    async refresh(cursor: string | null, known: KnownFacts<AdFact>, ctx: SyncContext): Promise<SourceChanges<AdFact>> {
      held = known;
      const list = sessions();
      const stored = parseCursor(cursor);
      const [only] = list;
      if (list.length === 1 && only && !only.domain) {
        // One domain: its read is the whole of AD's facts, as it always was.
        const r = await readDomain(only, cursorOf(stored, only), known, { keys: () => [...known.keys()], any: () => known.size() > 0 }, ctx);
        return {
          mode: r.full ? 'full' : 'delta',
          upserts: r.upserts,
          deletes: r.deletes,
          cursor: r.cursor ? JSON.stringify({ v: 1, ...r.cursor } satisfies AdCursor) : null,
          calls: r.calls,
          method: r.method,
        };
      }
      // Several domains (#19): each under its own bind, with its own cursor. The facts of a domain not read
      // now (nobody signed in there asked) stay as they are; whoever reads them is confined to their scope.
      const domains: Record<string, DomainCursor> = stored?.v === 2 ? { ...stored.domains } : {};
      const upserts: SourceChanges<AdFact>['upserts'] = [];
      const deletes: string[] = [];
      const calls: Record<string, number> = {};
      let method: SyncMethod | null = null;
      let allFull = true;
      for (const s of list) {
        const mine = heldOf(s, known);
        const r = await readDomain(s, cursorOf(stored, s), known, mine, ctx);
        await ctx.adopted();
        if (r.full) {
          // A whole read of one domain: who of it is held but was not read is gone.
          const read = new Set(r.upserts.map((u) => u.key));
          for (const k of mine.keys()) if (!read.has(k)) deletes.push(k);
        }
        upserts.push(...r.upserts);
        deletes.push(...r.deletes);
        for (const [k, n] of Object.entries(r.calls)) calls[k] = (calls[k] ?? 0) + n;
        if (r.cursor) domains[s.domain?.id ?? ''] = r.cursor;
        if (!method || r.full) method = r.method;
        allFull &&= r.full;
      }
      const next = JSON.stringify({ v: 2, domains } satisfies AdCursor);
      // Every domain held was read whole: a full read (it replaces everything, and says so in the status).
      const whole = allFull && [...known.keys()].every((k) => list.some((s) => ofDomain(s, k, known.get(k)?.fact)));
      if (whole) return { mode: 'full', upserts, deletes: [], cursor: next, calls, method: method ?? { code: 'readNow', params: {} } };
      return { mode: 'delta', upserts, deletes, cursor: next, calls, method: method ?? { code: 'readNow', params: {} } };
    },

    async readNow(keys: readonly string[], ctx: SyncContext): Promise<SourceChanges<AdFact>> {
      const known = held;
      const upserts: SourceChanges<AdFact>['upserts'] = [];
      const deletes: string[] = [];
      let reads = 0;
      for (const key of keys) {
        if (isDomainKey(key)) continue;
        cancelled(ctx);
        // The person is in one domain: the bind of the domain they were last seen in first, then the others.
        const binds = known ? bindsFor(key, known) : sessions();
        let found = false;
        for (const s of binds) {
          reads++;
          try {
            // Only the summary is kept: the person page reads the rest when it is opened.
            upserts.push({ key, fact: PersonSummary.parse(await s.getPerson(key)), readAt: stamp(ctx) });
            found = true;
            break;
          } catch (e) {
            if (!(e instanceof ConsoleError && e.code === 'not-found')) throw e;
          }
        }
        if (!found) deletes.push(key);
      }
      return { mode: 'delta', upserts, deletes, cursor: null, calls: { 'ldap.getPerson': reads }, method: { code: 'readNow', params: {} } };
    },
  };
}
