// Seed the simulator to match the training directory, including the drift a real municipality has.
import { createHash } from 'node:crypto';
import { subjectNameIdFor, type LinkRuleInput } from '../../../shared/mitid/link-rule.ts';
import type { MitIdSimState, SimIdentity } from './state.ts';

export interface SeedPerson {
  username: string;
  givenName: string;
  surname: string;
  /** MitID Erhverv requires an e-mail: people without one get no identity. */
  email: string | null;
  /** Omitted: a fictitious CPR derived from the username (the directory has no CPR). */
  cpr?: string | null;
  /** userPrincipalName, for a UPN link rule. */
  upn?: string | null;
}

export interface MitIdSeedOptions {
  people: readonly SeedPerson[];
  linkRule: LinkRuleInput;
  /** Which people have an identity at all (default: everyone). */
  include?: (p: SeedPerson, index: number) => boolean;
  /**
   * People counted as included (so every other person's signing flag and drift case stay as they were)
   * but not given an identity yet: the training municipality's new hires.
   */
  notYet?: (p: SeedPerson) => boolean;
  /** How many of each drift case to make (default one each); people are picked deterministically. */
  drift?: {
    suspendedWhileActive?: number;
    withoutLocalCredential?: number;
    staleSubjectNameId?: number;
    onlyInMitId?: number;
  };
  /** Share of the seeded people allowed to sign on behalf of the organisation. */
  allowSigningShare?: number;
  /**
   * Another AD domain's people (the schools'), added to the identities already there instead of replacing
   * them: their uuids and CPR numbers are made under this name, so a username both domains have never
   * gives one identity twice.
   */
  addDomain?: string;
}

export interface MitIdSeedReport {
  identities: number;
  /** username → identity uuid */
  byUsername: Map<string, string>;
  drift: {
    suspendedWhileActive: string[];
    withoutLocalCredential: string[];
    staleSubjectNameId: string[];
    /** uuids of identities with no person in the directory */
    onlyInMitId: string[];
  };
}

function uniqueCpr(p: SeedPerson, used: Set<string>): string | null {
  if (p.cpr === null) return null;
  let cpr = p.cpr ?? fictitiousCpr(p.username);
  // MitID Erhverv refuses a second identity for the same person: keep the seed consistent with that.
  for (let n = 1; used.has(cpr); n++) cpr = fictitiousCpr(`${p.username}#${n}`);
  used.add(cpr);
  return cpr;
}

/** Stable uuid per key, so the training municipality looks the same on every start. */
function stableUuid(key: string): string {
  const h = createHash('sha256').update(`mitid-sim:${key}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x40;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * A fictitious, stable CPR number for a key: day 61–91 is never issued, like the test persons of the
 * integration environment.
 */
export function fictitiousCpr(key: string): string {
  const h = createHash('sha256').update(`cpr:${key}`).digest();
  const day = 61 + ((h[0] ?? 0) % 31);
  const month = 1 + ((h[1] ?? 0) % 12);
  const year = (h[2] ?? 0) % 100;
  const serial = ((h[3] ?? 0) << 8) | (h[4] ?? 0);
  return `${day}${String(month).padStart(2, '0')}${String(year).padStart(2, '0')}${String(serial % 10000).padStart(4, '0')}`;
}

/** Replace the simulator's identities with the given people (the create counter is not touched). */
export function seedMitIdSimulator(state: MitIdSimState, opts: MitIdSeedOptions): MitIdSeedReport {
  const drift = {
    suspendedWhileActive: opts.drift?.suspendedWhileActive ?? 1,
    withoutLocalCredential: opts.drift?.withoutLocalCredential ?? 1,
    staleSubjectNameId: opts.drift?.staleSubjectNameId ?? 1,
    onlyInMitId: opts.drift?.onlyInMitId ?? 1,
  };
  if (opts.addDomain === undefined) state.identities.clear();
  const keyOf = (username: string) => (opts.addDomain === undefined ? username : `${opts.addDomain}/${username}`);
  const report: MitIdSeedReport = {
    identities: 0,
    byUsername: new Map(),
    drift: { suspendedWhileActive: [], withoutLocalCredential: [], staleSubjectNameId: [], onlyInMitId: [] },
  };
  const included = opts.people.filter((p, i) => !!p.email && (opts.include ? opts.include(p, i) : true));
  const usedCpr = new Set<string>([...state.identities.values()].flatMap((i) => (i.cprNumber ? [i.cprNumber] : [])));
  // Drift cases are taken from the end of the list, far from the people a newcomer tends to open first…
  // …but deterministic, so the training notes can name them.
  let cursor = included.length - 1;
  const pick = (n: number, into: string[]): Set<string> => {
    const out = new Set<string>();
    for (let k = 0; k < n && cursor >= 0; k++, cursor--) {
      const p = included[cursor];
      if (p && opts.notYet?.(p)) {
        k--;
        continue;
      }
      if (p) {
        out.add(p.username);
        into.push(p.username);
      }
    }
    return out;
  };
  const suspended = pick(drift.suspendedWhileActive, report.drift.suspendedWhileActive);
  const noCredential = pick(drift.withoutLocalCredential, report.drift.withoutLocalCredential);
  const stale = pick(drift.staleSubjectNameId, report.drift.staleSubjectNameId);
  const signingEvery = opts.allowSigningShare && opts.allowSigningShare > 0 ? Math.round(1 / opts.allowSigningShare) : 0;

  included.forEach((p, index) => {
    if (opts.notYet?.(p)) return;
    const sni = subjectNameIdFor({ sAMAccountName: p.username, userPrincipalName: p.upn ?? null }, opts.linkRule);
    const identity: SimIdentity = state.insert({
      uuid: stableUuid(keyOf(p.username)),
      givenName: p.givenName,
      surname: p.surname,
      emailAddress: p.email ?? '',
      cprNumber: uniqueCpr({ ...p, username: keyOf(p.username) }, usedCpr),
      status: suspended.has(p.username) ? 'Suspended' : 'Active',
      allowSigning: signingEvery > 0 && index % signingEvery === 0,
    });
    if (!noCredential.has(p.username) && sni) {
      // A renamed account keeps its old registration in MitID Erhverv until someone fixes it.
      const id = stale.has(p.username) ? `${p.username}.gammel${sni.includes('@') ? sni.slice(sni.indexOf('@')) : ''}` : sni;
      identity.authenticators.push(state.newAuthenticator('LocalIdentityProvider', id));
    }
    report.byUsername.set(p.username, identity.uuid);
    report.identities++;
  });

  for (let k = 0; k < drift.onlyInMitId; k++) {
    const identity = state.insert({
      uuid: stableUuid(`only-in-mitid-${k}`),
      givenName: k === 0 ? 'Ulla' : `Ulla ${k + 1}`,
      surname: 'Udenforstående',
      emailAddress: `ulla.udenfor${k === 0 ? '' : k + 1}@eksempel.invalid`,
      cprNumber: uniqueCpr({ username: `only-in-mitid-${k}`, givenName: '', surname: '', email: null }, usedCpr),
    });
    identity.authenticators.push(state.newAuthenticator('LocalIdentityProvider', `ukendt${k + 1}`));
    report.drift.onlyInMitId.push(identity.uuid);
    report.identities++;
  }
  return report;
}
