// RFC 4514 (DN strings) and RFC 4515 (filter strings) escaping. Filters sent by the adapter are built
// from ldapts filter objects, whose values go on the wire as raw octets and so cannot be injected;
// escapeFilterValue exists for the few places that need a filter as text (logs, ldapsearch in the
// benchmark) and to prove the rules in unit tests.

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

/** Escape a value for use inside an RFC 4515 filter string: * ( ) \ NUL. */
export function escapeFilterValue(value: string): string {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '*': out += '\\2a'; break;
      case '(': out += '\\28'; break;
      case ')': out += '\\29'; break;
      case '\\': out += '\\5c'; break;
      case '\0': out += '\\00'; break;
      default: out += ch;
    }
  }
  return out;
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
    const bytes: number[] = [];
    let pendingSpaces = 0; // unescaped trailing spaces are not part of the value
    const pushText = (s: string) => {
      for (let k = 0; k < pendingSpaces; k++) bytes.push(0x20);
      pendingSpaces = 0;
      bytes.push(...Buffer.from(s, 'utf8'));
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
            for (let k = 0; k < pendingSpaces; k++) bytes.push(0x20);
            pendingSpaces = 0;
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
        const cp = dn.codePointAt(i) ?? 0;
        const s = String.fromCodePoint(cp);
        pushText(s);
        i += s.length;
      }
    }
    const value = Buffer.from(bytes).toString('utf8');
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
