// Sign-in with several AD domains in settings (#19): the typed name's UPN suffix says which domain the
// account is in (a bare or down-level name: the first domain, the municipality's own), and the bind goes
// to that domain's DCs only, so a password is never tried against another domain's DC (nor counts as a
// bad password there). The session carries its domain: its reads stay in that domain, and the roles come
// from that domain's role mapping.
import { dnIsWithin } from '../../../shared/dn.ts';
import { primaryDomain, signInDomainOf, type AdDomain } from '../../../shared/domain/settings.ts';
import type { OperatorDomain } from '../../../shared/roles.ts';
import type { DirectorySession } from '../directory-port.ts';
import { createAdDirectory, type AdDirectory, type AdDirectoryOptions } from './ad-directory.ts';

/** What an operator and a session say about a configured domain (and which other domains lie inside it). */
export function operatorDomainOf(domain: AdDomain, first: AdDomain, all: readonly AdDomain[] = []): OperatorDomain {
  const nested = all.filter((d) => d.id !== domain.id && dnIsWithin(d.baseDn, domain.baseDn)).map((d) => d.baseDn);
  return { id: domain.id, name: domain.name, baseDn: domain.baseDn, primary: domain.id === first.id, nested };
}

/**
 * Sign-in routed to the typed name's domain (signInDomainOf; a bare name: the first): only that domain's
 * own directory is asked. `byId` holds one directory per configured domain.
 */
export function signInByDomain<S extends DirectorySession>(
  domains: readonly AdDomain[],
  byId: ReadonlyMap<string, { signIn(username: string, password: string): Promise<S> }>,
): (username: string, password: string) => Promise<S> {
  const first = primaryDomain({ domains: [...domains] });
  return async (username, password) => {
    const domain = signInDomainOf(username, domains) ?? first;
    // Ids are unique (settings schema); a miss is a bug, never a reason to try another domain's DCs.
    const directory = domain ? byId.get(domain.id) : undefined;
    if (!directory) throw new Error(`createDomainsDirectory: domænet ${domain?.id ?? '?'} mangler`);
    return directory.signIn(username, password);
  };
}

export function createDomainsDirectory(domains: readonly AdDomain[], options: Omit<AdDirectoryOptions, 'domain'> = {}): AdDirectory {
  const first = primaryDomain({ domains: [...domains] });
  if (!first) throw new Error('createDomainsDirectory: ingen domæner');
  // One adapter per domain, each knowing only its own DCs; building one opens no connection.
  const byId = new Map(domains.map((d) => [d.id, createAdDirectory(d, { ...options, domain: operatorDomainOf(d, first, domains) })]));
  const firstDirectory = byId.get(first.id)!;
  const signIn = signInByDomain(domains, byId);
  return {
    kind: 'ad',
    // The status bar's AD is the municipality's own; the others are tested from Indstillinger.
    ping: () => firstDirectory.ping(),
    signIn,
  };
}
