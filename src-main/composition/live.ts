// The live environment: the municipality's own AD, MitID Erhverv and IdP, as the settings name them.
import { readFileSync } from 'node:fs';
import { errorDetail, primaryDomain, roleMappingOf, type PingResult, type Settings } from '../../shared/domain/settings.ts';
import { createDomainsDirectory } from '../connectors/ad/domains-directory.ts';
import { createIdpClaimsClient } from '../connectors/idp/claims.ts';
import { createIdpClient, idpClientOptionsFromProfile } from '../connectors/idp/client.ts';
import { idpHttpFor } from '../connectors/idp/http.ts';
import { createMitIdErhvervClient, mitIdClientOptionsFromProfile } from '../connectors/mitid-erhverv/index.ts';
import { domainRules } from '../connectors/domain-rules.ts';
import { notSetUp, pingStatus, unconfiguredDirectory } from '../connectors/status.ts';
import type { Environment, IdpPort, MitIdErhvervPort } from '../ports.ts';
import { livePoliciesDefaults } from '../store/policies-config-store.ts';
import { boundSecret, type SecretStore } from '../store/settings-store.ts';

export function liveEnvironment(settings: Settings, secrets: SecretStore): Environment {
  // Sign-in binds in the domain the typed name names (a bare name: the first); the status bar, the link
  // rule and the signing group are still the first domain's.
  const ad = primaryDomain(settings);
  const directory = ad ? createDomainsDirectory(settings.domains) : unconfiguredDirectory();
  // A client that cannot be built (missing passphrase, unreadable file) must not stop the console:
  // the system is shown as down with the reason, and everything else keeps working.
  const problems: Partial<Record<'mitid' | 'idp', PingResult>> = {};
  const attempt = <T>(system: 'mitid' | 'idp', build: () => T): T | null => {
    try {
      return build();
    } catch (e) {
      problems[system] = { ok: false, message: e instanceof Error ? e.message : String(e), detail: errorDetail(e, { code: 'unusable', params: {} }) };
      return null;
    }
  };
  // A secret is used only for the address (and certificate file) it was entered for: after a change the
  // system shows as down with the reason, and the old secret is never sent to the new address.
  const secret = (key: 'mitid.p12Passphrase' | 'idp.apiKey' | 'idp.bearerToken', rebind: string): string => {
    const s = boundSecret(secrets, key, settings);
    if (s.state === 'rebind') throw new Error(rebind);
    return s.state === 'ok' ? s.value : '';
  };
  const mitidProfile = settings.mitid;
  const mitid: MitIdErhvervPort | null = mitidProfile?.p12File
    ? attempt('mitid', () =>
        createMitIdErhvervClient(
          mitIdClientOptionsFromProfile(
            mitidProfile,
            readFileSync(mitidProfile.p12File),
            secret('mitid.p12Passphrase', 'Koden til systemcertifikatet blev gemt til en anden adresse eller certifikatfil. Indtast den igen under Indstillinger – den gamle kode bruges ikke til den nye opsætning.'),
            mitidProfile.caFile ? readFileSync(mitidProfile.caFile) : undefined,
          ),
        ),
      )
    : null;
  const idpProfile = settings.idp;
  const idpOptions = () =>
    idpProfile &&
    idpClientOptionsFromProfile(
      idpProfile,
      secret(idpProfile.auth === 'bearer' ? 'idp.bearerToken' : 'idp.apiKey', 'Adgangsnøglen til Lokal IdP blev gemt til en anden adresse. Indtast den igen under Indstillinger – den gamle nøgle sendes ikke til den nye adresse.'),
      idpProfile.caFile ? readFileSync(idpProfile.caFile) : undefined,
    );
  // One HTTP stack (agent, TLS, key) for the IdP's admin API and its create claims.
  const idpHttp = idpProfile ? attempt('idp', () => idpHttpFor(idpOptions()!)) : null;
  const idp: IdpPort | null = idpHttp ? createIdpClient(idpHttp) : null;
  const createClaims = idpHttp ? createIdpClaimsClient(idpHttp) : null;
  const broken = (problem: PingResult) => ({ ping: async () => problem });
  const confirm = mitidProfile?.createConfirmation;
  return {
    isTraining: false,
    connections: {
      directory,
      idp,
      mitid,
      createClaims,
      ...domainRules(settings.domains),
      status: async () =>
        Promise.all([
          pingStatus('ad', false, ad ? directory : null, notSetUp('Active Directory er ikke sat op.')),
          pingStatus('mitid', false, problems.mitid ? broken(problems.mitid) : mitid, notSetUp('MitID Erhverv er ikke sat op.')),
          pingStatus('idp', false, problems.idp ? broken(problems.idp) : idp, notSetUp('Den lokale IdP er ikke sat op.')),
        ]),
      close: async () => {
        createClaims?.close();
        idp?.close();
        idpHttp?.close();
        await mitid?.close();
      },
    },
    roleMapping: (domainId) => (domainId !== null ? roleMappingOf(settings, domainId) : ad ? roleMappingOf(settings, ad.id) : settings.roleMapping),
    policyDefaults: livePoliciesDefaults,
    operatorCards: [],
    cacheKey: JSON.stringify([ad?.urls, ad?.baseDn, settings.mitid?.baseUrl, settings.idp?.baseUrl]),
    usesStoredSecrets: true,
    ...(confirm ? { createConfirm: { absentSearches: confirm.absentSearches, windowMs: confirm.windowSeconds * 1000 } } : {}),
  };
}
