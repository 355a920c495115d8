// One row per action: the timeline folds a console action's intent into its outcome and the IdP's events
// that carry the action's correlation id into the same row; exports (fold off) keep every record.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AuditFilter, auditActionLabel, auditActionLabelsEn, auditActionLabels } from '../../../shared/domain/audit.ts';
import { openAuditStore, type AuditStore } from '../../../src-main/store/audit-store.ts';
import { openJournal, type Journal } from '../../../src-main/store/journal.ts';

const hd = { username: 'hd', displayName: 'Helle Dam', dn: 'CN=Helle', roles: ['helpdesk' as const], helpdeskOus: null };
const target = { id: 'p1', label: 'Søren Ågesen (soeaag)', ou: 'OU=Elever,DC=k' };
let dir: string;
let journal: Journal;
let store: AuditStore;
const at = (min: number) => new Date(Date.UTC(2026, 2, 1, 9, min)).toISOString();
const idpEvent = (id: number, action: string, correlationId: string | null, source = 'idp-admin-api') => ({
  id, time: at(id), action, message: action, ipAddress: null, correlationId,
  person: { domain: 'k', username: 'soeaag', displayName: 'Søren Ågesen' }, performer: null, details: null, cprMasked: null, source, eventId: null,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-fold-'));
  journal = openJournal(join(dir, 'j.sqlite'));
  store = openAuditStore(journal.file);
  const base = { operator: hd, workstation: 'ws', reason: 'Ringede ind', target };
  // A test push (intent + outcome), a device unlock (intent + outcome), and one still running (intent only).
  const push = journal.append({ ...base, kind: 'intent', operation: 'people.deviceAction', correlationId: 'c-push', at: at(1), outcome: null, summary: { input: { personId: 'p1', deviceId: 'd1', action: 'test-push', reason: 'Ringede ind' } } });
  journal.append({ ...base, kind: 'outcome', operation: 'people.deviceAction', correlationId: 'c-push', at: at(2), outcome: 'success', summary: { intent: push } });
  const unlock = journal.append({ ...base, kind: 'intent', operation: 'people.deviceAction', correlationId: 'c-unlock', at: at(3), outcome: null, summary: { input: { personId: 'p1', deviceId: 'd1', action: 'unlock', reason: 'Ringede ind' } } });
  journal.append({ ...base, kind: 'outcome', operation: 'people.deviceAction', correlationId: 'c-unlock', at: at(4), outcome: 'failed', summary: { intent: unlock } });
  journal.append({ ...base, kind: 'intent', operation: 'people.unlockAccount', correlationId: 'c-run', at: at(5), outcome: null, summary: { input: { personId: 'p1', reason: 'Ringede ind' } } });
  store.ingestIdpEvents([
    idpEvent(1, 'ADMIN_MFA_TEST', 'c-push'),
    // The IdP's copy of the console's own journal record (shipped by the outbox): an echo, not an IdP action.
    idpEvent(2, 'people.deviceAction', 'c-push', 'console'),
    idpEvent(3, 'WRONG_PASSWORD', 'login-session-1', 'idp'),
    idpEvent(4, 'LOGIN', null, 'idp'),
  ]);
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

it('shows one row per action with its outcome, its specific kind and the IdP events it caused', () => {
  const rows = store.search(AuditFilter.parse({ fold: true }), { limit: 100 }).rows;
  const console = rows.filter((r) => r.source === 'console');
  expect(console.map((r) => [r.action, r.variant, r.kind, r.outcome])).toEqual([
    ['people.unlockAccount', null, 'intent', null],
    ['people.deviceAction', 'unlock', 'outcome', 'failed'],
    ['people.deviceAction', 'test-push', 'outcome', 'success'],
  ]);
  expect(console.find((r) => r.variant === 'test-push')?.echoes).toEqual(['ADMIN_MFA_TEST']);
  expect(console.find((r) => r.variant === 'unlock')?.echoes).toEqual([]);
  // The IdP's events of the push are in the push's row; the IdP's other events stay rows of their own.
  expect(rows.filter((r) => r.source === 'idp').map((r) => r.action)).toEqual(['LOGIN', 'WRONG_PASSWORD']);
  expect(store.count(AuditFilter.parse({ fold: true }))).toBe(5);
  expect(store.count(AuditFilter.parse({}))).toBe(9);
  // The reason and the person travel with the folded row.
  expect(console[1]).toMatchObject({ reason: 'Ringede ind', personId: 'p1' });
});

it('keeps every record when not folded, and the IdP filter alone still shows the IdP events of an action', () => {
  expect([...store.iterate(AuditFilter.parse({}))]).toHaveLength(9);
  expect(store.search(AuditFilter.parse({ fold: true, source: 'idp' }), { limit: 100 }).rows.map((r) => r.action)).toContain('ADMIN_MFA_TEST');
  // Following one action's correlation id shows each of its records.
  expect(store.search(AuditFilter.parse({ correlationId: 'c-push' }), { limit: 100 }).rows).toHaveLength(4);
});

it('names each kind of device action, drift fix and lock on its own, in both languages', () => {
  expect(auditActionLabel('people.deviceAction', 'da', 'test-push')).toBe('Test-push sendt til MFA-enhed');
  expect(auditActionLabel('people.deviceAction', 'da', 'unlock')).toBe('MFA-enhed låst op');
  expect(auditActionLabel('people.deviceAction', 'da', 'release-token')).toBe('Kodeviser frigivet');
  expect(auditActionLabel('people.deviceAction', 'en', 'test-push')).toBe('Test push sent to MFA device');
  // An unknown variant falls back to the operation's label, never to the raw key.
  expect(auditActionLabel('people.deviceAction', 'da', 'something-new')).toBe('MFA-enhed ændret');
  const variants = Object.keys(auditActionLabels).filter((k) => k.includes(':'));
  expect(new Set(variants.map((k) => auditActionLabels[k])).size).toBe(variants.length);
  for (const k of variants) expect(auditActionLabelsEn[k]).toBeTruthy();
});
