import type { AuditFilter } from '../../../shared/domain/audit.ts';
import type { auditOps, EvidenceScope } from '../../../shared/operations/audit.ts';
import { exportEvidence, verifyEvidencePackage } from './evidence.ts';
import { createPackageUploads, zipPackage, type PackageUploads } from './package-files.ts';
import { ConsoleError } from '../../../shared/errors.ts';
import { checkJournal } from './journal-anchor.ts';
import { policyEvidenceContext } from './evidence-context.ts';
import { applyRetention } from './retention.ts';
import type { Connections, FeatureService } from '../../ports.ts';
import type { AuditStore, TimelineFilter } from '../../store/audit-store.ts';
import { idpDomainOf, type AdDomain } from '../../../shared/domain/settings.ts';
import { keyedError } from '../../../shared/errors.ts';
import type { Operator } from '../../../shared/roles.ts';
import type { Journal } from '../../store/journal.ts';
import type { RetentionStore } from '../../store/retention-store.ts';
import type { AuditShipping } from './shipping.ts';
import type { JobRegistry } from './jobs.ts';

/** An evidence scope as a timeline filter, plus the label the report prints. */
function scopeFilter(from: string, to: string, scope: EvidenceScope, language: 'da' | 'en'): { filter: AuditFilter; label: string } {
  const base: AuditFilter = { from, to, actions: [], source: 'all' };
  const en = language === 'en';
  switch (scope.kind) {
    case 'all':
      return { filter: base, label: en ? 'All events' : 'Alle hændelser' };
    case 'admin':
      return { filter: { ...base, source: 'console' }, label: en ? 'Administrative actions' : 'Administrative handlinger' };
    case 'person':
      return { filter: { ...base, person: scope.person }, label: `Person: ${scope.person}` };
    case 'ou':
      return { filter: { ...base, ou: scope.ou }, label: en ? `Unit: ${scope.ou}` : `Enhed: ${scope.ou}` };
    case 'policy':
      return {
        filter: { ...base, actions: ['settings.update', 'policy.update', 'terms.publish', 'CHANGE_PASSWORD_SETTINGS', 'CHANGE_TERMS_AND_CONDITIONS'] },
        label: en ? 'Changes to policies and terms' : 'Ændringer af politikker og vilkår',
      };
  }
}

/**
 * The timeline as an operator may read it (#19). With several AD domains every row says its domain, and an
 * operator of a domain other than the municipality's own reads that domain's events only — in the list,
 * the counts and charts and every evidence package alike. The municipality's own auditors read every
 * domain's (the IdP is the municipality's; its audit covers the schools' logins too) and may pick one.
 */
export function timelineFilter(filter: AuditFilter, operator: Operator, domains: readonly AdDomain[]): TimelineFilter {
  const { domain: chosen, ...rest } = filter;
  if (domains.length < 2) {
    if (chosen !== undefined && !domains.some((d) => d.id === chosen)) throw unknownDomain(chosen);
    return rest;
  }
  const all = domains.map((d) => ({ id: d.id, baseDn: d.baseDn, idpDomain: idpDomainOf(d) }));
  const own = operator.domain && !operator.domain.primary ? operator.domain : null;
  if (chosen !== undefined && !domains.some((d) => d.id === chosen)) throw unknownDomain(chosen);
  if (own && chosen !== undefined && chosen !== own.id) {
    throw keyedError('forbidden', 'auditOtherDomain', `Du kan kun se hændelser i domænet ${own.name}, som du er logget ind i.`, { own: own.name });
  }
  const only = own?.id ?? chosen;
  return { ...rest, domains: { all, ...(only !== undefined ? { only } : {}) } };
}

const unknownDomain = (id: string) => keyedError('validation', 'auditUnknownDomain', `Domænet ${id} findes ikke i indstillingerne.`, { domain: id });

/** The report's scope line names the domain when the package holds one domain's events. */
function domainLabel(label: string, filter: TimelineFilter, domains: readonly AdDomain[], language: 'da' | 'en'): string {
  const only = filter.domains?.only;
  const name = only ? domains.find((d) => d.id === only)?.name : undefined;
  if (!name) return label;
  return `${label} — ${language === 'en' ? 'domain' : 'domænet'} ${name}`;
}

export interface AuditServiceDeps {
  connections(): Connections;
  /** The configured AD domains (the municipality's own first); fewer than two: nothing to tell apart. */
  domains(): readonly AdDomain[];
  journal: Journal;
  audit: AuditStore;
  shipping: AuditShipping;
  jobs: JobRegistry;
  retention: RetentionStore;
  /** Where evidence packages are written. */
  evidenceDir: string;
  /** Ship the outbox and pull the IdP's log now. */
  syncAudit(): Promise<void>;
  /** Packages picked for "Kontrollér en pakke", staged in main (default: a private temporary folder). */
  uploads?: PackageUploads;
}

/** Revision: the merged timeline, the journal's check, evidence packages, retention, and long jobs. */
export function createAuditService(deps: AuditServiceDeps): FeatureService<typeof auditOps> {
  const uploads = deps.uploads ?? createPackageUploads();
  const readable = (filter: AuditFilter, ctx: { requireSession(): { operator: Operator } }) => timelineFilter(filter, ctx.requireSession().operator, deps.domains());
  /** The domains an operator may pick in the filter: every one for the municipality's own, none to a confined operator. */
  const domainChoices = (operator: Operator) => {
    const domains = deps.domains();
    if (domains.length < 2 || (operator.domain && !operator.domain.primary)) return [];
    return domains.map((d) => ({ id: d.id, name: d.name }));
  };
  return {
    'audit.search': async (input, ctx) => deps.audit.search(readable(input.filter, ctx), { cursor: input.cursor, limit: input.limit }),

    'audit.stats': async (input, ctx) => {
      const filter = readable(input.filter, ctx);
      return { total: deps.audit.count(filter), ...deps.audit.stats(filter), domains: domainChoices(ctx.requireSession().operator) };
    },

    'audit.refresh': async () => {
      await deps.syncAudit();
      const { pending, lastError, lastPulledAt } = deps.shipping.status();
      return { pending, lastError, lastPulledAt };
    },

    'audit.verifyJournal': async () => checkJournal(deps.journal, deps.connections().idp, deps.shipping.anchoredSeq()),

    'audit.exportEvidence': async (input, ctx) => {
      const operator = ctx.requireSession().operator;
      const scoped = scopeFilter(input.from, input.to, input.scope, input.language);
      const filter = timelineFilter({ ...scoped.filter, ...(input.domain ? { domain: input.domain } : {}) }, operator, deps.domains());
      const label = domainLabel(scoped.label, filter, deps.domains(), input.language);
      const idp = deps.connections().idp;
      const job = deps.jobs.start('audit.exportEvidence', operator.username, async (job) =>
        exportEvidence(deps.audit, deps.journal, {
          filter,
          scopeLabel: label,
          fullCpr: input.fullCpr,
          operator,
          outRoot: deps.evidenceDir,
          language: input.language,
          policy: await policyEvidenceContext(idp, input.language),
          idp,
          anchoredSeq: deps.shipping.anchoredSeq(),
        }, job),
      );
      return { job };
    },

    'audit.downloadEvidence': async (input, ctx) => {
      const job = deps.jobs.get(input.job, ctx.requireSession().operator.username);
      const result = job.kind === 'audit.exportEvidence' && job.state === 'succeeded' ? (job.result as { folder?: unknown }) : null;
      if (typeof result?.folder !== 'string') throw new ConsoleError('not-found', 'Pakken er ikke færdig.').withKey('packageNotReady');
      const { fileName, bytes } = zipPackage(deps.evidenceDir, result.folder);
      return { fileName, base64: Buffer.from(bytes).toString('base64') };
    },

    'audit.uploadPackageFile': async (input, ctx) =>
      uploads.append(ctx.requireSession().operator.username, { upload: input.upload, name: input.name, offset: input.offset, data: Buffer.from(input.data, 'base64') }),

    'audit.verifyPackage': async (input, ctx) => {
      const idp = deps.connections().idp;
      const current = idp ? () => idp.attestationCertificate() : undefined;
      if ('folder' in input) return verifyEvidencePackage(input.folder, current);
      return uploads.check(ctx.requireSession().operator.username, input.upload, (folder) => verifyEvidencePackage(folder, current));
    },

    'audit.attestationCertificate': async () => {
      const idp = deps.connections().idp;
      if (!idp) return { certificate: null, message: 'Den lokale IdP er ikke sat op.' };
      try {
        const c = await idp.attestationCertificate();
        return { certificate: { fingerprintSha256: c.fingerprintSha256, subject: c.subject, notAfter: c.notAfter }, message: null };
      } catch (e) {
        return { certificate: null, message: `IdP'ens certifikat kunne ikke hentes: ${e instanceof Error ? e.message : String(e)}` };
      }
    },

    'audit.getRetention': async () => ({ settings: deps.retention.read(), pendingShipment: deps.shipping.status().pending }),

    'audit.setRetention': async (input) => ({ settings: deps.retention.write(input.settings) }),

    'audit.purgeNow': async (input, ctx) => {
      const r = applyRetention(deps.journal, deps.audit, deps.shipping.ackedSeq(), deps.retention.read());
      // The cut itself goes into the chain, so the new anchor can be checked against the journal.
      ctx.record({ operation: 'audit.purge', reason: input.reason, outcome: 'success', summary: r });
      return r;
    },

    'jobs.get': async (input, ctx) => ({ job: deps.jobs.get(input.id, ctx.requireSession().operator.username) }),

    'jobs.cancel': async (input, ctx) => ({ job: deps.jobs.cancel(input.id, ctx.requireSession().operator.username) }),
  };
}
