// The full-organisation search answers `{"employees":[...]}` in one body, which for a large municipality
// is large. It is parsed as a stream: one employee at a time is handed on, so the whole body is never held
// (neither as a string nor as a parsed array).
import { pipeline, type Readable } from 'node:stream';
import Parser from 'stream-json/Parser.js';
import Pick from 'stream-json/filters/Pick.js';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { ConsoleError } from '../../../shared/errors.ts';
import { SearchBodySplitter } from './json-array-splitter.ts';

/**
 * `splitter` (default): find each element's bytes and JSON.parse it natively — fast, bounded memory.
 * `stream-json`: token-by-token in JS; kept as a second opinion, measured in bench/mitid-search.bench.ts.
 */
export type SearchParser = 'splitter' | 'stream-json';

/**
 * Hands each raw element of the top-level `employees` array (name matched case-insensitively) to `onItem`,
 * which returns false to stop. Callback style, not an async iterator: no per-item promise unless `onItem`
 * needs one — at 100,000 items a per-item await shows.
 */
export async function forEachEmployee(
  body: Readable,
  parser: SearchParser = 'splitter',
  onItem: (raw: unknown) => boolean | Promise<boolean>,
): Promise<void> {
  if (parser === 'stream-json') {
    for await (const item of viaStreamJson(body)) if (!(await onItem(item))) return;
    return;
  }
  const splitter = new SearchBodySplitter('employees');
  const parsed = (fn: () => unknown[]): unknown[] => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof SyntaxError) throw new ConsoleError('unavailable-mitid', 'MitID Erhverv svarede med et uventet format i søgningen').withKey('mitidSearchFormat');
      throw e;
    }
  };
  const hand = async (items: unknown[]): Promise<boolean> => {
    for (const item of items) {
      const r = onItem(item);
      if (!(typeof r === 'boolean' ? r : await r)) return false;
    }
    return true;
  };
  for await (const chunk of body) {
    if (!(await hand(parsed(() => splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))))))) return;
  }
  // The body ended: the last elements, or an error when it broke off inside the array.
  await hand(parsed(() => splitter.end()));
}

async function* viaStreamJson(body: Readable): AsyncGenerator<unknown> {
  const out = pipeline(
    body,
    // Values are only needed packed; not emitting their pieces as tokens roughly halves the work.
    Parser.parser({ streamValues: false }),
    Pick.pick({ filter: (stack) => stack.length === 1 && String(stack[0]).toLowerCase() === 'employees' }),
    StreamArray.streamArray(),
    () => {
      // Errors surface through the iteration below; this callback only keeps pipeline from throwing.
    },
  );
  for await (const chunk of out as AsyncIterable<{ key: number; value: unknown }>) {
    yield chunk.value;
  }
}
