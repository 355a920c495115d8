import { describe, expect, it } from 'vitest';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { createIdentityMatcher } from '../../../src-main/services/people/index/identity-match.ts';
import type { MitIdFacts } from '../../../src-main/services/people/index/merge.ts';
import { prng } from '../../../src-main/training/prng.ts';

const linkRule = { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false } as const;

const person = (id: string, username: string, email: string | null): PersonSummary => ({
  id, dn: `CN=${username},OU=Ansatte,DC=fjordby,DC=test`, username, displayName: username, givenName: username, surname: 'X', email,
  employeeId: null, ouPath: 'Ansatte', enabled: true, locked: false, passwordLastSet: null, passwordNeverExpires: false,
  accountExpires: null, mustChangePassword: false,
}) as PersonSummary;
const identity = (uuid: string, localIds: string[] | null, email: string | null): MitIdFacts => ({
  summary: { uuid, id: 1, status: 'Active', givenName: 'G', surname: 'S', cprNumber: null, emailAddress: email, rid: null },
  localIds,
  allowSigning: null,
});

/** The rule as the module states it, decided from scratch: the oracle the incremental matcher must equal. */
function oracle(people: Map<string, PersonSummary>, ids: Map<string, MitIdFacts>): Map<string, string> {
  const unique = (key: (p: PersonSummary) => string | null) => {
    const seen = new Map<string, string | null>();
    for (const p of people.values()) {
      const k = key(p);
      if (k) seen.set(k, seen.has(k) ? null : p.id);
    }
    return seen;
  };
  const bySubject = unique((p) => `${p.username}@fjordby.dk`.toLowerCase());
  const byEmail = unique((p) => p.email?.trim().toLowerCase() || null);
  const uuids = [...ids.keys()].sort();
  const result = new Map<string, string>();
  const first = new Set<string>();
  for (const u of uuids) {
    const m = ids.get(u) as MitIdFacts;
    const p = (m.localIds ?? []).map((s) => bySubject.get(s.toLowerCase())).find((x) => x);
    if (p && !result.has(p)) {
      result.set(p, u);
      first.add(u);
    }
  }
  for (const u of uuids) {
    if (first.has(u)) continue;
    const e = ids.get(u)?.summary.emailAddress?.trim().toLowerCase();
    const p = e ? byEmail.get(e) : undefined;
    if (p && !result.has(p)) result.set(p, u);
  }
  return result;
}

describe('matching identities to AD people', () => {
  it('by local credential first, by e-mail after; the lowest uuid wins a contested person; a shared e-mail names no one', async () => {
    const m = createIdentityMatcher(() => linkRule);
    const people = new Map([
      ['a', person('a', 'anna', 'anna@fjordby.dk')],
      ['b', person('b', 'bo', 'delt@fjordby.dk')],
      ['c', person('c', 'carl', 'delt@fjordby.dk')],
      ['d', person('d', 'dora', 'dora@fjordby.dk')],
    ]);
    const ids = new Map([
      ['u2', identity('u2', ['ANNA@fjordby.dk'], null)],
      ['u1', identity('u1', ['anna@fjordby.dk'], 'dora@fjordby.dk')],
      ['u3', identity('u3', null, 'delt@fjordby.dk')],
      ['u4', identity('u4', [], ' Dora@Fjordby.dk ')],
    ]);
    const changes = await m.update(people, ids);
    expect(Object.fromEntries(m.matches)).toEqual({ a: 'u1', d: 'u4' });
    expect(changes.people).toEqual(new Set(['a', 'd']));
    // u2 lost anna to u1 and has no e-mail; u3's e-mail is shared by two people: both orphans.
    expect(m.personOf('u2')).toBeUndefined();
    expect(m.personOf('u3')).toBeUndefined();
    // A refusal asks for everyone the keys name, shared ones included.
    expect(m.candidates({ localIds: [], email: 'DELT@fjordby.dk' }).sort()).toEqual(['b', 'c']);
    // Carl gets his own address: the shared one now names Bo alone, and u3 is his.
    const moved = await m.update([['c', person('c', 'carl', 'carl@fjordby.dk')]], []);
    expect(m.matches.get('b')).toBe('u3');
    expect(moved).toEqual({ people: new Set(['b']), identities: new Set(['u3']) });
    // u1 goes: anna falls to u2; dora was u4's by e-mail and stays (u1 never held her).
    const gone = await m.update([], [['u1', undefined]]);
    expect(Object.fromEntries(m.matches)).toEqual({ a: 'u2', b: 'u3', d: 'u4' });
    expect(gone.people).toEqual(new Set(['a']));
  });

  it('an identity that loses its credential match falls back to its e-mail', async () => {
    const m = createIdentityMatcher(() => linkRule);
    await m.update([['a', person('a', 'anna', null)], ['d', person('d', 'dora', 'dora@fjordby.dk')]], [['u9', identity('u9', ['anna@fjordby.dk'], 'dora@fjordby.dk')]]);
    expect(Object.fromEntries(m.matches)).toEqual({ a: 'u9' });
    await m.update([], [['u0', identity('u0', ['anna@fjordby.dk'], null)]]);
    expect(Object.fromEntries(m.matches)).toEqual({ a: 'u0', d: 'u9' });
  });

  it('change by change gives what a decision from scratch gives, whatever the changes', async () => {
    const rand = prng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const names = Array.from({ length: 60 }, (_, i) => `p${i}`);
    const mails = [...names.map((n) => `${n}@fjordby.dk`), 'delt@fjordby.dk', 'DELT@fjordby.dk ', null];
    const people = new Map<string, PersonSummary>();
    const ids = new Map<string, MitIdFacts>();
    const m = createIdentityMatcher(() => linkRule);
    for (let round = 0; round < 40; round++) {
      const pc: [string, PersonSummary | undefined][] = [];
      const ic: [string, MitIdFacts | undefined][] = [];
      for (let k = 0; k < 12; k++) {
        const r = rand();
        if (r < 0.35) {
          const id = `ad${Math.floor(rand() * 50)}`;
          const p = rand() < 0.15 ? undefined : person(id, pick(names), pick(mails));
          if (p) people.set(id, p);
          else people.delete(id);
          pc.push([id, p]);
        } else {
          const u = `u${Math.floor(rand() * 50)}`;
          const local = rand() < 0.2 ? null : Array.from({ length: Math.floor(rand() * 3) }, () => `${pick(names)}@fjordby.dk`);
          const f = rand() < 0.15 ? undefined : identity(u, local, pick(mails));
          if (f) ids.set(u, f);
          else ids.delete(u);
          ic.push([u, f]);
        }
      }
      const before = new Map(m.matches);
      const changes = await m.update(pc, ic);
      const want = oracle(people, ids);
      expect(new Map(m.matches)).toEqual(want);
      // What it says changed is exactly what changed.
      const changed = new Set([...want.keys(), ...before.keys()].filter((p) => want.get(p) !== before.get(p)));
      expect(changes.people).toEqual(changed);
      for (const [p, u] of want) expect(m.personOf(u)).toBe(p);
    }
  });
});
