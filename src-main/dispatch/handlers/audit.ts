import type { AuditFilter } from '../../../shared/domain/audit.ts';
import type { auditOps, EvidenceScope } from '../../../shared/operations/audit.ts';
import { exportEvidence, verifyEvidencePackage } from '../../services/evidence.ts';
import { checkJournal } from '../../services/journal-anchor.ts';
import { policyEvidenceContext } from '../../services/policies/evidence-context.ts';
import type { FeatureHandlers, HandlerDeps } from './types.ts';
import { join } from 'node:path';
import { applyRetention, readRetention, writeRetention } from '../../services/retention.ts';

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

export function auditHandlers({ core }: HandlerDeps): FeatureHandlers<typeof auditOps> {
  const retentionFile = () => join(core.dataDir, 'retention.json');
  return {
    'audit.search': async (input) => core.audit.search(input.filter, { cursor: input.cursor, limit: input.limit }),

    'audit.stats': async (input) => ({ total: core.audit.count(input.filter), ...core.audit.stats(input.filter) }),

    'audit.refresh': async () => {
      await core.syncAudit();
      const { pending, lastError, lastPulledAt } = core.shipping.status();
      return { pending, lastError, lastPulledAt };
    },

    'audit.verifyJournal': async () => checkJournal(core.journal, core.connections().idp, core.shipping.anchoredSeq()),

    'audit.exportEvidence': async (input, ctx) => {
      const operator = ctx.requireSession().operator;
      const { filter, label } = scopeFilter(input.from, input.to, input.scope);
      const idp = core.connections().idp;
      const job = core.jobs.start('audit.exportEvidence', operator.username, async (job) =>
        exportEvidence(core.audit, core.journal, {
          filter,
          scopeLabel: label,
          fullCpr: input.fullCpr,
          operator,
          outRoot: core.evidenceDir,
          policy: await policyEvidenceContext(idp),
          idp,
          anchoredSeq: core.shipping.anchoredSeq(),
        }, job),
      );
      return { job };
    },

    'audit.verifyPackage': async (input) => {
      const idp = core.connections().idp;
      return verifyEvidencePackage(input.folder, idp ? () => idp.attestationCertificate() : undefined);
    },

    'audit.attestationCertificate': async () => {
      const idp = core.connections().idp;
      if (!idp) return { certificate: null, message: 'Den lokale IdP er ikke sat op.' };
      try {
        const c = await idp.attestationCertificate();
        return { certificate: { fingerprintSha256: c.fingerprintSha256, subject: c.subject, notAfter: c.notAfter }, message: null };
      } catch (e) {
        return { certificate: null, message: `IdP'ens certifikat kunne ikke hentes: ${e instanceof Error ? e.message : String(e)}` };
      }
    },

    'audit.getRetention': async () => ({ settings: readRetention(retentionFile()), pendingShipment: core.shipping.status().pending }),

    'audit.setRetention': async (input) => ({ settings: writeRetention(retentionFile(), input.settings) }),

    'audit.purgeNow': async (input, ctx) => {
      const r = applyRetention(core.journal, core.audit, core.shipping.ackedSeq(), readRetention(retentionFile()));
      // The cut itself goes into the chain, so the new anchor can be checked against the journal.
      core.journal.append({
        kind: 'event', operation: 'audit.purge', operator: ctx.requireSession().operator, workstation: ctx.call.workstation,
        correlationId: ctx.correlationId, target: null, reason: input.reason, outcome: 'success', summary: r,
      });
      return r;
    },

    'jobs.get': async (input, ctx) => ({ job: core.jobs.get(input.id, ctx.requireSession().operator.username) }),

    'jobs.cancel': async (input, ctx) => ({ job: core.jobs.cancel(input.id, ctx.requireSession().operator.username) }),
  };
}
