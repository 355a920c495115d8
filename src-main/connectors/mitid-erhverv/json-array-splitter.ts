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
