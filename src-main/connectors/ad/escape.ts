// RFC 4515 (filter strings) escaping; DNs (RFC 4514) are shared/dn.ts. Filters sent by the adapter are built
// from ldapts filter objects, whose values go on the wire as raw octets and so cannot be injected;
// escapeFilterValue exists for the few places that need a filter as text (logs, ldapsearch in the
// benchmark) and to prove the rules in unit tests.

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
