// Reading each system for the people list: AD in one paged search, MitID Erhverv in one streamed search
// plus each identity's details, the IdP per person (it has no bulk read). Bounded concurrency; progress is
// reported so the list can show partial results as they arrive.
import type { PersonSummary } from '../../../../shared/domain/person.ts';
import type { IdpPerson } from '../../../../shared/idp/people.ts';
import type { Connections, DirectorySession, MitIdErhvervPort } from '../../../ports.ts';
import type { MitIdFacts } from './merge.ts';

const CONCURRENCY = 12;

/** Runs `fn` over the items, at most `n` at a time. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** Everyone in the directory the operator may read (the AD adapter pages internally). */
export async function readAdPeople(session: DirectorySession): Promise<{ people: PersonSummary[]; maxPasswordAgeDays: number | null }> {
  const s = session as DirectorySession & { loadAllPeople?: () => Promise<PersonSummary[]> };
  const people = typeof s.loadAllPeople === 'function' ? await s.loadAllPeople() : (await session.searchPeople({ text: '', limit: 10_000_000 })).items;
  // The domain's maximum password age gives each row its expiry (a PSO may differ: the detail shows it).
  const first = people[0];
  // Unreadable: the expiry column stays empty; the list itself does not depend on it.
  const maxPasswordAgeDays = first
    ? await session.getResultantPasswordPolicy(first.id).then((p) => (p.source === 'domain' ? p.maxAgeDays : null)).catch(() => null)
    : null;
  return { people, maxPasswordAgeDays };
}

/** One identity's local credentials and signing flag, read now. */
export async function readIdentityDetails(mitid: MitIdErhvervPort, uuid: string) {
  const [auths, identity] = await Promise.all([mitid.listAuthenticators(uuid), mitid.getIdentity(uuid)]);
  return { localIds: auths.filter((a) => a.kind === 'local' && a.id).map((a) => a.id as string), allowSigning: identity.allowSigning, status: identity.status };
}

/**
 * MitID Erhverv: one streamed search (what was already known of an identity is kept until read again),
 * then each identity's details. `searched` gets the fresh identities as soon as the search is in.
 */
export async function readMitId(
  mitid: MitIdErhvervPort,
  known: ReadonlyMap<string, MitIdFacts>,
  on: { searched(fresh: Map<string, MitIdFacts>): void; detail(): void },
): Promise<Map<string, MitIdFacts>> {
  const fresh = new Map<string, MitIdFacts>();
  await mitid.searchAll((item) => {
    const old = known.get(item.uuid);
    fresh.set(item.uuid, { summary: item, localIds: old?.localIds ?? null, allowSigning: old?.allowSigning ?? null });
  });
  on.searched(fresh);
  await pool([...fresh.values()], CONCURRENCY, async (m) => {
    try {
      const d = await readIdentityDetails(mitid, m.summary.uuid);
      m.localIds = d.localIds;
      m.allowSigning = d.allowSigning;
    } catch {
      // One identity that cannot be read keeps "unknown" columns; the rest go on.
    }
    on.detail();
  });
  return fresh;
}

/** The IdP's facts of each AD person; null = the IdP does not know them. Returns how many could not be read. */
export async function readIdp(conn: Connections, people: readonly PersonSummary[], into: Map<string, IdpPerson | null>, onPerson: () => void): Promise<number> {
  const idp = conn.idp;
  if (!idp) return 0;
  let failures = 0;
  await pool(people, CONCURRENCY, async (p) => {
    try {
      into.set(p.id, await idp.getPerson(conn.idpKey(p.dn, p.username)));
    } catch (e) {
      if ((e as { code?: string }).code === 'not-found') into.set(p.id, null);
      else failures++;
    }
    onPerson();
  });
  return failures;
}
