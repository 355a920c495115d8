// An administrator of another domain than the municipality's own (the schools' IT) administers that domain
// in the console, not the console: their domain's entry in the settings (its DCs, base DN, CA, link rule,
// signing group, IdP domain, role groups) and nothing else. The other domains, the role mapping of the
// municipality, MitID Erhverv, the IdP, the evidence folder and the secrets are the municipality's to
// change: a school administrator who pointed the municipality's domain at another DC, or granted a group
// a role there, would step out of the domain confinement everything else keeps (shared/access.ts; the
// secrets are `municipalityOnly` in the contract).
import { isDeepStrictEqual } from 'node:util';
import type { Settings } from '../../../shared/domain/settings.ts';
import { keyedError } from '../../../shared/errors.ts';
import { settingsConfinedTo, type Operator } from '../../../shared/roles.ts';

function settingsOtherDomain(own: string) {
  return keyedError(
    'forbidden',
    'settingsOtherDomain',
    `Du er logget ind i domænet ${own} og kan kun ændre det domænes egne indstillinger. Resten ændres af kommunens administratorer.`,
    { own },
  );
}

/** Refuses a save that changes anything but the operator's own domain's entry (which must stay). */
export function requireOwnDomainSettings(operator: Operator, before: Settings, after: Settings): void {
  const own = settingsConfinedTo(operator);
  if (!own) return;
  const theirs = after.domains.find((d) => d.id === own.id);
  const untouched = { ...after, domains: after.domains.map((d) => (d.id === own.id ? before.domains.find((b) => b.id === own.id) : d)) };
  if (!theirs || !isDeepStrictEqual(untouched, before)) throw settingsOtherDomain(own.name);
}
