// The people index: one merged row per person, built in main and served to the renderer a window at a
// time. AD is read first and makes the rows usable at once; MitID Erhverv and the IdP enrich them as they
// arrive (sources.ts), the rows are rebuilt from the facts (merge.ts), and views are array passes over
// pre-folded text (query.ts). The version number tells the renderer to fetch again. This file is the
// lifecycle: when to read, the local cache of the last complete read, and the public API.
import { z } from 'zod';
import type { DriftCounts, PeopleQuery, PersonRow, SourceFreshness } from '../../../../shared/domain/people.ts';
import { PersonSummary } from '../../../../shared/domain/person.ts';
import type { Scope } from '../../../../shared/roles.ts';
import type { Connections, DirectorySession } from '../../../ports.ts';
import type { PeopleSnapshot } from '../../../store/people-snapshot.ts';
import { runInBackground } from '../../../background.ts';
import { adMatchFor, buildRow, entryOf, expectedSubject, IdpFacts, matchIdentities, mergeEntries, MitIdFacts, type MergeContext, type PeopleFacts } from './merge.ts';
import { compareRows, driftCountsOf, filterEntries, nsisStatusesOf, ousOf, runQuery, scopedView, type Entry } from './query.ts';
import { readAdPeople, readIdentityDetails, readIdp, readMitId } from './sources.ts';

/** Older than this, the next list request starts a refresh in the background (the old rows stay). */
const STALE_MS = 10 * 60_000;

export interface PeopleIndex {
  /** Start (or join) a build; resolves when AD is in (the rows are usable), MitID/IdP go on in the background. */
  ensure(session: DirectorySession): Promise<void>;
  refresh(session: DirectorySession): Promise<void>;
  /** Resolves when every source has finished its current read (tests). */
  idle(): Promise<void>;
  /** The view, limited to the operator's scope (null = everyone); `indexed` counts the people in scope. */
  query(q: PeopleQuery, scope?: Scope): { rows: PersonRow[]; indexed: number };
  row(personId: string): PersonRow | null;
  /**
   * The AD person an identity belongs to by its local credentials (the link rule) or its e-mail, if any:
   * an identity that matches someone is not an orphan, whatever the last merge said.
   */
  adMatchFor(identity: { localIds: readonly string[]; email: string | null }): PersonRow | null;
  /** Re-read one person from all three systems (after a write). */
  refreshPerson(session: DirectorySession, personId: string): Promise<PersonRow | null>;
  version(): number;
  sources(): SourceFreshness[];
  driftCounts(scope?: Scope): DriftCounts;
  ous(scope?: Scope): string[];
  nsisStatuses(scope?: Scope): string[];
}

/** The cached AD part, parsed on the way back in: the cache file is as untrusted as any other input. */
const CachedAd = z.object({ people: z.array(PersonSummary), maxPasswordAgeDays: z.number().nullable() });

/** One index per set of connections: changing the settings (new connections) starts a fresh one. */
export function createPeopleIndex(conn: Connections, snapshot: PeopleSnapshot | null = null): PeopleIndex {
  let version = 0;
  let entries: Entry[] = [];
  const byId = new Map<string, Entry>();
  const facts: PeopleFacts = { mitid: new Map(), mitidFor: new Map(), idp: new Map(), maxPasswordAgeDays: null };
  const state: Record<'ad' | 'mitid' | 'idp', SourceFreshness> = {
    ad: { system: 'ad', state: 'not-loaded', loadedAt: null, done: 0, total: 0, message: null, fromCache: false },
    mitid: { system: 'mitid', state: conn.mitid ? 'not-loaded' : 'not-configured', loadedAt: null, done: 0, total: 0, message: null, fromCache: false },
    idp: { system: 'idp', state: conn.idp ? 'not-loaded' : 'not-configured', loadedAt: null, done: 0, total: 0, message: null, fromCache: false },
  };
  let adBuild: Promise<void> | null = null;
  let background: Promise<void> = Promise.resolve();
  let cache: { key: string; version: number; rows: PersonRow[] } | null = null;
  let byName: { version: number; entries: Entry[] } | null = null;
  const visible = scopedView();
  const inView = (list: readonly Entry[], scope: Scope | undefined) => visible(entries, list, scope, version);

  const context = (): MergeContext => ({
    facts,
    linkRule: conn.linkRule,
    mitid: { loaded: state.mitid.loadedAt !== null, loading: state.mitid.state === 'loading' },
  });
  const adPeople = () => entries.filter((e) => e.ad).map((e) => e.ad as PersonSummary);
  // Partial results show up about twenty times during a read, whatever the size.
  const mergeEvery = () => Math.max(500, Math.ceil(entries.length / 20));
  const bump = () => {
    version++;
    cache = null;
  };

  /** Rebuild every row from the facts; `match` first when the identities or the people changed. */
  function remerge(opts: { people?: PersonSummary[]; match?: boolean } = {}): void {
    const people = opts.people ?? adPeople();
    if (opts.match) matchIdentities(facts, people, conn.linkRule);
    entries = mergeEntries(context(), people);
    byId.clear();
    for (const e of entries) byId.set(e.row.id, e);
    bump();
  }

  // ------------------------------------------------------------------ reading the systems

  async function loadMitId(): Promise<void> {
    const mitid = conn.mitid;
    if (!mitid) return;
    state.mitid = { ...state.mitid, state: 'loading', done: 0, total: 0, message: null };
    try {
      let sinceMerge = 0;
      await readMitId(mitid, facts.mitid, {
        searched(fresh) {
          facts.mitid = fresh;
          state.mitid.total = fresh.size;
          state.mitid.loadedAt = state.mitid.loadedAt ?? new Date().toISOString();
          remerge({ match: true });
        },
        detail() {
          state.mitid.done++;
          if (++sinceMerge >= mergeEvery()) {
            sinceMerge = 0;
            remerge({ match: true });
          }
        },
      });
      state.mitid = { ...state.mitid, state: 'ok', loadedAt: new Date().toISOString(), message: null, fromCache: false };
      remerge({ match: true });
      persist('mitid', [...facts.mitid.values()]);
    } catch (e) {
      state.mitid = { ...state.mitid, state: 'failed', message: e instanceof Error ? e.message : 'MitID Erhverv svarede ikke.' };
      bump();
    }
  }

  async function loadIdp(): Promise<void> {
    if (!conn.idp) return;
    const people = adPeople();
    state.idp = { ...state.idp, state: 'loading', done: 0, total: people.length, message: null };
    let sinceMerge = 0;
    const failures = await readIdp(conn, people, facts.idp, () => {
      state.idp.done++;
      if (++sinceMerge >= mergeEvery()) {
        sinceMerge = 0;
        remerge();
      }
    });
    const failed = failures > 0 && failures === people.length;
    state.idp = {
      ...state.idp,
      state: failed ? 'failed' : 'ok',
      loadedAt: failed ? state.idp.loadedAt : new Date().toISOString(),
      message: failures > 0 ? `${failures} personer kunne ikke hentes fra IdP'en.` : null,
      fromCache: failed && state.idp.fromCache,
    };
    remerge();
    if (!failed) persist('idp', [...facts.idp.entries()]);
  }

  async function build(session: DirectorySession): Promise<void> {
    state.ad = { ...state.ad, state: 'loading', message: null };
    try {
      const { people, maxPasswordAgeDays } = await readAdPeople(session);
      facts.maxPasswordAgeDays = maxPasswordAgeDays;
      state.ad = { ...state.ad, state: 'ok', loadedAt: new Date().toISOString(), done: people.length, total: people.length, message: null, fromCache: false };
      remerge({ people, match: true });
      persist('ad', { people, maxPasswordAgeDays });
    } catch (e) {
      state.ad = { ...state.ad, state: 'failed', message: e instanceof Error ? e.message : 'Active Directory svarede ikke.' };
      bump();
      throw e;
    }
    background = Promise.all([loadMitId(), loadIdp()]).then(() => {});
  }

  function start(session: DirectorySession): Promise<void> {
    const p = build(session).finally(() => {
      if (adBuild === p) adBuild = null;
    });
    adBuild = p;
    return p;
  }

  // ------------------------------------------------------------------ the local cache

  /** Keep a complete read for the next start. A cache that cannot be written only costs a slower start. */
  function persist(source: 'ad' | 'mitid' | 'idp', data: unknown): void {
    const loadedAt = state[source].loadedAt;
    if (!snapshot || !loadedAt) return;
    try {
      snapshot.save({ [source]: { loadedAt, data } });
    } catch {
      // Disk full, file locked: the next complete read tries again.
    }
  }

  /** A cached part as its schema says, or null (absent, or not what this version of the console writes). */
  function cached<T extends z.ZodType>(source: 'ad' | 'mitid' | 'idp', schema: T): { loadedAt: string; data: z.output<T> } | null {
    const part = snapshot?.load(source);
    if (!part) return null;
    const parsed = schema.safeParse(part.data);
    return parsed.success ? { loadedAt: part.loadedAt, data: parsed.data } : null;
  }

  /** The rows as last seen, before any system has answered; false when there is nothing (usable) cached. */
  function restore(): boolean {
    const ad = cached('ad', CachedAd);
    if (!ad) return false;
    facts.maxPasswordAgeDays = ad.data.maxPasswordAgeDays;
    const n = ad.data.people.length;
    state.ad = { ...state.ad, state: 'ok', loadedAt: ad.loadedAt, done: n, total: n, message: null, fromCache: true };
    const mitid = conn.mitid ? cached('mitid', z.array(MitIdFacts)) : null;
    if (mitid) {
      facts.mitid = new Map(mitid.data.map((m) => [m.summary.uuid, m]));
      state.mitid = { ...state.mitid, state: 'ok', loadedAt: mitid.loadedAt, done: mitid.data.length, total: mitid.data.length, fromCache: true };
    }
    const idp = conn.idp ? cached('idp', IdpFacts) : null;
    if (idp) {
      for (const [id, p] of idp.data) facts.idp.set(id, p);
      state.idp = { ...state.idp, state: 'ok', loadedAt: idp.loadedAt, done: idp.data.length, total: idp.data.length, fromCache: true };
    }
    remerge({ people: ad.data.people, match: true });
    return true;
  }

  // ------------------------------------------------------------------ one person, after a write

  async function refreshMitIdOf(ad: PersonSummary): Promise<void> {
    const mitid = conn.mitid;
    if (!mitid || state.mitid.loadedAt === null) return;
    const uuid = facts.mitidFor.get(ad.id);
    try {
      const subject = expectedSubject(ad, conn.linkRule);
      const found = subject ? await mitid.findBySubjectNameId(subject, { emailAddress: ad.email }) : null;
      const summary = found ?? (uuid ? (facts.mitid.get(uuid)?.summary ?? null) : null);
      if (summary) {
        const d = await readIdentityDetails(mitid, summary.uuid);
        facts.mitid.set(summary.uuid, { summary: { ...summary, status: d.status }, localIds: d.localIds, allowSigning: d.allowSigning });
        facts.mitidFor.set(ad.id, summary.uuid);
      } else if (uuid) {
        facts.mitidFor.delete(ad.id);
      }
    } catch {
      // Keep what we had; the detail panel shows MitID Erhverv's own error.
    }
  }

  return {
    async ensure(session) {
      if (adBuild) return adBuild;
      if (state.ad.loadedAt === null) {
        // Open at once from the local cache and read every system again behind it.
        if (restore()) {
          // Not awaited: the cached rows answer now; a failed read shows in the AD source's state.
          runInBackground('people.index', start(session));
          return;
        }
        return start(session);
      }
      const stale = Date.now() - Date.parse(state.ad.loadedAt) > STALE_MS;
      const busy = state.mitid.state === 'loading' || state.idp.state === 'loading';
      if (stale && !busy) {
        // As above: the old rows answer now; the list shows the AD source as failed if the read fails.
        runInBackground('people.index', start(session));
      }
    },
    async refresh(session) {
      if (adBuild) return adBuild;
      return start(session);
    },
    async idle() {
      // Waits for the read to end, however it ends: its failure went to its own caller and state.ad.
      if (adBuild) await adBuild.catch(() => {});
      await background;
    },
    query(q, scope) {
      const key = JSON.stringify([q.text, q.filter, q.sort, q.dir, scope ?? null]);
      const indexed = inView(entries, scope).length;
      if (cache && cache.key === key && cache.version === version) return { rows: cache.rows, indexed };
      // Most views are in name order: the entries are sorted by name once per version, and such a view is
      // then a filter pass (≈ 10 ms at 100,000 people instead of a collator sort per keystroke).
      let rows: PersonRow[];
      if (q.sort === 'displayName') {
        if (!byName || byName.version !== version) byName = { version, entries: [...entries].sort((a, b) => compareRows(a.row, b.row)) };
        rows = filterEntries(inView(byName.entries, scope), q).map((e) => e.row);
        if (q.dir === 'desc') rows.reverse();
      } else {
        rows = runQuery(inView(entries, scope), q);
      }
      cache = { key, version, rows };
      return { rows, indexed };
    },
    row: (id) => byId.get(id)?.row ?? null,
    adMatchFor: (identity) => adMatchFor(entries, conn.linkRule, identity),
    async refreshPerson(session, personId) {
      let ad: PersonSummary;
      try {
        ad = await session.getPerson(personId);
      } catch {
        // The row stays as it was: the write it follows is answered already, and the next read retries.
        return null;
      }
      await refreshMitIdOf(ad);
      if (conn.idp) {
        try {
          facts.idp.set(personId, await conn.idp.getPerson(conn.idpKey(ad.dn, ad.username)));
        } catch {
          // Keep what we had.
        }
      }
      const row = buildRow(context(), ad, Date.now());
      const next = entryOf(ad, row);
      // A background merge may have replaced the array while we waited: find the entry again.
      const current = byId.get(personId);
      const at = current ? entries.indexOf(current) : -1;
      if (at >= 0) entries[at] = next;
      else entries.push(next);
      byId.set(personId, next);
      // An identity that now matches an AD person is no longer an orphan row.
      const orphan = row.mitid.uuid ? byId.get(`mitid:${row.mitid.uuid}`) : undefined;
      if (orphan) {
        entries = entries.filter((x) => x !== orphan);
        byId.delete(orphan.row.id);
      }
      bump();
      return row;
    },
    version: () => version,
    sources: () => [{ ...state.ad }, { ...state.mitid }, { ...state.idp }],
    driftCounts: (scope) => driftCountsOf(inView(entries, scope)),
    ous: (scope) => ousOf(inView(entries, scope)),
    nsisStatuses: (scope) => nsisStatusesOf(inView(entries, scope)),
  };
}

