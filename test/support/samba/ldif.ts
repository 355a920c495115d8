// A minimal LDIF writer (RFC 2849) for ldbmodify: every record carries a changetype.

export type LdifValue = string | Buffer;
export type LdifAttrs = Array<[string, LdifValue | LdifValue[] | null | undefined]>;

/** RFC 2849 SAFE-STRING: printable ASCII, not starting with space, ':' or '<', not ending with space. */
function isSafe(v: string): boolean {
  if (v === '') return true;
  for (const ch of v) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0 || c === 10 || c === 13 || c > 0x7f) return false;
  }
  if (/^[ :<]/.test(v) || v.endsWith(' ')) return false;
  return true;
}

function line(name: string, value: LdifValue): string {
  if (Buffer.isBuffer(value)) return `${name}:: ${value.toString('base64')}`;
  return isSafe(value) ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

function values(v: LdifValue | LdifValue[] | null | undefined): LdifValue[] {
  if (v == null) return [];
  return Array.isArray(v) ? v : [v];
}

export function addRecord(dn: string, attrs: LdifAttrs): string {
  const out = [line('dn', dn), 'changetype: add'];
  for (const [name, v] of attrs) for (const x of values(v)) out.push(line(name, x));
  return out.join('\n') + '\n\n';
}

export interface LdifChange {
  op: 'add' | 'replace' | 'delete';
  attr: string;
  values: LdifValue[];
}

export function modifyRecord(dn: string, changes: LdifChange[]): string {
  const out = [line('dn', dn), 'changetype: modify'];
  for (const c of changes) {
    out.push(`${c.op}: ${c.attr}`);
    for (const v of c.values) out.push(line(c.attr, v));
    out.push('-');
  }
  return out.join('\n') + '\n\n';
}
