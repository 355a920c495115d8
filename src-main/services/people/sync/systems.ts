// The one place that picks each system's sync adapter: AD by its uSNChanged delta; MitID Erhverv and the
// IdP, until their change-feed adapters land, read whole by the legacy adapters. Intervals: AD's delta is
// cheap, so it runs often; a whole read of MitID Erhverv or the IdP is not.
import type { Connections } from '../../../ports.ts';
import type { SyncSystems } from '../index/people-index.ts';
import { MitIdFacts } from '../index/merge.ts';
import { danishNameKey } from '../index/slices.ts';
import { AdFact, createAdSource, isPerson } from './ad-source.ts';
import type { SourceSpec } from './engine.ts';
import { IdpFact, legacyIdpSource, legacyMitIdSource } from './legacy-sources.ts';
import type { SyncSystem } from './source.ts';

export const AD_INTERVAL_MS = 60_000;
export const LEGACY_INTERVAL_MS = 10 * 60_000;

export function syncSystemsFor(conn: Connections): SyncSystems {
  return (env) => {
    const systems: Partial<Record<SyncSystem, SourceSpec<unknown>>> = {
      // The training directory has no change counter: each of its refreshes is a whole read.
      ad: {
        source: createAdSource({ session: env.session }),
        schema: AdFact,
        intervalMs: conn.directory.kind === 'ad' ? AD_INTERVAL_MS : LEGACY_INTERVAL_MS,
        // Stored in the list's name order, so a start restores the people nearly sorted.
        sortKey: (f: AdFact) => (isPerson(f) ? `${danishNameKey(f.displayName)}\u0000${f.id}` : null),
      } as SourceSpec<unknown>,
    };
    if (conn.mitid) {
      systems.mitid = { source: legacyMitIdSource(conn.mitid, () => env.known('mitid')), schema: MitIdFacts, intervalMs: LEGACY_INTERVAL_MS } as SourceSpec<unknown>;
    }
    if (conn.idp) {
      systems.idp = { source: legacyIdpSource({ idp: conn.idp, idpKey: conn.idpKey }, env.adPeople), schema: IdpFact, intervalMs: LEGACY_INTERVAL_MS, after: ['ad'] } as SourceSpec<unknown>;
    }
    return systems;
  };
}
