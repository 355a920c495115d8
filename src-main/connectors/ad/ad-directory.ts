// The real DirectoryPort: ldapts against Active Directory. Signing in binds as the operator and opens
// their session (session.ts); every operation then runs under that bind.
import { ConsoleError } from '../../../shared/errors.ts';
import { errorDetail, type AdProfile, type PingResult } from '../../../shared/domain/settings.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import type { OperatorDomain } from '../../../shared/roles.ts';
import type { DirectoryPort, DirectorySession, OperatorIdentity } from '../directory-port.ts';
import { connectWithFailover, destroyClient, type Connected } from './connection.ts';
import type { AccountFlags } from './decode.ts';
import { PAGE_SIZE, RANGE_STEP, str } from './entries.ts';
import { describeConnectionError, isConnectionError, isLdapResultError, mapResultError, unavailable, type WriteContext } from './errors.ts';
import { openAdSession } from './session.ts';
import { findSelf, parseOperatorName, resolveGroups } from './sign-in.ts';

export { flagsOf, PAGE_SIZE, peopleFilter, RANGE_STEP, readRanged, SUMMARY_ATTRS, toSummary } from './entries.ts';
export { parseOperatorName } from './sign-in.ts';

export interface AdDirectoryOptions {
  pageSize?: number;
  rangeStep?: number;
  /** Which configured domain the profile is (several domains, #19): every session carries it. */
  domain?: OperatorDomain;
}

/** A long read: cancellable between pages, reporting how many people are in so far. */
export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?(people: number): void;
}

/** What the adapter offers beyond the port: the sync engine's reads (sync/ad-source.ts), diagnostics. */
export interface AdDirectorySession extends DirectorySession {
  /** Every person under the base DN (paged search). */
  loadAllPeople(opts?: ReadOptions): Promise<PersonSummary[]>;
  /** Member DNs of a group, read with ranged retrieval. */
  listGroupMembers(groupDn: string): Promise<string[]>;
  /** All decoded account flags of one person. */
  getAccountFlags(personId: string): Promise<AccountFlags>;
  /** The DC this session is talking to right now. */
  readonly server: string;
  /**
   * Where this DC's change counter stands. USNs are per DC database: a delta is only valid against the
   * same `invocationId` (another DC, or this DC restored from a backup, has another), so a cursor keeps
   * both. `invocationId` is null when it cannot be read; `dsa` (the NTDS Settings DN) then stands in.
   */
  readSyncPoint(): Promise<{ dsa: string; invocationId: string | null; usn: number }>;
  /** People created, changed or moved on this DC after `usn`. */
  loadPeopleChangedSince(usn: number, opts?: ReadOptions): Promise<PersonSummary[]>;
  /**
   * Every person's personId (objectGUID) and nothing else: how a delta notices deletions. Tombstones in
   * CN=Deleted Objects would be cheaper, but by default only administrators may read them.
   */
  listAllIds(): Promise<string[]>;
}

export interface AdDirectory extends DirectoryPort {
  readonly kind: 'ad';
  signIn(username: string, password: string): Promise<AdDirectorySession>;
}

export function createAdDirectory(profile: AdProfile, options: AdDirectoryOptions = {}): AdDirectory {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const rangeStep = options.rangeStep ?? RANGE_STEP;
  const baseDn = profile.baseDn;
  // The server's time limit for whole-directory searches is the profile's timeout, not ldapts'
  // unstated 10 s: Samba filters the whole directory on a paged search's first page (5–10 s at
  // 100,000 people on a small DC), and raising the timeout in the profile must then be enough.
  const searchSeconds = Math.ceil(profile.timeoutMs / 1000);

  const connectionFailure = (e: unknown, host: string) => unavailable([describeConnectionError(e, host, profile.timeoutMs)]);

  const toConsoleError = (e: unknown, host: string, ctx: WriteContext): ConsoleError => {
    if (e instanceof ConsoleError) return e;
    if (isLdapResultError(e) && !isConnectionError(e)) return mapResultError(e, ctx);
    return connectionFailure(e, host);
  };

  async function signIn(username: string, password: string): Promise<AdDirectorySession> {
    // An empty password is an *anonymous* bind in LDAP, which AD accepts: never let it through.
    if (username.trim() === '' || password === '') {
      throw new ConsoleError('unauthenticated', 'Angiv brugernavn og adgangskode.').withKey('signInMissing');
    }
    if (username.length > 512 || password.length > 1024) {
      throw new ConsoleError('unauthenticated', 'Forkert brugernavn eller adgangskode (Active Directory).').withKey('adBindWrong');
    }
    const { bindName, lookup } = parseOperatorName(username, profile);
    const creds = { name: bindName, password };
    const conn: Connected = await connectWithFailover(profile, creds);
    let identity: OperatorIdentity;
    try {
      const me = await findSelf(conn.client, baseDn, lookup);
      identity = {
        dn: me.dn,
        username: str(me, 'sAMAccountName') ?? username,
        displayName: str(me, 'displayName') ?? str(me, 'cn') ?? username,
        groups: await resolveGroups(conn.client, baseDn, me.dn, pageSize),
      };
    } catch (e) {
      destroyClient(conn.client);
      throw toConsoleError(e, conn.host, { action: 'logge ind' });
    }
    return openAdSession({ profile, pageSize, rangeStep, searchSeconds, toConsoleError, domain: options.domain }, conn, creds, identity);
  }

  async function ping(): Promise<PingResult> {
    let conn: Connected;
    try {
      conn = await connectWithFailover(profile, null);
    } catch (e) {
      return { ok: false, message: e instanceof ConsoleError ? e.message : 'Active Directory svarer ikke.', detail: errorDetail(e, { code: 'noAnswer', params: {} }) };
    }
    try {
      const r = await conn.client.search('', { scope: 'base', attributes: ['dnsHostName', 'defaultNamingContext'] });
      const host = str(r.searchEntries[0] ?? { dn: '' }, 'dnsHostName') ?? conn.host;
      return { ok: true, message: `Forbundet til domænecontrolleren ${host} (${conn.host}).`, detail: { code: 'connectedDc', params: { host, address: conn.host } } };
    } catch (e) {
      const refused = toConsoleError(e, conn.host, { action: 'læse serverens oplysninger' });
      return { ok: false, message: refused.message, detail: errorDetail(refused, { code: 'noAnswer', params: {} }) };
    } finally {
      await conn.client.unbind().catch(() => destroyClient(conn.client));
    }
  }

  return { kind: 'ad', signIn, ping };
}
