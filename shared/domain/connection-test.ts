// "Test forbindelse": what main found, as codes and values; the renderer words them in the operator's
// language (settings.testResult.* and settings.dcResult.* in both locales).
import { z } from 'zod';
import { MessageParams } from '../errors.ts';

/** Why one domain controller could not be used. */
export const dcFailures = [
  'tlsUntrusted',
  'certExpired',
  'certNotYetValid',
  'certName',
  'refused',
  'dns',
  'unreachable',
  'reset',
  'timeout',
  'busy',
  'tls',
  'failed',
] as const;
export type DcFailure = (typeof dcFailures)[number];

export const DcResultCode = z.enum([
  /** Answered over TLS with the domain's naming context. params: host, dnsHostName. */
  'ok',
  /** Answered, but for another domain: the base DN is not in its naming context. params: host, found. */
  'wrongDomain',
  /** Answered without saying which domain it serves. params: host. */
  'noNamingContext',
  /** ldap:// without StartTLS: not tried, nothing is sent unencrypted from a test. params: host. */
  'unencrypted',
  /** The address is not an ldaps:// or ldap:// URL. params: host. */
  'badUrl',
  ...dcFailures,
]);
export type DcResultCode = z.infer<typeof DcResultCode>;

export const DcResult = z.object({ url: z.string(), ok: z.boolean(), code: DcResultCode, params: MessageParams });
export type DcResult = z.infer<typeof DcResult>;

export const ConnectionTestCode = z.enum([
  /** The system answers. params: detail (Danish, the system's own words). */
  'connected',
  /** Every DC of the domain answers as that domain. params: domain, count. */
  'allDcs',
  /** Some of a domain's DCs answer (failover still works). params: ok, total. */
  'partial',
  /** No DC of the domain answers as that domain. params: total. */
  'dcsFailed',
  /** A DC answered for another domain. params: found. */
  'wrongDomain',
  /** The domain's CA file cannot be read. */
  'caUnreadable',
  /** No domain with that id is saved (removed meanwhile, or not saved yet). params: id. */
  'unknownDomain',
  /** The system is not set up. */
  'notConfigured',
  /** The system does not answer. params: detail (Danish, from the system). */
  'down',
]);
export type ConnectionTestCode = z.infer<typeof ConnectionTestCode>;

export const ConnectionTest = z.object({
  ok: z.boolean(),
  code: ConnectionTestCode,
  params: MessageParams,
  /** A domain's test: each DC in failover order. */
  dcs: z.array(DcResult).optional(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;
