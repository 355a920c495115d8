import { errorRef } from '../../../shared/errors.ts';
import type { policiesOps } from '../../../shared/operations/policies.ts';
import { allPeople, identitiesOfDomain, listPolicies, previewPolicy, requireIdp, updatePolicy, validatePasswordAgainst, type IdentitySources } from './policy-service.ts';
import type { PeopleIndex } from '../people/index/people-index.ts';
import { acceptanceCsv, acceptanceReport, diffTerms, getTerms, publishTerms } from './terms-service.ts';
import { inScope, type Operator } from '../../../shared/roles.ts';
import type { AdDomain } from '../../../shared/domain/settings.ts';
import type { Connections, FeatureService } from '../../ports.ts';
import type { PoliciesConfigStore } from '../../store/policies-config-store.ts';
import type { DirectorySession } from '../../connectors/directory-port.ts';
import { psoSettingsFromPolicy, weaknessesInAd } from '../../connectors/ad/pso.ts';
import type { AdWeakness } from '../../../shared/domain/policies.ts';
import { weaknessText } from '../../../shared/domain/readiness-text.ts';
import type { PasswordPolicy } from '../../../shared/idp/password-policy.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import type { PoliciesConfig } from '../../../shared/operations/policies.ts';
import { policyOfOtherDomain, requireOwnPolicy } from './policy-domain.ts';
import { runInBackground } from '../../background.ts';
import { floorWarnings, identityFloorOf } from './identity-floor.ts';
import { bindsOf } from '../../session-binds.ts';

/** Writes a domain's policy into AD as a PSO for the domain's groups; never throws (the IdP save stands). */
async function mirrorToAd(directory: DirectorySession, config: PoliciesConfig, policy: PasswordPolicy) {
  const groups = config.domainGroups[policy.domain] ?? [];
  if (!groups.length) {
    return { state: 'not-mapped' as const, message: 'Ingen AD-grupper er knyttet til dette domæne, så AD håndhæver ikke politikken.', detail: { code: 'notMapped' as const, groups: 0 }, dn: null };
  }
  try {
    const r = await directory.mirrorPasswordPolicy({ domain: policy.domain, settings: psoSettingsFromPolicy(policy.settings), appliesTo: groups });
    const detail = { code: r.created ? ('mirroredNew' as const) : ('mirroredUpdated' as const), groups: groups.length };
    return { state: 'mirrored' as const, message: `Skrevet til AD (${r.created ? 'ny' : 'opdateret'} PSO) for ${groups.length} gruppe(r).`, detail, dn: r.dn };
  } catch (e) {
    const detail = { code: 'failed' as const, groups: groups.length, error: errorRef(e) };
    return { state: 'failed' as const, message: `AD afviste politikken: ${e instanceof Error ? e.message : String(e)}`, detail, dn: null };
  }
}

export interface PoliciesServiceDeps {
  connections(): Connections;
  /** The people list: what it has already matched tells which domains issue identities, at no cost. */
  index(): PeopleIndex;
  config: PoliciesConfigStore;
  /** The environment's own leaked-password service, used instead of the configured endpoint when present. */
  leakedPasswordService?: () => { endpoint: string; ca: string } | undefined;
  /** The configured AD domains: which one a policy belongs to (none in training). */
  domains?: () => readonly AdDomain[];
}

/** Password policies (IdP, mirrored into AD) and the terms of use with versions and acceptance. */
export function createPoliciesService(deps: PoliciesServiceDeps): FeatureService<typeof policiesOps> {
  const configStore = deps.config;
  const config = () => configStore.read();
  const idp = () => requireIdp(deps.connections().idp);
  /** The IdP domain a person's AD domain corresponds to (the settings' domain list), as the IdP keys them. */
  const idpDomainOf = (dn: string) => deps.connections().idpKey(dn, '').domain || null;
  // A policy is changed and mirrored only by an operator of its own AD domain (see policy-domain.ts).
  const groupsOf = (policyDomain: string) => config().domainGroups[policyDomain] ?? [];
  const requireOwn = (operator: Operator, policyDomain: string) => requireOwnPolicy(operator, policyDomain, groupsOf(policyDomain), deps.domains?.() ?? []);
  /** The policies another domain owns, by the same decision requireOwn makes (the screen offers no save there). */
  const otherDomainOf = (operator: Operator, policies: readonly PasswordPolicy[]) =>
    Object.fromEntries(policies.flatMap((p) => {
      const owner = policyOfOtherDomain(operator, p.domain, groupsOf(p.domain), deps.domains?.() ?? []);
      return owner ? [[p.domain, owner.name]] : [];
    }));
  // Where main learns whether a domain issues MitID Erhverv identities: one MitID search, plus what the
  // people list has already matched (no extra calls).
  const identitySources = (): Omit<IdentitySources, 'people'> => {
    const conn = deps.connections();
    const index = deps.index();
    return {
      mitid: conn.mitid,
      known: (id) => {
        const row = index.row(id);
        return row ? { mitidState: row.mitid.state, nsisStatus: row.idp.nsisStatus } : null;
      },
    };
  };

  // Who lives where, for the floor warnings: one AD read per bind and minute, however often the screen
  // asks (it asks every few seconds while the people list has not read MitID Erhverv yet).
  const people = new WeakMap<DirectorySession, { at: number; list: Promise<PersonSummary[]> }>();
  const recentPeople = (directory: DirectorySession): Promise<PersonSummary[]> => {
    const kept = people.get(directory);
    if (kept && Date.now() - kept.at <= 60_000) return kept.list;
    const list = allPeople(directory);
    people.set(directory, { at: Date.now(), list });
    // A failed read is not kept: the next call reads again.
    list.catch(() => {
      if (people.get(directory)?.list === list) people.delete(directory);
    });
    return list;
  };

  return {
    'policy.list': async (_input, ctx) => {
      const policies = await listPolicies(idp());
      return { policies, otherDomain: otherDomainOf(ctx.requireSession().operator, policies) };
    },

    'policy.get': async (input) => ({ policy: await idp().getPasswordPolicy(input.domain) }),

    'policy.preview': async (input, ctx) => previewPolicy(idp(), ctx.requireSession().directory, config(), input, identitySources()),

    'policy.identities': async (input, ctx) => {
      const directory = ctx.requireSession().directory;
      const policy = await idp().getPasswordPolicy(input.domain);
      return identitiesOfDomain(policy, config(), { ...identitySources(), people: () => allPeople(directory) });
    },

    'policy.update': async (input, ctx) => {
      const { operator, directory } = ctx.requireSession();
      requireOwn(operator, input.domain);
      const result = await updatePolicy(idp(), operator, input, (policy) =>
        identitiesOfDomain(policy, config(), { ...identitySources(), people: () => allPeople(directory) }),
      );
      // The IdP's save stands on its own; AD's copy follows and, if AD refuses, can be retried alone.
      const adMirror = await mirrorToAd(directory, config(), result.policy);
      // The intent record holds the new values; this one pins the old ones beside them, so the journal
      // alone shows which policy was in force on any date.
      ctx.record({
        operation: 'policy.update',
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
      return { ...result, adMirror };
    },

    'policy.floorWarnings': async (_input, ctx) => {
      // Every domain the session holds (each under its own bind): a school domain's people count there too.
      const [policies, people] = await Promise.all([listPolicies(idp()), Promise.all(bindsOf(ctx.requireSession()).map(recentPeople)).then((l) => l.flat())]);
      // What the people list holds (its local store, refreshed by its own budgeted sync): no call to MitID
      // Erhverv or the IdP here. A list nobody has opened yet is started once, as opening it would.
      const index = deps.index();
      if (index.sources().every((s) => s.state === 'not-loaded' || s.state === 'not-configured')) runInBackground('people.sync', index.ensure(bindsOf(ctx.requireSession())));
      // Facts from an earlier complete read count (the store keeps them); none yet: the counts may be too low.
      const identitiesKnown = index.sources().some((s) => (s.system === 'mitid' || s.system === 'idp') && (s.state === 'ok' || s.loadedAt !== null));
      const held = (id: string) => {
        const row = index.row(id);
        return row ? { mitidState: row.mitid.state, nsisStatus: row.idp.nsisStatus } : null;
      };
      return { warnings: floorWarnings(policies, people, config(), held, idpDomainOf), identitiesKnown };
    },

    'policy.identityFloor': async (_input, ctx) => identityFloorOf(ctx.target?.dn ?? null, await listPolicies(idp()), config(), idpDomainOf),

    'policy.adStatus': async (input, ctx) => {
      const groups = config().domainGroups[input.domain] ?? [];
      const policy = await idp().getPasswordPolicy(input.domain);
      try {
        // Another domain's PSO is not in this bind's AD: say whose it is rather than "not mirrored".
        requireOwn(ctx.requireSession().operator, input.domain);
        const pso = await ctx.requireSession().directory.readMirroredPolicy(input.domain);
        const weaknesses: AdWeakness[] = pso ? weaknessesInAd(pso, policy.settings) : groups.length ? [{ code: 'notMirrored' }] : [];
        const weaker = weaknesses.map((w) => weaknessText(w, 'da'));
        return { groups, pso: pso as Record<string, unknown> | null, weaker, weaknesses, error: null, failure: null };
      } catch (e) {
        return { groups, pso: null, weaker: [], weaknesses: [], error: e instanceof Error ? e.message : String(e), failure: errorRef(e) };
      }
    },

    'policy.mirrorToAd': async (input, ctx) => {
      const { operator, directory } = ctx.requireSession();
      requireOwn(operator, input.domain);
      return mirrorToAd(directory, config(), await idp().getPasswordPolicy(input.domain));
    },

    'policy.validatePassword': async (input) => {
      const settings = input.settings ?? (await idp().getPasswordPolicy(input.domain)).settings;
      const c = config();
      return validatePasswordAgainst(
        settings,
        input.password,
        { ...(input.username ? { username: input.username } : {}), ...(input.displayName ? { displayName: input.displayName } : {}) },
        { ...(deps.leakedPasswordService?.() ?? { endpoint: c.leakedPasswordEndpoint }), timeoutMs: c.leakedPasswordTimeoutMs },
      );
    },

    'policy.getConfig': async () => ({ config: config() }),

    'policy.updateConfig': async (input) => ({ config: configStore.write(input.config) }),

    'terms.get': async () => getTerms(idp()),

    'terms.diff': async (input) => diffTerms(idp(), input.from, input.to),

    'terms.publish': async (input, ctx) => {
      const operator = ctx.requireSession().operator;
      const version = await publishTerms(idp(), operator, input);
      ctx.record({
        operation: 'terms.publish',
        reason: input.reason,
        outcome: 'success',
        summary: { version: version.version, contentHash: version.contentHash, requiresReacceptance: version.requiresReacceptance, effectiveFrom: version.effectiveFrom, content: version.content },
      });
      return { version };
    },

    'terms.acceptanceReport': async (input, ctx) => {
      const conn = deps.connections();
      const people = (await allPeople(ctx.requireSession().directory)).filter((p) => inScope(ctx.scope, p.dn));
      return acceptanceReport(requireIdp(conn.idp), people, conn.idpKey, input);
    },

    'terms.exportAcceptances': async (input, ctx) => {
      const conn = deps.connections();
      const people = (await allPeople(ctx.requireSession().directory)).filter((p) => inScope(ctx.scope, p.dn));
      const { language, ...query } = input;
      const report = await acceptanceReport(requireIdp(conn.idp), people, conn.idpKey, query);
      const day = new Date().toISOString().slice(0, 10);
      const name = language === 'en' ? 'terms-acceptance' : 'vilkaar-accept';
      return { filename: `${name}-v${report.version.version}-${day}.csv`, csv: acceptanceCsv(report.version, report.rows, language), rows: report.rows.length };
    },
  };
}
