import { ConsoleError, keyedError } from '../../../shared/errors.ts';
import type { Person } from '../../../shared/domain/person.ts';
import { MAX_SAVED_VIEWS } from '../../../shared/domain/people.ts';
import type { peopleOps } from '../../../shared/operations/people.ts';
import { runInBackground } from '../../background.ts';
import { bindsOf } from '../../session-binds.ts';
import { rankPeople } from '../../../shared/search.ts';
import type { ActiveSession, Call, Connections, DirectorySession, FeatureService } from '../../ports.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import type { PeopleQuery } from '../../connectors/directory-port.ts';
import type { AuditStore } from '../../store/audit-store.ts';
import type { ViewsStore } from '../../store/views-store.ts';
import type { PeopleIndex } from './index/people-index.ts';
import { operatorViewKey } from '../../store/views-store.ts';
import { exportFilename, toCsv, toXlsx } from './export.ts';
import {
  assign,
  checkNewPassword,
  decide,
  deviceAction,
  driftFixes,
  history,
  identityLock,
  overviewPanels,
  reactivate,
  resetPassword,
  revealCpr,
  revoke,
  signing,
  suspend,
  suspendOrphan,
  writeContext,
} from './person-service.ts';

export interface PeopleServiceDeps {
  connections(): Connections;
  /** The merged people list of the current connections. */
  index(): PeopleIndex;
  audit: AuditStore;
  views: ViewsStore;
}

/** The people feature: the merged list, one person across the three systems, and every action on them. */
export function createPeopleService(deps: PeopleServiceDeps): FeatureService<typeof peopleOps> {
  const conn = () => deps.connections();
  const index = () => deps.index();

  /** After a write: the person's row re-read from all three systems, so the list and the detail agree. */
  const after = async (s: ActiveSession, personId: string, r: { outcome: string; message: string }) => ({
    ...r,
    row: await index().refreshPerson(s.directory, personId),
  });
  /** The person the operation names, as the dispatcher read it and checked it against the scope. */
  const person = (ctx: Call): Person => {
    if (!ctx.target?.person) throw keyedError('not-found', 'personNotInAd', 'Personen findes ikke i Active Directory.');
    return ctx.target.person;
  };
  const savedViews = (ctx: Call) => ({ views: deps.views.list(viewOwner(ctx)), limit: MAX_SAVED_VIEWS });

  return {
    'people.search': async (input, ctx) => searchAcross(bindsOf(ctx.requireSession()), { text: input.text, limit: input.limit, within: ctx.scope }),

    'people.list': async ({ offset, limit, ...q }, ctx) => index().page(bindsOf(ctx.requireSession()), q, { offset, limit }, ctx.scope),

    'people.refresh': async (_input, ctx) => {
      // Not awaited: the answer is "started"; the list's status line shows how each system's read went.
      runInBackground('people.refresh', index().refresh(bindsOf(ctx.requireSession())));
      return { started: true };
    },

    'people.syncStatus': async () => ({ sources: index().sources() }),

    'people.cancelRefresh': async () => ({ cancelled: index().cancelRefresh() }),

    'people.export': async (input, ctx) => {
      const idx = index();
      await idx.ensure(bindsOf(ctx.requireSession()));
      const { format, columns, language, ...q } = input;
      const { rows } = idx.query(q, ctx.scope);
      const body = format === 'csv' ? toCsv(rows, columns, language) : await toXlsx(rows, columns, language);
      return {
        filename: exportFilename(language, format),
        mime: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        base64: body.toString('base64'),
        rows: rows.length,
      };
    },

    'people.get': async (_input, ctx) => ({ person: person(ctx) }),

    'people.overview': async (_input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      // The AD policy is one part of the overview: one AD will not read out leaves that part empty (null),
      // not the whole page.
      const [panels, ad] = await Promise.all([overviewPanels(conn(), p), s.directory.getResultantPasswordPolicy(p.id).catch(() => null)]);
      const adPolicy = ad && {
        source: ad.source, name: ad.name, readable: ad.readable, minLength: ad.minLength, historyLength: ad.historyLength, complexity: ad.complexity,
        maxAgeDays: ad.maxAgeDays, lockoutThreshold: ad.lockoutThreshold, lockoutDurationMinutes: ad.lockoutDurationMinutes,
      };
      const decided = decide(p, panels.mitid);
      const row = index().row(p.id);
      // The page read the systems just now: a list row that says otherwise is read again behind it.
      if (row && panels.mitid.ok && JSON.stringify(row.states) !== JSON.stringify(decided.states)) {
        runInBackground('people.refreshPerson', index().refreshPerson(s.directory, p.id));
      }
      return { person: p, row, adPolicy, ...panels, ...decided };
    },

    'people.history': async (_input, ctx) => ({ items: history(deps.audit, person(ctx)) }),

    'people.revealCpr': async (_input, ctx) => ({ cpr: await revealCpr(conn(), person(ctx)) }),

    'people.unlockAccount': async (input, ctx) => {
      const s = ctx.requireSession();
      await s.directory.unlockAccount(input.personId);
      const p = await s.directory.getPerson(input.personId);
      // Not awaited: the unlock is done and answered; the list's row catches up behind it.
      runInBackground('people.refreshPerson', index().refreshPerson(s.directory, input.personId));
      return { person: p };
    },

    'people.checkPassword': async (input, ctx) => {
      const s = ctx.requireSession();
      return checkNewPassword(conn(), s.directory, person(ctx), input.password);
    },

    'people.resetPassword': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      await resetPassword(conn(), s.directory, p, input.password, input.mustChange);
      return after(s, p.id, {
        outcome: 'reset',
        message: input.mustChange ? 'Adgangskoden er nulstillet. Personen skal vælge en ny ved næste login.' : 'Adgangskoden er nulstillet.',
      });
    },

    'people.assignLocalAuthenticator': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      return after(s, p.id, await assign(conn(), p));
    },

    'people.revokeLocalAuthenticator': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      return after(s, p.id, await revoke(conn(), p));
    },

    'people.setSigning': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      return after(s, p.id, await signing(conn(), p, input.allow, s.directory));
    },

    'people.suspendIdentity': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      return after(s, p.id, await suspend(conn(), p));
    },

    'people.reactivateIdentity': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      return after(s, p.id, await reactivate(conn(), p));
    },

    'people.deviceAction': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      const r = await deviceAction(conn(), p, input.deviceId, input.action, writeContext(s.operator, input.reason));
      return { ...(await after(s, p.id, r)), push: r.push };
    },

    'people.setIdentityLock': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      return after(s, p.id, await identityLock(conn(), p, input.locked, writeContext(s.operator, input.reason)));
    },

    'people.fixDrift': async (input, ctx) => {
      const s = ctx.requireSession();
      if (input.kind === 'only-in-mitid') {
        const uuid = /^mitid:(.+)$/.exec(input.personId)?.[1];
        if (!uuid) throw new ConsoleError('validation', 'Afvigelsen "kun i MitID Erhverv" rettes på identiteten, ikke på en AD-konto.').withKey('driftOnlyInMitidOnIdentity');
        const r = await suspendOrphan(conn(), uuid, (identity) => index().adMatchFor(identity));
        // The orphan row is rebuilt from MitID Erhverv by the next refresh; until then say what happened.
        runInBackground('people.refresh', index().refresh(bindsOf(s)));
        return { ...r, row: null };
      }
      const p = person(ctx);
      return after(s, p.id, await driftFixes[input.kind](conn(), p));
    },

    'people.views.list': async (_input, ctx) => savedViews(ctx),

    'people.views.save': async (input, ctx) => {
      const r = deps.views.save(viewOwner(ctx), input, MAX_SAVED_VIEWS);
      if (!r.ok && r.reason === 'exists') {
        throw keyedError('conflict', 'viewExists', `Du har allerede en visning med navnet “${input.name}”. Vil du overskrive den?`, { name: input.name }, { name: input.name });
      }
      if (!r.ok) throw keyedError('conflict', 'viewLimit', `Du kan højst gemme ${MAX_SAVED_VIEWS} visninger. Slet en, før du gemmer en ny.`, { max: MAX_SAVED_VIEWS });
      return savedViews(ctx);
    },

    'people.views.delete': async (input, ctx) => {
      if (!deps.views.remove(viewOwner(ctx), input.name)) throw noSuchView(input.name);
      return savedViews(ctx);
    },

    'people.views.setDefault': async (input, ctx) => {
      if (!deps.views.setDefault(viewOwner(ctx), input.name)) throw noSuchView(input.name ?? '');
      return savedViews(ctx);
    },
  };
}

/**
 * AD's own search in every domain the call may read (one bind each), as one answer: each domain's best
 * matches ranked together by the console's one ranking.
 */
async function searchAcross(binds: readonly DirectorySession[], q: PeopleQuery): Promise<{ items: PersonSummary[]; total: number }> {
  const [only] = binds;
  if (binds.length === 1 && only) return only.searchPeople(q);
  const parts = await Promise.all(binds.map((b) => b.searchPeople(q)));
  const items = parts.flatMap((p) => p.items);
  const byName = (a: PersonSummary, b: PersonSummary) => a.displayName.localeCompare(b.displayName, 'da') || a.username.localeCompare(b.username, 'da');
  const ranked = q.text.trim() === '' ? items.sort(byName) : rankPeople(items, q.text.trim(), byName);
  return { items: ranked.slice(0, q.limit), total: parts.reduce((n, p) => n + p.total, 0) };
}

/** Views belong to the signed-in operator; nothing in the input can name someone else's. */
const viewOwner = (ctx: Call) => operatorViewKey(ctx.requireSession().operator);
const noSuchView = (name: string) => keyedError('not-found', 'viewMissing', `Du har ingen gemt visning med navnet “${name}”.`, { name });
