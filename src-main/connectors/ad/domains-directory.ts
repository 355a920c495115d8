// Sign-in with several AD domains in settings: the typed name's UPN suffix says which domain the account
// is in. Until the people list and the roles know several domains, the console signs in to the first
// domain (the municipality's own) only; a name of another configured domain is refused before any bind,
// so its password never reaches the first domain's DCs (nor counts as a bad password there).
import { primaryDomain, signInDomainOf, type AdDomain } from '../../../shared/domain/settings.ts';
import { keyedError } from '../../../shared/errors.ts';
import { createAdDirectory, type AdDirectory } from './ad-directory.ts';

export function createDomainsDirectory(domains: readonly AdDomain[]): AdDirectory {
  const first = primaryDomain({ domains: [...domains] });
  if (!first) throw new Error('createDomainsDirectory: ingen domæner');
  const directory = createAdDirectory(first);
  return {
    kind: 'ad',
    ping: () => directory.ping(),
    async signIn(username, password) {
      const domain = signInDomainOf(username, domains);
      if (domain && domain.id !== first.id) {
        throw keyedError(
          'unauthenticated',
          'adSignInOtherDomain',
          `Kontoen hører til domænet ${domain.name}. Konsollen logger indtil videre kun ind i kommunens eget domæne; adgangskoden blev ikke sendt til nogen domænecontroller.`,
          { domain: domain.name },
        );
      }
      return directory.signIn(username, password);
    },
  };
}
