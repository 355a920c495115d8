import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// One language at a time (#18): an error main throws on purpose names its message by key
// (`new ConsoleError(…).withKey(key, params)` or `keyedError(…)`), so an English operator reads it in
// English (the renderer's errors.messages.<key>). tsc checks that a key exists (MessageKey), the
// completeness test that it has both texts; this test checks that no new unkeyed ConsoleError appears.
// Exempt: code 'internal' (the renderer shows the code's own text), and the files listed below with how
// many unkeyed ones they still hold — a ratchet: the count may fall, never rise.

const ROOT = join(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src-main');

/** Still unkeyed, with reasons: only messages caught inside main (never shown). */
const stillUnkeyed: Record<string, number> = {
  // Caught inside the policy update to turn a stale version into the conflict the operator sees (keyed).
  'src-main/services/policies/policy-service.ts': 1,
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Each `new ConsoleError(…)` call: its text and what follows its closing parenthesis. */
export function consoleErrorCalls(s: string): { call: string; after: string }[] {
  const out: { call: string; after: string }[] = [];
  for (const m of s.matchAll(/new ConsoleError\(/g)) {
    let i = m.index + m[0].length;
    let depth = 1;
    const stack: string[] = []; // open quotes and template expressions
    while (depth > 0 && i < s.length) {
      const c = s[i]!;
      const top = stack[stack.length - 1];
      if (top === "'" || top === '"' || top === '`') {
        if (c === '\\') i++;
        else if (c === top) stack.pop();
        else if (top === '`' && c === '$' && s[i + 1] === '{') {
          stack.push('${');
          i++;
        }
      } else if (c === "'" || c === '"' || c === '`') stack.push(c);
      else if (top === '${' && c === '}') stack.pop();
      else if (top === '${' && c === '{') stack.push('{');
      else if (top === '{' && c === '}') stack.pop();
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      i++;
    }
    out.push({ call: s.slice(m.index, i), after: s.slice(i, i + 9) });
  }
  return out;
}

describe('error messages by key', () => {
  const unkeyed = new Map<string, string[]>();
  for (const file of walk(SRC)) {
    const rel = relative(ROOT, file);
    const calls = consoleErrorCalls(readFileSync(file, 'utf8')).filter((c) => c.after !== '.withKey(' && !/^new ConsoleError\(\s*'internal'/.test(c.call));
    if (calls.length) unkeyed.set(rel, calls.map((c) => c.call.slice(0, 120)));
  }

  it('the scanner finds keyed and unkeyed calls alike', () => {
    const sample = "throw new ConsoleError('x', `a ${f({ b: ')' })}`, { c: '(' }).withKey('k');\nthrow new ConsoleError('y', 'z');";
    expect(consoleErrorCalls(sample).map((c) => c.after.startsWith('.withKey('))).toEqual([true, false]);
  });

  it('every ConsoleError main throws on purpose names its message by key, beyond the listed exceptions', () => {
    const over = [...unkeyed].filter(([file, calls]) => calls.length > (stillUnkeyed[file] ?? 0)).map(([file, calls]) => ({ file, calls }));
    expect(over).toEqual([]);
  });

  it('the list of exceptions shrinks as files get their keys', () => {
    const stale = Object.entries(stillUnkeyed).filter(([file, n]) => (unkeyed.get(file)?.length ?? 0) < n).map(([file]) => file);
    expect(stale).toEqual([]);
  });
});
