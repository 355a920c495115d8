// Distinguished names (RFC 4514), one helper for the whole console: building them with escaping, parsing
// them (escapes undone, multi-valued RDNs kept), comparing them as AD does (case-insensitively, however they
// were escaped), and the labels people read ("Skoler / Elever"). No Node or DOM: the renderer uses it too.

const utf8Decoder = new TextDecoder();
/** Where a run of plain value characters ends. */
const PLAIN_STOP = new Set([',', '+', ';', '\\', ' ', '"', '<', '>']);

/** Escape one attribute value for use in a DN (RFC 4514 section 2.4). */
export function escapeDnValue(value: string): string {
  let out = '';
  const chars = Array.from(value);
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) {
      out += '\\' + code.toString(16).padStart(2, '0');
    } else if ('"+,;<>\\='.includes(ch)) {
      out += '\\' + ch;
    } else if ((i === 0 && (ch === ' ' || ch === '#')) || (i === chars.length - 1 && ch === ' ')) {
      out += '\\' + ch;
    } else {
      out += ch;
    }
  });
  return out;
}

/** One relative DN, e.g. rdn('CN', 'Hansen, Jens') → 'CN=Hansen\, Jens'. */
export function rdn(type: string, value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(type)) throw new Error(`Ugyldig attributtype i DN: ${type}`);
  return `${type}=${escapeDnValue(value)}`;
}

export interface Ava {
  type: string;
  value: string;
}

/**
 * Parse a DN string into its RDNs (outermost last, as written). Each RDN is a list of AVAs (more than
 * one for multi-valued RDNs joined with '+'). Throws on malformed input.
 */
export function parseDn(dn: string): Ava[][] {
  const rdns: Ava[][] = [];
  if (dn.trim() === '') return rdns;
  let i = 0;
  const n = dn.length;
  const fail = (why: string): never => {
    throw new Error(`Ugyldigt DN (${why})`);
  };
  let current: Ava[] = [];
  for (;;) {
    while (i < n && dn[i] === ' ') i++;
    const typeStart = i;
    while (i < n && dn[i] !== '=') i++;
    if (i >= n) fail('mangler =');
    const type = dn.slice(typeStart, i).trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)*)$/.test(type)) fail('attributtype');
    i++; // '='
    // The value as text; hex escapes (\C3\A6) are bytes, gathered and decoded as UTF-8 together.
    let value = '';
    let bytes: number[] = [];
    let pendingSpaces = 0; // unescaped trailing spaces are not part of the value
    const flush = () => {
      if (bytes.length > 0) {
        value += utf8Decoder.decode(new Uint8Array(bytes));
        bytes = [];
      }
    };
    const spaces = () => {
      if (pendingSpaces > 0) {
        flush();
        value += ' '.repeat(pendingSpaces);
        pendingSpaces = 0;
      }
    };
    const pushText = (text: string) => {
      spaces();
      flush();
      value += text;
    };
    if (dn[i] === '#') {
      // hexstring form (BER-encoded value): keep as the literal text
      const start = i;
      while (i < n && dn[i] !== ',' && dn[i] !== '+' && dn[i] !== ';') i++;
      pushText(dn.slice(start, i).trim());
    } else {
      while (i < n && dn[i] === ' ') i++;
      while (i < n) {
        const ch = dn[i] as string;
        if (ch === ',' || ch === '+' || ch === ';') break;
        if (ch === '\\') {
          const next = dn[i + 1];
          if (next === undefined) fail('afsluttende \\');
          const hex = dn.slice(i + 1, i + 3);
          if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
            spaces();
            bytes.push(parseInt(hex, 16));
            i += 3;
          } else {
            pushText(next as string);
            i += 2;
          }
          continue;
        }
        if (ch === '"' || ch === '<' || ch === '>') fail(`uescapet ${ch}`);
        if (ch === ' ') {
          pendingSpaces++;
          i++;
          continue;
        }
        // A run of plain characters at once (surrogate pairs stay whole: none of the stops is one).
        let j = i + 1;
        while (j < n && !PLAIN_STOP.has(dn[j] as string)) j++;
        pushText(dn.slice(i, j));
        i = j;
      }
    }
    flush();
    current.push({ type, value });
    if (i >= n) {
      rdns.push(current);
      break;
    }
    const sep = dn[i];
    i++;
    if (sep === '+') continue;
    rdns.push(current);
    current = [];
    if (i >= n) fail('tomt RDN');
  }
  return rdns;
}

/** Rebuild a DN in canonical escaped form (useful for comparing DNs written differently). */
export function formatDn(rdns: Ava[][]): string {
  return rdns.map((r) => r.map((a) => rdn(a.type, a.value)).join('+')).join(',');
}

/** Case-insensitive DN equality after parsing (AD compares DNs case-insensitively). */
export function sameDn(a: string, b: string): boolean {
  try {
    return formatDn(parseDn(a)).toLowerCase() === formatDn(parseDn(b)).toLowerCase();
  } catch {
    // A text that is not a DN equals no DN.
    return false;
  }
}

/** The value of the first RDN, e.g. the CN of a group from its DN. */
export function firstRdnValue(dn: string): string {
  const first = parseDn(dn)[0]?.[0];
  if (!first) throw new Error('Ugyldigt DN (tomt)');
  return first.value;
}

/**
 * The human path of the containers an object lives in, outermost first, without the domain
 * components: 'CN=Emil,OU=Elever,OU=Skoler,DC=kommune,DC=test' → 'Skoler / Elever'.
 */
export function ouPathOf(dn: string): string {
  const rdns = parseDn(dn).slice(1);
  return rdns
    .filter((r) => r.every((a) => a.type.toUpperCase() !== 'DC'))
    .map((r) => r.map((a) => a.value).join('+'))
    .reverse()
    .join(' / ');
}

/** The DN of the container an entry lives in (its OU), or null for a DN of one RDN. */
export function parentDn(dn: string): string | null {
  // The first unescaped comma ends the entry's own RDN.
  for (let i = 0; i < dn.length; i++) {
    if (dn[i] === '\\') i++;
    else if (dn[i] === ',') return dn.slice(i + 1).trim();
  }
  return null;
}

/** A group's name from its DN (its first RDN's value), or the text itself when it is not a DN. */
export function groupNameOf(dn: string): string {
  try {
    return firstRdnValue(dn).trim();
  } catch {
    // Not a DN: the text is the name (as documented above).
    return dn;
  }
}

/** "OU=Elever,OU=Skoler,DC=…" → "Skoler / Elever": the OUs of a DN, outermost first, escapes undone. */
export function ouLabel(dn: string): string {
  let rdns: Ava[][];
  try {
    rdns = parseDn(dn);
  } catch {
    // A label only: an unparsable DN is shown as it is.
    return dn;
  }
  const ous = rdns.filter((r) => r.every((a) => a.type.toUpperCase() === 'OU')).map((r) => r.map((a) => a.value).join('+'));
  return ous.length ? ous.reverse().join(' / ') : dn;
}

/** The RDNs of a DN in a form to compare: types upper-cased, values lower-cased, escapes undone. */
function comparable(dn: string): string[] | null {
  try {
    return parseDn(dn).map((r) => r.map((a) => `${a.type.toUpperCase()}=${a.value.toLowerCase()}`).sort().join('+'));
  } catch {
    // Not a DN: inside nothing (dnIsWithin answers false).
    return null;
  }
}

/** The containers asked about are few (domains, OUs of a scope) and asked about per person: kept parsed. */
const containers = new Map<string, string[] | null>();
function containerOf(ou: string): string[] | null {
  let c = containers.get(ou);
  if (c === undefined) {
    if (containers.size >= 1_000) containers.clear();
    c = comparable(ou);
    containers.set(ou, c);
  }
  return c;
}

/**
 * True when `dn` is `ou` itself or lies below it, compared RDN by RDN after parsing: an escaped comma in a
 * name (`CN=X\,OU=Skoler`) never passes for an OU boundary, and `\2C` and `\,` are the same character.
 * A DN that does not parse is inside nothing.
 */
export function dnIsWithin(dn: string, ou: string): boolean {
  const d = comparable(dn);
  const o = containerOf(ou);
  if (!d || !o || o.length === 0 || o.length > d.length) return false;
  return o.every((rdn, i) => d[d.length - o.length + i] === rdn);
}
