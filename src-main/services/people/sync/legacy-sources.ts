// MitID Erhverv and the IdP as the sync engine's adapters, read the way the console always read them:
// every refresh is a full read ('full'), MitID Erhverv by one streamed search plus two calls per identity,
// the IdP by one call per AD person. A stop-gap until the change-feed adapters (mitid-source.ts,
// idp-source.ts) replace this file; sync/systems.ts is the one place that picks the adapters.
import type { z } from 'zod';
import { ConsoleError } from '../../../../shared/errors.ts';
import type { PersonSummary } from '../../../../shared/domain/person.ts';
import { IdpPerson } from '../../../../shared/idp/people.ts';
import type { Connections, IdpPort, MitIdErhvervPort } from '../../../ports.ts';
import type { MitIdFacts } from '../index/merge.ts';
import { readIdentityDetails, readIdp, readMitId } from '../index/sources.ts';
import type { KnownFacts, SourceChanges, SyncContext, SyncSource } from './source.ts';

export const IdpFact = IdpPerson.nullable();
export type IdpFact = z.infer<typeof IdpFact>;

const stamp = (ctx: SyncContext) => new Date(ctx.now()).toISOString();

/** MitID Erhverv, read whole each time: one streamed search, then each identity's authenticators and identity. */
export function legacyMitIdSource(mitid: MitIdErhvervPort, known: () => KnownFacts<MitIdFacts>): SyncSource<MitIdFacts> {
  return {
    system: 'mitid',
    async refresh(_cursor, facts, ctx) {
      ctx.progress({ phase: 'Søger i MitID Erhverv', done: 0, total: 0 });
      let total = 0;
      let done = 0;
      const fresh = await readMitId(
        mitid,
        (uuid) => facts.get(uuid)?.fact,
        {
          searched(n) {
            total = n;
            ctx.progress({ phase: 'Læser hver identitets loginmidler', done: 0, total });
          },
          detail() {
            done++;
            if (done % 50 === 0 || done === total) ctx.progress({ phase: 'Læser hver identitets loginmidler', done, total });
          },
        },
        ctx.signal,
      );
      const readAt = stamp(ctx);
      return {
        mode: 'full',
        upserts: [...fresh].map(([key, fact]) => ({ key, fact, readAt })),
        deletes: [],
        cursor: null,
        calls: { 'identities.search': 1, 'identity.get': fresh.size, 'authenticators.list': fresh.size },
        method: 'fuld læsning (søgning + 2 kald pr. identitet)',
      };
    },
    async readNow(keys, ctx) {
      const upserts: SourceChanges<MitIdFacts>['upserts'] = [];
      const deletes: string[] = [];
      for (const uuid of keys) {
        try {
          const d = await readIdentityDetails(mitid, uuid);
          const old = known().get(uuid)?.fact.summary;
          const { identity } = d;
          const summary = {
            uuid, id: old?.id ?? null, status: identity.status, givenName: identity.givenName, surname: identity.surname,
            cprNumber: old?.cprNumber ?? null, emailAddress: identity.emailAddress, rid: identity.rid,
          };
          upserts.push({ key: uuid, fact: { summary, localIds: d.localIds, allowSigning: d.allowSigning }, readAt: stamp(ctx) });
        } catch (e) {
          if (e instanceof ConsoleError && e.code === 'not-found') deletes.push(uuid);
          else throw e;
        }
      }
      return { mode: 'delta', upserts, deletes, cursor: null, calls: { 'identity.get': keys.length, 'authenticators.list': keys.length }, method: 'læst nu' };
    },
  };
}

/** The IdP, read whole each time: one call per AD person (`people` are the AD people the engine holds). */
export function legacyIdpSource(
  conn: { idp: IdpPort; idpKey: Connections['idpKey'] },
  people: () => readonly PersonSummary[],
): SyncSource<IdpFact> {
  return {
    system: 'idp',
    async refresh(_cursor, facts, ctx) {
      const everyone = people();
      const into = new Map<string, IdpFact>();
      let done = 0;
      const phase = "Læser hver person i IdP'en";
      ctx.progress({ phase, done, total: everyone.length });
      const failures = await readIdp(
        conn,
        everyone,
        into,
        () => {
          done++;
          if (done % 50 === 0 || done === everyone.length) ctx.progress({ phase, done, total: everyone.length });
        },
        ctx.signal,
      );
      if (everyone.length > 0 && failures === everyone.length) throw new ConsoleError('unavailable-idp', "IdP'en svarede ikke.");
      const readAt = stamp(ctx);
      const upserts: SourceChanges<IdpFact>['upserts'] = [];
      for (const p of everyone) {
        const got = into.get(p.id);
        if (got !== undefined) upserts.push({ key: p.id, fact: got, readAt });
        else {
          // Not readable this time: what was known stays, with when it was read.
          const held = facts.get(p.id);
          if (held) upserts.push({ key: p.id, ...held });
        }
      }
      return {
        mode: 'full',
        upserts,
        deletes: [],
        cursor: null,
        calls: { 'person.get': everyone.length },
        method: failures > 0 ? `fuld læsning (1 kald pr. person; ${failures} kunne ikke hentes)` : 'fuld læsning (1 kald pr. person)',
      };
    },
    async readNow(keys, ctx) {
      const upserts: SourceChanges<IdpFact>['upserts'] = [];
      const byId = new Map(people().map((p) => [p.id, p]));
      for (const id of keys) {
        const p = byId.get(id);
        if (!p) continue;
        try {
          upserts.push({ key: id, fact: await conn.idp.getPerson(conn.idpKey(p.dn, p.username)), readAt: stamp(ctx) });
        } catch (e) {
          if ((e as { code?: string }).code === 'not-found') upserts.push({ key: id, fact: null, readAt: stamp(ctx) });
          else throw e;
        }
      }
      return { mode: 'delta', upserts, deletes: [], cursor: null, calls: { 'person.get': keys.length }, method: 'læst nu' };
    },
  };
}
