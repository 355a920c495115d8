import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetentionSettings } from '../../../shared/domain/audit.ts';
import { applyRetention } from '../../../src-main/services/audit/retention.ts';
import { openAuditStore, type AuditStore } from '../../../src-main/store/audit-store.ts';
import { openJournal, type Journal } from '../../../src-main/store/journal.ts';
import { fileRetentionStore } from '../../../src-main/store/retention-store.ts';
import { sqlOf } from '../../support/sql.ts';

const op = { username: 'a', displayName: 'A', dn: 'CN=A', roles: ['administrator' as const], helpdeskOus: null };
const now = new Date(2026, 10, 23);
const monthsBack = (m: number) => new Date(2026, 10 - m, 20).toISOString();
let dir: string;
let journal: Journal;
let store: AuditStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-ret-'));
  journal = openJournal(join(dir, 'j.sqlite'));
  store = openAuditStore(journal.file);
  // Ten records: 20, 18, 16 … 2 months old.
  journal.appendMany(Array.from({ length: 10 }, (_, i) => ({
    kind: 'event' as const, operation: 'people.unlockAccount', operator: op, workstation: 'w', correlationId: `c${i}`,
    target: null, reason: 'x', outcome: 'success' as const, summary: {}, at: monthsBack(20 - 2 * i),
  })));
  const ev = (id: number, action: string, months: number) => ({ id, time: monthsBack(months), action, message: action, ipAddress: null, correlationId: null, person: null, performer: null, details: null, cprMasked: null, source: 'idp', eventId: null });
  store.ingestIdpEvents([ev(1, 'LOGIN', 5), ev(2, 'LOGIN', 1), ev(3, 'CHANGE_PASSWORD', 5), ev(4, 'DELETED_MFA_DEVICE', 15)]);
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('retention', () => {
  it('cuts the journal from its start, keeps the chain verifiable, and never removes what is not shipped', () => {
    const settings = RetentionSettings.parse({});
    // Only the first two records are acknowledged by the IdP: the third (16 months old) must stay.
    const r = applyRetention(journal, store, 2, settings, now);
    expect(r.journalRemoved).toBe(2);
    expect(journal.list().map((x) => x.seq)[0]).toBe(3);
    expect(journal.verify()).toMatchObject({ ok: true, count: 8 });
    // Once everything is shipped, all records older than 13 months go (16 and 14 months old).
    const r2 = applyRetention(journal, store, 10, settings, now);
    expect(r2.journalRemoved).toBe(2);
    expect(journal.list().map((x) => x.seq)[0]).toBe(5);
    expect(journal.verify()).toMatchObject({ ok: true, count: 6 });
  });

  it('still detects tampering after a purge', () => {
    applyRetention(journal, store, 10, RetentionSettings.parse({}), now);
    sqlOf(journal).exec("UPDATE journal SET reason = 'ændret' WHERE seq = 6");
    expect(journal.verify()).toMatchObject({ ok: false, findings: [{ kind: 'changed', fromSeq: 6 }] });
  });

  it('keeps IdP login events 3 months and everything else 13 months', () => {
    const r = applyRetention(journal, store, 0, RetentionSettings.parse({}), now);
    expect(r.idpRemoved).toBe(2); // the 5-month-old LOGIN and the 15-month-old device deletion
    const left = store.search({ actions: [], source: 'idp' }, { limit: 10 }).rows.map((x) => x.key).sort();
    expect(left).toEqual(['i:2', 'i:3']);
  });
});

describe('the retention settings file', () => {
  it('fails closed when it exists but cannot be read, so the purge deletes nothing', () => {
    const file = join(dir, 'retention.json');
    const retention = fileRetentionStore(file);
    expect(retention.read()).toEqual(RetentionSettings.parse({})); // missing: the defaults
    retention.write({ consoleMonths: 60, idpLoginMonths: 3, idpOtherMonths: 60 });
    expect(retention.read().consoleMonths).toBe(60);

    // A damaged file must not mean "13 months": the 16- and 20-month-old records were meant to be kept.
    for (const damaged of ['{"consoleMonths": 6', '{"consoleMonths": "sixty"}']) {
      writeFileSync(file, damaged);
      expect(() => retention.read()).toThrow(/Opbevaringsperioderne .* kan ikke læses/);
    }
    expect(() => applyRetention(journal, store, 10, retention.read(), now)).toThrow();
    expect(journal.list()).toHaveLength(10);
  });
});
