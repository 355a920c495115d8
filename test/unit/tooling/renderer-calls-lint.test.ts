import { describe, expect, it } from 'vitest';
import { fileIn, LINT_TIMEOUT, ruleIds, spec } from './lint.ts';

// The renderer calls main only through app/ops.ts, so every answer is cached under one key and every
// write refreshes what its contract entry names. Prove the lint rule that keeps it so fires where it
// should, and only there.
const TRANSPORT = 'src-renderer/app/transport.ts';
const feature = fileIn('src-renderer/features', /\.tsx$/);
const component = fileIn('src-renderer/components', /\.tsx$/);

const rawCall = (from: string) => `import { invoke } from '${from}';\nexport const x = () => invoke('people.refresh', {});\n`;

describe('raw invoke() in the renderer', { timeout: LINT_TIMEOUT }, () => {
  it('is refused in a feature, a component and the app shell', async () => {
    expect(await ruleIds(rawCall(spec(feature, TRANSPORT)), feature)).toContain('no-restricted-imports');
    expect(await ruleIds(rawCall(spec(component, TRANSPORT)), component)).toContain('no-restricted-imports');
    expect(await ruleIds(rawCall('./transport.ts'), 'src-renderer/app/App.tsx')).toContain('no-restricted-imports');
  });

  it('is allowed in app/ops.ts, the one place that calls main', async () => {
    expect(await ruleIds(rawCall('./transport.ts'), 'src-renderer/app/ops.ts')).toEqual([]);
  });

  it('leaves the rest of transport importable, and keeps the renderer\'s other import limits', async () => {
    const ok = `import { OpError } from '${spec(feature, TRANSPORT)}';\nexport const e = new OpError('internal', 'x');\n`;
    expect(await ruleIds(ok, feature)).toEqual([]);
    // The block repeats the renderer's limits: adding the invoke rule must not lift them.
    const node = "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n";
    expect(await ruleIds(node, feature)).toContain('no-restricted-imports');
    expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", 'src-renderer/app/ops.ts')).toContain('no-restricted-imports');
  });
});
