import { describe, expect, it } from 'vitest';
import { PeopleQuery, type PersonRow } from '../../../shared/domain/people.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import type { IdpPerson } from '../../../shared/idp/people.ts';
import type { PeopleIndex } from '../../../src-main/services/people/index/people-index.ts';
import type { MitIdFacts } from '../../../src-main/services/people/index/merge.ts';
import type { AdFact } from '../../../src-main/services/people/sync/ad-source.ts';
import { idpPersonKey } from '../../../src-main/services/people/sync/idp-source.ts';
import { createTrainingDirectory } from '../../../src-main/training/directory.ts';
import { prng } from '../../../src-main/training/prng.ts';
import { indexOver, trainingPeople } from './index-support.ts';
import { memorySystem } from './memory-system.ts';

// The index re-merges only the rows a change touches. Whatever the changes — AD people edited, moved,
// renamed, deleted, added; identities created, suspended, relinked, removed; IdP facts changed — the
// rows and their name order must be exactly what a whole rebuild from the same facts gives.
const identity = (p: PersonSummary, i: number, how: 'local' | 'email' | 'orphan'): MitIdFacts => ({
  summary: {
    uuid: `u-${i}`, id: i, status: i % 7 === 0 ? 'Suspended' : 'Active', givenName: p.givenName, surname: p.surname, cprNumber: null,
    emailAddress: how === 'email' ? p.email : `anden.${i}@example.test`, rid: null,
  },
  localIds: how === 'local' ? [`${p.username}@fjordby.dk`] : how === 'orphan' ? [] : null,
  allowSigning: i % 3 === 0,
});
/** The IdP's feed names people by its own key, not the AD id. */
const idpKey = (p: PersonSummary) => idpPersonKey({ domain: 'fjordby.kommune.test', username: p.username });
const idpOf = (p: PersonSummary, i: number): IdpPerson => ({
  domain: 'fjordby.kommune.test', username: p.username, displayName: p.displayName, passwordPolicyDomain: 'fjordby', nsisStatus: i % 5 === 0 ? 'SUBSTANTIAL' : 'NONE',
  locked: null, acceptedTermsVersion: i % 4 === 0 ? 2 : null, mustAcceptTerms: false, deviceCount: i % 3,
});

const all = (index: PeopleIndex, sort: 'displayName' | 'username' = 'displayName'): PersonRow[] => index.query(PeopleQuery.parse({ sort })).rows;

describe('the people index, incrementally', () => {
  it('gives exactly the rows and name order of a whole rebuild after every batch of changes', async () => {
    const people = await trainingPeople(1500);
    const ad = memorySystem<AdFact>('ad', people.map((p) => [p.id, p]));
    const mitid = memorySystem<MitIdFacts>('mitid');
    const idp = memorySystem<IdpPerson>('idp');
    people.forEach((p, i) => {
      if (i % 2 === 0) mitid.set(`u-${i}`, identity(p, i, i % 4 === 0 ? 'local' : 'email'));
      if (i % 11 === 0) mitid.set(`o-${i}`, { ...identity(p, i, 'orphan'), summary: { ...identity(p, i, 'orphan').summary, uuid: `o-${i}` } });
      if (i % 3 !== 2) idp.set(idpKey(p), idpOf(p, i));
    });
    const index = indexOver(ad, mitid, idp);
    await index.ensure(await createTrainingDirectory([]).signIn('x', 'y').catch(() => ({}) as never));
    await index.idle();
    // The IdP's facts reach the rows through its own key; people it does not hold read as not in the IdP.
    const first = new Map(all(index).map((r) => [r.id, r]));
    people.forEach((p, i) => {
      const row = first.get(p.id);
      expect(row?.idp.loaded).toBe(true);
      expect(row?.idp.deviceCount).toBe(i % 3 !== 2 ? i % 3 : null);
    });
    const rand = prng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    // Small rounds move rows in the name order in place; the last, large one merges the order anew.
    for (let round = 0; round < 7; round++) {
      const ids = [...ad.data.keys()].filter((k) => k !== 'domain');
      for (let k = 0; k < (round === 6 ? 400 : 25); k++) {
        const id = pick(ids);
        const p = ad.data.get(id) as PersonSummary | undefined;
        if (!p) continue;
        const r = rand();
        if (r < 0.25) ad.set(id, { ...p, displayName: `${pick(['Åse', 'Ærling', 'Bo', 'Zacharias', 'Aage'])} ${p.surname}`, locked: !p.locked });
        else if (r < 0.4) ad.set(id, { ...p, ouPath: 'Fratrådte', dn: p.dn.replace(/OU=[^,]+/, 'OU=Fratrådte'), enabled: false });
        else if (r < 0.5) ad.remove(id);
        else if (r < 0.6) ad.set(`ny-${round}-${k}`, { ...p, id: `ny-${round}-${k}`, username: `ny${round}x${k}`, email: `ny${round}x${k}@fjordby.dk` });
        else if (r < 0.75) {
          const i = Math.floor(rand() * people.length);
          const who = people[i] as PersonSummary;
          const uuid = pick([...mitid.data.keys()]);
          const m = mitid.data.get(uuid) as MitIdFacts;
          mitid.set(uuid, rand() < 0.5 ? { ...m, summary: { ...m.summary, status: m.summary.status === 'Active' ? 'Suspended' : 'Active' } } : { ...m, localIds: [`${who.username}@fjordby.dk`] });
        } else if (r < 0.85) mitid.remove(pick([...mitid.data.keys()]));
        else if (r < 0.9) {
          const m = identity(p, 10_000 + k, 'email');
          mitid.set(`nyu-${round}-${k}`, { ...m, summary: { ...m.summary, uuid: `nyu-${round}-${k}` } });
        }
        else if (r < 0.95) idp.set(idpKey(p), idpOf(p, Math.floor(rand() * 100)));
        else idp.remove(idpKey(p));
      }
      await index.refresh({} as never);
      await index.idle();
      const whole = indexOver(memorySystem('ad', ad.data), memorySystem('mitid', mitid.data), memorySystem('idp', idp.data));
      await whole.refresh({} as never);
      await whole.idle();
      const byId = (rows: PersonRow[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
      const a = new Set(all(index).map((r) => r.id));
      const b = new Set(all(whole).map((r) => r.id));
      expect([...a].filter((x) => !b.has(x))).toEqual([]);
      expect([...b].filter((x) => !a.has(x))).toEqual([]);
      expect(byId(all(index))).toEqual(byId(all(whole)));
      // The name order kept by binary insertion is the collator's, as a whole sort gives it.
      expect(all(index).map((r) => r.id)).toEqual(all(whole).map((r) => r.id));
      expect(all(index, 'username').map((r) => r.id)).toEqual(all(whole, 'username').map((r) => r.id));
      expect(index.driftCounts()).toEqual(whole.driftCounts());
      whole.close();
    }
    index.close();
  }, 60_000);
});
