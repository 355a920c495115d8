// One operator's session against AD: their own bind (bound again after a dropped connection), and every
// read and write of the DirectoryPort under it, so AD's delegation decides what each operator may change.
import { AndFilter, Attribute, Change, EqualityFilter, GreaterThanEqualsFilter, type Client, type Entry, type Filter } from 'ldapts';
import { ConsoleError } from '../../../shared/errors.ts';
import { pause, slicer } from '../../slices.ts';
import type { AdProfile } from '../../../shared/domain/settings.ts';
import type { Person, PersonSummary } from '../../../shared/domain/person.ts';
import { groupNameOf, parseDn, rdn } from '../../../shared/dn.ts';
import { inScope, type OperatorDomain } from '../../../shared/roles.ts';
import { rankPeople } from '../../../shared/search.ts';
import type { MirroredPolicySpec, OperatorIdentity, PasswordPolicy, PeopleQuery } from '../directory-port.ts';
import type { AdDirectorySession, ReadOptions } from './ad-directory.ts';
import { connectWithFailover, destroyClient, type Connected } from './connection.ts';
import { encodeUnicodePwd, fileTimeToIso, guidToBuffer, guidToString, isGuid } from './decode.ts';
import { BINARY_ATTRS, buf, collator, flagsOf, hopelessSearch, PEOPLE, PERSON_ATTRS, peopleFilter, readRanged, str, strs, SUMMARY_ATTRS, toSummary } from './entries.ts';
import { isLdapResultError, type WriteContext } from './errors.ts';
import { readAllPolicies, readResultantPolicy } from './policy-read.ts';
import { psoContainer, psoNameFor, readPso as readPsoSettings, writePso } from './pso.ts';

/** What (objectCategory=person)(objectClass=user) selects, decided on an entry the DC returned. */
function isPersonEntry(e: Entry): boolean {
  const category = (str(e, 'objectCategory') ?? '').split(',')[0]?.trim().toLowerCase();
  return category === 'cn=person' && strs(e, 'objectClass').some((c) => c.toLowerCase() === 'user');
}

/** Entries decoded between yields to the event loop at most (a slice also ends after ~15 ms). */
const DECODE_SLICE = 200;

/** Precedence of the console's PSOs: below (stronger than) typical hand-made ones at 10 and above. */
const PSO_PRECEDENCE = 5;

/** What a session needs from the adapter that opened it. */
export interface SessionContext {
  profile: AdProfile;
  pageSize: number;
  rangeStep: number;
  /** The server's time limit for whole-directory searches, in seconds. */
  searchSeconds: number;
  toConsoleError(e: unknown, host: string, ctx: WriteContext): ConsoleError;
  /** The configured domain the profile is, when the adapter was told (the session carries it). */
  domain?: OperatorDomain | undefined;
}

export function openAdSession(
  ctx: SessionContext,
  first: Connected,
  creds: { name: string; password: string },
  identity: OperatorIdentity,
): AdDirectorySession {
  const { profile, pageSize, rangeStep, searchSeconds, toConsoleError } = ctx;
  const baseDn = profile.baseDn;
  let conn = first;
  let closed = false;
  let reconnecting: Promise<Connected> | null = null;

  /**
   * The bound client. After a dropped connection (AD's idle timeout, a DC restart) bind again, with
   * failover; that is why the session keeps the operator's password in this closure until close().
   */
  async function client(): Promise<Connected> {
    if (closed) throw new ConsoleError('unauthenticated', 'Sessionen mod Active Directory er lukket. Log ind igen.').withKey('adSessionClosed');
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
    if (!isGuid(personId)) throw new ConsoleError('not-found', 'Personen findes ikke i Active Directory.', { personId }).withKey('personNotInAd');
    const res = await c.search(baseDn, {
      scope: 'sub',
      filter: new AndFilter({ filters: [...PEOPLE(), new EqualityFilter({ attribute: 'objectGUID', value: guidToBuffer(personId) })] }),
      attributes,
      explicitBufferAttributes: BINARY_ATTRS,
      sizeLimit: 2,
    });
    const e = res.searchEntries[0];
    if (!e) throw new ConsoleError('not-found', 'Personen findes ikke i Active Directory.', { personId }).withKey('personNotInAd');
    return e;
  }

  /**
   * Every matching person. The next page is asked for before this one is decoded, so decoding
   * overlaps the DC's work on the next page instead of adding to the total (1.5 s at 100,000
   * people), and a page's raw entries are garbage once decoded rather than all held to the end.
   * A cancelled read stops after the page in flight (the DC drops the abandoned paged search).
   */
  async function loadPeople(c: Client, filter: Filter, opts: ReadOptions = {}, only?: { attributes: string[]; accept(e: Entry): boolean }): Promise<PersonSummary[]> {
    const pages = c.searchPaginated(baseDn, {
      scope: 'sub',
      filter,
      attributes: only ? [...SUMMARY_ATTRS, ...only.attributes] : SUMMARY_ATTRS,
      explicitBufferAttributes: BINARY_ATTRS,
      paged: { pageSize },
      timeLimit: searchSeconds,
    });
    const people: PersonSummary[] = [];
    let next = pages.next();
    for (;;) {
      const page = await next;
      if (page.done) return people;
      if (opts.signal?.aborted) {
        await pages.return(undefined).catch(() => undefined);
        throw new ConsoleError('cancelled', 'Indlæsningen blev afbrudt.').withKey('loadCancelled');
      }
      next = pages.next();
      try {
        // Decoding a page takes tens of milliseconds: yield now and then, so the main process keeps answering.
        const sliceDone = slicer(DECODE_SLICE);
        for (const e of page.value.searchEntries) {
          if (!only || only.accept(e)) people.push(toSummary(e));
          if (sliceDone()) await pause();
        }
      } catch (err) {
        // Not expected (toSummary does not throw), but never leave the next page's request dangling.
        await next.catch(() => undefined);
        throw err;
      }
      opts.onProgress?.(people.length);
    }
  }

  const byName = (a: PersonSummary, b: PersonSummary) => collator.compare(a.displayName, b.displayName) || collator.compare(a.username, b.username);

  function validGroupDn(groupDn: string): string {
    try {
      if (parseDn(groupDn).length === 0) throw new Error('tomt');
    } catch {
      throw new ConsoleError('validation', 'Gruppens DN er ikke et gyldigt DN.').withKey('groupDnInvalid');
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
    ...(ctx.domain ? { domain: ctx.domain } : {}),
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
        const dsa = str(e, 'dsServiceName') ?? '';
        // The DC's database identity: a restore from backup gives the same DC a new invocationId, so USNs
        // from before are meaningless. Any authenticated user may read it on the NTDS Settings object.
        let invocationId: string | null = null;
        if (dsa) {
          const n = await c.search(dsa, { scope: 'base', attributes: ['invocationId'], explicitBufferAttributes: ['invocationId'] }).catch(() => null);
          const g = n?.searchEntries[0] ? buf(n.searchEntries[0], 'invocationId') : null;
          invocationId = g && g.length === 16 ? guidToString(g) : null;
        }
        return { dsa, invocationId, usn: Number(str(e, 'highestCommittedUSN') ?? 0) };
      });
    },

    async loadPeopleChangedSince(usn: number, opts?: ReadOptions) {
      // uSNChanged alone, and the people picked out here: the DC answers a range on its ordered uSNChanged
      // index from the index, while AND-ing it with objectCategory/objectClass makes Samba walk every person
      // (0.7 s against 2.4–2.8 s at 100,000 people). What changed that is not a person is little and dropped.
      const filter = new GreaterThanEqualsFilter({ attribute: 'uSNChanged', value: String(Math.floor(usn) + 1) });
      return run({ action: 'hente ændrede personer' }, (c) => loadPeople(c, filter, opts, { attributes: ['objectClass', 'objectCategory'], accept: isPersonEntry }));
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

    async loadAllPeople(opts?: ReadOptions) {
      return run({ action: 'hente personer' }, (c) => loadPeople(c, new AndFilter({ filters: PEOPLE() }), opts));
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
        if (exists.searchEntries.length === 0) throw new ConsoleError('not-found', 'Gruppen findes ikke i Active Directory.').withKey('groupNotInAd');
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
        throw new ConsoleError('validation', 'Adgangskoden skal være mellem 1 og 256 tegn.').withKey('passwordLength');
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
        if (raw === null) throw new ConsoleError('forbidden', 'Du kan ikke læse kontoens status (userAccountControl) i Active Directory.').withKey('adCannotReadStatus');
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

    async readPasswordPolicies() {
      return run({ action: 'læse adgangskodepolitikkerne i AD' }, (c) => readAllPolicies(c, baseDn));
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
      return run({ action: 'læse adgangskodepolitikken', subject: 'Personen' }, async (c) => readResultantPolicy(c, (await findPerson(c, personId, ['1.1'])).dn, baseDn));
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
