// The journal's one canonical encoding, property-tested: whatever text a caller passes in any free-text
// field — unpaired surrogates, NUL and other control characters, bidi marks, emoji, very long strings —
// goes through a real node:sqlite write, a close and a reopen, and the untouched journal verifies, and
// reads back exactly what went in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Reason } from '../../../shared/domain/person.ts';
import { decodeJournalRecord, encodeJournalRecord, openJournal, type JournalEntryInput } from '../../../src-main/store/journal.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Any UTF-16 code unit (lone surrogates, NUL, C0/C1 controls), bidi controls, emoji and astral letters. */
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u2028', '\ufeff', '\ufffd', '\ud800', '\udfff', '"', '\\') },
  { weight: 2, arbitrary: fc.constantFrom('\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069') },
  { weight: 2, arbitrary: fc.constantFrom('😀', '👩‍👩‍👧', '🇩🇰', '𝔘', 'æ', 'ø', 'å', 'Ω', '\u0301') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
);
const text = fc.oneof({ weight: 8, arbitrary: fc.string({ unit, maxLength: 60 }) }, { weight: 1, arbitrary: fc.string({ unit, minLength: 2000, maxLength: 20_000 }) });
const nullableText = fc.option(text, { nil: null });
const summaryValue = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.dictionary(text, text, { maxKeys: 3 }));

const entry: fc.Arbitrary<JournalEntryInput> = fc.record({
  kind: fc.constantFrom('intent' as const, 'outcome' as const, 'event' as const),
  operation: text,
  operator: fc.record({
    username: text,
    displayName: text,
    dn: text,
    roles: fc.subarray(['administrator', 'useradmin', 'helpdesk', 'auditor'] as const),
    helpdeskOus: fc.constant(null),
  }),
  workstation: text,
  correlationId: text,
  target: fc.option(fc.record({ id: text, label: nullableText, ou: nullableText }), { nil: null }),
  reason: nullableText,
  outcome: fc.constantFrom('success' as const, 'refused' as const, 'failed' as const, 'unknown' as const, null),
  summary: fc.dictionary(text, summaryValue, { maxKeys: 4 }),
});

/** What JSON makes of a summary (the documented normalisation: e.g. -0 becomes 0). */
const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('the canonical encoding of a journal record', { timeout: 60_000 }, () => {
  it('is printable ASCII and decodes to exactly the record that was encoded', () => {
    fc.assert(
      fc.property(entry, fc.integer({ min: 1, max: 2 ** 40 }), (e, seq) => {
        const rec = {
          seq, id: 'id', at: '2026-11-23T10:00:00.000Z', kind: e.kind, operation: e.operation, operatorUsername: e.operator.username,
          operatorName: e.operator.displayName, operatorRoles: [...e.operator.roles], workstation: e.workstation, correlationId: e.correlationId,
          targetId: e.target?.id ?? null, targetLabel: e.target?.label ?? null, targetOu: e.target?.ou ?? null, reason: e.reason, outcome: e.outcome,
          summary: e.summary, prevHash: '0'.repeat(64),
        };
        const canon = encodeJournalRecord(rec);
        expect(canon).toMatch(/^[\x20-\x7e]*$/);
        expect(decodeJournalRecord(canon)).toEqual({ ...rec, summary: viaJson(rec.summary) });
        // Stable: encoding the decoded record gives the same bytes, so the hash cannot drift.
        expect(encodeJournalRecord(decodeJournalRecord(canon))).toBe(canon);
      }),
      { numRuns: 300 },
    );
  });

  it('verifies whatever text callers pass, after a real SQLite write, a close and a reopen', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (entries) => {
        const dir = mkdtempSync(join(tmpdir(), 'lia-canon-'));
        dirs.push(dir);
        const file = join(dir, 'journal.sqlite');
        let journal = openJournal(file);
        for (const e of entries.slice(0, -1)) journal.append(e);
        journal.appendMany(entries.slice(-1));
        journal.close();
        journal = openJournal(file);
        try {
          const v = journal.verify();
          expect(v.findings).toEqual([]);
          expect(v).toMatchObject({ ok: true, count: entries.length });
          const back = journal.list();
          expect(back.map((r) => [r.reason, r.operatorName, r.operatorUsername, r.targetLabel, r.targetOu, r.targetId, r.workstation, r.correlationId, r.operation]))
            .toEqual(entries.map((e) => [e.reason, e.operator.displayName, e.operator.username, e.target?.label ?? null, e.target?.ou ?? null, e.target?.id ?? null, e.workstation, e.correlationId, e.operation]));
          expect(back.map((r) => r.summary)).toEqual(entries.map((e) => viaJson(e.summary)));
        } finally {
          journal.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a bigint or an undefined in a summary from breaking the append or the chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lia-canon-'));
    dirs.push(dir);
    const journal = openJournal(join(dir, 'j.sqlite'));
    const operator = { username: 'u', displayName: 'U', dn: '', roles: [], helpdeskOus: null };
    journal.append({ kind: 'event', operation: 'x', operator, workstation: 'w', correlationId: 'c', target: null, reason: null, outcome: null, summary: { n: 10n, u: undefined, d: new Date(0) } });
    expect(journal.verify()).toMatchObject({ ok: true, count: 1 });
    expect(journal.list()[0]?.summary).toEqual({ n: '10', d: '1970-01-01T00:00:00.000Z' });
    journal.close();
  });
});

describe('the shared Reason schema', () => {
  const refused = 'Begrundelsen indeholder usynlige styretegn eller ufuldstændige tegn. Skriv den igen med almindelig tekst.';
  it.each([
    ['a NUL', 'Ringede ind\u0000 i dag'],
    ['an escape', 'Ringede \u001b[31m ind'],
    ['a C1 control', 'Ringede \u0085 ind'],
    ['an unpaired surrogate', 'Ringede ind \ud800 i dag'],
    ['a right-to-left override', 'Ringede \u202e dni'],
    ['a bidi isolate', 'Ringede \u2066 ind \u2069'],
  ])('refuses %s with a Danish message', (_, reason) => {
    const r = Reason.safeParse(reason);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(refused);
  });

  it('accepts ordinary Danish text, line breaks and emoji', () => {
    expect(Reason.parse('Glemt kode efter ferien – ringede selv 😀\nAftalt med Søren Ågesen')).toContain('Søren');
  });
});

describe('a summary key JSON keeps but object code can lose', () => {
  it('verifies a record whose summary has an own "__proto__" key (found by the property test)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lia-canon-'));
    dirs.push(dir);
    const file = join(dir, 'j.sqlite');
    let journal = openJournal(file);
    const operator = { username: 'u', displayName: 'U', dn: '', roles: [], helpdeskOus: null };
    journal.append({ kind: 'event', operation: 'x', operator, workstation: 'w', correlationId: 'c', target: null, reason: null, outcome: null, summary: JSON.parse('{"__proto__":"x","a":1}') as Record<string, unknown> });
    journal.close();
    journal = openJournal(file);
    expect(journal.verify()).toMatchObject({ ok: true, count: 1, findings: [] });
    expect(Object.keys(journal.list()[0]?.summary ?? {})).toEqual(['__proto__', 'a']);
    journal.close();
  });
});
