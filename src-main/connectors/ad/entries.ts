// Reading AD entries: which attributes the console asks for, decoding them into people, the free-text
// filter (built from ldapts filter objects: search text can never change its shape), and ranged reads.
import { AndFilter, EqualityFilter, OrFilter, PresenceFilter, SubstringFilter, type Client, type Entry, type Filter } from 'ldapts';
import type { PersonSummary } from '../../../shared/domain/person.ts';
import { ouPathOf } from '../../../shared/dn.ts';
import { decodeAccountFlags, fileTimeToIso, guidToString, type AccountFlags } from './decode.ts';

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
export const PERSON_ATTRS = [...SUMMARY_ATTRS, 'title', 'department', 'memberOf', 'lastLogonTimestamp', 'badPwdCount', 'lockoutTime'];
export const BINARY_ATTRS = ['objectGUID', 'objectSid', 'tokenGroups'];

export const PEOPLE = (): Filter[] => [
  new EqualityFilter({ attribute: 'objectCategory', value: 'person' }),
  new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
];

// ---------------------------------------------------------------- entry helpers

export function values(e: Entry, name: string): Array<string | Buffer> {
  const lower = name.toLowerCase();
  for (const key of Object.keys(e)) {
    if (key.toLowerCase() !== lower) continue;
    const v = e[key];
    if (v === undefined) return [];
    return Array.isArray(v) ? v : [v];
  }
  return [];
}

export function str(e: Entry, name: string): string | null {
  const v = values(e, name)[0];
  if (v === undefined) return null;
  return Buffer.isBuffer(v) ? v.toString('utf8') : v;
}

export function strs(e: Entry, name: string): string[] {
  return values(e, name).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

export function buf(e: Entry, name: string): Buffer | null {
  const v = values(e, name)[0];
  if (v === undefined) return null;
  return Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8');
}

function safeOuPath(dn: string): string {
  try {
    return ouPathOf(dn);
  } catch {
    // A display column only: an unparsable DN shows no OU path rather than failing the whole read.
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
export const collator = new Intl.Collator('da');


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
export function hopelessSearch(text: string): boolean {
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

