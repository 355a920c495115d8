// A byte-level splitter for `{"employees":[ {...}, {...} ]}`: it finds the elements of the top-level
// `employees` array as the bytes arrive and JSON.parse's the complete ones of each chunk together. Only the
// current chunk and an element in progress are held, so memory stays bounded, and the parsing itself is
// V8's native JSON.parse (stream-json's token-by-token parsing in JS was ~5× slower than JSON.parse of the whole body
// and used more memory, see bench/mitid-search.bench.ts).
// Byte-level scanning is safe for UTF-8: multi-byte sequences never contain the ASCII bytes looked at here.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export class JsonArraySplitter {
  private readonly property: string;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Depth-1 property name being read / last read. */
  private keyBytes: number[] | null = null;
  private lastKey = '';
  private expectingValueForKey = false;
  /** Inside the wanted array (at depth 2 = its elements). */
  private inArray = false;
  private arrayDone = false;
  /** Bytes of the element in progress, across chunks. */
  private pieces: Buffer[] = [];
  private inElement = false;
  private inScalar = false;
  /** Elements that lie wholly inside the current chunk are parsed together, as one array, at its end. */
  private batchStart = -1;
  private batchEnd = -1;
  private elementStart = 0;

  /** `property` is matched case-insensitively, as the server binds names. */
  constructor(property: string) {
    this.property = property.toLowerCase();
  }

  /** Feed the next chunk; returns the elements completed in it, parsed. */
  push(chunk: Buffer): unknown[] {
    const out: unknown[] = [];
    const len = chunk.length;
    this.elementStart = 0;
    this.batchStart = -1;
    for (let i = 0; i < len; i++) {
      if (this.inString && !this.keyBytes) {
        // Skip string content natively: jump to the next unescaped quote (the hot path — most bytes are text).
        if (this.escape) {
          this.escape = false;
          continue;
        }
        const q = this.closingQuote(chunk, i);
        if (q === -1) break;
        i = q;
      }
      const b = chunk[i] as number;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.keyBytes) {
            this.lastKey = Buffer.from(this.keyBytes).toString('utf8').toLowerCase();
            this.keyBytes = null;
          } else if (this.inElement && this.depth === 2) {
            this.finishElement(chunk, i + 1, out); // a bare string element
          }
        } else if (this.keyBytes) this.keyBytes.push(b);
        continue;
      }
      if (this.inScalar) {
        // A number/true/false/null element ends at the first delimiter, which is then handled as usual.
        if (b !== COMMA && b !== CLOSE_ARR && !isSpace(b)) continue;
        this.inScalar = false;
        this.finishElement(chunk, i, out);
      }
      if (isSpace(b)) continue;
      // Element boundaries inside the wanted array.
      if (this.inArray && this.depth === 2 && !this.inElement) {
        if (b === COMMA) continue;
        if (b === CLOSE_ARR) {
          this.inArray = false;
          this.arrayDone = true;
          this.depth--;
          continue;
        }
        this.inElement = true;
        this.elementStart = i;
        this.pieces = [];
        if (b !== QUOTE && b !== OPEN_OBJ && b !== OPEN_ARR) {
          this.inScalar = true;
          continue;
        }
      }
      if (b === QUOTE) {
        this.inString = true;
        // A property name at depth 1 (top-level object) is captured; everything else is skipped.
        if (this.depth === 1 && !this.expectingValueForKey) this.keyBytes = [];
        continue;
      }
      if (this.depth === 1 && b === COLON) {
        this.expectingValueForKey = true;
        continue;
      }
      if (b === OPEN_OBJ || b === OPEN_ARR) {
        if (this.depth === 1 && this.expectingValueForKey && b === OPEN_ARR && this.lastKey === this.property && !this.arrayDone) {
          this.inArray = true;
        }
        if (this.depth === 1) this.expectingValueForKey = false;
        this.depth++;
        continue;
      }
      if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        this.depth--;
        if (this.inElement && this.depth === 2) {
          this.finishElement(chunk, i + 1, out);
        }
        continue;
      }
      if (b === COMMA) {
        if (this.depth === 1) this.expectingValueForKey = false;
        continue;
      }
    }
    if (this.inElement) this.pieces.push(chunk.subarray(this.elementStart));
    if (this.batchStart >= 0) {
      // One native parse per chunk instead of one per element: the region between the first element's
      // start and the last one's end holds only elements, commas and whitespace.
      const batch = JSON.parse(`[${chunk.toString('utf8', this.batchStart, this.batchEnd)}]`) as unknown[];
      for (const item of batch) out.push(item);
    }
    return out;
  }

  /**
   * Index of the quote that closes the string containing position `from`, or -1 when the string runs past
   * the chunk (then `escape` records whether the chunk ended in an unfinished escape).
   */
  private closingQuote(chunk: Buffer, from: number): number {
    let start = from;
    for (;;) {
      const q = chunk.indexOf(QUOTE, start);
      const end = q === -1 ? chunk.length : q;
      let backslashes = 0;
      for (let k = end - 1; k >= start && chunk[k] === BACKSLASH; k--) backslashes++;
      if (q === -1) {
        this.escape = backslashes % 2 === 1;
        return -1;
      }
      if (backslashes % 2 === 0) return q;
      start = q + 1;
    }
  }

  /** Call at the end of the body: throws if it broke off inside the array. */
  end(): void {
    if (this.inScalar) throw new Error('JSON-svaret sluttede midt i søgeresultatet');
    if (this.inElement || this.inArray || this.inString || this.depth !== 0) {
      throw new Error('JSON-svaret sluttede midt i søgeresultatet');
    }
  }

  /** An element ended at `endExclusive`: parse it now if it spans chunks, else add it to the batch. */
  private finishElement(chunk: Buffer, endExclusive: number, out: unknown[]): void {
    this.inElement = false;
    if (this.pieces.length === 0) {
      if (this.batchStart < 0) this.batchStart = this.elementStart;
      this.batchEnd = endExclusive;
      return;
    }
    // Only the first element finished in a chunk can have begun in an earlier one, so order is kept.
    const bytes = Buffer.concat([...this.pieces, chunk.subarray(this.elementStart, endExclusive)]);
    this.pieces = [];
    out.push(JSON.parse(bytes.toString('utf8')));
  }
}

/** Bytes of `b` that end on a whole UTF-8 character (a character cut by the chunk boundary waits). */
function wholeUtf8Length(b: Buffer): number {
  const n = b.length;
  for (let k = 1; k <= Math.min(4, n); k++) {
    const c = b[n - k] as number;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead byte
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? n - k : n;
  }
  return n;
}

/**
 * The search parser: a fast path for the shape the service sends — `{"employees":[{…},{…},…]}` without
 * whitespace between elements — and the exact byte splitter above for anything else. The fast path decodes
 * each chunk once and looks only for the last `},{` in it: everything before it is complete elements,
 * parsed with ONE native JSON.parse per chunk, so no JavaScript touches the bytes one by one (the exact
 * splitter's quote-by-quote scan cost more than the parsing itself). Only the cut matters: if that last
 * `},{` lies inside a string (or one level down), the text before it ends inside an open string (or an
 * open array), so the parse fails — it cannot succeed with wrong elements — and the rest of the body goes
 * to the exact splitter. Hostile text costs speed, never correctness; memory stays one chunk and one element.
 */
export class SearchBodySplitter {
  private readonly property: string;
  private readonly head: RegExp;
  private exact: JsonArraySplitter | null = null;
  /** Decoded text not parsed yet: before the array, or from the start of an element. */
  private carry = '';
  /** The start of a UTF-8 character cut off by the end of the last chunk. */
  private pending: Buffer = Buffer.alloc(0);
  private started = false;
  /** Without a `},{` the fast path holds text back; past this much it hands over to the exact splitter. */
  static readonly MAX_CARRY = 1 << 20;

  constructor(property: string) {
    this.property = property.toLowerCase();
    const escaped = this.property.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.head = new RegExp(`^\\s*\\{\\s*"${escaped}"\\s*:\\s*\\[`, 'i');
  }

  /** True once the exact splitter has taken over (for tests and the benchmark's notes). */
  get exactMode(): boolean {
    return this.exact !== null;
  }

  push(chunk: Buffer): unknown[] {
    if (this.exact) return this.exact.push(chunk);
    const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const whole = wholeUtf8Length(bytes);
    this.pending = whole < bytes.length ? Buffer.from(bytes.subarray(whole)) : Buffer.alloc(0);
    let text = bytes.toString('utf8', 0, whole);
    if (!this.started) {
      this.carry += text;
      const m = this.head.exec(this.carry);
      if (!m) return this.carry.length < 256 ? [] : this.handOver();
      this.started = true;
      text = this.carry.slice(m[0].length);
      this.carry = '';
    }
    // Only the new text is searched, and the held text is copied once, into the string that is parsed.
    const cut = text.lastIndexOf('},{');
    if (cut < 0) {
      this.carry += text;
      return this.carry.length > SearchBodySplitter.MAX_CARRY ? this.handOver() : [];
    }
    let items: unknown[];
    try {
      items = JSON.parse(`[${this.carry}${text.slice(0, cut + 1)}]`) as unknown[];
    } catch {
      this.carry += text;
      return this.handOver();
    }
    this.carry = text.slice(cut + 2);
    return items;
  }

  /** The end of the body: the last elements, or a SyntaxError when it broke off inside the array. */
  end(): unknown[] {
    if (!this.exact && this.started && this.pending.length === 0) {
      const m = /\]\s*\}\s*$/.exec(this.carry);
      if (m) {
        const rest = this.carry.slice(0, m.index);
        try {
          const items = rest.trim() === '' ? [] : (JSON.parse(`[${rest}]`) as unknown[]);
          this.carry = '';
          return items;
        } catch {
          // Not the plain shape after all: the exact splitter decides.
        }
      }
    }
    const out = this.exact ? [] : this.handOver();
    this.exact!.end();
    return out;
  }

  /** From here on the exact splitter reads, starting with what the fast path holds. */
  private handOver(): unknown[] {
    const exact = new JsonArraySplitter(this.property);
    this.exact = exact;
    const held = Buffer.concat([Buffer.from(this.started ? `{"${this.property}":[${this.carry}` : this.carry, 'utf8'), this.pending]);
    this.carry = '';
    this.pending = Buffer.alloc(0);
    return exact.push(held);
  }
}
