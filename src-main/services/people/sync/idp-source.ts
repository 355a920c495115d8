// The IdP adapter of the sync engine: the IdP's people change feed, one call per page, instead of one
// getPerson per AD person. The cursor is the feed's own; a null cursor (or one the IdP cannot continue
// from) reads the whole feed from the start and is a 'full' read. "Check now" reads the named people.
import { ConsoleError, isConsoleError } from '../../../../shared/errors.ts';
import type { PersonKey } from '../../../../shared/idp/common.ts';
import { PAGE_LIMIT_MAX } from '../../../../shared/idp/common.ts';
import type { IdpPerson } from '../../../../shared/idp/people.ts';
import type { IdpPort } from '../../../connectors/idp/idp-port.ts';
import { pool } from './pool.ts';
import type { KnownFacts, SourceChanges, SyncContext, SyncSource } from './source.ts';

/** Endpoint names as the simulator counts them, so the status line and the tests speak of the same calls. */
export const IDP_FEED_CALL = 'GET /people/changes';
export const IDP_PERSON_CALL = 'GET /people/{domain}/{username}';

/** The sync key of a person in the IdP: `domain\username`, lower-cased (the IdP compares both case-insensitively). */
export function idpPersonKey(p: PersonKey): string {
  return `${p.domain}\\${p.username}`.toLowerCase();
}

/** The person a sync key names (the inverse of idpPersonKey, up to case). */
export function personKeyFromIdpKey(key: string): PersonKey {
  const at = key.indexOf('\\');
  if (at <= 0 || at === key.length - 1) throw new ConsoleError('validation', `Ugyldig nøgle til Lokal IdP: ${key.slice(0, 100)}`).withKey('idpKeyInvalid', { key: key.slice(0, 100) });
  return { domain: key.slice(0, at), username: key.slice(at + 1) };
}

export interface IdpSourceOptions {
  /** Changes per page (the contract allows up to 1000). */
  pageSize?: number;
  /** Parallel reads for readNow. */
  concurrency?: number;
}

function cancelledError(): ConsoleError {
  return new ConsoleError('cancelled', 'Opdateringen fra Lokal IdP blev annulleret').withKey('idpRefreshCancelled');
}

export function createIdpSource(idp: IdpPort, opts: IdpSourceOptions = {}): SyncSource<IdpPerson> {
  const pageSize = Math.min(PAGE_LIMIT_MAX, Math.max(1, opts.pageSize ?? PAGE_LIMIT_MAX));
  const concurrency = opts.concurrency ?? 8;
  /** The cursor of the newest refresh, handed back by readNow (which reads no feed) so it never moves it. */
  let lastCursor: string | null = null;

  return {
    system: 'idp',

    async refresh(cursor: string | null, _known: KnownFacts<IdpPerson>, ctx: SyncContext): Promise<SourceChanges<IdpPerson>> {
      let full = cursor === null;
      // Later pages override earlier ones: a person changed twice is held once, as they were last.
      let found = new Map<string, { person: IdpPerson | null; readAt: string }>();
      let after = cursor ?? undefined;
      let pages = 0;
      for (;;) {
        if (ctx.signal.aborted) throw cancelledError();
        ctx.progress({ phase: { code: 'idpFeed', params: { page: pages + 1, full } }, done: found.size, total: 0 });
        let page;
        try {
          page = await idp.listPersonChanges(after, pageSize, { signal: ctx.signal });
        } catch (e) {
          if (ctx.signal.aborted || (isConsoleError(e) && e.code === 'cancelled')) throw cancelledError();
          throw e;
        }
        pages++;
        if (page.reset && !full) {
          // The IdP could not continue from our cursor: this page is the start of the whole feed.
          full = true;
          found = new Map();
        }
        const readAt = new Date(ctx.now()).toISOString();
        for (const c of page.items) found.set(idpPersonKey(c), { person: c.person, readAt });
        after = page.next;
        // An empty page ends the read even if the IdP says more: it cannot move the cursor.
        if (!page.hasMore || page.items.length === 0) break;
      }
      const upserts: SourceChanges<IdpPerson>['upserts'] = [];
      const deletes: string[] = [];
      for (const [key, v] of found) {
        if (v.person) upserts.push({ key, fact: v.person, readAt: v.readAt });
        else if (!full) deletes.push(key);
      }
      lastCursor = after ?? null;
      ctx.progress({ phase: { code: 'idpDone', params: {} }, done: upserts.length, total: upserts.length });
      return {
        mode: full ? 'full' : 'delta',
        upserts,
        deletes,
        cursor: lastCursor,
        calls: { [IDP_FEED_CALL]: pages },
        method: { code: 'idpFeed', params: { pages, full } },
      };
    },

    async readNow(keys: readonly string[], ctx: SyncContext): Promise<SourceChanges<IdpPerson>> {
      const unique = [...new Set(keys.map((k) => k.toLowerCase()))];
      const upserts: SourceChanges<IdpPerson>['upserts'] = [];
      const deletes: string[] = [];
      let calls = 0;
      let done = 0;
      let failure: unknown = null;
      await pool(unique, concurrency, async (key) => {
        if (ctx.signal.aborted || failure) return;
        calls++;
        try {
          const person = await idp.getPerson(personKeyFromIdpKey(key));
          upserts.push({ key, fact: person, readAt: new Date(ctx.now()).toISOString() });
        } catch (e) {
          if (isConsoleError(e) && e.code === 'not-found') deletes.push(key);
          else failure ??= e;
        }
        ctx.progress({ phase: { code: 'idpCheck', params: {} }, done: ++done, total: unique.length });
      });
      if (ctx.signal.aborted) throw cancelledError();
      if (failure) throw failure instanceof Error ? failure : new ConsoleError('unavailable-idp', 'Lokal IdP kunne ikke læses').withKey('idpUnreadable');
      return { mode: 'delta', upserts, deletes, cursor: lastCursor, calls: { [IDP_PERSON_CALL]: calls }, method: { code: 'readNow', params: {} } };
    },
  };
}
