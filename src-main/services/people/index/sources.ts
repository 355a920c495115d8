// Reading MitID Erhverv and the IdP the way the console always has (one streamed search plus each
// identity's details; the IdP per person, as it has no bulk read). Bounded concurrency, cancellable
// between calls, with progress. The sync engine's legacy adapters (sync/legacy-sources.ts) wrap these
// until the change-feed adapters replace them.
import { ConsoleError } from '../../../../shared/errors.ts';
import type { PersonSummary } from '../../../../shared/domain/person.ts';
import type { IdpPerson } from '../../../../shared/idp/people.ts';
import type { Connections, MitIdErhvervPort } from '../../../ports.ts';
import type { MitIdFacts } from './merge.ts';

const CONCURRENCY = 12;

/** Runs `fn` over the items, at most `n` at a time; a cancelled signal stops handing out new items. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (signal?.aborted) throw new ConsoleError('cancelled', 'Indlæsningen blev afbrudt.');
}

/** One identity's local credentials and signing flag, read now. */
export async function readIdentityDetails(mitid: MitIdErhvervPort, uuid: string) {
  const [auths, identity] = await Promise.all([mitid.listAuthenticators(uuid), mitid.getIdentity(uuid)]);
  return { localIds: auths.filter((a) => a.kind === 'local' && a.id).map((a) => a.id as string), allowSigning: identity.allowSigning, status: identity.status, identity };
}

/**
 * MitID Erhverv: one streamed search (what was already known of an identity is kept until read again),
 * then each identity's details.
 */
export async function readMitId(
  mitid: MitIdErhvervPort,
  known: (uuid: string) => MitIdFacts | undefined,
  on: { searched(count: number): void; detail(): void },
  signal?: AbortSignal,
): Promise<Map<string, MitIdFacts>> {
  const fresh = new Map<string, MitIdFacts>();
  await mitid.searchAll(
    (item) => {
      const old = known(item.uuid);
      fresh.set(item.uuid, { summary: item, localIds: old?.localIds ?? null, allowSigning: old?.allowSigning ?? null });
    },
    signal ? { signal } : undefined,
  );
  on.searched(fresh.size);
  await pool(
    [...fresh.values()],
    CONCURRENCY,
    async (m) => {
      try {
        const d = await readIdentityDetails(mitid, m.summary.uuid);
        m.localIds = d.localIds;
        m.allowSigning = d.allowSigning;
      } catch {
        // One identity that cannot be read keeps "unknown" columns; the rest go on.
      }
      on.detail();
    },
    signal,
  );
  return fresh;
}

/** The IdP's facts of each AD person; null = the IdP does not know them. Returns how many could not be read. */
export async function readIdp(
  conn: Pick<Connections, 'idp' | 'idpKey'>,
  people: readonly PersonSummary[],
  into: Map<string, IdpPerson | null>,
  onPerson: () => void,
  signal?: AbortSignal,
): Promise<number> {
  const idp = conn.idp;
  if (!idp) return 0;
  let failures = 0;
  await pool(
    people,
    CONCURRENCY,
    async (p) => {
      try {
        into.set(p.id, await idp.getPerson(conn.idpKey(p.dn, p.username)));
      } catch (e) {
        if ((e as { code?: string }).code === 'not-found') into.set(p.id, null);
        else failures++;
      }
      onPerson();
    },
    signal,
  );
  return failures;
}
