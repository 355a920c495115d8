// Signing an operator in: how the typed name becomes a bind name, finding their own entry, and their
// groups (tokenGroups, nested membership included) for the role mapping.
import { AndFilter, EqualityFilter, OrFilter, type Client, type Entry, type Filter } from 'ldapts';
import { keyedError } from '../../../shared/errors.ts';
import type { AdProfile } from '../../../shared/domain/settings.ts';
import { parseDn } from '../../../shared/dn.ts';
import type { DirectoryGroup } from '../directory-port.ts';
import { sidToBuffer, sidToString } from './decode.ts';
import { BINARY_ATTRS, buf, PEOPLE, str, values } from './entries.ts';

function dnsDomainOf(baseDn: string): string {
  try {
    return parseDn(baseDn)
      .map((r) => r[0])
      .filter((a) => a && a.type.toUpperCase() === 'DC')
      .map((a) => a?.value)
      .join('.');
  } catch {
    // A base DN that does not parse has no DNS domain, so no UPN suffix is derived from it.
    return '';
  }
}

/** How the operator typed their name → the bind name and how to find their own entry afterwards. */
export function parseOperatorName(input: string, profile: Pick<AdProfile, 'upnSuffix' | 'baseDn'>): { bindName: string; lookup: Filter[] } {
  const name = input.trim();
  const suffix = profile.upnSuffix.trim().replace(/^@/, '') || dnsDomainOf(profile.baseDn);
  const down = /^([^\\@]+)\\([^\\@]+)$/.exec(name);
  if (down) {
    return { bindName: name, lookup: [new EqualityFilter({ attribute: 'sAMAccountName', value: down[2] as string })] };
  }
  const upn = /^([^@]+)@([^@]+)$/.exec(name);
  if (upn) {
    return {
      bindName: name,
      lookup: [
        new EqualityFilter({ attribute: 'userPrincipalName', value: name }),
        new EqualityFilter({ attribute: 'sAMAccountName', value: upn[1] as string }),
      ],
    };
  }
  return {
    bindName: suffix ? `${name}@${suffix}` : name,
    lookup: [
      new EqualityFilter({ attribute: 'sAMAccountName', value: name }),
      new EqualityFilter({ attribute: 'userPrincipalName', value: `${name}@${suffix}` }),
    ],
  };
}

/** The operator's own entry, by the names they may have typed. */
export async function findSelf(client: Client, baseDn: string, lookup: Filter[]): Promise<Entry> {
  for (const f of lookup) {
    const res = await client.search(baseDn, {
      scope: 'sub',
      filter: new AndFilter({ filters: [...PEOPLE(), f] }),
      attributes: ['sAMAccountName', 'displayName', 'cn', 'objectGUID'],
      explicitBufferAttributes: BINARY_ATTRS,
      sizeLimit: 2,
    });
    if (res.searchEntries.length === 1) return res.searchEntries[0] as Entry;
  }
  throw keyedError('unauthenticated', 'accountNotUnderBase', 'Din konto blev ikke fundet under søgebasen i AD-profilen.');
}

/** Every group the operator is in, nested included, from tokenGroups (how roles are computed). */
export async function resolveGroups(client: Client, baseDn: string, dn: string, pageSize: number): Promise<DirectoryGroup[]> {
  const res = await client.search(dn, { scope: 'base', attributes: ['tokenGroups'], explicitBufferAttributes: BINARY_ATTRS });
  const sids = values(res.searchEntries[0] ?? { dn }, 'tokenGroups')
    .filter((v): v is Buffer => Buffer.isBuffer(v))
    .map((b) => sidToString(b));
  const found = new Map<string, DirectoryGroup>();
  for (let i = 0; i < sids.length; i += 200) {
    const chunk = sids.slice(i, i + 200);
    const r = await client.search(baseDn, {
      scope: 'sub',
      filter: new OrFilter({ filters: chunk.map((sid) => new EqualityFilter({ attribute: 'objectSid', value: sidToBuffer(sid) })) }),
      attributes: ['objectSid', 'sAMAccountName', 'cn'],
      explicitBufferAttributes: BINARY_ATTRS,
      paged: { pageSize },
    });
    for (const g of r.searchEntries) {
      const sidBuf = buf(g, 'objectSid');
      if (!sidBuf) continue;
      const sid = sidToString(sidBuf);
      found.set(sid, { sid, name: str(g, 'sAMAccountName') ?? str(g, 'cn') ?? sid, dn: g.dn });
    }
  }
  // Groups outside the base DN (other domains, well-known) still count for role mapping by SID.
  return sids.map((sid) => found.get(sid) ?? { sid, name: sid, dn: '' });
}

