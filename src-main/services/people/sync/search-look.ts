// What a start compares MitID Erhverv's search with before the stored facts load: the last search as one
// text, a line per identity in search order (`uuid TAB probe`). Read in one go (not a row per identity:
// reading 100,000 rows costs more than the search itself), and told apart while the next search streams
// in: in the same order each summary is compared in place, with nothing built per identity; from the first
// that is out of order (a new or deleted identity, another order), the rest go by a map.
import type { MitIdIdentitySummary } from '../../../../shared/mitid/domain.ts';

const field = (v: string | number | null | undefined): string => (v === null || v === undefined ? '\u0002' : typeof v === 'string' ? v : String(v));

/**
 * The summary's fields a change of shows in the list, as one text (the uuid is the line's key). The CPR
 * number is left out: the facts keep it already, and a changed CPR number is told by the facts just after.
 */
export const summaryProbe = (s: MitIdIdentitySummary): string =>
  `${field(s.id)}\u0001${field(s.status)}\u0001${field(s.givenName)}\u0001${field(s.surname)}\u0001${field(s.emailAddress)}\u0001${field(s.rid)}`;

/** The search as the next start compares with it, in search order. */
export function searchLookText(searched: ReadonlyMap<string, MitIdIdentitySummary>): string {
  const lines: string[] = [];
  for (const [uuid, s] of searched) lines.push(`${uuid}\t${summaryProbe(s)}`);
  return lines.join('\n');
}

export class SearchDiff {
  /** Identities the last search did not have, and ones whose summary changed, in search order. */
  readonly fresh: string[] = [];
  readonly changed: string[] = [];
  private at = 0;
  private byUuid: Map<string, string> | null = null;
  private readonly last: string;

  /** `last`: the last search's text (searchLookText). */
  constructor(last: string) {
    this.last = last;
  }

  check(uuid: string, s: MitIdIdentitySummary): void {
    const probe = summaryProbe(s);
    const t = this.last;
    if (!this.byUuid) {
      if (t.startsWith(uuid, this.at) && t.charCodeAt(this.at + uuid.length) === 9) {
        const start = this.at + uuid.length + 1;
        const nl = t.indexOf('\n', start);
        const end = nl < 0 ? t.length : nl;
        if (end - start !== probe.length || !t.startsWith(probe, start)) this.changed.push(uuid);
        this.at = end + 1;
        return;
      }
      this.byUuid = new Map();
      for (const line of t.split('\n')) {
        const tab = line.indexOf('\t');
        if (tab > 0) this.byUuid.set(line.slice(0, tab), line.slice(tab + 1));
      }
    }
    const held = this.byUuid.get(uuid);
    if (held === undefined) this.fresh.push(uuid);
    else if (held !== probe) this.changed.push(uuid);
  }
}
