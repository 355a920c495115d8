import type { PersonSummary } from '../../../shared/domain/person.ts';
import { foldedFindable, matchesTerms, searchTerms } from '../../../shared/search.ts';
import {
  driftKinds,
  NO_IDENTITY_OU_PARTS,
  type DriftCounts,
  type DriftKind,
  type PeopleQuery,
  type PersonRow,
  type SourceFreshness,
} from '../../../shared/domain/people.ts';
import type { IdpPerson } from '../../../shared/idp/people.ts';
import type { MitIdIdentitySummary } from '../../../shared/mitid/domain.ts';
import { subjectNameIdFor } from '../../../shared/mitid/link-rule.ts';
import type { DirectorySession } from '../../connectors/directory-port.ts';
import { inScope, type Scope } from '../../../shared/roles.ts';
import type { Connections } from '../../ports.ts';
import type { PeopleSnapshot } from '../../store/people-snapshot.ts';

// The people index: one merged row per person, built in main and served to the renderer a window at a
// time. Design (see the feature's report): AD is read in one paged search and makes the rows usable at
// once; MitID Erhverv is read in one streamed search and each identity's authenticators/flags are then
// fetched with bounded concurrency; the IdP (which has no bulk read) is read per person, also bounded.
// Each source enriches the rows as it arrives and the version number tells the renderer to fetch again.
// Queries are plain array passes over pre-folded search text; the last view's ordering is cached so
// scrolling through one view costs a slice.

const DAY = 86_400_000;
const CONCURRENCY = 12;
/** Older than this, the next list request starts a refresh in the background (the old rows stay). */
const STALE_MS = 10 * 60_000;
const collator = new Intl.Collator('da-DK', { sensitivity: 'base', numeric: true });

interface MitIdFacts {
  summary: MitIdIdentitySummary;
  /** Ids of the identity's local credentials (subjectNameIds); null until read. */
  localIds: string[] | null;
  allowSigning: boolean | null;
}

interface Entry {
  ad: PersonSummary | null;
  row: PersonRow;
  folded: string;
}

type SourceState = SourceFreshness;

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

async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

function isExpected(p: PersonSummary): boolean {
  return !NO_IDENTITY_OU_PARTS.some((part) => p.ouPath.split(' / ').includes(part));
}

function departed(p: PersonSummary, now: number): boolean {
  return !p.enabled || (p.accountExpires !== null && Date.parse(p.accountExpires) < now);
}

/** One index per set of connections: changing the settings (new connections) starts a fresh one. */
export function createPeopleIndex(conn: Connections, snapshot: PeopleSnapshot | null = null): PeopleIndex {
  let version = 0;
  let entries: Entry[] = [];
  const byId = new Map<string, Entry>();
  // MitID facts keyed by identity uuid, and the identity matched to each AD person.
  let mitidFacts = new Map<string, MitIdFacts>();
  const mitidFor = new Map<string, string>();
  const idpFacts = new Map<string, IdpPerson | null>();
  let maxPasswordAgeDays: number | null = null;

  const state: Record<'ad' | 'mitid' | 'idp', SourceState> = {
    ad: { system: 'ad', state: 'not-loaded', loadedAt: null, done: 0, total: 0, message: null, fromCache: false },
    mitid: { system: 'mitid', state: conn.mitid ? 'not-loaded' : 'not-configured', loadedAt: null, done: 0, total: 0, message: null, fromCache: false },
    idp: { system: 'idp', state: conn.idp ? 'not-loaded' : 'not-configured', loadedAt: null, done: 0, total: 0, message: null, fromCache: false },
  };
  let adBuild: Promise<void> | null = null;
  let background: Promise<void> = Promise.resolve();
  let cache: { key: string; version: number; rows: PersonRow[] } | null = null;
  let byName: { version: number; entries: Entry[] } | null = null;
  let scoped: { key: string; version: number; members: Set<Entry> } | null = null;
  // Whether an AD person is in a scope, remembered per person object (they survive remerges).
  const inScopeMemo = new Map<string, WeakMap<PersonSummary, boolean>>();

  /**
   * The people an operator may see. An identity only in MitID Erhverv has no OU, so only an operator
   * without a limit sees it. Membership is computed once per version and scope, so a scoped view costs
   * a set lookup per row, not a DN comparison.
   */
  function visible(list: readonly Entry[], scope: Scope | undefined): readonly Entry[] {
    if (!scope) return list;
    const key = JSON.stringify(scope);
    if (!scoped || scoped.key !== key || scoped.version !== version) {
      let memo = inScopeMemo.get(key);
      if (!memo) inScopeMemo.set(key, (memo = new WeakMap()));
      const members = new Set<Entry>();
      for (const e of entries) {
        if (!e.ad) continue;
        let yes = memo.get(e.ad);
        if (yes === undefined) memo.set(e.ad, (yes = inScope(scope, e.ad.dn)));
        if (yes) members.add(e);
      }
      scoped = { key, version, members };
    }
    const members = scoped.members;
    return list.filter((e) => members.has(e));
  }

  // Partial results show up about twenty times during a read, whatever the size.
  const mergeEvery = () => Math.max(500, Math.ceil(entries.length / 20));
  const bump = () => {
    version++;
    cache = null;
  };

  // ------------------------------------------------------------------ merging

  function expectedSubject(p: PersonSummary): string | null {
    return subjectNameIdFor({ sAMAccountName: p.username, userPrincipalName: null }, conn.linkRule);
  }

  function buildRow(ad: PersonSummary, now: number): PersonRow {
    const uuid = mitidFor.get(ad.id) ?? null;
    const m = uuid ? (mitidFacts.get(uuid) ?? null) : null;
    const idp = idpFacts.get(ad.id);
    const mitidKnown = state.mitid.loadedAt !== null || state.mitid.state === 'loading';
    const expected = expectedSubject(ad);
    const localCredential = m ? (m.localIds === null ? null : expected !== null && m.localIds.includes(expected)) : mitidKnown ? false : null;
    const drift: DriftKind[] = [];
    if (state.mitid.loadedAt !== null) {
      if (!m) {
        if (ad.enabled && ad.email && isExpected(ad) && !departed(ad, now)) drift.push('identity-missing');
      } else {
        if (m.summary.status === 'Suspended' && !departed(ad, now)) drift.push('suspended-active-ad');
        if (m.summary.status === 'Active' && departed(ad, now)) drift.push('active-disabled-ad');
        if (m.localIds !== null && !localCredential) drift.push(m.localIds.length > 0 ? 'subject-mismatch' : 'credential-missing');
      }
    }
    const setAt = ad.passwordLastSet ? Date.parse(ad.passwordLastSet) : NaN;
    const pwExpires =
      Number.isFinite(setAt) && maxPasswordAgeDays !== null && !ad.passwordNeverExpires ? new Date(setAt + maxPasswordAgeDays * DAY).toISOString() : null;
    return {
      id: ad.id,
      source: 'ad',
      displayName: ad.displayName,
      username: ad.username,
      email: ad.email,
      employeeId: ad.employeeId,
      ouPath: ad.ouPath,
      ad: {
        enabled: ad.enabled,
        locked: ad.locked,
        passwordLastSet: ad.passwordLastSet,
        passwordAgeDays: Number.isFinite(setAt) ? Math.max(0, Math.floor((now - setAt) / DAY)) : null,
        passwordExpires: pwExpires,
        accountExpires: ad.accountExpires,
        mustChangePassword: ad.mustChangePassword,
      },
      mitid: m
        ? {
            state: m.summary.status === 'Active' || m.summary.status === 'Suspended' ? m.summary.status : 'other',
            status: m.summary.status,
            uuid: m.summary.uuid,
            localCredential,
            allowSigning: m.allowSigning,
          }
        : { state: mitidKnown && state.mitid.loadedAt !== null ? 'none' : 'unknown', status: null, uuid: null, localCredential, allowSigning: null },
      idp: idp
        ? {
            loaded: true,
            nsisStatus: idp.nsisStatus,
            deviceCount: idp.deviceCount,
            acceptedTermsVersion: idp.acceptedTermsVersion,
            locked: idp.locked !== null,
          }
        : { loaded: idp === null, nsisStatus: null, deviceCount: null, acceptedTermsVersion: null, locked: null },
      drift,
    };
  }

  function orphanRow(m: MitIdFacts): PersonRow {
    const name = [m.summary.givenName, m.summary.surname].filter(Boolean).join(' ') || m.summary.uuid;
    return {
      id: `mitid:${m.summary.uuid}`,
      source: 'mitid-only',
      displayName: name,
      username: m.localIds?.[0] ?? '',
      email: m.summary.emailAddress,
      employeeId: null,
      ouPath: '',
      ad: null,
      mitid: {
        state: m.summary.status === 'Active' || m.summary.status === 'Suspended' ? m.summary.status : 'other',
        status: m.summary.status,
        uuid: m.summary.uuid,
        localCredential: m.localIds === null ? null : m.localIds.length > 0,
        allowSigning: m.allowSigning,
      },
      idp: { loaded: false, nsisStatus: null, deviceCount: null, acceptedTermsVersion: null, locked: null },
      drift: ['only-in-mitid'],
    };
  }

  const fold = (r: PersonRow) => foldedFindable(r);

  /** Rebuild every row from the facts (O(n); a few ms per 10,000 people). */
  function remerge(adPeople?: PersonSummary[]): void {
    const now = Date.now();
    const people = adPeople ?? entries.filter((e) => e.ad).map((e) => e.ad as PersonSummary);
    const next: Entry[] = people.map((ad) => {
      const row = buildRow(ad, now);
      return { ad, row, folded: fold(row) };
    });
    if (state.mitid.loadedAt !== null) {
      const matched = new Set(mitidFor.values());
      for (const m of mitidFacts.values()) {
        if (matched.has(m.summary.uuid)) continue;
        const row = orphanRow(m);
        next.push({ ad: null, row, folded: fold(row) });
      }
    }
    entries = next;
    byId.clear();
    for (const e of entries) byId.set(e.row.id, e);
    bump();
  }

  /** Match identities to AD people: by local credential (link rule) first, then by e-mail. */
  function match(): void {
    mitidFor.clear();
    const bySubject = new Map<string, string>();
    const byEmail = new Map<string, string>();
    for (const e of entries) {
      if (!e.ad) continue;
      const s = expectedSubject(e.ad);
      if (s) bySubject.set(s.toLowerCase(), e.ad.id);
      if (e.ad.email) byEmail.set(e.ad.email.trim().toLowerCase(), e.ad.id);
    }
    const taken = new Set<string>();
    for (const m of mitidFacts.values()) {
      const id = m.localIds?.map((s) => bySubject.get(s.toLowerCase())).find(Boolean);
      if (id && !taken.has(id)) {
        mitidFor.set(id, m.summary.uuid);
        taken.add(id);
      }
    }
    for (const m of mitidFacts.values()) {
      if ([...mitidFor.values()].includes(m.summary.uuid)) continue;
      const id = m.summary.emailAddress ? byEmail.get(m.summary.emailAddress.trim().toLowerCase()) : undefined;
      if (id && !taken.has(id)) {
        mitidFor.set(id, m.summary.uuid);
        taken.add(id);
      }
    }
  }

  // ------------------------------------------------------------------ loading

  async function loadAd(session: DirectorySession): Promise<PersonSummary[]> {
    const s = session as DirectorySession & { loadAllPeople?: () => Promise<PersonSummary[]> };
    if (typeof s.loadAllPeople === 'function') return s.loadAllPeople();
    return (await session.searchPeople({ text: '', limit: 10_000_000 })).items;
  }

  async function loadMitId(): Promise<void> {
    const mitid = conn.mitid;
    if (!mitid) return;
    state.mitid = { ...state.mitid, state: 'loading', done: 0, total: 0, message: null };
    try {
      const fresh = new Map<string, MitIdFacts>();
      await mitid.searchAll((item) => {
        const old = mitidFacts.get(item.uuid);
        fresh.set(item.uuid, { summary: item, localIds: old?.localIds ?? null, allowSigning: old?.allowSigning ?? null });
      });
      mitidFacts = fresh;
      state.mitid.total = fresh.size;
      match();
      state.mitid.loadedAt = state.mitid.loadedAt ?? new Date().toISOString();
      remerge();
      const list = [...fresh.values()];
      let sinceMerge = 0;
      await pool(list, CONCURRENCY, async (m) => {
        try {
          const [auths, identity] = await Promise.all([mitid.listAuthenticators(m.summary.uuid), mitid.getIdentity(m.summary.uuid)]);
          m.localIds = auths.filter((a) => a.kind === 'local' && a.id).map((a) => a.id as string);
          m.allowSigning = identity.allowSigning;
        } catch {
          // One identity that cannot be read keeps "unknown" columns; the rest go on.
        }
        state.mitid.done++;
        if (++sinceMerge >= mergeEvery()) {
          sinceMerge = 0;
          match();
          remerge();
        }
      });
      match();
      state.mitid = { ...state.mitid, state: 'ok', loadedAt: new Date().toISOString(), message: null, fromCache: false };
      remerge();
      persist('mitid', [...mitidFacts.values()]);
    } catch (e) {
      state.mitid = { ...state.mitid, state: 'failed', message: e instanceof Error ? e.message : 'MitID Erhverv svarede ikke.' };
      bump();
    }
  }

  async function loadIdp(): Promise<void> {
    const idp = conn.idp;
    if (!idp) return;
    const people = entries.filter((e) => e.ad).map((e) => e.ad as PersonSummary);
    state.idp = { ...state.idp, state: 'loading', done: 0, total: people.length, message: null };
    let failures = 0;
    let sinceMerge = 0;
    await pool(people, CONCURRENCY, async (p) => {
      try {
        idpFacts.set(p.id, await idp.getPerson(conn.idpKey(p.dn, p.username)));
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'not-found') idpFacts.set(p.id, null);
        else failures++;
      }
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
    if (!failed) persist('idp', [...idpFacts.entries()]);
  }

  async function build(session: DirectorySession): Promise<void> {
    state.ad = { ...state.ad, state: 'loading', message: null };
    try {
      const people = await loadAd(session);
      // The domain's maximum password age gives each row its expiry (a PSO may differ: the detail shows it).
      const first = people[0];
      maxPasswordAgeDays = first ? await session.getResultantPasswordPolicy(first.id).then((p) => (p.source === 'domain' ? p.maxAgeDays : null)).catch(() => null) : null;
      state.ad = { ...state.ad, state: 'ok', loadedAt: new Date().toISOString(), done: people.length, total: people.length, message: null, fromCache: false };
      match();
      remerge(people);
      persist('ad', { people, maxPasswordAgeDays });
    } catch (e) {
      state.ad = { ...state.ad, state: 'failed', message: e instanceof Error ? e.message : 'Active Directory svarede ikke.' };
      bump();
      throw e;
    }
    background = Promise.all([loadMitId(), loadIdp()]).then(() => {});
  }

  // ------------------------------------------------------------------ the local cache

  /** Keep a complete read for the next start. A cache that cannot be written only costs a slower start. */
  function persist(source: 'ad' | 'mitid' | 'idp', data: unknown): void {
    const loadedAt = state[source].loadedAt;
    if (!snapshot || !loadedAt) return;
    try {
      snapshot.save({ [source]: { loadedAt, data } });
    } catch {
      /* disk full, file locked: the next read tries again */
    }
  }

  /** The rows as last seen, before any system has answered; false when there is nothing cached. */
  function restore(): boolean {
    const ad = snapshot?.load<{ people: PersonSummary[]; maxPasswordAgeDays: number | null }>('ad');
    if (!snapshot || !ad) return false;
    maxPasswordAgeDays = ad.data.maxPasswordAgeDays;
    const n = ad.data.people.length;
    state.ad = { ...state.ad, state: 'ok', loadedAt: ad.loadedAt, done: n, total: n, message: null, fromCache: true };
    const mitid = conn.mitid ? snapshot.load<MitIdFacts[]>('mitid') : null;
    if (mitid) {
      mitidFacts = new Map(mitid.data.map((m) => [m.summary.uuid, m]));
      state.mitid = { ...state.mitid, state: 'ok', loadedAt: mitid.loadedAt, done: mitid.data.length, total: mitid.data.length, fromCache: true };
    }
    const idp = conn.idp ? snapshot.load<Array<[string, IdpPerson | null]>>('idp') : null;
    if (idp) {
      for (const [id, p] of idp.data) idpFacts.set(id, p);
      state.idp = { ...state.idp, state: 'ok', loadedAt: idp.loadedAt, done: idp.data.length, total: idp.data.length, fromCache: true };
    }
    remerge(ad.data.people);
    match();
    remerge();
    return true;
  }

  function start(session: DirectorySession): Promise<void> {
    const p = build(session).finally(() => {
      if (adBuild === p) adBuild = null;
    });
    adBuild = p;
    return p;
  }

  return {
    async ensure(session) {
      if (adBuild) return adBuild;
      if (state.ad.loadedAt === null) {
        // Open at once from the local cache and read every system again behind it.
        if (restore()) {
          void start(session).catch(() => {});
          return;
        }
        return start(session);
      }
      const stale = Date.now() - Date.parse(state.ad.loadedAt) > STALE_MS;
      const busy = state.mitid.state === 'loading' || state.idp.state === 'loading';
      if (stale && !busy) void start(session).catch(() => {});
    },
    async refresh(session) {
      if (adBuild) return adBuild;
      return start(session);
    },
    async idle() {
      if (adBuild) await adBuild.catch(() => {});
      await background;
    },
    query(q, scope) {
      const key = JSON.stringify([q.text, q.filter, q.sort, q.dir, scope ?? null]);
      const indexed = visible(entries, scope).length;
      if (cache && cache.key === key && cache.version === version) return { rows: cache.rows, indexed };
      // Most views are in name order: the entries are sorted by name once per version, and such a view is
      // then a filter pass (≈ 10 ms at 100,000 people instead of a collator sort per keystroke).
      let rows: PersonRow[];
      if (q.sort === 'displayName') {
        if (!byName || byName.version !== version) byName = { version, entries: [...entries].sort((a, b) => compareRows(a.row, b.row)) };
        rows = filterEntries(visible(byName.entries, scope), q).map((e) => e.row);
        if (q.dir === 'desc') rows.reverse();
      } else {
        rows = runQuery(visible(entries, scope), q);
      }
      cache = { key, version, rows };
      return { rows, indexed };
    },
    row: (id) => byId.get(id)?.row ?? null,
    adMatchFor({ localIds, email }) {
      const subjects = new Set(localIds.map((x) => x.toLowerCase()));
      const mail = email?.trim().toLowerCase() || null;
      for (const e of entries) {
        if (!e.ad) continue;
        const s = expectedSubject(e.ad);
        if ((s && subjects.has(s.toLowerCase())) || (mail && e.ad.email?.trim().toLowerCase() === mail)) return e.row;
      }
      return null;
    },
    async refreshPerson(session, personId) {
      let ad: PersonSummary;
      try {
        ad = await session.getPerson(personId);
      } catch {
        return null;
      }
      if (conn.mitid && state.mitid.loadedAt !== null) {
        const uuid = mitidFor.get(personId);
        const expected = expectedSubject(ad);
        try {
          const found = expected ? await conn.mitid.findBySubjectNameId(expected, { emailAddress: ad.email }) : null;
          const summary = found ?? (uuid ? (mitidFacts.get(uuid)?.summary ?? null) : null);
          if (summary) {
            const [auths, identity] = await Promise.all([conn.mitid.listAuthenticators(summary.uuid), conn.mitid.getIdentity(summary.uuid)]);
            mitidFacts.set(summary.uuid, {
              summary: { ...summary, status: identity.status },
              localIds: auths.filter((a) => a.kind === 'local' && a.id).map((a) => a.id as string),
              allowSigning: identity.allowSigning,
            });
            if (uuid && uuid !== summary.uuid) mitidFor.delete(personId);
            mitidFor.set(personId, summary.uuid);
          } else if (uuid) {
            mitidFor.delete(personId);
          }
        } catch {
          // Keep what we had; the detail panel shows MitID Erhverv's own error.
        }
      }
      if (conn.idp) {
        try {
          idpFacts.set(personId, await conn.idp.getPerson(conn.idpKey(ad.dn, ad.username)));
        } catch {
          // Keep what we had.
        }
      }
      const row = buildRow(ad, Date.now());
      const next: Entry = { ad, row, folded: fold(row) };
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
    driftCounts(scope) {
      const counts = Object.fromEntries(driftKinds.map((k) => [k, 0])) as DriftCounts;
      for (const e of visible(entries, scope)) for (const k of e.row.drift) counts[k] = (counts[k] ?? 0) + 1;
      return counts;
    },
    ous(scope) {
      const set = new Set<string>();
      for (const e of visible(entries, scope)) {
        const parts = e.row.ouPath.split(' / ');
        for (let i = 1; i <= parts.length; i++) if (parts[0]) set.add(parts.slice(0, i).join(' / '));
      }
      return [...set].sort(collator.compare);
    },
    nsisStatuses(scope) {
      const set = new Set<string>();
      for (const e of visible(entries, scope)) if (e.row.idp.nsisStatus) set.add(e.row.idp.nsisStatus);
      return [...set].sort();
    },
  };
}

// ------------------------------------------------------------------ querying

function triMatch(want: 'any' | 'yes' | 'no', v: boolean | null | undefined): boolean {
  if (want === 'any') return true;
  return want === 'yes' ? v === true : v === false;
}

function filterEntries(entries: readonly Entry[], q: PeopleQuery): Entry[] {
  const f = q.filter;
  const terms = searchTerms(q.text);
  const now = Date.now();
  const ou = f.ou.trim();
  return entries.filter((e) => {
    const r = e.row;
    if (!matchesTerms(e.folded, terms)) return false;
    if (ou && !(r.ouPath === ou || r.ouPath.startsWith(`${ou} / `))) return false;
    if (!triMatch(f.adEnabled, r.ad?.enabled)) return false;
    if (!triMatch(f.adLocked, r.ad?.locked)) return false;
    if (!triMatch(f.mustChange, r.ad?.mustChangePassword)) return false;
    if (f.passwordExpired !== 'any') {
      const expired = r.ad?.passwordExpires ? Date.parse(r.ad.passwordExpires) < now : false;
      if (!triMatch(f.passwordExpired, expired)) return false;
    }
    if (f.mitidState !== 'any' && r.mitid.state !== f.mitidState) return false;
    if (!triMatch(f.localCredential, r.mitid.localCredential)) return false;
    if (!triMatch(f.signing, r.mitid.allowSigning)) return false;
    if (f.mfa === 'none' && r.idp.deviceCount !== 0) return false;
    if (f.mfa === 'some' && !(r.idp.deviceCount !== null && r.idp.deviceCount > 0)) return false;
    if (f.nsisStatus && r.idp.nsisStatus !== f.nsisStatus) return false;
    if (f.drift === 'any-drift' && r.drift.length === 0) return false;
    if (f.drift && f.drift !== 'any-drift' && !r.drift.includes(f.drift)) return false;
    return true;
  });
}

const adRank = (r: PersonRow) => (!r.ad ? 3 : r.ad.locked ? 0 : !r.ad.enabled ? 2 : 1);
const mitidRank = { Active: 0, Suspended: 1, other: 2, none: 3, unknown: 4 } as const;

function compareBy(key: PeopleQuery['sort']): (a: PersonRow, b: PersonRow) => number {
  const num = (f: (r: PersonRow) => number | null) => (a: PersonRow, b: PersonRow) => {
    const x = f(a);
    const y = f(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return x - y;
  };
  const str = (f: (r: PersonRow) => string | null) => (a: PersonRow, b: PersonRow) => collator.compare(f(a) ?? '\uffff', f(b) ?? '\uffff');
  switch (key) {
    case 'username':
      return str((r) => r.username);
    case 'ouPath':
      return str((r) => r.ouPath);
    case 'adState':
      return num(adRank);
    case 'passwordAge':
      return num((r) => r.ad?.passwordAgeDays ?? null);
    case 'accountExpires':
      return str((r) => r.ad?.accountExpires ?? null);
    case 'mitidState':
      return num((r) => mitidRank[r.mitid.state]);
    case 'deviceCount':
      return num((r) => r.idp.deviceCount);
    case 'nsisStatus':
      return str((r) => r.idp.nsisStatus);
    case 'terms':
      return num((r) => r.idp.acceptedTermsVersion);
    case 'drift':
      return num((r) => -r.drift.length);
    default:
      return str((r) => r.displayName);
  }
}

const nameOrder = compareBy('displayName');
/** Name, then id: a total order, so pages of one view never overlap. */
function compareRows(a: PersonRow, b: PersonRow): number {
  return nameOrder(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function runQuery(entries: readonly Entry[], q: PeopleQuery): PersonRow[] {
  const cmp = compareBy(q.sort);
  const byName = compareBy('displayName');
  const sign = q.dir === 'desc' ? -1 : 1;
  return filterEntries(entries, q)
    .map((e) => e.row)
    .sort((a, b) => sign * cmp(a, b) || byName(a, b) || (a.id < b.id ? -1 : 1));
}
