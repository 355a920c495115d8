import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PeopleQuery } from '../../../shared/domain/people.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import type { IdpPerson } from '../../../shared/idp/people.ts';
import type { MitIdFacts } from '../../../src-main/services/people/index/merge.ts';
import type { AdFact } from '../../../src-main/services/people/sync/ad-source.ts';
import { idpPersonKey } from '../../../src-main/services/people/sync/idp-source.ts';
import { openPeopleStore, type PeopleStore } from '../../../src-main/store/people-store.ts';
import { indexOver, trainingPeople } from './index-support.ts';
import { memorySystem } from './memory-system.ts';

// A warm start shows what each system changed while the console was closed before the stored facts are
// loaded and merged (seconds at 100,000 people): on the row of the person each change belongs to, by the
// links the index saved at its last merge. The merge, and the answers applied on top of it, then agree.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const session = {} as never;
const first = { offset: 0, limit: 50 };
const q = PeopleQuery.parse({});

const identity = (p: PersonSummary, i: number): MitIdFacts => ({
  summary: { uuid: `u-${i}`, id: i, status: 'Active', givenName: p.givenName, surname: p.surname, cprNumber: null, emailAddress: i % 4 === 0 ? p.email : `anden.${i}@example.test`, rid: null },
  localIds: i % 4 === 0 ? [] : [`${p.username}@fjordby.dk`],
  allowSigning: false,
});
const idpKey = (p: PersonSummary) => idpPersonKey({ domain: 'fjordby.kommune.test', username: p.username });
const idpOf = (p: PersonSummary): IdpPerson => ({
  domain: 'fjordby.kommune.test', username: p.username, displayName: p.displayName, passwordPolicyDomain: 'fjordby', nsisStatus: 'SUBSTANTIAL',
  locked: null, acceptedTermsVersion: 1, mustAcceptTerms: false, deviceCount: 1,
});

/** The store, its facts held back until `release()`: the merge cannot have happened before. */
function heldBack(store: PeopleStore): { store: PeopleStore; release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { store: { ...store, load: async (...a) => (await gate, store.load(...a)) }, release };
}

async function until(what: () => boolean, ms = 5_000): Promise<void> {
  const t0 = Date.now();
  while (!what()) {
    if (Date.now() - t0 > ms) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a warm start', () => {
  it('shows each system\'s changes on the right rows before the stored facts are merged, and the merge agrees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lia-preview-'));
    dirs.push(dir);
    const file = join(dir, 'people.sqlite');
    const people = await trainingPeople(400);
    const ad = memorySystem<AdFact>('ad', people.map((p) => [p.id, p]));
    const mitid = memorySystem<MitIdFacts>('mitid');
    const idp = memorySystem<IdpPerson>('idp');
    people.forEach((p, i) => {
      if (i % 2 === 0) mitid.set(`u-${i}`, identity(p, i));
      idp.set(idpKey(p), idpOf(p));
    });
    let store = openPeopleStore(file, 'env');
    let index = indexOver(ad, mitid, idp, store);
    await index.ensure(session);
    await index.idle();
    const closing = await index.page(session, q, first, null);
    index.close();
    await store.close();

    // While the console is closed: one renamed in AD (on the first page), one deleted, one identity
    // suspended (matched by e-mail) and one by local credential, one locked in the IdP, a new orphan identity.
    const byId = new Map(people.map((p, i) => [p.id, { p, i }]));
    const renamed = byId.get(closing.rows[0]!.id)!.p;
    const [gone, byMail, byCredential, locked] = [people[7]!, people[8]!, people[10]!, people[11]!];
    ad.set(renamed.id, { ...renamed, displayName: 'Østergaard Ny' });
    ad.remove(gone.id);
    for (const [p, i] of [[byMail, 8], [byCredential, 10]] as const) mitid.set(`u-${i}`, { ...identity(p, i), summary: { ...identity(p, i).summary, status: 'Suspended' } });
    idp.set(idpKey(locked), { ...idpOf(locked), locked: { by: 'helpdesk', at: '2026-12-07T08:00:00.000Z', reason: 'Mistænkelig' } });
    mitid.set('u-ny', { ...identity(people[13]!, 13), summary: { ...identity(people[13]!, 13).summary, uuid: 'u-ny', emailAddress: 'ingen@example.test' }, localIds: [] });

    const held = heldBack(openPeopleStore(file, 'env'));
    index = indexOver(ad, mitid, idp, held.store);
    const warm = await index.page(session, q, first, null);
    expect(warm.rows[0]?.displayName).toBe(renamed.displayName);
    await until(() => index.row(locked.id)?.idp.locked === true && index.row(byCredential.id)?.mitid.status === 'Suspended' && index.row(renamed.id)?.displayName === 'Østergaard Ny');
    // Nothing merged yet (the stored facts are held back): these rows are the preview's.
    expect(index.query(q).rows).toHaveLength(0);
    expect(index.row(byMail.id)?.mitid).toMatchObject({ status: 'Suspended', uuid: 'u-8' });
    expect(index.row(byCredential.id)).toMatchObject({ displayName: byCredential.displayName, mitid: { status: 'Suspended', uuid: 'u-10' } });
    expect(index.row(locked.id)).toMatchObject({ displayName: locked.displayName, idp: { loaded: true, locked: true } });
    expect(index.row(gone.id)).toBeNull();
    expect(index.row('mitid:u-ny')).toMatchObject({ source: 'mitid-only', mitid: { uuid: 'u-ny' } });
    // A person nothing changed for is not previewed: the merge answers for them.
    expect(index.row(people[20]!.id)).toBeNull();
    // The list's first page shows the renamed row in its place.
    const patched = await index.page(session, q, first, null);
    expect(patched.rows[0]).toMatchObject({ id: renamed.id, displayName: 'Østergaard Ny' });
    expect(patched.version).toBeGreaterThan(warm.version);

    const ids = [renamed.id, byMail.id, byCredential.id, locked.id, 'mitid:u-ny'];
    const previewed = ids.map((id) => index.row(id));

    held.release();
    await index.idle();
    const merged = new Map(index.query(q).rows.map((r) => [r.id, r]));
    // The same rows as the preview's, now from the merge.
    expect(ids.map((id) => merged.get(id))).toEqual(previewed);
    expect(merged.has(gone.id)).toBe(false);
    expect(merged.get(people[20]!.id)).toBeDefined();
    index.close();

    // The links were saved at the merge: the next start finds the suspended identity's person again.
    store = openPeopleStore(file, 'env');
    expect(store.personOf('uuid', 'u-8')).toBe(byMail.id);
    expect(store.linkOf(gone.id)).toBeNull();
    await store.close();
  });
});
