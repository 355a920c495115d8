// The real DirectoryPort: ldapts against Active Directory. Every operation runs under the operator's
// own bind, so AD's delegation decides what each person may change.
import { AndFilter, Attribute, Change, EqualityFilter, GreaterThanEqualsFilter, OrFilter, PresenceFilter, SubstringFilter, type Client, type Entry, type Filter } from 'ldapts';
import { ConsoleError } from '../../../shared/errors.ts';
import { inScope } from '../../../shared/roles.ts';
import type { AdProfile } from '../../../shared/domain/settings.ts';
import type { Person, PersonSummary } from '../../../shared/domain/person.ts';
import type { DirectoryGroup, DirectoryPort, DirectorySession, MirroredPolicySpec, OperatorIdentity, PasswordPolicy, PeopleQuery } from '../directory-port.ts';
import { connectWithFailover, destroyClient, type Connected } from './connection.ts';
import { decodeAccountFlags, encodeUnicodePwd, fileTimeToIso, guidToBuffer, guidToString, intervalToMinutes, isGuid, sidToBuffer, sidToString, type AccountFlags } from './decode.ts';
import { describeConnectionError, isConnectionError, isLdapResultError, mapResultError, unavailable, type WriteContext } from './errors.ts';
import { groupNameOf, ouPathOf, parseDn, rdn } from '../../../shared/dn.ts';
import { rankPeople } from '../../../shared/search.ts';
import { psoContainer, psoNameFor, readPso as readPsoSettings, writePso } from './pso.ts';

/** Precedence of the console's PSOs: below (stronger than) typical hand-made ones at 10 and above. */
const PSO_PRECEDENCE = 5;

/** AD's default MaxPageSize. */
export const PAGE_SIZE = 1000;
/** AD's default MaxValRange: values per ranged read of a multi-valued attribute. */
export const RANGE_STEP = 1500;
/** No AD name, mail or number attribute is longer than this, so longer search text cannot match. */
const MAX_SEARCH_TEXT = 256;
const MAX_SEARCH_WORDS = 6;

export const SUMMARY_ATTRS = [
  'objectGUID', 'sAMAccountName', 'userPrincipalName', 'displayName', 'cn', 'givenName', 'sn', 'mail', 'employeeID',
  'employeeNumber', 'userAccountControl', 'msDS-User-Account-Control-Computed', 'pwdLastSet', 'accountExpires',
];
const PERSON_ATTRS = [...SUMMARY_ATTRS, 'title', 'department', 'memberOf', 'lastLogonTimestamp', 'badPwdCount', 'lockoutTime'];
const BINARY_ATTRS = ['objectGUID', 'objectSid', 'tokenGroups'];

const PEOPLE = (): Filter[] => [
  new EqualityFilter({ attribute: 'objectCategory', value: 'person' }),
  new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
];

// ---------------------------------------------------------------- entry helpers

function values(e: Entry, name: string): Array<string | Buffer> {
  const lower = name.toLowerCase();
  for (const key of Object.keys(e)) {
    if (key.toLowerCase() !== lower) continue;
    const v = e[key];
    if (v === undefined) return [];
    return Array.isArray(v) ? v : [v];
  }
  return [];
}

function str(e: Entry, name: string): string | null {
  const v = values(e, name)[0];
  if (v === undefined) return null;
  return Buffer.isBuffer(v) ? v.toString('utf8') : v;
}

function strs(e: Entry, name: string): string[] {
  return values(e, name).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

function buf(e: Entry, name: string): Buffer | null {
  const v = values(e, name)[0];
  if (v === undefined) return null;
  return Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8');
}

function safeOuPath(dn: string): string {
  try {
    return ouPathOf(dn);
  } catch {
    return '';
  }
}

export function flagsOf(e: Entry): AccountFlags {
  return decodeAccountFlags(str(e, 'userAccountControl'), str(e, 'msDS-User-Account-Control-Computed'));
}

export function toSummary(e: Entry): PersonSummary {
  const guid = buf(e, 'objectGUID');
  const flags = flagsOf(e);
  const pwdLastSet = str(e, 'pwdLastSet');
  const username = str(e, 'sAMAccountName') ?? '';
  return {
    id: guid && guid.length === 16 ? guidToString(guid) : '',
    dn: e.dn,
    username,
    displayName: str(e, 'displayName') ?? str(e, 'cn') ?? username,
    givenName: str(e, 'givenName'),
    surname: str(e, 'sn'),
    email: str(e, 'mail'),
    employeeId: str(e, 'employeeID') ?? str(e, 'employeeNumber'),
    ouPath: safeOuPath(e.dn),
    enabled: !flags.disabled,
    locked: flags.lockedOut,
    passwordLastSet: fileTimeToIso(pwdLastSet),
    accountExpires: fileTimeToIso(str(e, 'accountExpires')),
    // "Must change at next logon" is pwdLastSet = 0, which AD ignores when the password never expires.
    mustChangePassword: pwdLastSet === '0' && !flags.passwordNeverExpires,
    passwordNeverExpires: flags.passwordNeverExpires,
  };
}



// ---------------------------------------------------------------- search ranking

/** One collator: localeCompare with a locale builds a new one per call, which is slow on big lists. */
const collator = new Intl.Collator('da');


/** The LDAP filter for a free-text person search: every word must match one of the searchable attributes. */
export function peopleFilter(text: string): Filter {
  const words = text.trim().split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS);
  if (words.length === 0) return new AndFilter({ filters: PEOPLE() });
  const perWord = words.map(
    (w) =>
      new OrFilter({
        filters: [
          new EqualityFilter({ attribute: 'sAMAccountName', value: w }),
          new SubstringFilter({ attribute: 'sAMAccountName', any: [w] }),
          new SubstringFilter({ attribute: 'displayName', any: [w] }),
          new SubstringFilter({ attribute: 'givenName', initial: w }),
          new SubstringFilter({ attribute: 'sn', initial: w }),
          new SubstringFilter({ attribute: 'mail', any: [w] }),
          new SubstringFilter({ attribute: 'userPrincipalName', initial: w }),
          new SubstringFilter({ attribute: 'employeeID', initial: w }),
          new EqualityFilter({ attribute: 'employeeNumber', value: w }),
        ],
      }),
  );
  return new AndFilter({ filters: [...PEOPLE(), ...perWord] });
}

/** Search text that cannot match anything: too long for any AD attribute, or with a NUL byte. */
function hopelessSearch(text: string): boolean {
  return text.length > MAX_SEARCH_TEXT || text.includes('\0');
}

// ---------------------------------------------------------------- ranged retrieval

interface RangePart {
  high: number | '*';
  values: string[];
}

function rangePart(e: Entry, attr: string): RangePart | null {
  const re = new RegExp(`^${attr.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')};range=(\\d+)-(\\d+|\\*)$`, 'i');
  let best: RangePart | null = null;
  for (const key of Object.keys(e)) {
    const m = re.exec(key);
    if (!m) continue;
    const vals = strs(e, key);
    const part: RangePart = { high: m[2] === '*' ? '*' : Number(m[2]), values: vals };
    // ldapts adds every requested attribute name with [] when the server answered under another name.
    if (!best || (best.values.length === 0 && (vals.length > 0 || part.high === '*'))) best = part;
  }
  return best;
}

/**
 * All values of a multi-valued attribute, read in ranges (attr;range=low-high) the way AD hands out
 * large ones (more than MaxValRange values). Works whether or not the server enforces ranges.
 */
export async function readRanged(client: Client, dn: string, attr: string, step = RANGE_STEP): Promise<string[]> {
  const out: string[] = [];
  let low = 0;
  for (;;) {
    const res = await client.search(dn, {
      scope: 'base',
      filter: new PresenceFilter({ attribute: 'objectClass' }),
      attributes: [`${attr};range=${low}-${low + step - 1}`],
    });
    const e = res.searchEntries[0];
    if (!e) return out;
    const part = rangePart(e, attr);
    if (!part) {
      // No ranged answer: the attribute is empty, or the server returned it whole.
      if (low === 0) out.push(...strs(e, attr));
      return out;
    }
    out.push(...part.values);
    if (part.high === '*' || part.values.length === 0) return out;
    low = part.high + 1;
  }
}

// ---------------------------------------------------------------- the adapter

export interface AdDirectoryOptions {
  pageSize?: number;
  rangeStep?: number;
}

/** What the AD adapter offers beyond the port (tests, benchmark, diagnostics). */
export interface AdDirectorySession extends DirectorySession {
  /** Every person under the base DN (paged search). */
  loadAllPeople(): Promise<PersonSummary[]>;
  /** Member DNs of a group, read with ranged retrieval. */
  listGroupMembers(groupDn: string): Promise<string[]>;
  /** All decoded account flags of one person. */
  getAccountFlags(personId: string): Promise<AccountFlags>;
  /** The DC this session is talking to right now. */
  readonly server: string;
  /**
   * Where this DC's change counter stands. USNs are per DC: a delta is only valid against the same
   * `dsa` (the DC's NTDS Settings object), so a cache keeps both.
   */
  readSyncPoint(): Promise<{ dsa: string; usn: number }>;
  /** People created, changed or moved on this DC after `usn`. */
  loadPeopleChangedSince(usn: number): Promise<PersonSummary[]>;
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

function dnsDomainOf(baseDn: string): string {
  try {
    return parseDn(baseDn)
      .map((r) => r[0])
      .filter((a) => a && a.type.toUpperCase() === 'DC')
      .map((a) => a?.value)
      .join('.');
  } catch {
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

  async function findSelf(client: Client, lookup: Filter[]): Promise<Entry> {
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
    throw new ConsoleError('unauthenticated', 'Din konto blev ikke fundet under søgebasen i AD-profilen.');
  }

  async function resolveGroups(client: Client, dn: string): Promise<DirectoryGroup[]> {
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

  async function signIn(username: string, password: string): Promise<AdDirectorySession> {
    // An empty password is an *anonymous* bind in LDAP, which AD accepts: never let it through.
    if (username.trim() === '' || password === '') {
      throw new ConsoleError('unauthenticated', 'Angiv brugernavn og adgangskode.');
    }
    if (username.length > 512 || password.length > 1024) {
      throw new ConsoleError('unauthenticated', 'Forkert brugernavn eller adgangskode (Active Directory).');
    }
    const { bindName, lookup } = parseOperatorName(username, profile);
    const creds = { name: bindName, password };
    let conn: Connected = await connectWithFailover(profile, creds);
    let identity: OperatorIdentity;
    try {
      const me = await findSelf(conn.client, lookup);
      identity = {
        dn: me.dn,
        username: str(me, 'sAMAccountName') ?? username,
        displayName: str(me, 'displayName') ?? str(me, 'cn') ?? username,
        groups: await resolveGroups(conn.client, me.dn),
      };
    } catch (e) {
      destroyClient(conn.client);
      throw toConsoleError(e, conn.host, { action: 'logge ind' });
    }
    let closed = false;
    let reconnecting: Promise<Connected> | null = null;

    /**
     * The bound client. After a dropped connection (AD's idle timeout, a DC restart) bind again, with
     * failover; that is why the session keeps the operator's password in this closure until close().
     */
    async function client(): Promise<Connected> {
      if (closed) throw new ConsoleError('unauthenticated', 'Sessionen mod Active Directory er lukket. Log ind igen.');
      if (conn.client.isBound) return conn;
      // Calls that arrive together share one reconnect instead of each opening a connection.
      reconnecting ??= (async () => {
        destroyClient(conn.client);
        try {
          conn = await connectWithFailover(profile, creds);
          return conn;
        } finally {
          reconnecting = null;
        }
      })();
      return reconnecting;
    }

    async function run<T>(ctx: WriteContext, fn: (c: Client) => Promise<T>): Promise<T> {
      const c = await client();
      try {
        return await fn(c.client);
      } catch (e) {
        const mapped = toConsoleError(e, c.host, ctx);
        // A broken connection is thrown away; the next call connects again (possibly to another DC).
        if (mapped.code === 'unavailable-ad') destroyClient(c.client);
        throw mapped;
      }
    }

    async function findPerson(c: Client, personId: string, attributes: string[]): Promise<Entry> {
      if (!isGuid(personId)) throw new ConsoleError('not-found', 'Personen findes ikke i Active Directory.', { personId });
      const res = await c.search(baseDn, {
        scope: 'sub',
        filter: new AndFilter({ filters: [...PEOPLE(), new EqualityFilter({ attribute: 'objectGUID', value: guidToBuffer(personId) })] }),
        attributes,
        explicitBufferAttributes: BINARY_ATTRS,
        sizeLimit: 2,
      });
      const e = res.searchEntries[0];
      if (!e) throw new ConsoleError('not-found', 'Personen findes ikke i Active Directory.', { personId });
      return e;
    }

    /**
     * Every matching person. The next page is asked for before this one is decoded, so decoding
     * overlaps the DC's work on the next page instead of adding to the total (1.5 s at 100,000
     * people), and a page's raw entries are garbage once decoded rather than all held to the end.
     */
    async function loadPeople(c: Client, filter: Filter): Promise<PersonSummary[]> {
      const pages = c.searchPaginated(baseDn, {
        scope: 'sub',
        filter,
        attributes: SUMMARY_ATTRS,
        explicitBufferAttributes: BINARY_ATTRS,
        paged: { pageSize },
        timeLimit: searchSeconds,
      });
      const people: PersonSummary[] = [];
      let next = pages.next();
      for (;;) {
        const page = await next;
        if (page.done) return people;
        next = pages.next();
        try {
          for (const e of page.value.searchEntries) people.push(toSummary(e));
        } catch (err) {
          // Not expected (toSummary does not throw), but never leave the next page's request dangling.
          await next.catch(() => undefined);
          throw err;
        }
      }
    }

    const byName = (a: PersonSummary, b: PersonSummary) => collator.compare(a.displayName, b.displayName) || collator.compare(a.username, b.username);

    function validGroupDn(groupDn: string): string {
      try {
        if (parseDn(groupDn).length === 0) throw new Error('tomt');
      } catch {
        throw new ConsoleError('validation', 'Gruppens DN er ikke et gyldigt DN.');
      }
      return groupDn;
    }

    async function isMember(c: Client, groupDn: string, memberDn: string): Promise<boolean> {
      const res = await c.search(groupDn, {
        scope: 'base',
        filter: new EqualityFilter({ attribute: 'member', value: memberDn }),
        attributes: ['1.1'],
      });
      return res.searchEntries.length > 0;
    }

    const session: AdDirectorySession = {
      identity,
      get server() {
        return conn.host;
      },

      async searchPeople(q: PeopleQuery) {
        const limit = Math.max(0, Math.floor(q.limit));
        const text = q.text.trim();
        if (hopelessSearch(text)) return { items: [], total: 0 };
        const filter = peopleFilter(text);
        const found = await run({ action: 'søge efter personer' }, (c) => loadPeople(c, filter));
        const people = q.within ? found.filter((p) => inScope(q.within ?? null, p.dn)) : found;
        if (text === '') {
          people.sort(byName);
          return { items: people.slice(0, limit), total: people.length };
        }
        // AD's filter found the candidates; the console's one ranking orders them (and drops any the folded
        // match would not find, so this search and the people list agree).
        const ranked = rankPeople(people, text, byName);
        return { items: ranked.slice(0, limit), total: ranked.length };
      },

      async readSyncPoint() {
        return run({ action: 'læse domænecontrollerens ændringstæller' }, async (c) => {
          const r = await c.search('', { scope: 'base', attributes: ['highestCommittedUSN', 'dsServiceName'] });
          const e = r.searchEntries[0] ?? { dn: '' };
          return { dsa: str(e, 'dsServiceName') ?? '', usn: Number(str(e, 'highestCommittedUSN') ?? 0) };
        });
      },

      async loadPeopleChangedSince(usn: number) {
        const filter = new AndFilter({ filters: [...PEOPLE(), new GreaterThanEqualsFilter({ attribute: 'uSNChanged', value: String(Math.floor(usn) + 1) })] });
        return run({ action: 'hente ændrede personer' }, (c) => loadPeople(c, filter));
      },

      async listAllIds() {
        return run({ action: 'hente personernes id' }, async (c) => {
          const res = await c.search(baseDn, {
            scope: 'sub',
            filter: new AndFilter({ filters: PEOPLE() }),
            attributes: ['objectGUID'],
            explicitBufferAttributes: BINARY_ATTRS,
            paged: { pageSize },
            timeLimit: searchSeconds,
          });
          return res.searchEntries.map((e) => buf(e, 'objectGUID')).filter((g): g is Buffer => !!g && g.length === 16).map(guidToString);
        });
      },

      async loadAllPeople() {
        return run({ action: 'hente personer' }, (c) => loadPeople(c, new AndFilter({ filters: PEOPLE() })));
      },

      async getPerson(personId: string): Promise<Person> {
        return run({ action: 'hente personen', subject: 'Personen' }, async (c) => {
          const e = await findPerson(c, personId, PERSON_ATTRS);
          let memberOf = strs(e, 'memberOf');
          // A person in very many groups gets memberOf in ranges, like a big group's member.
          if (Object.keys(e).some((k) => /^memberOf;range=/i.test(k))) memberOf = await readRanged(c, e.dn, 'memberOf', rangeStep);
          const badPwd = str(e, 'badPwdCount');
          return {
            ...toSummary(e),
            title: str(e, 'title'),
            department: str(e, 'department'),
            groups: memberOf.map(groupNameOf).sort(collator.compare),
            lastLogon: fileTimeToIso(str(e, 'lastLogonTimestamp')),
            badPasswordCount: badPwd !== null && /^\d+$/.test(badPwd) ? Number(badPwd) : null,
            lockoutTime: fileTimeToIso(str(e, 'lockoutTime')),
          };
        });
      },

      async getAccountFlags(personId: string) {
        return run({ action: 'hente personen', subject: 'Personen' }, async (c) => flagsOf(await findPerson(c, personId, SUMMARY_ATTRS)));
      },

      async listGroupMembers(groupDn: string) {
        validGroupDn(groupDn);
        return run({ action: 'læse gruppens medlemmer', subject: 'Gruppen' }, async (c) => {
          const exists = await c.search(groupDn, { scope: 'base', attributes: ['1.1'] });
          if (exists.searchEntries.length === 0) throw new ConsoleError('not-found', 'Gruppen findes ikke i Active Directory.');
          return readRanged(c, groupDn, 'member', rangeStep);
        });
      },

      async unlockAccount(personId: string) {
        await run({ action: 'låse kontoen op', subject: 'Personen' }, async (c) => {
          const e = await findPerson(c, personId, ['1.1']);
          await c.modify(e.dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'lockoutTime', values: ['0'] }) }));
        });
      },

      async resetPassword(personId: string, newPassword: string, mustChange: boolean) {
        if (newPassword === '' || newPassword.length > 256) {
          throw new ConsoleError('validation', 'Adgangskoden skal være mellem 1 og 256 tegn.');
        }
        await run({ action: 'nulstille adgangskoden', subject: 'Personen' }, async (c) => {
          const e = await findPerson(c, personId, ['1.1']);
          // One modify request, so the password and the must-change flag are applied together or not at all.
          await c.modify(e.dn, [
            new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(newPassword)] }) }),
            new Change({ operation: 'replace', modification: new Attribute({ type: 'pwdLastSet', values: [mustChange ? '0' : '-1'] }) }),
          ]);
        });
      },

      async setEnabled(personId: string, enabled: boolean) {
        await run({ action: enabled ? 'aktivere kontoen' : 'deaktivere kontoen', subject: 'Personen' }, async (c) => {
          const e = await findPerson(c, personId, ['userAccountControl']);
          const raw = str(e, 'userAccountControl');
          if (raw === null) throw new ConsoleError('forbidden', 'Du kan ikke læse kontoens status (userAccountControl) i Active Directory.');
          const old = Number.parseInt(raw, 10) >>> 0;
          const next = enabled ? old & ~0x2 : old | 0x2;
          if (next === old) return;
          // "Expect old value": delete the value we read and add the new one in one request, so an
          // operator working from a stale read gets a conflict instead of overwriting another's change.
          await c.modify(e.dn, [
            new Change({ operation: 'delete', modification: new Attribute({ type: 'userAccountControl', values: [raw] }) }),
            new Change({ operation: 'add', modification: new Attribute({ type: 'userAccountControl', values: [String(next | 0)] }) }),
          ]);
        });
      },

      async addToGroup(personId: string, groupDn: string) {
        validGroupDn(groupDn);
        await run({ action: 'ændre gruppens medlemmer', subject: 'Personen eller gruppen' }, async (c) => {
          const e = await findPerson(c, personId, ['1.1']);
          try {
            await c.modify(groupDn, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [e.dn] }) }));
          } catch (err) {
            // Already a member (68 entryAlreadyExists / 20 attributeOrValueExists): the goal is reached.
            if (isLdapResultError(err) && (err.code === 68 || err.code === 20)) return;
            throw err;
          }
        });
      },

      async removeFromGroup(personId: string, groupDn: string) {
        validGroupDn(groupDn);
        await run({ action: 'ændre gruppens medlemmer', subject: 'Personen eller gruppen' }, async (c) => {
          const e = await findPerson(c, personId, ['1.1']);
          try {
            await c.modify(groupDn, new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [e.dn] }) }));
          } catch (err) {
            // AD answers "unwilling" (53) or "no such attribute" (16) for a non-member: the goal is reached.
            if (isLdapResultError(err) && (err.code === 53 || err.code === 16) && !(await isMember(c, groupDn, e.dn))) return;
            throw err;
          }
        });
      },

      async mirrorPasswordPolicy(spec: MirroredPolicySpec) {
        return run({ action: 'skrive adgangskodepolitikken (PSO) i AD' }, (c) =>
          writePso(c, baseDn, { name: psoNameFor(spec.domain), precedence: PSO_PRECEDENCE, settings: spec.settings, appliesTo: spec.appliesTo }),
        );
      },

      async readMirroredPolicy(domain: string) {
        return run({ action: 'læse adgangskodepolitikken (PSO) i AD' }, async (c) => {
          const pso = await readPsoSettings(c, `${rdn('CN', psoNameFor(domain))},${psoContainer(baseDn)}`);
          if (!pso) return null;
          const { precedence: _p, ...rest } = pso;
          return rest;
        });
      },

      async getResultantPasswordPolicy(personId: string): Promise<PasswordPolicy> {
        return run({ action: 'læse adgangskodepolitikken', subject: 'Personen' }, async (c) => {
          const e = await findPerson(c, personId, ['1.1']);
          const r = await c.search(e.dn, { scope: 'base', attributes: ['msDS-ResultantPSO'] });
          const psoDn = str(r.searchEntries[0] ?? { dn: '' }, 'msDS-ResultantPSO');
          if (psoDn) return readPso(c, psoDn);
          return readDomainPolicy(c);
        });
      },

      async close() {
        if (closed) return;
        closed = true;
        try {
          await conn.client.unbind();
        } catch {
          destroyClient(conn.client);
        }
      },
    };
    return session;
  }

  /** Max ages: 0 and "never" both mean no expiry. */
  const days = (minutes: number | null) => (minutes === null || minutes === 0 ? null : Math.round(minutes / 1440));
  const wholeDays = (minutes: number | null) => (minutes === null ? null : Math.round(minutes / 1440));
  const int = (v: string | null) => (v !== null && /^-?\d+$/.test(v) ? Number(v) : null);

  async function readPso(c: Client, psoDn: string): Promise<PasswordPolicy> {
    let e: Entry | undefined;
    try {
      const r = await c.search(psoDn, { scope: 'base', attributes: ['cn', 'msDS-MinimumPasswordLength', 'msDS-PasswordHistoryLength', 'msDS-PasswordComplexityEnabled', 'msDS-MaximumPasswordAge', 'msDS-MinimumPasswordAge', 'msDS-LockoutThreshold', 'msDS-LockoutDuration', 'msDS-LockoutObservationWindow'] });
      e = r.searchEntries[0];
    } catch (err) {
      // AD hides PSOs from everyone but administrators unless delegated: report the name only.
      if (!(isLdapResultError(err) && (err.code === 32 || err.code === 50))) throw err;
    }
    const name = groupNameOf(psoDn);
    if (!e || str(e, 'msDS-MinimumPasswordLength') === null) {
      return { source: 'pso', name, dn: psoDn, readable: false, minLength: null, historyLength: null, complexity: null, maxAgeDays: null, minAgeDays: null, lockoutThreshold: null, lockoutDurationMinutes: null, lockoutWindowMinutes: null };
    }
    const complexity = str(e, 'msDS-PasswordComplexityEnabled');
    const duration = str(e, 'msDS-LockoutDuration');
    return {
      source: 'pso',
      name: str(e, 'cn') ?? name,
      dn: psoDn,
      readable: true,
      minLength: int(str(e, 'msDS-MinimumPasswordLength')),
      historyLength: int(str(e, 'msDS-PasswordHistoryLength')),
      complexity: complexity === null ? null : complexity.toUpperCase() === 'TRUE',
      maxAgeDays: days(intervalToMinutes(str(e, 'msDS-MaximumPasswordAge'))),
      minAgeDays: wholeDays(intervalToMinutes(str(e, 'msDS-MinimumPasswordAge'))),
      lockoutThreshold: int(str(e, 'msDS-LockoutThreshold')),
      lockoutDurationMinutes: duration === '0' ? null : intervalToMinutes(duration),
      lockoutWindowMinutes: intervalToMinutes(str(e, 'msDS-LockoutObservationWindow')),
    };
  }

  async function readDomainPolicy(c: Client): Promise<PasswordPolicy> {
    const r = await c.search(baseDn, { scope: 'base', attributes: ['minPwdLength', 'pwdHistoryLength', 'pwdProperties', 'maxPwdAge', 'minPwdAge', 'lockoutThreshold', 'lockoutDuration', 'lockOutObservationWindow'] });
    const e = r.searchEntries[0];
    if (!e) throw new ConsoleError('not-found', 'Domæneobjektet (søgebasen) findes ikke i Active Directory.');
    const props = int(str(e, 'pwdProperties'));
    const minAge = intervalToMinutes(str(e, 'minPwdAge'));
    return {
      source: 'domain',
      name: 'Domænets standardpolitik',
      dn: e.dn,
      readable: str(e, 'minPwdLength') !== null,
      minLength: int(str(e, 'minPwdLength')),
      historyLength: int(str(e, 'pwdHistoryLength')),
      complexity: props === null ? null : (props & 1) === 1,
      maxAgeDays: days(intervalToMinutes(str(e, 'maxPwdAge'))),
      minAgeDays: wholeDays(minAge),
      lockoutThreshold: int(str(e, 'lockoutThreshold')),
      lockoutDurationMinutes: intervalToMinutes(str(e, 'lockoutDuration')),
      lockoutWindowMinutes: intervalToMinutes(str(e, 'lockOutObservationWindow')),
    };
  }

  async function ping(): Promise<{ ok: boolean; message: string }> {
    let conn: Connected;
    try {
      conn = await connectWithFailover(profile, null);
    } catch (e) {
      return { ok: false, message: e instanceof ConsoleError ? e.message : 'Active Directory svarer ikke.' };
    }
    try {
      const r = await conn.client.search('', { scope: 'base', attributes: ['dnsHostName', 'defaultNamingContext'] });
      const host = str(r.searchEntries[0] ?? { dn: '' }, 'dnsHostName') ?? conn.host;
      return { ok: true, message: `Forbundet til domænecontrolleren ${host} (${conn.host}).` };
    } catch (e) {
      return { ok: false, message: toConsoleError(e, conn.host, { action: 'læse serverens oplysninger' }).message };
    } finally {
      await conn.client.unbind().catch(() => destroyClient(conn.client));
    }
  }

  return { kind: 'ad', signIn, ping };
}
