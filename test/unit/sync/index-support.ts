// The people index over in-memory systems, for the index's own tests.
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { IdpPerson } from '../../../shared/idp/people.ts';
import type { Connections } from '../../../src-main/ports.ts';
import { createPeopleIndex, type PeopleIndex } from '../../../src-main/services/people/index/people-index.ts';
import { MitIdFacts } from '../../../src-main/services/people/index/merge.ts';
import { AdFact } from '../../../src-main/services/people/sync/ad-source.ts';
import type { SourceSpec } from '../../../src-main/services/people/sync/engine.ts';
import type { PeopleStore } from '../../../src-main/store/people-store.ts';
import { createTrainingDirectory } from '../../../src-main/training/directory.ts';
import { generateTrainingAccounts, TRAINING_PASSWORD } from '../../../src-main/training/seed.ts';
import type { MemorySystem } from './memory-system.ts';
import { oneDomainRules } from '../../../src-main/connectors/domain-rules.ts';

const linkRule = { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false } as const;
const conn = (): Connections => ({
  directory: createTrainingDirectory([]),
  createClaims: null,
  idp: null,
  mitid: null,
  rulesFor: oneDomainRules({ linkRule, signingGroupDn: null }),
  idpKey: (_dn, username) => ({ domain: 'fjordby.kommune.test', username }),
  status: async () => [],
  close: async () => {},
});

/** The training municipality's first `n` people, as its directory lists them. */
export async function trainingPeople(n: number): Promise<PersonSummary[]> {
  const dir = createTrainingDirectory(generateTrainingAccounts(undefined, n));
  const s = await dir.signIn('admin', TRAINING_PASSWORD);
  return (await s.searchPeople({ text: '', limit: 1_000_000 })).items;
}

export function indexOver(ad: MemorySystem<AdFact>, mitid: MemorySystem<MitIdFacts>, idp: MemorySystem<IdpPerson>, store: PeopleStore | null = null): PeopleIndex {
  return createPeopleIndex(conn(), {
    tickMs: 0,
    store,
    systems: () => ({
      ad: { source: ad.source, schema: AdFact, intervalMs: 60_000 } as SourceSpec<unknown>,
      mitid: { source: mitid.source, schema: MitIdFacts, intervalMs: 60_000 } as SourceSpec<unknown>,
      idp: { source: idp.source, schema: IdpPerson, intervalMs: 60_000 } as SourceSpec<unknown>,
    }),
  });
}
