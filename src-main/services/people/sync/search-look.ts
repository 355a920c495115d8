// What a start compares MitID Erhverv's search with before the stored facts load: the last search in search
// order, three 32-bit numbers per identity (two hashes of the uuid, one of the summary), kept as one text.
// Read in one go (a row per identity costs more to read than the search itself) and told apart while the next
// search streams in, with nothing built per identity: in the same order each identity is compared in place;
// from the first that is out of order (a new or deleted identity, another order), the rest go by a map.
// Hashes, not the fields: comparing 100,000 summaries as text took as long as the search. A collision can only
// hide a change from the preview; the facts, compared right after, still find it.
import type { MitIdIdentitySummary } from '../../../../shared/mitid/domain.ts';
import { pause, slicer } from '../../../slices.ts';

/** The text's format; a look in any other (an earlier version's) is no look. */
const TAG = 'h1:';
const WORDS = 3;

const FNV_PRIME = 16777619;
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}
/** A field and its end, so null, empty and text moved across a field boundary all differ. */
function mix(h: number, v: string | number | null | undefined): number {
  if (v === null || v === undefined) return Math.imul(h ^ 2, FNV_PRIME);
  return Math.imul(fnv(h, typeof v === 'string' ? v : String(v)) ^ 1, FNV_PRIME);
}

/**
 * The summary's fields a change of shows in the list (the uuid is the identity's key). The CPR number is left
 * out: the facts keep it already, and a changed CPR number is told by the facts just after.
 */
export function summaryHash(s: MitIdIdentitySummary): number {
  let h = 0x811c9dc5;
  h = mix(h, s.id);
  h = mix(h, s.status);
  h = mix(h, s.givenName);
  h = mix(h, s.surname);
  h = mix(h, s.emailAddress);
  h = mix(h, s.rid);
  return h >>> 0;
}
// Two hashes with different starts: 64 bits, so two of 100,000 uuids are not taken for one another.
const uuidHashA = (uuid: string) => fnv(0x811c9dc5, uuid) >>> 0;
const uuidHashB = (uuid: string) => fnv(0x050c5d1f, uuid) >>> 0;
/** The map's key: 53 of the two uuid hashes' bits. */
const keyOf = (a: number, b: number) => a * 2 ** 21 + (b >>> 11);

/** The search as the next start compares with it, in search order (hashed in slices: ~45 ms at 72,000). */
export async function searchLookText(searched: ReadonlyMap<string, MitIdIdentitySummary>): Promise<string> {
  const words = new Uint32Array(searched.size * WORDS);
  const sliceDone = slicer(20_000);
  let i = 0;
  for (const [uuid, s] of searched) {
    words[i++] = uuidHashA(uuid);
    words[i++] = uuidHashB(uuid);
    words[i++] = summaryHash(s);
    if (sliceDone()) await pause();
  }
  return TAG + Buffer.from(words.buffer, words.byteOffset, words.byteLength).toString('base64');
}

/** An identity against the last search: as it was, with another summary, or not in it. */
export type SearchTold = 'same' | 'changed' | 'new';

export class SearchDiff {
  private at = 0;
  private byKey: Map<number, number> | null = null;
  private readonly last: Uint32Array;

  private constructor(last: Uint32Array) {
    this.last = last;
  }

  /** `text`: the last search's look (searchLookText); null when it is not one. */
  static of(text: string): SearchDiff | null {
    if (!text.startsWith(TAG)) return null;
    const bytes = Buffer.from(text.slice(TAG.length), 'base64');
    if (bytes.length % (4 * WORDS) !== 0) return null;
    // Copied: a Uint32Array needs its own aligned buffer.
    const words = new Uint32Array(bytes.length / 4);
    new Uint8Array(words.buffer).set(bytes);
    return new SearchDiff(words);
  }

  check(uuid: string, s: MitIdIdentitySummary): SearchTold {
    const a = uuidHashA(uuid);
    const b = uuidHashB(uuid);
    const h = summaryHash(s);
    const w = this.last;
    if (!this.byKey) {
      const i = this.at * WORDS;
      if (i < w.length && w[i] === a && w[i + 1] === b) {
        this.at++;
        return w[i + 2] === h ? 'same' : 'changed';
      }
      this.byKey = new Map();
      for (let j = 0; j < w.length; j += WORDS) this.byKey.set(keyOf(w[j] as number, w[j + 1] as number), w[j + 2] as number);
    }
    const held = this.byKey.get(keyOf(a, b));
    return held === undefined ? 'new' : held === h ? 'same' : 'changed';
  }
}
