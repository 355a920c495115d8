import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// One language at a time (#18): main's `message` fields are Danish. A screen that renders one as is
// (`{x.message}` in JSX) shows Danish to an English operator, unless the text was made by the renderer.
// The places below still do, with why; a ratchet: the count per file may fall, never rise, and a new file
// must word its texts from codes (as errors, the package check and the readiness items do).

const ROOT = join(import.meta.dirname, '../../..');

const stillDanish: Record<string, number> = {
  // Renderer-made (t('people.exported')): not Danish in English mode.
  'src-renderer/features/people/list/PeopleList.tsx': 1,
  // Renderer-made (t('people.resetDone')).
  'src-renderer/features/people/person/ResetPasswordModal.tsx': 1,
};

/** `{x.message}`, `{x?.message}`, `{f(x).message}`, `{xs[0].message}` in JSX. */
const AS_IS = /[\w)\]?]\.message\}/g;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.tsx') ? [path] : [];
  });
}

describe('texts from main on screen', () => {
  const found = new Map<string, number>();
  for (const file of walk(join(ROOT, 'src-renderer'))) {
    const n = [...readFileSync(file, 'utf8').matchAll(AS_IS)].length;
    if (n > 0) found.set(relative(ROOT, file), n);
  }

  it('finds the known places (the scan works)', () => {
    expect(['<Text>{check.idp.message}</Text>', '{j.pause?.message}', '{f(x).message}', '{t(\'x\')}'].map((s) => [...s.matchAll(AS_IS)].length)).toEqual([1, 1, 1, 0]);
    expect(found.get('src-renderer/features/people/list/PeopleList.tsx')).toBeGreaterThan(0);
  });

  it('no new place renders main\'s Danish message as is', () => {
    expect([...found].filter(([f, n]) => n > (stillDanish[f] ?? 0))).toEqual([]);
  });

  it('the list shrinks as places get their codes', () => {
    expect(Object.entries(stillDanish).filter(([f, n]) => (found.get(f) ?? 0) < n).map(([f]) => f)).toEqual([]);
  });
});
