import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditFilter } from '../../../shared/domain/audit.ts';
import { openAuditStore, type AuditStore } from '../../../src-main/store/audit-store.ts';
import { openJournal, type Journal } from '../../../src-main/store/journal.ts';

const hd = { username: 'hd', displayName: 'Helle Dam', dn: 'CN=Helle', roles: ['helpdesk' as const], helpdeskOus: null };
const local = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).toISOString();
let dir: string;
let journal: Journal;
let store: AuditStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-audit-'));
  journal = openJournal(join(dir, 'j.sqlite'));
  store = openAuditStore(journal.file);
  const base = { kind: 'intent' as const, operator: hd, workstation: 'ws', reason: 'Ringede ind', outcome: null, summary: {} };
  journal.appendMany([
    { ...base, operation: 'people.unlockAccount', correlationId: 'c1', at: local(2026, 3, 1, 0, 1), target: { id: 'p1', label: 'Søren Ågesen (soeaag)', ou: 'OU=Elever,OU=Skoler,DC=k' } },
    { ...base, operation: 'people.unlockAccount', correlationId: 'c2', at: local(2026, 3, 31, 23, 59), target: { id: 'p2', label: 'Bo Holm (boholm)', ou: 'OU=Borgerservice,DC=k' } },
    { ...base, operation: 'settings.update', correlationId: 'c3', at: local(2026, 4, 1, 0, 0), target: null, reason: null },
  ]);
  store.ingestIdpEvents([
    { id: 10, time: local(2026, 3, 15, 12), action: 'WRONG_PASSWORD', message: 'Forkert kode', ipAddress: null, correlationId: 'x', person: { domain: 'k', username: 'soeaag', displayName: 'Søren Ågesen' }, performer: null, details: null, cprMasked: null, source: 'idp', eventId: null },
    { id: 12, time: local(2026, 3, 16, 12), action: 'LOGIN', message: 'Login', ipAddress: null, correlationId: 'y', person: { domain: 'k', username: 'boholm', displayName: 'Bo Holm' }, performer: null, details: null, cprMasked: null, source: 'idp', eventId: null },
  ]);
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

const f = (x: Record<string, unknown>) => AuditFilter.parse(x);

describe('audit store', () => {
  it('includes the whole end day and nothing after it', () => {
    const rows = store.search(f({ from: '2026-03-01', to: '2026-03-31' }), { limit: 100 }).rows;
    expect(rows.map((r) => r.key)).toEqual(['c:2', 'i:12', 'i:10', 'c:1']);
    expect(store.count(f({ from: '2026-03-31', to: '2026-03-31' }))).toBe(1);
  });

  it('ignores an IdP event it already has', () => {
    expect(store.ingestIdpEvents([{ id: 10, time: local(2026, 3, 15, 12), action: 'WRONG_PASSWORD', message: 'igen', ipAddress: null, correlationId: null, person: null, performer: null, details: null, cprMasked: null, source: 'idp', eventId: null }])).toBe(0);
    expect(store.idpCursor()).toBe(12);
  });

  it('iterates everything oldest first in the timeline\'s order, ties by source, filters applied', () => {
    // Same instant in both sources, and journal records out of time order (seq 5 older than seq 4).
    store.ingestIdpEvents([{ id: 11, time: local(2026, 3, 1, 0, 1), action: 'LOGIN', message: 'Samme tid', ipAddress: null, correlationId: null, person: null, performer: null, details: null, cprMasked: null, source: 'idp', eventId: null }]);
    const base = { kind: 'outcome' as const, operator: hd, workstation: 'ws', reason: null, outcome: 'success' as const, summary: {}, target: null };
    journal.appendMany([
      { ...base, operation: 'settings.update', correlationId: 'c4', at: local(2026, 5, 1, 9) },
      { ...base, operation: 'settings.update', correlationId: 'c5', at: local(2026, 3, 20, 9) },
    ]);
    const all = [...store.iterate(f({}))].map((r) => r.key);
    expect(all).toEqual(['c:1', 'i:11', 'i:10', 'i:12', 'c:5', 'c:2', 'c:3', 'c:4']);
    // The same order as paging the timeline newest first, reversed.
    expect(all).toEqual(store.search(f({}), { limit: 100 }).rows.map((r) => r.key).reverse());
    expect([...store.iterate(f({ source: 'idp' }))].map((r) => r.key)).toEqual(['i:11', 'i:10', 'i:12']);
    expect([...store.iterate(f({ from: '2026-03-02', to: '2026-03-31' }))].map((r) => r.key)).toEqual(['i:10', 'i:12', 'c:5', 'c:2']);
  });

  it('pages by cursor without repeating or skipping a row', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = store.search(f({}), { limit: 2, cursor });
      seen.push(...page.rows.map((r) => r.key));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['c:3', 'c:2', 'i:12', 'i:10', 'c:1']);
  });

  it('filters by person across both sources, by OU and by action', () => {
    expect(store.search(f({ person: 'Ågesen' }), { limit: 10 }).rows.map((r) => r.key)).toEqual(['i:10', 'c:1']);
    expect(store.search(f({ ou: 'ou=skoler,dc=k' }), { limit: 10 }).rows.map((r) => r.key)).toEqual(['c:1']);
    expect(store.search(f({ actions: ['WRONG_PASSWORD', 'settings.update'] }), { limit: 10 }).rows.map((r) => r.key)).toEqual(['c:3', 'i:10']);
  });

  it('treats free text literally: FTS operators and LIKE wildcards match nothing extra', () => {
    expect(store.search(f({ text: 'ringede' }), { limit: 10 }).rows).toHaveLength(2);
    expect(store.search(f({ text: 'ringede OR login' }), { limit: 10 }).rows).toHaveLength(0);
    expect(store.search(f({ text: '*' }), { limit: 10 }).rows).toHaveLength(0);
    expect(store.search(f({ person: '%' }), { limit: 10 }).rows).toHaveLength(0);
  });

  it('rejects an end date before the start date', () => {
    expect(AuditFilter.safeParse({ from: '2026-04-02', to: '2026-04-01' }).success).toBe(false);
  });

  it('counts per day, per operator and failed logins for the charts', () => {
    const s = store.stats(f({}));
    expect(s.perOperator).toEqual([{ operator: 'Helle Dam (hd)', count: 3 }]);
    expect(s.failedLoginsPerDay.reduce((n, d) => n + d.count, 0)).toBe(1);
  });
});
