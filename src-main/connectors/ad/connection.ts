// Opening a connection to one of the profile's domain controllers: ldaps:// or ldap:// + StartTLS,
// the profile's CA bundle, timeouts on every step, and failover to the next DC on connection errors.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import { ConsoleError } from '../../../shared/errors.ts';
import type { AdProfile } from '../../../shared/domain/settings.ts';
import { bindFailure, describeConnectionError, isConnectionError, isLdapResultError, mapResultError, unavailable } from './errors.ts';

export interface Connected {
  client: Client;
  url: string;
  /** host[:port] for messages. */
  host: string;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    // For messages only: an address that is not a URL is quoted as typed.
    return url;
  }
}

/** Reads the CA bundle once per connection attempt, so a replaced file is picked up without restart. */
export function tlsOptionsFor(profile: AdProfile): ConnectionOptions {
  const opts: ConnectionOptions = { minVersion: 'TLSv1.2' };
  if (profile.caFile.trim() !== '') {
    try {
      opts.ca = readFileSync(profile.caFile.trim(), 'utf8');
    } catch {
      throw new ConsoleError('validation', 'CA-filen i AD-profilen kan ikke læses. Vælg PEM-filen med den CA, der har udstedt domænecontrollernes certifikater.').withKey('adCaUnreadable');
    }
  }
  return opts;
}

export function isEncrypted(url: string, profile: AdProfile): boolean {
  return new URL(url).protocol === 'ldaps:' || profile.startTls;
}

/** Destroys the client's socket at once (used when a step overruns its deadline). */
export function destroyClient(client: Client): void {
  const socket = (client as unknown as { socket?: { destroy(): void } }).socket;
  socket?.destroy();
}

/** Races a step against the profile timeout; on timeout the client is torn down so nothing lingers. */
export async function withDeadline<T>(p: Promise<T>, ms: number, client: Client): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      destroyClient(client);
      reject(new Error('Operation timed out'));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One DC: TCP (+TLS) and StartTLS when asked; no bind. Throws the raw error for the caller to classify. */
export async function openOne(url: string, profile: AdProfile, tls: ConnectionOptions): Promise<Client> {
  const u = new URL(url);
  const secure = u.protocol === 'ldaps:';
  // ldapts treats *any* tlsOptions as "connect with TLS", so for StartTLS they go to startTLS() only.
  const client = new Client({
    url,
    timeout: profile.timeoutMs,
    connectTimeout: profile.timeoutMs,
    tlsOptions: secure ? tls : undefined,
  });
  if (!secure && profile.startTls) {
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const opts: ConnectionOptions = { ...tls, host };
    if (!isIP(host)) opts.servername = host;
    await withDeadline(client.startTLS(opts), profile.timeoutMs, client);
  }
  return client;
}

export interface BindCredentials {
  name: string;
  password: string;
}

/**
 * Connect to the first DC that answers and (optionally) bind. Connection-level failures move on to
 * the next DC; an LDAP answer (wrong password, …) does not — trying the next DC would only count
 * another bad password against the account.
 */
export async function connectWithFailover(profile: AdProfile, creds: BindCredentials | null): Promise<Connected> {
  if (creds && profile.urls.some((url) => !isEncrypted(url, profile)) && !profile.allowUnencryptedBindLabOnly) {
    throw new ConsoleError(
      'validation',
      'AD-profilen bruger ldap:// uden StartTLS, så adgangskoden ville blive sendt ukrypteret. Brug ldaps:// eller slå StartTLS til.',
    ).withKey('adPlainBindRefused');
  }
  const tls = tlsOptionsFor(profile);
  const reasons: string[] = [];
  for (const url of profile.urls) {
    const host = hostOf(url);
    let client: Client | undefined;
    try {
      client = await openOne(url, profile, tls);
      if (creds) await client.bind(creds.name, creds.password);
      return { client, url, host };
    } catch (e) {
      if (client) destroyClient(client);
      if (e instanceof ConsoleError) throw e;
      if (isLdapResultError(e) && !isConnectionError(e)) {
        if (e.code === 49) throw bindFailure(e);
        throw mapResultError(e, { action: 'logge ind' });
      }
      reasons.push(describeConnectionError(e, host, profile.timeoutMs));
    }
  }
  throw unavailable(reasons);
}
