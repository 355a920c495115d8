// "Test forbindelse" for one AD domain: every DC of its failover list is tried on its own (not only the
// first that answers), without a bind: TLS as the profile says, then the root DSE, whose naming context
// must hold the domain's base DN — a DC of another domain is found here, before anyone signs in.
import type { Client } from 'ldapts';
import type { ConnectionTest, DcResult } from '../../../shared/domain/connection-test.ts';
import type { AdProfile } from '../../../shared/domain/settings.ts';
import { dnIsWithin } from '../../../shared/dn.ts';
import { domainFromDn } from '../../../shared/idp/common.ts';
import { ConsoleError } from '../../../shared/errors.ts';
import { destroyClient, hostOf, isEncrypted, openOne, tlsOptionsFor, withDeadline } from './connection.ts';
import { str } from './entries.ts';
import { connectionErrorCode } from './errors.ts';

async function probeDc(url: string, profile: AdProfile, tls: ReturnType<typeof tlsOptionsFor>): Promise<DcResult> {
  const host = hostOf(url);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return { url, ok: false, code: 'badUrl', params: { host } };
  }
  if (protocol !== 'ldaps:' && protocol !== 'ldap:') return { url, ok: false, code: 'badUrl', params: { host } };
  // A test sends no password, but the console would: an unencrypted DC is a finding, not a success.
  if (!isEncrypted(url, profile)) return { url, ok: false, code: 'unencrypted', params: { host } };
  let client: Client | undefined;
  try {
    client = await openOne(url, profile, tls);
    const r = await withDeadline(client.search('', { scope: 'base', attributes: ['dnsHostName', 'defaultNamingContext'] }), profile.timeoutMs, client);
    const entry = r.searchEntries[0] ?? { dn: '' };
    const naming = str(entry, 'defaultNamingContext');
    const dnsHostName = str(entry, 'dnsHostName') ?? host;
    if (!naming) return { url, ok: false, code: 'noNamingContext', params: { host } };
    if (!dnIsWithin(profile.baseDn, naming)) return { url, ok: false, code: 'wrongDomain', params: { host, found: domainFromDn(naming) ?? naming } };
    return { url, ok: true, code: 'ok', params: { host, dnsHostName } };
  } catch (e) {
    return { url, ok: false, code: connectionErrorCode(e), params: { host, seconds: profile.timeoutMs / 1000 } };
  } finally {
    if (client) await client.unbind().catch(() => destroyClient(client!));
  }
}

/** Every DC of the domain, tried at once; the verdict says whether sign-in against it can work. */
export async function testAdDomain(profile: AdProfile): Promise<ConnectionTest> {
  let tls: ReturnType<typeof tlsOptionsFor>;
  try {
    tls = tlsOptionsFor(profile);
  } catch (e) {
    if (e instanceof ConsoleError) return { ok: false, code: 'caUnreadable', params: {} };
    throw e;
  }
  const dcs = await Promise.all(profile.urls.map((url) => probeDc(url, profile, tls)));
  const good = dcs.filter((d) => d.ok).length;
  const wrong = dcs.find((d) => d.code === 'wrongDomain');
  if (wrong) return { ok: false, code: 'wrongDomain', params: { found: wrong.params.found ?? '' }, dcs };
  if (good === 0) return { ok: false, code: 'dcsFailed', params: { total: dcs.length }, dcs };
  if (good < dcs.length) return { ok: true, code: 'partial', params: { ok: good, total: dcs.length }, dcs };
  return { ok: true, code: 'allDcs', params: { domain: domainFromDn(profile.baseDn) ?? profile.baseDn, count: good }, dcs };
}
