import { describe, expect, it } from 'vitest';
import { acceptanceState, addendumProblems, diffPolicySettings, lineDiff, parseAddendum } from '../../../shared/domain/policies.ts';
import { defaultPolicySettings } from '../../../shared/idp/password-policy.ts';

describe('addendum Markdown subset', () => {
  it('parses headings, lists and inline marks into a tree with no HTML', () => {
    const blocks = parseAddendum('# Tillæg\n\nBrug **kun** dit *eget* login.\n\n- én\n- to\n\n1. først\n2. så\n\n[Support](https://kommune.dk/it)');
    expect(blocks.map((b) => b.t)).toEqual(['heading', 'paragraph', 'list', 'list', 'paragraph']);
    expect(blocks[1]).toEqual({ t: 'paragraph', inline: [{ t: 'text', text: 'Brug ' }, { t: 'strong', text: 'kun' }, { t: 'text', text: ' dit ' }, { t: 'em', text: 'eget' }, { t: 'text', text: ' login.' }] });
    expect(blocks[3]).toMatchObject({ t: 'list', ordered: true });
    expect(blocks[4]).toEqual({ t: 'paragraph', inline: [{ t: 'link', text: 'Support', href: 'https://kommune.dk/it' }] });
  });
  it('keeps raw HTML as text and drops unsafe link targets', () => {
    const blocks = parseAddendum('<script>alert(1)</script> [klik](javascript:alert(1))');
    expect(JSON.stringify(blocks)).not.toContain('"t":"link"');
    expect(blocks[0]).toMatchObject({ t: 'paragraph' });
    expect((blocks[0] as { inline: { t: string; text: string }[] }).inline[0]).toEqual({ t: 'text', text: '<script>alert(1)</script> ' });
  });
  it('names the problems that stop a publish', () => {
    expect(addendumProblems('Almindelig tekst med **fed**')).toEqual([]);
    expect(addendumProblems('<img src=x onerror=alert(1)>')[0]).toContain('HTML');
    expect(addendumProblems('[x](javascript:alert(1))')[0]).toContain('javascript');
    expect(addendumProblems('[x](http://usikker.dk)')[0]).toContain('https://');
    expect(addendumProblems('3 < 5 og 7 > 2')).toEqual([]);
  });
});

describe('line diff', () => {
  it('pairs an edited line with its old self and marks additions and removals', () => {
    const rows = lineDiff('a\nb\nc\nd', 'a\nB\nc\ne\nf');
    expect(rows.map((r) => r.kind)).toEqual(['same', 'changed', 'same', 'changed', 'added']);
    expect(rows[1]).toMatchObject({ left: 'b', right: 'B', leftNo: 2, rightNo: 2 });
    expect(lineDiff('x\ny', 'x').map((r) => r.kind)).toEqual(['same', 'removed']);
  });
});

describe('acceptance state', () => {
  const versions = [
    { version: 1, requiresReacceptance: true },
    { version: 2, requiresReacceptance: false },
    { version: 3, requiresReacceptance: true },
  ];
  it('an older acceptance holds until a version requires everyone to accept again', () => {
    expect(acceptanceState(1, 2, versions)).toBe('accepted-older-valid');
    expect(acceptanceState(2, 3, versions)).toBe('stale');
    expect(acceptanceState(3, 3, versions)).toBe('accepted');
    expect(acceptanceState(3, 2, versions)).toBe('accepted-newer');
    expect(acceptanceState(null, 2, versions)).toBe('none');
  });
});

describe('policy diff', () => {
  it('lists changed fields and word-list changes as added/removed', () => {
    const a = { ...defaultPolicySettings(true), bannedWords: ['sommer', 'vinter'] };
    const b = { ...a, minLength: 16, bannedWords: ['Sommer', 'forår'] };
    const d = diffPolicySettings(a, b);
    expect(d.map((r) => r.field)).toEqual(['minLength', 'bannedWords']);
    expect(d[1]).toMatchObject({ added: ['forår'], removed: ['vinter'] });
  });
});
