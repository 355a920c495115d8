// Which MitID Erhverv identity belongs to which AD person, kept change by change: an AD delta of 50
// people or a MitID Erhverv refresh of 50 identities re-decides the matches those keys touch, not all
// 100,000 (that took ~0.5 s of every delta). The rule, the same whichever order the facts arrive in:
// 1. by local credential: an identity claims the person whose link-rule subject is among its localIds
//    (the first such localId); several claim one person → the lowest uuid wins;
// 2. by e-mail, for identities not matched in 1 and people not taken in 1; several → the lowest uuid.
// A key two AD people share (a shared mailbox) names neither: a guess is not a link.
import type { PersonSummary } from '../../../../shared/domain/person.ts';
import type { LinkRule } from '../../../../shared/mitid/link-rule.ts';
import { expectedSubject, type MitIdFacts } from './merge.ts';
import { pause } from '../../../slices.ts';

/** A key → one id, or several (rare: a shared e-mail, two identities claiming one person). */
class MultiMap {
  private readonly m = new Map<string, string | string[]>();

  add(key: string, id: string): void {
    const held = this.m.get(key);
    if (held === undefined) this.m.set(key, id);
    else if (typeof held === 'string') {
      if (held !== id) this.m.set(key, [held, id]);
    } else if (!held.includes(id)) held.push(id);
  }

  delete(key: string, id: string): void {
    const held = this.m.get(key);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held === id) this.m.delete(key);
      return;
    }
    const i = held.indexOf(id);
    if (i >= 0) held.splice(i, 1);
    if (held.length === 1) this.m.set(key, held[0] as string);
  }

  /** The one id under the key; undefined when none or several. */
  only(key: string): string | undefined {
    const held = this.m.get(key);
    return typeof held === 'string' ? held : undefined;
  }

  all(key: string): readonly string[] {
    const held = this.m.get(key);
    return held === undefined ? [] : typeof held === 'string' ? [held] : [...held];
  }

  /** The lowest id under the key that passes `ok`. */
  lowest(key: string, ok: (id: string) => boolean = () => true): string | undefined {
    let best: string | undefined;
    for (const id of this.all(key)) if (ok(id) && (best === undefined || id < best)) best = id;
    return best;
  }
}

interface PersonKeys {
  subject: string | null;
  email: string | null;
}
interface IdentityKeys {
  subjects: string[];
  email: string | null;
}

const mail = (s: string | null | undefined) => s?.trim().toLowerCase() || null;

/** What an update changed: the people whose identity changed, and the identities matched to someone else or no one. */
export interface MatchChanges {
  people: Set<string>;
  identities: Set<string>;
}

export interface IdentityMatcher {
  /** Person id → the uuid of their identity. */
  readonly matches: ReadonlyMap<string, string>;
  /** The person an identity is matched to, if any. */
  personOf(uuid: string): string | undefined;
  /**
   * Apply changed facts (undefined = gone). `sliceDone` is called per change (a `slicer`); when it says so,
   * the update yields (a whole build of 100,000 people); the decisions are made after all keys are in.
   */
  update(
    people: Iterable<readonly [string, PersonSummary | undefined]>,
    identities: Iterable<readonly [string, MitIdFacts | undefined]>,
    sliceDone?: () => boolean,
  ): Promise<MatchChanges>;
  /** Every AD person an identity's local credentials or e-mail name (shared keys included): for refusals. */
  candidates(identity: { localIds: readonly string[]; email: string | null }): string[];
}

/** `linkRuleFor`: the link rule of the domain a person (by DN) lives in. */
export function createIdentityMatcher(linkRuleFor: (dn: string | null) => LinkRule): IdentityMatcher {
  const personKeys = new Map<string, PersonKeys>();
  const peopleBySubject = new MultiMap();
  const peopleByEmail = new MultiMap();
  const identityKeys = new Map<string, IdentityKeys>();
  const identitiesBySubject = new MultiMap();
  const identitiesByEmail = new MultiMap();
  /** Each identity's candidate by local credential and by e-mail, and the identities claiming each person. */
  const byCredential = new Map<string, string>();
  const byEmail = new Map<string, string>();
  const claimsByCredential = new MultiMap();
  const claimsByEmail = new MultiMap();
  /** The identity that won each person in step 1. */
  const firstStep = new Map<string, string>();
  const matches = new Map<string, string>();
  const matchedTo = new Map<string, string>();

  const keysOfPerson = (p: PersonSummary): PersonKeys => ({ subject: expectedSubject(p, linkRuleFor(p.dn))?.toLowerCase() ?? null, email: mail(p.email) });
  const keysOfIdentity = (m: MitIdFacts): IdentityKeys => ({ subjects: (m.localIds ?? []).map((s) => s.toLowerCase()), email: mail(m.summary.emailAddress) });
  const matchedInFirstStep = (uuid: string) => {
    const p = byCredential.get(uuid);
    return p !== undefined && firstStep.get(p) === uuid;
  };
  const setCandidate = (of: Map<string, string>, claims: MultiMap, uuid: string, person: string | undefined, dirty: Set<string>) => {
    const before = of.get(uuid);
    if (before === person) return;
    if (before !== undefined) {
      claims.delete(before, uuid);
      dirty.add(before);
    }
    if (person === undefined) of.delete(uuid);
    else {
      of.set(uuid, person);
      claims.add(person, uuid);
      dirty.add(person);
    }
  };

  return {
    matches,
    personOf: (uuid) => matchedTo.get(uuid),

    async update(people, identities, sliceDone = () => false) {
      const touched = new Set<string>();
      const touchKey = (index: MultiMap, key: string | null) => {
        if (key !== null) for (const u of index.all(key)) touched.add(u);
      };
      for (const [id, p] of people) {
        const before = personKeys.get(id);
        const after = p ? keysOfPerson(p) : undefined;
        if (before?.subject === after?.subject && before?.email === after?.email) continue;
        if (before) {
          if (before.subject !== null) peopleBySubject.delete(before.subject, id);
          if (before.email !== null) peopleByEmail.delete(before.email, id);
          touchKey(identitiesBySubject, before.subject);
          touchKey(identitiesByEmail, before.email);
        }
        if (after) {
          personKeys.set(id, after);
          if (after.subject !== null) peopleBySubject.add(after.subject, id);
          if (after.email !== null) peopleByEmail.add(after.email, id);
          touchKey(identitiesBySubject, after.subject);
          touchKey(identitiesByEmail, after.email);
        } else personKeys.delete(id);
        if (sliceDone()) await pause();
      }
      for (const [uuid, m] of identities) {
        const before = identityKeys.get(uuid);
        if (before) {
          for (const s of before.subjects) identitiesBySubject.delete(s, uuid);
          if (before.email !== null) identitiesByEmail.delete(before.email, uuid);
        }
        const after = m ? keysOfIdentity(m) : undefined;
        if (after) {
          identityKeys.set(uuid, after);
          for (const s of after.subjects) identitiesBySubject.add(s, uuid);
          if (after.email !== null) identitiesByEmail.add(after.email, uuid);
        } else identityKeys.delete(uuid);
        touched.add(uuid);
        if (sliceDone()) await pause();
      }

      // Each touched identity's candidates, then step 1's winners of the people whose claims changed.
      const dirtyFirst = new Set<string>();
      const dirty = new Set<string>();
      for (const uuid of touched) {
        const k = identityKeys.get(uuid);
        let person: string | undefined;
        for (const s of k?.subjects ?? []) if ((person = peopleBySubject.only(s)) !== undefined) break;
        setCandidate(byCredential, claimsByCredential, uuid, person, dirtyFirst);
        setCandidate(byEmail, claimsByEmail, uuid, k?.email ? peopleByEmail.only(k.email) : undefined, dirty);
        if (sliceDone()) await pause();
      }
      for (const person of dirtyFirst) {
        if (sliceDone()) await pause();
        dirty.add(person);
        const before = firstStep.get(person);
        const after = claimsByCredential.lowest(person);
        if (before === after) continue;
        if (after === undefined) firstStep.delete(person);
        else firstStep.set(person, after);
        // An identity that won or lost step 1 leaves or enters step 2 at its e-mail candidate.
        for (const u of [before, after]) {
          const byMail = u === undefined ? undefined : byEmail.get(u);
          if (byMail !== undefined) dirty.add(byMail);
        }
      }

      const changes: MatchChanges = { people: new Set(), identities: new Set() };
      for (const person of dirty) {
        if (sliceDone()) await pause();
        const after = firstStep.get(person) ?? claimsByEmail.lowest(person, (u) => !matchedInFirstStep(u));
        const before = matches.get(person);
        if (before === after) continue;
        changes.people.add(person);
        if (before !== undefined) {
          changes.identities.add(before);
          if (matchedTo.get(before) === person) matchedTo.delete(before);
        }
        if (after === undefined) matches.delete(person);
        else {
          matches.set(person, after);
          matchedTo.set(after, person);
          changes.identities.add(after);
        }
      }
      return changes;
    },

    candidates(identity) {
      const found = new Set<string>();
      for (const s of identity.localIds) for (const id of peopleBySubject.all(s.toLowerCase())) found.add(id);
      const e = mail(identity.email);
      if (e !== null) for (const id of peopleByEmail.all(e)) found.add(id);
      return [...found];
    },
  };
}
