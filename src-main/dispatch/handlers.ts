import { ConsoleError } from '../../shared/errors.ts';
import { secretKeys, type SecretKey } from '../../shared/domain/settings.ts';
import type { Core } from '../core.ts';
import { operatorFromIdentity } from '../services/roles.ts';
import { trainingOperatorCards, trainingRoleMapping } from '../training/environment.ts';
import type { Handlers } from './dispatcher.ts';
import type { AuditFilter } from '../../shared/domain/audit.ts';
import type { EvidenceScope } from '../../shared/operations/audit.ts';
import { exportEvidence, verifyEvidencePackage } from '../services/evidence.ts';

/** An evidence scope as a timeline filter, plus the label the report prints. */
function scopeFilter(from: string, to: string, scope: EvidenceScope): { filter: AuditFilter; label: string } {
  const base: AuditFilter = { from, to, actions: [], source: 'all' };
  switch (scope.kind) {
    case 'all':
      return { filter: base, label: 'Alle hændelser' };
    case 'admin':
      return { filter: { ...base, source: 'console' }, label: 'Administrative handlinger' };
    case 'person':
      return { filter: { ...base, person: scope.person }, label: `Person: ${scope.person}` };
    case 'ou':
      return { filter: { ...base, ou: scope.ou }, label: `Enhed: ${scope.ou}` };
    case 'policy':
      return {
        filter: { ...base, actions: ['settings.update', 'policy.update', 'terms.publish', 'CHANGE_PASSWORD_SETTINGS', 'CHANGE_TERMS_AND_CONDITIONS'] },
        label: 'Ændringer af politikker og vilkår',
      };
  }
}

interface HandlerDeps {
  core: Core;
  /** Rebuild the connections after the settings changed. */
  reconnect(): Promise<void>;
}

/** One line per operation: the work itself lives in services and connectors. */
export function createHandlers({ core, reconnect }: HandlerDeps): Handlers {
  const settingsView = () => ({
    settings: core.settings.read(),
    secrets: Object.fromEntries(secretKeys.map((k) => [k, core.secrets.has(k)])) as Record<SecretKey, boolean>,
    secretsPersisted: core.secrets.persisted,
  });

  return {
    'app.info': async () => {
      const training = core.connections().training;
      return { version: core.version, training, trainingOperators: training ? trainingOperatorCards : [] };
    },

    'session.login': async (input, ctx) => {
      const conn = core.connections();
      const directory = await conn.directory.signIn(input.username, input.password);
      const mapping = conn.training ? trainingRoleMapping : core.settings.read().roleMapping;
      const operator = operatorFromIdentity(directory.identity, mapping);
      if (operator.roles.length === 0) {
        await directory.close();
        throw new ConsoleError('forbidden', 'Din konto er ikke medlem af nogen af konsollens rollegrupper. Kontakt en administrator.');
      }
      const previous = ctx.call.slot.get();
      if (previous) await previous.directory.close().catch(() => {});
      const now = Date.now();
      ctx.call.slot.set({ operator, directory, startedAt: now, lastUsedAt: now });
      core.journal.append({
        kind: 'event',
        operation: 'session.login',
        operator,
        workstation: ctx.call.workstation,
        correlationId: ctx.correlationId,
        target: null,
        reason: null,
        outcome: 'success',
        summary: { roles: operator.roles },
      });
      return { operator };
    },

    'session.logout': async (_input, ctx) => {
      const s = ctx.call.slot.get();
      ctx.call.slot.set(null);
      if (s) await s.directory.close().catch(() => {});
      return { ok: true as const };
    },

    'session.current': async (_input, ctx) => ({ operator: ctx.session?.operator ?? null }),

    'settings.get': async () => settingsView(),

    'settings.update': async (input) => {
      core.settings.write(input.settings);
      await reconnect();
      return settingsView();
    },

    'settings.setSecret': async (input) => {
      core.secrets.set(input.key, input.value);
      return settingsView();
    },

    'settings.testConnection': async (input) => {
      const conn = core.connections();
      if (input.system === 'ad') {
        const r = await conn.directory.ping();
        return { ok: r.ok, message: r.message };
      }
      const status = (await conn.status()).find((s) => s.system === input.system);
      return { ok: status?.state === 'ok', message: status?.message ?? 'Ukendt system' };
    },

    'system.status': async () => ({ systems: await core.connections().status() }),

    'people.search': async (input, ctx) => ctx.requireSession().directory.searchPeople({ text: input.text, limit: input.limit }),

    'people.get': async (input, ctx) => ({ person: await ctx.requireSession().directory.getPerson(input.personId) }),

    'audit.search': async (input) => core.audit.search(input.filter, { cursor: input.cursor, limit: input.limit }),

    'audit.stats': async (input) => ({ total: core.audit.count(input.filter), ...core.audit.stats(input.filter) }),

    'audit.verifyJournal': async () => {
      const r = core.journal.verify();
      return r.ok ? { ok: true, count: r.count, brokenSeq: null, reason: null } : { ok: false, count: r.count, brokenSeq: r.brokenSeq, reason: r.reason };
    },

    'audit.exportEvidence': async (input, ctx) => {
      const operator = ctx.requireSession().operator;
      const { filter, label } = scopeFilter(input.from, input.to, input.scope);
      const job = core.jobs.start('audit.exportEvidence', operator.username, (job) =>
        exportEvidence(core.audit, core.journal, {
          filter,
          scopeLabel: label,
          fullCpr: input.fullCpr,
          operator,
          outRoot: core.evidenceDir,
          policy: { passwordPolicies: null, termsVersions: null, unavailableReason: 'den lokale IdP er ikke tilsluttet denne konsol.' },
        }, job),
      );
      return { job };
    },

    'audit.verifyPackage': async (input) => verifyEvidencePackage(input.folder),

    'jobs.get': async (input, ctx) => ({ job: core.jobs.get(input.id, ctx.requireSession().operator.username) }),

    'jobs.cancel': async (input, ctx) => ({ job: core.jobs.cancel(input.id, ctx.requireSession().operator.username) }),

    'people.unlockAccount': async (input, ctx) => {
      const dir = ctx.requireSession().directory;
      await dir.unlockAccount(input.personId);
      return { person: await dir.getPerson(input.personId) };
    },
  };
}
