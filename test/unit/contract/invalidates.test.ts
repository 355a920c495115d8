import { describe, expect, it } from 'vitest';
import type { OperationSpec } from '../../../shared/operation.ts';
import { operations, opNames, isOpName } from '../../../shared/operations/index.ts';

// The renderer refreshes after a write exactly what the write's contract entry says it changes
// (`useOpMutation`). A write without the list would leave stale answers on screen; a name that is not
// a read would refresh nothing.
const spec = (name: string) => operations[name as keyof typeof operations] as OperationSpec;

describe('what an operation invalidates', () => {
  it('is named by every write (an empty list being an answer too)', () => {
    const missing = opNames.filter((n) => spec(n).writes && !Array.isArray(spec(n).invalidates));
    expect(missing).toEqual([]);
  });

  it('names only read operations of the contract, each once', () => {
    const wrong: string[] = [];
    for (const name of opNames) {
      const list = spec(name).invalidates ?? [];
      if (new Set(list).size !== list.length) wrong.push(`${name}: a name twice`);
      for (const target of list) {
        if (!isOpName(target)) wrong.push(`${name} → ${target}: no such operation`);
        else if (spec(target).writes) wrong.push(`${name} → ${target}: a write, not a read`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps what the person page refreshes after a write to one person', () => {
    // The page shows the person from people.overview, the list row from people.list and the history:
    // each write to a person must refresh all three, or the drawer shows the person as before.
    const personWrites = opNames.filter((n) => spec(n).writes && spec(n).scope === 'person');
    expect(personWrites.length).toBeGreaterThan(5);
    for (const name of personWrites) {
      expect(spec(name).invalidates, name).toEqual(expect.arrayContaining(['people.list', 'people.overview', 'people.history']));
    }
  });
});
