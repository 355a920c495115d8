import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ESLint } from 'eslint';

// Lints small in-memory files with the repository's own eslint.config.js. Type-checked linting only
// accepts files its TypeScript projects contain, so each probe borrows the path of a real file in the
// layer under test (its text is replaced, the file on disk is not touched); the probe's imports are
// written relative to that path, so the tests do not break when a file in the layer is renamed.

export const eslint = new ESLint({ cwd: process.cwd() });

/** The first probe in a file loads TypeScript's projects (seconds, more on a busy machine). */
export const LINT_TIMEOUT = 120_000;

/** Rule ids (or the message, for a parse error) reported for `code` linted as `filePath`. */
export async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

/** Messages reported for `code` linted as `filePath`, as `rule: message`. */
export async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

/** The first source file (in name order, depth first) under `dir`, for a probe to stand in for. */
export function fileIn(dir: string, ext: RegExp = /\.ts$/): string {
  const walk = (d: string): string | null => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        const inner = walk(p);
        if (inner) return inner;
      } else if (ext.test(name) && !name.endsWith('.d.ts')) {
        return p;
      }
    }
    return null;
  };
  const found = walk(dir);
  if (!found) throw new Error(`No source file under ${dir} to lint a probe as.`);
  return found;
}

/** An import specifier for `target` as written in `from` (both relative to the repository root). */
export function spec(from: string, target: string): string {
  const r = relative(dirname(from), target).split('\\').join('/');
  return r.startsWith('.') ? r : `./${r}`;
}
