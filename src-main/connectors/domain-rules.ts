// Which domain's rules apply to a person: the configured domain their DN lies in (the innermost), else the
// municipality's own (the first) — a person with no AD account, or a DN no domain claims, is the
// municipality's. One lookup, so the link rule, the signing group and the IdP's domain agree.
import { dnIsWithin } from '../../shared/dn.ts';
import { domainOfDn, type AdDomain } from '../../shared/domain/settings.ts';
import { domainFromDn } from '../../shared/idp/common.ts';
import type { LinkRule } from '../../shared/mitid/link-rule.ts';
import type { Connections, DomainRules } from '../ports.ts';

const NO_RULE: LinkRule = { kind: 'samaccountname-suffix', suffix: '', lowercase: false };

/** One set of rules for everyone: one domain (the training municipality, a console with one AD). */
export function oneDomainRules(rules: DomainRules): (dn: string | null) => DomainRules {
  return () => rules;
}

export function domainRules(domains: readonly AdDomain[]): Pick<Connections, 'rulesFor' | 'idpKey' | 'subjectDomain' | 'domainOf'> {
  const rulesOf = (d: AdDomain | undefined): DomainRules => ({ linkRule: d?.linkRule ?? NO_RULE, signingGroupDn: d?.signingGroupDn || null });
  const first = rulesOf(domains[0]);
  const all = domains.map((d) => ({ baseDn: d.baseDn, domain: d, rules: rulesOf(d) }));
  // With one domain there is nothing to choose: no DN is parsed per person.
  const of = (dn: string | null) => (dn === null || all.length < 2 ? null : domainOfDn(all, dn));
  // The suffix each other domain's link rule gives its people's subjectNameIds ("name@skole.dk").
  const suffixes = domains.slice(1).flatMap((d) => {
    const suffix = (d.linkRule.kind === 'upn' ? d.upnSuffix : d.linkRule.suffix).trim().replace(/^@/, '').toLowerCase();
    return suffix ? [{ suffix, baseDn: d.baseDn }] : [];
  });
  const subjectDomain = (subject: string) => {
    const at = subject.lastIndexOf('@');
    const suffix = at < 0 ? '' : subject.slice(at + 1).toLowerCase();
    return suffix ? (suffixes.find((x) => x.suffix === suffix)?.baseDn ?? null) : null;
  };
  const named = all.map((x) => ({ baseDn: x.baseDn, named: { id: x.domain.id, name: x.domain.name } }));
  const firstNamed = named[0]?.named ?? null;
  return {
    rulesFor: (dn) => of(dn)?.rules ?? first,
    subjectDomain,
    domainOf: (dn, subject) => {
      if (named.length < 2) return null;
      const at = dn ?? (subject ? subjectDomain(subject) : null);
      return (at !== null ? domainOfDn(named, at)?.named : null) ?? firstNamed;
    },
    // The IdP keys a person by their domain's IdP domain when one is configured, else by their DN's DNS name.
    idpKey: (dn, username) => {
      const d = all.length < 2 ? all[0] : of(dn);
      const configured = d?.domain.idpDomain;
      const holds = configured && (all.length >= 2 || dnIsWithin(dn, d.baseDn));
      return { domain: holds ? configured : (domainFromDn(dn) ?? ''), username };
    },
  };
}
