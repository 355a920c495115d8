// The people index: one merged row per person, built in main and served to the renderer a window at a
// time. The facts come from the sync engine (sync/engine.ts), which opens from the local store at once and
// then asks each system what changed; the index re-merges only the rows those changes touch (merge.ts),
// and a whole rebuild (a full read, the start) runs in slices so the main process keeps answering. Views
// are array passes over pre-folded text (query.ts); the version number tells the renderer to fetch again.
import { PeoplePage, type DriftCounts, type PeopleQuery, type PersonRow, type SourceFreshness } from '../../../../shared/domain/people.ts';
import type { PersonSummary } from '../../../../shared/domain/person.ts';
import type { IdpPerson } from '../../../../shared/idp/people.ts';
import type { Scope } from '../../../../shared/roles.ts';
import type { Connections, DirectorySession } from '../../../ports.ts';
import { linkText, type PeopleStore, type PersonLink } from '../../../store/people-store.ts';
import { runInBackground } from '../../../background.ts';
import { isDomainKey, isPerson, type AdFact } from '../sync/ad-source.ts';
import { idpPersonKey } from '../sync/idp-source.ts';
import { createSyncEngine, type FactsChange, type Preview, type SourceSpec, type SyncEngine } from '../sync/engine.ts';
import type { KnownFacts, SyncSystem } from '../sync/source.ts';
import { createIdentityMatcher } from './identity-match.ts';
import { createRowsPreview, type RowsPreview } from './preview.ts';
import { buildRow, entryOf, expectedSubject, orphanRow, type MergeContext, type MitIdFacts, type PeopleFacts } from './merge.ts';
import { collator, compareRows, driftFacet, filtered, foldAll, foldSliced, nsisFacet, ousFacet, runQuery, scopedView, type Entry, type Fold } from './query.ts';
import { pause, slicer } from '../../../slices.ts';
import { danishNameKey, mergeSorted, sortByKeyThenExact } from './slices.ts';

/** Changed rows up to this share of all are moved in the name order in place; more, and the order is merged anew. */
const IN_PLACE_SHARE = 1 / 50;
/** How often the index looks for systems due a refresh while someone uses the list. */
const TICK_MS = 60_000;
/** Nobody asked for the list for this long: no more background refreshes (the session may be gone). */
const IDLE_MS = 30 * 60_000;

/** A first page answered in this run: its view, and the index version it was last kept at. */
interface KeptPage {
  q: PeopleQuery;
  limit: number;
  scope: Scope | undefined;
  kept: number;
}

/** What the composition root gives the index to build each system's adapter from. */
export interface SyncEnv {
  /** The operator binds the list is read under (the latest that asked for it): one per AD domain. */
  sessions(): readonly DirectorySession[];
  /** The AD people the engine holds now. */
  adPeople(): PersonSummary[];
  known<F>(system: SyncSystem): KnownFacts<F>;
}

export type SyncSystems = (env: SyncEnv) => Partial<Record<SyncSystem, SourceSpec<unknown>>>;

export interface PeopleIndexOptions {
  /** The adapters, one per configured system (chosen in one place: sync/systems.ts). */
  systems: SyncSystems;
  store?: PeopleStore | null;
  /** Background refresh tick (ms); 0 = only when the list is asked for. */
  tickMs?: number;
}

/** The bind a list is read under, or with several AD domains one per domain (#19). */
export type Binds = DirectorySession | readonly DirectorySession[];

export interface PeopleIndex {
  /** Start (or join) a build; resolves when AD is in (the rows are usable), MitID/IdP go on in the background. */
  ensure(binds: Binds): Promise<void>;
  refresh(binds: Binds): Promise<void>;
  /** Cancel the reads in progress; true when one was running. */
  cancelRefresh(): boolean;
  /** Resolves when every source has finished its current read (tests). */
  idle(): Promise<void>;
  /** The view, limited to the operator's scope (null = everyone); `indexed` counts the people in scope. */
  query(q: PeopleQuery, scope?: Scope): { rows: PersonRow[]; indexed: number };
  /**
   * One page of a view, as the list shows it. At a start, a view's first page as it was when the console
   * last closed answers at once while the facts load and merge (its sources say loading, so the list asks
   * again); any other page waits for the index.
   */
  page(binds: Binds, q: PeopleQuery, window: { offset: number; limit: number }, scope?: Scope): Promise<PeoplePage>;
  row(personId: string): PersonRow | null;
  /**
   * The AD person an identity belongs to by its local credentials (the link rule) or its e-mail, if any:
   * an identity that matches someone is not an orphan, whatever the last merge said.
   */
  adMatchFor(identity: { localIds: readonly string[]; email: string | null }): PersonRow | null;
  /** Re-read one person from all three systems now (after a write, or "check now"), AD under this bind. */
  refreshPerson(bind: DirectorySession, personId: string): Promise<PersonRow | null>;
  version(): number;
  sources(): SourceFreshness[];
  driftCounts(scope?: Scope): DriftCounts;
  ous(scope?: Scope): string[];
  nsisStatuses(scope?: Scope): string[];
  /** The engine (status, tests, benchmark). */
  readonly engine: SyncEngine;
  close(): void;
}

/** One index per set of connections: changing the settings (new connections) starts a fresh one. */
export function createPeopleIndex(conn: Connections, opts: PeopleIndexOptions): PeopleIndex {
  let version = 0;
  /** Every row, in name order (the list's default; other orders sort a view of it). */
  let entries: Entry[] = [];
  let byId = new Map<string, Entry>();
  const people = new Map<string, PersonSummary>();
  const linkRuleFor = (dn: string | null) => conn.rulesFor(dn).linkRule;
  let matcher = createIdentityMatcher(linkRuleFor);
  const ageIn = new Map<string, number | null>();
  const facts: PeopleFacts = { mitid: new Map(), mitidFor: matcher.matches, idp: new Map(), maxPasswordAgeDays: null, maxPasswordAgeIn: ageIn };
  /** Identities no AD person matches (their rows are orphans). */
  let orphans = new Set<string>();
  let mitidLoaded = false;
  let idpLoaded = false;
  /** The IdP's key of each AD person, and back: the feed names people by the IdP's key. */
  const idpKeyOf = (p: PersonSummary) => idpPersonKey(conn.idpKey(p.dn, p.username));
  const adIdByIdpKey = new Map<string, string>();
  let binds: readonly DirectorySession[] = [];
  /** The AD domains (ids) of the binds the list was last asked under; undefined: never asked. */
  let readIn: string | undefined;
  const listOf = (b: Binds): readonly DirectorySession[] => (Array.isArray(b) ? b : [b as DirectorySession]);
  const domainsOf = (list: readonly DirectorySession[]) => list.map((d) => d.domain?.id ?? '').sort().join('\u0000');
  /** A bind joins the list's binds, in place of one of its domain. */
  const withBind = (b: DirectorySession) => [...binds.filter((x) => (x.domain?.id ?? '') !== (b.domain?.id ?? '')), b];
  let lastUse = 0;
  let started: Promise<void> | null = null;
  let closed = false;
  let cache: { key: string; version: number; rows: PersonRow[] } | null = null;
  /** The first merge after the start is done: pages come from the index, not from the last run's. */
  let merged = false;
  /** First pages answered in this run, by their key, with the version each was last kept at. */
  const pages = new Map<string, KeptPage>();
  /** A first page kept for the next start (no version: that is this run's; no sources: they are now's). */
  const StoredPage = PeoplePage.omit({ version: true, sources: true });
  let facets = new Map<string, unknown>();
  const owner = (subject: string) => conn.subjectDomain?.(subject) ?? null;
  let visible = scopedView(owner);
  const inView = (list: readonly Entry[], scope: Scope | undefined) => visible(entries, list, scope, version);

  const env: SyncEnv = {
    sessions: () => binds,
    adPeople: () => [...people.values()],
    known: <F>(system: SyncSystem): KnownFacts<F> => {
      const m = () => engine.facts<F>(system);
      return { get: (k) => m().get(k), keys: () => m().keys(), size: () => m().size };
    },
  };
  const engine = createSyncEngine({ store: opts.store ?? null, systems: opts.systems(env), onChange, onPreview });
  /** What the systems answered at a start before the stored facts were merged (preview.ts); null: none. */
  let preview: RowsPreview | null = null;

  /** With several AD domains, a row names the domain its person lives in (the list's column, filter and counts). */
  const tagged = (row: PersonRow, dn: string | null): PersonRow => {
    const d = conn.domainOf?.(dn, row.username || null);
    if (d) row.domain = d;
    return row;
  };
  const context = (): MergeContext => ({ facts, linkRuleFor, mitid: { loaded: mitidLoaded, loading: false }, idpKey: idpKeyOf, idpLoaded });
  const bump = () => {
    version++;
    cache = null;
    facets = new Map();
  };
  const nameKey = (e: Entry) => `${danishNameKey(e.row.displayName)}\u0000${e.row.id}`;

  // ------------------------------------------------------------------ facts → rows

  /** Mirror the engine's facts of one system into the merge's maps; the AD ids whose row may change. */
  async function mirror(change: FactsChange): Promise<{ all: boolean; ad: Set<string>; uuids: Set<string> | null }> {
    const ad = new Set<string>();
    const sliceDone = slicer(10_000);
    if (change.system === 'ad') {
      const held = engine.facts<AdFact>('ad');
      const maxAge = facts.maxPasswordAgeDays;
      if (!change.keys) {
        people.clear();
        adIdByIdpKey.clear();
        for (const [k, s] of held) {
          if (isPerson(s.fact)) {
            people.set(k, s.fact);
            adIdByIdpKey.set(idpKeyOf(s.fact), k);
          }
          if (sliceDone()) await pause();
        }
      } else {
        for (const k of change.keys) {
          if (isDomainKey(k)) continue;
          const before = people.get(k);
          if (before) adIdByIdpKey.delete(idpKeyOf(before));
          const f = held.get(k)?.fact;
          if (f && isPerson(f)) {
            people.set(k, f);
            adIdByIdpKey.set(idpKeyOf(f), k);
          } else people.delete(k);
          ad.add(k);
        }
      }
      // Each domain's own facts (one key per domain; few): the maximum password age each row's expiry uses.
      const ages = new Map<string, number | null>();
      const domainKeys = [...(change.keys ?? held.keys())].filter(isDomainKey);
      for (const k of domainKeys) {
        const f = held.get(k)?.fact;
        if (f && !isPerson(f)) ages.set(f.baseDn ?? '', f.maxPasswordAgeDays);
      }
      let changedAge = false;
      for (const [baseDn, days] of ages) {
        const before = baseDn ? ageIn.get(baseDn) : maxAge;
        if (before !== days) changedAge = true;
        if (baseDn) ageIn.set(baseDn, days);
        else facts.maxPasswordAgeDays = days;
      }
      return { all: !change.keys || changedAge, ad, uuids: new Set() };
    }
    if (change.system === 'mitid') {
      const held = engine.facts<MitIdFacts>('mitid');
      const wasLoaded = mitidLoaded;
      mitidLoaded = true;
      if (!change.keys) {
        const next = new Map<string, MitIdFacts>();
        for (const [k, s] of held) {
          next.set(k, s.fact);
          if (sliceDone()) await pause();
        }
        facts.mitid = next;
      } else {
        for (const k of change.keys) {
          const f = held.get(k)?.fact;
          if (f) facts.mitid.set(k, f);
          else facts.mitid.delete(k);
        }
      }
      return { all: !wasLoaded || !change.keys, ad, uuids: change.keys ? new Set(change.keys) : null };
    }
    const held = engine.facts<IdpPerson>('idp');
    const wasLoaded = idpLoaded;
    idpLoaded = true;
    if (!change.keys) {
      const next = new Map<string, IdpPerson>();
      for (const [k, s] of held) {
        next.set(k, s.fact);
        if (sliceDone()) await pause();
      }
      facts.idp = next;
      return { all: true, ad, uuids: new Set() };
    }
    for (const k of change.keys) {
      const s = held.get(k);
      if (s) facts.idp.set(k, s.fact);
      else facts.idp.delete(k);
      const id = adIdByIdpKey.get(k);
      if (id) ad.add(id);
    }
    return { all: !wasLoaded, ad, uuids: new Set() };
  }

  function onPreview(system: SyncSystem, changes: Preview): void {
    if (closed || !opts.store) return;
    if (!changes) {
      if (preview?.end(system)) preview = null;
    } else {
      try {
        (preview ??= createRowsPreview({ store: opts.store, linkRuleFor, idpKey: idpKeyOf, tagged })).show(system, changes);
      } catch {
        // A store that cannot be read only costs the preview: the answer itself is applied after the merge.
      }
    }
    bump();
  }

  /** The row of a person as the list shows it: previewed at a start, else merged. */
  const shown = (id: string): PersonRow | null => {
    const p = preview?.row(id);
    return p !== undefined ? p : (byId.get(id)?.row ?? null);
  };

  const linkOf = (ad: PersonSummary): PersonLink => ({ uuid: matcher.matches.get(ad.id) ?? null, idpKey: idpKeyOf(ad) });
  /** Save which identity and IdP key each person was merged with, for the next start's preview. */
  function saveLinks(changes: Map<string, PersonLink | null>): Promise<void> {
    if (changes.size === 0 || !opts.store) return Promise.resolve();
    return writing(opts.store.saveLinks(changes).catch(() => undefined));
  }
  /** Link writes under way (idle waits for them). */
  const writes = new Set<Promise<void>>();
  const writing = (p: Promise<void>): Promise<void> => {
    writes.add(p);
    return p.finally(() => writes.delete(p));
  };
  /** People whose links a partial rebuild saved (while a whole one's are told apart). */
  const relinked = new Set<string>();
  /** After a whole rebuild: the links that differ from the saved ones, told apart and saved in slices. */
  async function saveAllLinks(): Promise<void> {
    // Not before MitID Erhverv is in (a first read): every link would change again when it is.
    if (!opts.store || (!mitidLoaded && engine.configured('mitid'))) return;
    const saved = opts.store.links();
    let changes = new Map<string, PersonLink | null>();
    const sliceDone = slicer(5_000);
    relinked.clear();
    for (const [id, ad] of people) {
      const l = linkOf(ad);
      if (saved.get(id) !== linkText(l)) changes.set(id, l);
      saved.delete(id);
      if (sliceDone()) {
        // Saved as they are told apart, each slice written before the next: never 100,000 links waiting.
        await saveLinks(changes);
        changes = new Map();
        if (closed) return;
      }
    }
    for (const id of saved.keys()) changes.set(id, null);
    // People re-merged meanwhile were saved as they are now: this (later) write must not undo that.
    for (const id of relinked) {
      const ad = people.get(id);
      changes.set(id, ad ? linkOf(ad) : null);
    }
    await saveLinks(changes);
  }

  /** Facts mirrored whose rows are not merged yet (a restore hands over every system before one merge). */
  let rebuildPending = false;
  async function onChange(change: FactsChange): Promise<void> {
    if (closed) return;
    const d = await mirror(change);
    if (change.more) {
      rebuildPending = true;
      return;
    }
    if (d.all || rebuildPending) {
      rebuildPending = false;
      await rebuildAll();
    } else await rebuildSome(d.ad, d.uuids ?? new Set(), change.system !== 'idp');
  }

  /** Every row again (a full read, the start): in slices, the old rows stay in use until the new are done. */
  async function rebuildAll(): Promise<void> {
    const list = [...people.values()];
    // A matcher of its own, swapped in with the rows: nothing half-matched is ever seen.
    const nextMatcher = createIdentityMatcher(linkRuleFor);
    await nextMatcher.update(people, facts.mitid, slicer(5_000));
    matcher = nextMatcher;
    facts.mitidFor = matcher.matches;
    const ctx = context();
    const now = Date.now();
    const sliceDone = slicer(2_000);
    const next: Entry[] = [];
    for (const ad of list) {
      next.push(entryOf(ad, tagged(buildRow(ctx, ad, now), ad.dn)));
      if (sliceDone()) await pause();
    }
    const nextOrphans = new Set<string>();
    const orphanEntries: Entry[] = [];
    if (mitidLoaded) {
      for (const m of facts.mitid.values()) {
        if (matcher.personOf(m.summary.uuid) !== undefined) continue;
        nextOrphans.add(m.summary.uuid);
        orphanEntries.push(entryOf(null, tagged(orphanRow(m), null)));
        if (sliceDone()) await pause();
      }
    }
    // The people come from the store in name order (its sort key); the orphans are sorted apart and merged in.
    const exact = (a: Entry, b: Entry) => compareRows(a.row, b.row);
    const sorted = await mergeSorted(await sortByKeyThenExact(next, nameKey, exact), await sortByKeyThenExact(orphanEntries, nameKey, exact), exact);
    const nextById = new Map<string, Entry>();
    for (const e of sorted) {
      nextById.set(e.row.id, e);
      if (sliceDone()) await pause();
    }
    if (closed) return;
    merged = true;
    entries = sorted;
    orphans = nextOrphans;
    byId = nextById;
    bump();
    background(writing(saveAllLinks()));
    background(foldAhead(sorted));
  }

  /** Fold the rows' search text behind the first rows, so the first search does not fold them all at once. */
  async function foldAhead(list: readonly Entry[]): Promise<void> {
    const sliceDone = slicer(2_000);
    for (const e of list) {
      if (closed || list !== entries) return;
      void e.folded;
      if (sliceDone()) await pause();
    }
  }

  /**
   * Only the rows these changes touch: the AD people named, the people whose matched identity changed
   * (or who were matched to another), and identities that became or stopped being orphans.
   */
  async function rebuildSome(adIds: Set<string>, uuids: Set<string>, rematch: boolean): Promise<void> {
    const dirty = new Set(adIds);
    const orphanDirty = new Set<string>();
    if (rematch) {
      const changed = await matcher.update(
        [...adIds].map((id) => [id, people.get(id)] as const),
        [...uuids].map((u) => [u, facts.mitid.get(u)] as const),
      );
      for (const id of changed.people) dirty.add(id);
      for (const u of uuids) {
        const owner = matcher.personOf(u);
        if (owner !== undefined) dirty.add(owner);
      }
      if (mitidLoaded) {
        for (const u of new Set([...changed.identities, ...uuids])) {
          const orphan = facts.mitid.has(u) && matcher.personOf(u) === undefined;
          if (orphan !== orphans.has(u) || uuids.has(u)) orphanDirty.add(u);
          if (orphan) orphans.add(u);
          else orphans.delete(u);
        }
      }
    }
    if (dirty.size === 0 && orphanDirty.size === 0) return;
    const ctx = context();
    const now = Date.now();
    const replaced = new Map<string, Entry | null>();
    const links = new Map<string, PersonLink | null>();
    for (const id of dirty) {
      const ad = people.get(id);
      replaced.set(id, ad ? entryOf(ad, tagged(buildRow(ctx, ad, now), ad.dn)) : null);
      links.set(id, ad ? linkOf(ad) : null);
      relinked.add(id);
    }
    background(saveLinks(links));
    for (const uuid of orphanDirty) {
      const m = facts.mitid.get(uuid);
      replaced.set(`mitid:${uuid}`, m && orphans.has(uuid) ? entryOf(null, tagged(orphanRow(m), null)) : null);
    }
    const gone = [...replaced.keys()].flatMap((id) => byId.get(id) ?? []);
    const fresh = [...replaced.values()].filter((e): e is Entry => e !== null);
    if (replaced.size <= Math.max(64, entries.length * IN_PLACE_SHARE)) {
      // Out of and into name order by binary search, in place: a pass over 100,000 rows per delta (two
      // filters and their copies) took ~0.2 s of an AD delta of 50 people.
      for (const e of gone) {
        const i = nameSlot(e, false);
        entries.splice(entries[i] === e ? i : entries.indexOf(e), 1);
      }
      for (const e of fresh) entries.splice(nameSlot(e, true), 0, e);
    } else {
      const out = new Set(gone);
      const exact = (a: Entry, b: Entry) => compareRows(a.row, b.row);
      entries = await mergeSorted(entries.filter((e) => !out.has(e)), [...fresh].sort(exact), exact);
    }
    for (const id of replaced.keys()) byId.delete(id);
    for (const e of fresh) byId.set(e.row.id, e);
    bump();
  }

  /** Where a row is (or goes, `after` its equals) in the name order. */
  function nameSlot(e: Entry, after: boolean): number {
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareRows((entries[mid] as Entry).row, e.row);
      if (c < 0 || (after && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ------------------------------------------------------------------ lifecycle

  const hasAd = () => engine.facts('ad').size > 0;
  const timer = (opts.tickMs ?? TICK_MS) > 0
    ? setInterval(() => {
        if (binds.length > 0 && Date.now() - lastUse < IDLE_MS) engine.refreshStale();
      }, opts.tickMs ?? TICK_MS)
    : null;
  timer?.unref();

  const background = (p: Promise<unknown>) => {
    // Not awaited on purpose: each system's outcome is in its status, which the list shows, so the failure
    // is reported there and not logged twice.
    runInBackground('people.sync', p, () => undefined);
  };

  function freshness(): SourceFreshness[] {
    return engine.status().map((s) => {
      const last = [s.lastFullAt, s.lastDeltaAt].filter((x): x is string => !!x).sort().at(-1) ?? null;
      return {
        system: s.system,
        state: s.configured ? s.state : 'not-configured',
        loadedAt: last,
        done: s.progress ? s.progress.done : s.size,
        total: s.progress ? s.progress.total : s.size,
        message: s.message,
        error: s.error ?? null,
        fromCache: s.fromCache,
        lastFullAt: s.lastFullAt,
        lastDeltaAt: s.lastDeltaAt,
        method: s.method,
        phase: s.progress?.phase ?? null,
        calls: s.calls,
        cancellable: s.state === 'loading',
      };
    });
  }

  /** Each domain's people in a view, in the order of the settings' domains; none with one domain. */
  function domainsFacet(): Fold<PeoplePage['domains']> {
    const counts = new Map<string, { id: string; name: string; count: number }>();
    return {
      add: (e) => {
        const d = conn.domainOf ? e.row.domain : null;
        if (!d) return;
        const c = counts.get(d.id);
        if (c) c.count++;
        else counts.set(d.id, { ...d, count: 1 });
      },
      done: () => [...counts.values()].sort((a, b) => collator.compare(a.name, b.name)),
    };
  }
  /** The facets a page offers, each one pass over the operator's rows (memoized per version and scope). */
  const FACETS = { drift: driftFacet, ous: ousFacet, nsis: nsisFacet, domains: domainsFacet } as const;
  type Facets = { [K in keyof typeof FACETS]: ReturnType<ReturnType<(typeof FACETS)[K]>['done']> };
  const facetKey = (name: keyof Facets, scope: Scope | undefined) => `${name}:${JSON.stringify(scope ?? null)}`;

  function facet<K extends keyof Facets>(name: K, scope: Scope | undefined): Facets[K] {
    const key = facetKey(name, scope);
    if (!facets.has(key)) facets.set(key, foldAll(inView(entries, scope), FACETS[name]() as Fold<Facets[K]>));
    return facets.get(key) as Facets[K];
  }

  /**
   * The first page after a read passes over every row for the view and for each facet: each pass in slices
   * (src-main/slices.ts), not in one turn of the event loop (0.05-0.16 s each at 100,000 people).
   */
  async function prepareView(q: PeopleQuery, scope: Scope | undefined): Promise<void> {
    await visible.prepare(entries, scope, version);
    const at = version;
    if (q.sort === 'displayName' && !(cache && cache.key === queryKey(q, scope) && cache.version === at)) {
      const rows = inNameOrder(await foldSliced(inView(entries, scope), filtered(q)), q);
      if (version === at) cache = { key: queryKey(q, scope), version: at, rows };
    }
    for (const name of Object.keys(FACETS) as (keyof Facets)[]) {
      const into = facets;
      const key = facetKey(name, scope);
      if (into.has(key)) continue;
      const list = inView(entries, scope);
      into.set(key, await foldSliced(list, FACETS[name]() as Fold<unknown>));
    }
  }
  const queryKey = (q: PeopleQuery, scope: Scope | undefined) => JSON.stringify([q.text, q.filter, q.sort, q.dir, scope ?? null]);
  /** A view in name order is the kept rows as they stand (the entries are in name order), or reversed. */
  const inNameOrder = (kept: readonly Entry[], q: PeopleQuery): PersonRow[] => {
    const rows = kept.map((e) => e.row);
    return q.dir === 'desc' ? rows.reverse() : rows;
  };

  function pageOf(q: PeopleQuery, window: { offset: number; limit: number }, scope: Scope | undefined): PeoplePage {
    const { rows, indexed } = index.query(q, scope);
    const shownRows = rows.slice(window.offset, window.offset + window.limit);
    return {
      rows: preview ? preview.patch(shownRows) : shownRows,
      offset: window.offset,
      total: rows.length,
      indexed,
      version,
      sources: freshness(),
      drift: facet('drift', scope),
      ous: facet('ous', scope),
      nsisStatuses: facet('nsis', scope),
      domains: facet('domains', scope),
    };
  }

  function keep(key: string, p: KeptPage, answer: PeoplePage): void {
    const { version: _v, sources: _s, ...kept } = answer;
    opts.store?.savePage(key, kept);
    p.kept = version;
  }

  const index: PeopleIndex = {
    engine,
    async page(b, q, window, scope) {
      // Only a view's first page without search text: what the list opens on.
      const key = window.offset === 0 && q.text === '' ? JSON.stringify([q, window.limit, scope ?? null]) : null;
      const opening = index.ensure(b);
      if (!merged && key && opts.store) {
        const last = opts.store.page(key, StoredPage);
        if (last) {
          // The read goes on behind this answer; its outcome shows in the sources the list polls.
          runInBackground('people.sync', opening, () => undefined);
          return { ...last, rows: preview ? preview.patch(last.rows) : last.rows, version, sources: freshness() };
        }
      }
      await opening;
      await prepareView(q, scope);
      const answer = pageOf(q, window, scope);
      if (key) {
        const p = pages.get(key) ?? { q, limit: window.limit, scope, kept: -1 };
        pages.set(key, p);
        if (p.kept !== version) keep(key, p, answer);
      }
      return answer;
    },
    async ensure(b) {
      // An operator with binds in other AD domains than the list was last read in: AD is read again now,
      // under their binds (a domain not read before: a full read of it), rather than at the next interval.
      const list = listOf(b);
      const switched = readIn !== undefined && domainsOf(list) !== readIn;
      readIn = domainsOf(list);
      binds = list;
      lastUse = Date.now();
      // Open from the local store with all three systems' facts, so the first rows agree with the last run
      // (AD's alone would answer sooner, with MitID Erhverv and the IdP still unknown for a few seconds at
      // 100,000 people); then ask every system what changed, each as soon as its facts are in.
      started ??= (async () => {
        const merging = engine.restore();
        // With AD's cursor stored, every system is asked what changed at once, while the facts load and
        // merge (each answer is applied after them); without it, once the facts say whether AD was read.
        if (engine.status().some((s) => s.system === 'ad' && s.fromCache)) background(engine.refresh());
        else {
          await engine.adopted();
          if (hasAd()) background(engine.refresh());
        }
        await merging;
      })();
      await started;
      if (switched) {
        // A read under the earlier operator may be running: join it, then read under this one.
        await engine.refreshSystem('ad');
        await engine.refreshSystem('ad');
        return;
      }
      if (!hasAd()) {
        // Nothing to show yet: this read is what the list waits for; the others follow behind it.
        const ad = engine.refreshSystem('ad');
        background(engine.refresh());
        await ad;
        return;
      }
      engine.refreshStale();
    },
    async refresh(b) {
      binds = listOf(b);
      lastUse = Date.now();
      await engine.restore();
      const ad = engine.refreshSystem('ad');
      background(engine.refresh());
      await ad;
    },
    cancelRefresh: () => engine.cancel(),
    async idle() {
      await started?.catch(() => undefined);
      await engine.idle();
      // What a merge left to write behind it (the links for the next start).
      while (writes.size > 0) await Promise.all([...writes]).catch(() => undefined);
    },
    query(q, scope) {
      const key = queryKey(q, scope);
      const indexed = inView(entries, scope).length;
      if (cache && cache.key === key && cache.version === version) return { rows: cache.rows, indexed };
      // Most views are in name order: the entries are kept in name order, and such a view is a filter pass.
      let rows: PersonRow[];
      if (q.sort === 'displayName') {
        rows = inNameOrder(foldAll(inView(entries, scope), filtered(q)), q);
      } else {
        rows = runQuery(inView(entries, scope), q);
      }
      cache = { key, version, rows };
      return { rows, indexed };
    },
    row: shown,
    adMatchFor(identity) {
      for (const id of matcher.candidates(identity)) {
        const row = byId.get(id)?.row;
        if (row) return row;
      }
      return null;
    },
    async refreshPerson(bind, personId) {
      binds = withBind(bind);
      await engine.readNow('ad', [personId]).catch(() => undefined);
      const ad = people.get(personId);
      if (!ad) return null;
      const mitid = conn.mitid;
      if (mitid && engine.configured('mitid') && mitidLoaded) {
        try {
          // The identity may be new (just created): look it up by the link rule, as MitID Erhverv has it now.
          const subject = expectedSubject(ad, linkRuleFor(ad.dn));
          const found = subject ? await mitid.findBySubjectNameId(subject, { emailAddress: ad.email }) : null;
          const uuid = found?.uuid ?? facts.mitidFor.get(personId);
          if (uuid) await engine.readNow('mitid', [uuid]);
        } catch {
          // Keep what we had; the detail panel shows MitID Erhverv's own error.
        }
      }
      // Not read now: the row keeps what the feed said; the detail panel shows the IdP's own error.
      if (engine.configured('idp')) await engine.readNow('idp', [idpKeyOf(ad)]).catch(() => undefined);
      return shown(personId);
    },
    version: () => version,
    sources: freshness,
    driftCounts: (scope) => facet('drift', scope),
    ous: (scope) => facet('ous', scope),
    nsisStatuses: (scope) => facet('nsis', scope),
    close() {
      if (closed) return;
      // The first pages as they are now: what the next start opens on.
      if (merged) for (const [key, p] of pages) if (p.kept !== version) keep(key, p, pageOf(p.q, { offset: 0, limit: p.limit }, p.scope));
      closed = true;
      if (timer) clearInterval(timer);
      engine.close();
      // The same for the rows: a closed index answers nothing new, and a reference to it left behind
      // (the engine's onChange, a late query) would otherwise keep 100,000 rows alive beside the next one.
      entries = [];
      byId.clear();
      people.clear();
      adIdByIdpKey.clear();
      facts.mitid = new Map();
      facts.idp = new Map();
      orphans = new Set();
      preview = null;
      matcher = createIdentityMatcher(linkRuleFor);
      facts.mitidFor = matcher.matches;
      cache = null;
      facets = new Map();
      visible = scopedView(owner);
    },
  };
  return index;
}
