// The one place that picks each system's sync adapter: AD by its uSNChanged delta, MitID Erhverv by one
// search a refresh plus the identity reads a call budget allows, the IdP by its change feed. Intervals: the
// AD delta and the IdP feed cost a call or two, so they run often; a MitID Erhverv refresh is one search
// of every identity (plus budgeted reads), so it runs less often.
import { IdpPerson } from '../../../../shared/idp/people.ts';
import type { Connections } from '../../../ports.ts';
import type { SyncSystems } from '../index/people-index.ts';
import { MitIdFacts } from '../index/merge.ts';
import { danishNameKey } from '../index/slices.ts';
import { AdFact, createAdSource, isPerson } from './ad-source.ts';
import type { SourceSpec } from './engine.ts';
import { createIdpSource } from './idp-source.ts';
import { createMitIdSource } from './mitid-source.ts';
import type { SyncSystem } from './source.ts';

export const AD_INTERVAL_MS = 60_000;
export const IDP_INTERVAL_MS = 60_000;
export const MITID_INTERVAL_MS = 10 * 60_000;
/** A directory without a change counter (training) is read whole each time. */
export const WHOLE_READ_INTERVAL_MS = 10 * 60_000;

export interface SyncSettings {
  /** settings.mitid.syncCallsPerMinute: the MitID Erhverv call budget of the sync. */
  mitidCallsPerMinute?: number | undefined;
}

export function syncSystemsFor(conn: Connections, settings: SyncSettings = {}): SyncSystems {
  return (env) => {
    const systems: Partial<Record<SyncSystem, SourceSpec<unknown>>> = {
      // The training directory has no change counter: each of its refreshes is a whole read.
      ad: {
        source: createAdSource({ sessions: env.sessions }),
        schema: AdFact,
        intervalMs: conn.directory.kind === 'ad' ? AD_INTERVAL_MS : WHOLE_READ_INTERVAL_MS,
        // Stored in the list's name order, so a start restores the people nearly sorted.
        sortKey: (f: AdFact) => (isPerson(f) ? `${danishNameKey(f.displayName)}\u0000${f.id}` : null),
      } as SourceSpec<unknown>,
    };
    if (conn.mitid) {
      const source = createMitIdSource(conn.mitid, { callsPerMinute: settings.mitidCallsPerMinute });
      systems.mitid = { source, schema: MitIdFacts, intervalMs: MITID_INTERVAL_MS } as SourceSpec<unknown>;
    }
    if (conn.idp) {
      systems.idp = { source: createIdpSource(conn.idp), schema: IdpPerson, intervalMs: IDP_INTERVAL_MS } as SourceSpec<unknown>;
    }
    return systems;
  };
}
