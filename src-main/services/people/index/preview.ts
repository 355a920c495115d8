// The rows a start shows before the stored facts are loaded and merged (seconds at 100,000 people): what
// each system answered first (its delta since the stored cursor), on the row of the person it was last
// merged with. The rest of such a row comes from the store by key, and the person's identity and IdP key
// from the links the index saved at its last merge. A preview is provisional and never stored: a system's
// own answer, applied on top of the merged facts, replaces it (the engine says when), and a change that
// would match an identity to another person shows only then.
import type { z } from 'zod';
import { IdpPerson } from '../../../../shared/idp/people.ts';
import type { PersonRow } from '../../../../shared/domain/people.ts';
import type { PersonSummary } from '../../../../shared/domain/person.ts';
import type { LinkRule } from '../../../../shared/mitid/link-rule.ts';
import type { PeopleStore } from '../../../store/people-store.ts';
import { AdFact, isDomainKey, isPerson } from '../sync/ad-source.ts';
import type { Preview } from '../sync/engine.ts';
import type { SyncSystem } from '../sync/source.ts';
import { buildRow, MitIdFacts, orphanRow, type MergeContext } from './merge.ts';

export interface PreviewDeps {
  store: PeopleStore;
  linkRuleFor(dn: string | null): LinkRule;
  idpKey(ad: PersonSummary): string;
  /** The row as the list shows it (its domain, with several). */
  tagged(row: PersonRow, dn: string | null): PersonRow;
}

export interface RowsPreview {
  /** Show a system's first answer. */
  show(system: SyncSystem, changes: NonNullable<Preview>): void;
  /** The system's answer is applied for real; true when no system's preview is left. */
  end(system: SyncSystem): boolean;
  /** The previewed row; null: previewed as gone; undefined: not previewed. */
  row(id: string): PersonRow | null | undefined;
  /** Rows as the list had them, with the previewed ones in their place (gone ones left out). */
  patch(rows: readonly PersonRow[]): PersonRow[];
}

export function createRowsPreview(deps: PreviewDeps): RowsPreview {
  const { store } = deps;
  // What the systems answered (null: gone), ahead of what the store holds.
  const ad = new Map<string, PersonSummary | null>();
  const mitid = new Map<string, MitIdFacts | null>();
  const idp = new Map<string, IdpPerson | null>();
  const rows = new Map<string, PersonRow | null>();
  const open = new Set<SyncSystem>();
  // Read once: whether MitID Erhverv and the IdP were ever read (the merge's "loaded"), and each domain's
  // maximum password age; and whether the index has saved links (an earlier version did not).
  const loaded = { mitid: store.record('mitid') !== null, idp: store.record('idp') !== null };
  const hasLinks = store.hasLinks();
  let ages: { days: number | null; byBaseDn: Map<string, number | null> } | null = null;
  const agesOf = () => {
    if (ages) return ages;
    ages = { days: null, byBaseDn: new Map() };
    for (const s of store.unordered('ad', AdFact).values()) {
      if (isPerson(s.fact)) continue;
      if (s.fact.baseDn) ages.byBaseDn.set(s.fact.baseDn, s.fact.maxPasswordAgeDays);
      else ages.days = s.fact.maxPasswordAgeDays;
    }
    return ages;
  };

  /** A fact as the system answered it, else as stored. */
  function held<F>(system: SyncSystem, answered: Map<string, F | null>, key: string, schema: z.ZodType<F>): F | null {
    if (answered.has(key)) return answered.get(key) ?? null;
    return store.factsOf(system, [key], schema).get(key)?.fact ?? null;
  }

  function personRow(id: string): void {
    const person = held<AdFact>('ad', ad as Map<string, AdFact | null>, id, AdFact);
    if (!person || !isPerson(person)) {
      // Gone from AD now (or never held): no row.
      if (ad.has(id)) rows.set(id, null);
      return;
    }
    const uuid = store.linkOf(id)?.uuid ?? null;
    const m = uuid ? held<MitIdFacts>('mitid', mitid, uuid, MitIdFacts) : null;
    const idpKey = deps.idpKey(person);
    const i = held<IdpPerson>('idp', idp, idpKey, IdpPerson);
    const a = agesOf();
    const ctx: MergeContext = {
      facts: {
        mitid: new Map(m && uuid ? [[uuid, m]] : []),
        mitidFor: new Map(m && uuid ? [[id, uuid]] : []),
        idp: new Map(i ? [[idpKey, i]] : []),
        maxPasswordAgeDays: a.days,
        maxPasswordAgeIn: a.byBaseDn,
      },
      linkRuleFor: deps.linkRuleFor,
      mitid: { loaded: loaded.mitid, loading: false },
      idpKey: deps.idpKey,
      idpLoaded: loaded.idp,
    };
    rows.set(id, deps.tagged(buildRow(ctx, person, Date.now()), person.dn));
  }

  return {
    show(system, changes) {
      open.add(system);
      const people = new Set<string>();
      const answered = (key: string, fact: unknown) => {
        if (system === 'ad') {
          if (isDomainKey(key)) return;
          ad.set(key, fact as PersonSummary | null);
          people.add(key);
          return;
        }
        if (system === 'idp') {
          idp.set(key, fact as IdpPerson | null);
          const person = hasLinks ? store.personOf('idpKey', key) : null;
          if (person) people.add(person);
          return;
        }
        mitid.set(key, fact as MitIdFacts | null);
        const person = hasLinks ? store.personOf('uuid', key) : null;
        if (person) people.add(person);
        // An identity no one was merged with is its own row (an orphan); unknown without saved links.
        else if (hasLinks) rows.set(`mitid:${key}`, fact ? deps.tagged(orphanRow(fact as MitIdFacts), null) : null);
      };
      for (const u of changes.upserts) answered(u.key, u.fact);
      for (const k of changes.deletes) answered(k, null);
      for (const id of people) personRow(id);
    },
    end(system) {
      open.delete(system);
      return open.size === 0;
    },
    row: (id) => rows.get(id),
    patch(list) {
      if (rows.size === 0) return [...list];
      return list.flatMap((r) => {
        const p = rows.get(r.id);
        return p === undefined ? [r] : p === null ? [] : [p];
      });
    },
  };
}
