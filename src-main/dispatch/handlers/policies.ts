import { join } from 'node:path';
import type { policiesOps } from '../../../shared/operations/policies.ts';
import { fileConfigStore } from '../../services/policies/config.ts';
import { allPeople, listPolicies, previewPolicy, requireIdp, updatePolicy, validatePasswordAgainst } from '../../services/policies/policy-service.ts';
import { acceptanceCsv, acceptanceReport, diffTerms, getTerms, publishTerms } from '../../services/policies/terms-service.ts';
import type { FeatureHandlers, HandlerDeps } from './types.ts';

export function policiesHandlers({ core }: HandlerDeps): FeatureHandlers<typeof policiesOps> {
  // The feature's own settings live beside the console's data (evidence/ is a folder of the data dir).
  const configStore = fileConfigStore(join(core.dataDir, 'policies.json'));
  const config = () => configStore.read(core.connections().training);
  const idp = () => requireIdp(core.connections().idp);

  return {
    'policy.list': async () => ({ policies: await listPolicies(idp()) }),

    'policy.get': async (input) => ({ policy: await idp().getPasswordPolicy(input.domain) }),

    'policy.preview': async (input, ctx) => previewPolicy(idp(), ctx.requireSession().directory, config(), input),

    'policy.update': async (input, ctx) => {
      const operator = ctx.requireSession().operator;
      const result = await updatePolicy(idp(), operator, input);
      // The intent record holds the new values; this one pins the old ones beside them, so the journal
      // alone shows which policy was in force on any date.
      core.journal.append({
        kind: 'event',
        operation: 'policy.update',
        operator,
        workstation: ctx.call.workstation,
        correlationId: ctx.correlationId,
        target: null,
        reason: input.reason,
        outcome: 'success',
        summary: {
          domain: result.policy.domain,
          fromVersion: result.previous.version,
          toVersion: result.policy.version,
          old: result.previous.settings,
          new: result.policy.settings,
        },
      });
      return result;
    },

    'policy.validatePassword': async (input) => {
      const settings = input.settings ?? (await idp().getPasswordPolicy(input.domain)).settings;
      const c = config();
      return validatePasswordAgainst(
        settings,
        input.password,
        { ...(input.username ? { username: input.username } : {}), ...(input.displayName ? { displayName: input.displayName } : {}) },
        { endpoint: c.leakedPasswordEndpoint, timeoutMs: c.leakedPasswordTimeoutMs },
      );
    },

    'policy.getConfig': async () => ({ config: config() }),

    'policy.updateConfig': async (input) => ({ config: configStore.write(input.config) }),

    'terms.get': async () => getTerms(idp()),

    'terms.diff': async (input) => diffTerms(idp(), input.from, input.to),

    'terms.publish': async (input, ctx) => {
      const operator = ctx.requireSession().operator;
      const version = await publishTerms(idp(), operator, input);
      core.journal.append({
        kind: 'event',
        operation: 'terms.publish',
        operator,
        workstation: ctx.call.workstation,
        correlationId: ctx.correlationId,
        target: null,
        reason: input.reason,
        outcome: 'success',
        summary: { version: version.version, contentHash: version.contentHash, requiresReacceptance: version.requiresReacceptance, effectiveFrom: version.effectiveFrom, content: version.content },
      });
      return { version };
    },

    'terms.acceptanceReport': async (input, ctx) => {
      const conn = core.connections();
      const people = await allPeople(ctx.requireSession().directory);
      return acceptanceReport(requireIdp(conn.idp), people, conn.idpKey, input);
    },

    'terms.exportAcceptances': async (input, ctx) => {
      const conn = core.connections();
      const people = await allPeople(ctx.requireSession().directory);
      const report = await acceptanceReport(requireIdp(conn.idp), people, conn.idpKey, input);
      const day = new Date().toISOString().slice(0, 10);
      return { filename: `vilkaar-accept-v${report.version.version}-${day}.csv`, csv: acceptanceCsv(report.version, report.rows), rows: report.rows.length };
    },
  };
}
