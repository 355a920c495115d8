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
import type { KnownFacts, SourceChanges, SyncContext, SyncSource } from './source.ts';

/** The domain's own facts, held under DOMAIN_KEY beside the people. */
export const AdDomainFact = z.object({ kind: z.literal('domain'), maxPasswordAgeDays: z.number().nullable() }).strict();
// People first: nearly every fact is one (a union tries its options in order; 100,000 parse at a start).
export const AdFact = z.union([PersonSummary, AdDomainFact]);
export type AdFact = z.infer<typeof AdFact>;
export const DOMAIN_KEY = 'domain';
export const isPerson = (f: AdFact): f is PersonSummary => !('kind' in f);

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

const AdCursor = z.object({ v: z.literal(1), dc: z.string().min(1), usn: z.number().int().nonnegative(), sweptAt: z.number() });
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

export interface AdSourceOptions {
  /** The operator's session the list is read under (AD's own delegation decides what it sees); null: nobody signed in. */
  session(): DirectorySession | null;
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
  return { kind: 'domain', maxPasswordAgeDays };
}

export function createAdSource(opts: AdSourceOptions): SyncSource<AdFact> {
  const sweepEvery = opts.sweepEveryMs ?? DEFAULT_SWEEP_MS;

  function session(): DirectorySession {
    const s = opts.session();
    if (!s) throw new ConsoleError('unauthenticated', 'Log ind for at læse Active Directory.').withKey('signInToReadAd');
    return s;
  }

  async function full(s: DirectorySession, ctx: SyncContext, why: AdFullReason, point: { dc: string; usn: number } | null): Promise<SourceChanges<AdFact>> {
    const phase = { code: 'adFull', params: { why } } as const;
    ctx.progress({ phase, done: 0, total: 0 });
    const people = isDeltaSession(s)
      ? await s.loadAllPeople({ signal: ctx.signal, onProgress: (n) => ctx.progress({ phase, done: n, total: 0 }) })
      : (await s.searchPeople({ text: '', limit: 10_000_000 })).items;
    cancelled(ctx);
    const readAt = stamp(ctx);
    const upserts: SourceChanges<AdFact>['upserts'] = people.map((p) => ({ key: p.id, fact: p, readAt }));
    upserts.push({ key: DOMAIN_KEY, fact: await domainFact(s, people[0]), readAt });
    return {
      mode: 'full',
      upserts,
      deletes: [],
      cursor: point ? JSON.stringify({ v: 1, dc: point.dc, usn: point.usn, sweptAt: ctx.now() } satisfies AdCursor) : null,
      calls: { [isDeltaSession(s) ? 'ldap.fullSearch' : 'directory.search']: 1, 'ldap.passwordPolicy': 1 },
      method: { code: 'adFull', params: { why } },
    };
  }

  return {
    system: 'ad',

    async refresh(cursor: string | null, known: KnownFacts<AdFact>, ctx: SyncContext): Promise<SourceChanges<AdFact>> {
      const s = session();
      if (!isDeltaSession(s)) return full(s, ctx, 'noCounter', null);
      ctx.progress({ phase: { code: 'adCounter', params: {} }, done: 0, total: 0 });
      const sp = await s.readSyncPoint();
      const point = { dc: sp.invocationId ?? `dsa:${sp.dsa}`, usn: sp.usn };
      const c = parseCursor(cursor);
      // Read the counter first: anything changed while we read is picked up again by the next delta.
      if (!c || known.size() === 0) return full(s, ctx, 'first', point);
      if (c.dc !== point.dc) return full(s, ctx, 'otherDc', point);
      if (point.usn < c.usn) return full(s, ctx, 'counterBack', point);
      cancelled(ctx);

      ctx.progress({ phase: { code: 'adChanges', params: {} }, done: 0, total: 0 });
      const changed = await s.loadPeopleChangedSince(c.usn, { signal: ctx.signal });
      cancelled(ctx);
      const readAt = stamp(ctx);
      const upserts: SourceChanges<AdFact>['upserts'] = changed.map((p) => ({ key: p.id, fact: p, readAt }));
      const calls: Record<string, number> = { 'ldap.rootDse': 1, 'ldap.invocationId': 1, 'ldap.deltaSearch': 1 };
      const deletes: string[] = [];
      let sweptAt = c.sweptAt;
      const sweep = ctx.now() - c.sweptAt >= sweepEvery;
      if (sweep) {
        ctx.progress({ phase: { code: 'adSweep', params: {} }, done: 0, total: known.size() });
        const present = new Set(await s.listAllIds());
        cancelled(ctx);
        const upserted = new Set(changed.map((p) => p.id));
        for (const key of known.keys()) if (key !== DOMAIN_KEY && !present.has(key) && !upserted.has(key)) deletes.push(key);
        sweptAt = ctx.now();
        calls['ldap.guidSweep'] = 1;
        // The domain's policy is re-read with the sweep, not with every delta.
        const anyone = changed[0] ?? [...known.keys()].map((k) => known.get(k)?.fact).find((f): f is PersonSummary => !!f && isPerson(f));
        upserts.push({ key: DOMAIN_KEY, fact: await domainFact(s, anyone), readAt });
        calls['ldap.passwordPolicy'] = 1;
      }
      const minutes = Math.round(sweepEvery / 60_000);
      return {
        mode: 'delta',
        upserts,
        deletes,
        cursor: JSON.stringify({ v: 1, dc: point.dc, usn: Math.max(point.usn, c.usn), sweptAt } satisfies AdCursor),
        calls,
        method: { code: 'adDelta', params: { sweepMinutes: minutes, swept: sweep } },
      };
    },

    async readNow(keys: readonly string[], ctx: SyncContext): Promise<SourceChanges<AdFact>> {
      const s = session();
      const upserts: SourceChanges<AdFact>['upserts'] = [];
      const deletes: string[] = [];
      for (const key of keys) {
        if (key === DOMAIN_KEY) continue;
        cancelled(ctx);
        try {
          // Only the summary is kept: the person page reads the rest when it is opened.
          upserts.push({ key, fact: PersonSummary.parse(await s.getPerson(key)), readAt: stamp(ctx) });
        } catch (e) {
          if (e instanceof ConsoleError && e.code === 'not-found') deletes.push(key);
          else throw e;
        }
      }
      return { mode: 'delta', upserts, deletes, cursor: null, calls: { 'ldap.getPerson': keys.length }, method: { code: 'readNow', params: {} } };
    },
  };
}
