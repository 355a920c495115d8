import type { fullServiceOps, ReadinessItem, ReadinessReport } from '../../../shared/operations/fullservice.ts';
import type { PasswordPolicy } from '../../../shared/idp/password-policy.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { inScope, type Operator } from '../../../shared/roles.ts';
import { keyedError } from '../../../shared/errors.ts';
import type { Connections, FeatureService } from '../../ports.ts';
import type { PeopleIndex } from '../people/index/people-index.ts';
import type { PoliciesConfigStore } from '../../store/policies-config-store.ts';
import type { DirectorySession } from '../../connectors/directory-port.ts';
import type { Binds } from '../people/index/people-index.ts';
import { allPeople, listPolicies, peopleInScope, requireIdp } from '../policies/policy-service.ts';
import { csvDocument } from '../csv.ts';
import { adItem, floorItem, forcedChange, forcedItem, mailItems, policyItems, termsItems } from './readiness.ts';
import { floorWarnings, holdsIdentity, type HeldFacts } from '../policies/identity-floor.ts';
import { ownsPolicy } from '../policies/policy-domain.ts';
import type { AdDomain } from '../../../shared/domain/settings.ts';
import { readinessPdf } from './readiness-pdf.ts';
import { readinessText, type ReadinessLanguage } from '../../../shared/domain/readiness-text.ts';
import { bindsOf } from '../../session-binds.ts';

export interface FullServiceDeps {
  connections(): Connections;
  /** The configured AD domains: each checks the NSIS policies that are its own against its own AD. */
  domains?: () => readonly AdDomain[];
  index(): PeopleIndex;
  config: PoliciesConfigStore;
}

export function createFullServiceService(deps: FullServiceDeps): FeatureService<typeof fullServiceOps> {
  const idp = () => requireIdp(deps.connections().idp);

  /** What the people list holds of a person's identity (no extra calls). */
  const held = (id: string): HeldFacts | null => {
    const row = deps.index().row(id);
    return row ? { mitidState: row.mitid.state, nsisStatus: row.idp.nsisStatus } : null;
  };
  const hasIdentity = (p: PersonSummary): boolean => holdsIdentity(held(p.id));

  async function scopeOf(policy: PasswordPolicy, directory: DirectorySession): Promise<PersonSummary[] | null> {
    return peopleInScope(policy, await allPeople(directory), deps.config.read());
  }

  async function check(directory: DirectorySession, operator: Operator, language: ReadinessLanguage, binds: Binds = directory): Promise<ReadinessReport> {
    const words = readinessText(language).details;
    const port = idp();
    const config = deps.config.read();
    const [policies, nsis, current, templates] = await Promise.all([listPolicies(port), port.getNsisTerms(), port.getCurrentTerms(), port.listMailTemplates()]);
    let ad: Awaited<ReturnType<DirectorySession['readPasswordPolicies']>> | { error: string };
    try {
      ad = await directory.readPasswordPolicies();
    } catch (e) {
      ad = { error: e instanceof Error ? e.message : String(e) };
    }
    // The people list knows who holds an identity; give its first read a moment to bring MitID and the IdP in.
    const index = deps.index();
    try {
      await index.ensure(binds);
      const reading = () => index.sources().some((x) => x.system !== 'ad' && (x.state === 'loading' || x.state === 'not-loaded'));
      // Only a first read is waited for (at most 20 s); a check never waits for a source that has answered.
      if (reading()) await Promise.race([index.idle(), new Promise((r) => setTimeout(r, 20_000).unref())]);
    } catch {
      // The count below says unknown when the list could not be read.
    }
    let people: PersonSummary[] | null = null;
    let peopleError: string | null = null;
    try {
      people = await allPeople(directory);
    } catch (e) {
      peopleError = e instanceof Error ? e.message : String(e);
    }
    const identitiesKnown = index.sources().some((s) => (s.system === 'mitid' || s.system === 'idp') && s.state === 'ok');
    const items: ReadinessItem[] = [];
    // A list over the IdP's NSIS domains: one AD domain today, several later — each domain is checked alike.
    // Another domain's policies are checked by that domain's operators, against that domain's AD.
    const groupsOf = (domain: string) => Object.entries(config.domainGroups).find(([d]) => d.toLowerCase() === domain.toLowerCase())?.[1] ?? [];
    const nsisPolicies = policies.filter((p) => p.settings.nsis && ownsPolicy(operator, p.domain, groupsOf(p.domain), deps.domains?.() ?? []));
    for (const p of nsisPolicies) {
      items.push(...policyItems(p, language));
      items.push(adItem(p, groupsOf(p.domain), ad, language));
      const scope = people ? peopleInScope(p, people, config) : null;
      items.push(
        forcedItem(
          p,
          peopleError !== null
            ? { unknown: words.forcedAdUnreadable(peopleError) }
            : scope === null
              ? { unknown: words.forcedScopeUnknown }
              : !identitiesKnown
                ? { unknown: words.forcedNotRead }
                : forcedChange(p, scope, hasIdentity),
          language,
        ),
      );
    }
    // Domains exempt from NSIS whose people hold identities all the same: counted from the people list, as
    // the policies screen counts them (no MitID Erhverv call). An NSIS domain below the floor is already
    // not ready by its policy-length and policy-lockout items above.
    if (people && identitiesKnown) {
      const exempt = floorWarnings(policies, people, config, held, (dn) => deps.connections().idpKey(dn, '').domain || null).filter((w) => w.outside === 'not-nsis');
      items.push(...exempt.map((w) => floorItem(w, language)));
    }
    items.push(...termsItems(nsis, current, language), ...mailItems(templates, language));
    return {
      checkedAt: new Date().toISOString(),
      domains: policies.map((p) => ({ domain: p.domain, displayName: p.displayName, kind: p.kind, nsis: p.settings.nsis })),
      items,
      ready: items.every((i) => i.status === 'ok'),
    };
  }

  return {
    'readiness.check': async (input, ctx) => {
      const s = ctx.requireSession();
      return check(s.directory, s.operator, input.language, bindsOf(s));
    },

    'readiness.exportPdf': async (input, ctx) => {
      const s = ctx.requireSession();
      const { operator, directory } = s;
      const report = await check(directory, operator, input.language, bindsOf(s));
      const producer = `${operator.displayName} (${operator.username})`;
      const pdf = await readinessPdf(report, producer, input.language);
      return { filename: readinessText(input.language).pdf.filename(report.checkedAt.slice(0, 10)), pdfBase64: pdf.toString('base64'), ready: report.ready };
    },

    'readiness.exportForced': async (input, ctx) => {
      const { directory } = ctx.requireSession();
      const policy = await idp().getPasswordPolicy(input.domain);
      const scope = await scopeOf(policy, directory);
      if (scope === null) throw keyedError('validation', 'domainScopeUnknown', `Konsollen ved ikke, hvilke personer ${policy.domain} omfatter.`, { domain: policy.domain });
      const { since, people } = forcedChange(policy, scope.filter((p) => inScope(ctx.scope, p.dn)), hasIdentity);
      const x = readinessText(input.language);
      const rows = people.map((p) => [p.displayName, p.username, p.email, p.ouPath, p.passwordLastSet ? x.format.date(p.passwordLastSet) : x.csv.never, policy.domain]);
      const day = new Date().toISOString().slice(0, 10);
      return {
        filename: x.csv.filename(policy.domain, day),
        csv: csvDocument(x.csv.headers(since), rows),
        rows: rows.length,
      };
    },

    'mail.list': async () => ({ templates: await idp().listMailTemplates() }),

    'mail.update': async (input, ctx) => {
      const { operator } = ctx.requireSession();
      const { type, reason, basedOnVersion, enabled, subject, body } = input;
      const template = await idp().updateMailTemplate(type, {
        actor: { username: operator.username, displayName: operator.displayName },
        reason,
        basedOnVersion,
        ...(enabled !== undefined ? { enabled } : {}),
        ...(subject !== undefined ? { subject } : {}),
        ...(body !== undefined ? { body } : {}),
      });
      ctx.record({ operation: 'mail.update', reason, outcome: 'success', summary: { type, version: template.version, enabled: template.enabled, subject: template.subject, body: template.body } });
      return { template };
    },
  };
}
