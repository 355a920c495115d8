// The timeline with several AD domains (#19): each event belongs to the domain of the person it is about,
// or of the operator who did it; an operator of another domain than the municipality's own reads their
// domain's events only — in the list, the counts, the charts and an export alike.
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditFilter } from '../../../shared/domain/audit.ts';
import { AdDomain } from '../../../shared/domain/settings.ts';
import { isConsoleError } from '../../../shared/errors.ts';
import type { Operator, Role } from '../../../shared/roles.ts';
import { timelineFilter } from '../../../src-main/services/audit/audit-service.ts';
import { operatorDomainOf } from '../../../src-main/connectors/ad/domains-directory.ts';
import { operatorFromIdentity } from '../../../src-main/services/session/roles.ts';
import { openAuditStore, type AuditStore } from '../../../src-main/store/audit-store.ts';
import { openJournal, type Journal } from '../../../src-main/store/journal.ts';

const domain = (id: string, name: string, baseDn: string, idpDomain = '') =>
  AdDomain.parse({ id, name, baseDn, idpDomain, urls: [`ldaps://${id}.test:636`], upnSuffix: `${id}.test` });
const kommune = domain('kommune', 'Kommunen', 'DC=kommune,DC=test');
// A child domain inside the municipality's: its people's DNs lie within both base DNs.
const skole = domain('skole', 'Skolerne', 'DC=skole,DC=kommune,DC=test', 'skole.kommune.test');
const domains = [kommune, skole];

const operator = (username: string, of: AdDomain, roles: Role[] = ['auditor']): Operator =>
  operatorFromIdentity(
    { dn: `CN=${username},${of.baseDn}`, username, displayName: username, groups: [{ name: 'Revisorer', sid: '', dn: '' }] },
    { administrator: [], useradmin: [], helpdesk: [], auditor: roles.includes('auditor') ? ['Revisorer'] : [], helpdeskScopes: [] },
    operatorDomainOf(of, kommune, domains),
  );
const townAuditor = operator('revisor', kommune);
const schoolAuditor = operator('revisor', skole);
const townHelpdesk = operator('hd', kommune);
const schoolHelpdesk = operator('hd', skole);

let dir: string;
let journal: Journal;
let store: AuditStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-audit-domains-'));
  journal = openJournal(join(dir, 'j.sqlite'));
  store = openAuditStore(journal.file);
  const at = (h: number) => new Date(2026, 11, 1, h).toISOString();
  const base = { kind: 'intent' as const, workstation: 'ws', reason: 'Ringede ind', outcome: null, summary: {} };
  journal.appendMany([
    // 1: the municipality's helpdesk on a municipality person.
    { ...base, operator: townHelpdesk, operation: 'people.unlockAccount', correlationId: 'c1', at: at(1), target: { id: 'p1', label: 'Bo Holm (boholm)', ou: 'OU=Borgerservice,DC=kommune,DC=test' } },
    // 2: the school's helpdesk on a pupil (DN also within the municipality's base DN: the innermost wins).
    { ...base, operator: schoolHelpdesk, operation: 'people.resetPassword', correlationId: 'c2', at: at(2), target: { id: 'p2', label: 'Ea Elev (eaelev)', ou: 'OU=Elever,DC=skole,DC=kommune,DC=test' } },
    // 3: the school's helpdesk tried a municipality person (refused): theirs by the operator, the town's by the person.
    { ...base, operator: schoolHelpdesk, operation: 'people.unlockAccount', correlationId: 'c3', at: at(3), target: { id: 'p1', label: 'Bo Holm (boholm)', ou: 'OU=Borgerservice,DC=kommune,DC=test' } },
    // 4: the school's helpdesk signs in (no person): the school's only.
    { ...base, operator: schoolHelpdesk, operation: 'session.login', correlationId: 'c4', at: at(4), target: null, reason: null },
    // 5: the municipality's administrator changes settings (no person): the municipality's only.
    { ...base, operator: townHelpdesk, operation: 'settings.update', correlationId: 'c5', at: at(5), target: null, reason: null },
    // 6: an identity with no AD account (no OU): the municipality's.
    { ...base, operator: townHelpdesk, operation: 'people.suspendIdentity', correlationId: 'c6', at: at(6), target: { id: 'uuid-1', label: 'Uden Konto', ou: null } },
  ]);
  const ev = { message: 'm', ipAddress: null, correlationId: null, details: null, cprMasked: null, source: 'idp', eventId: null };
  store.ingestIdpEvents([
    { ...ev, id: 1, time: at(7), action: 'LOGIN', person: { domain: 'skole.kommune.test', username: 'eaelev', displayName: 'Ea Elev' }, performer: null },
    { ...ev, id: 2, time: at(8), action: 'LOGIN', person: { domain: 'kommune.test', username: 'boholm', displayName: 'Bo Holm' }, performer: null },
    // An IdP administrator's own change: no person, no console operator — the municipality's.
    { ...ev, id: 3, time: at(9), action: 'CHANGE_PASSWORD_SETTINGS', person: null, performer: { username: 'admin@kommune.dk', displayName: 'IdP-admin' } },
    // The school's operator acted through the console on a person of an IdP domain no AD domain claims.
    { ...ev, id: 4, time: at(10), action: 'DEACTIVATE_BY_ADMIN', person: { domain: 'andet.dk', username: 'x', displayName: 'X' }, performer: { username: 'hd@skole', displayName: 'hd' } },
  ]);
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

const keys = (f: Parameters<AuditStore['search']>[0]) => store.search(f, { limit: 100 }).rows.map((r) => r.key).sort();
const everything = AuditFilter.parse({});

describe('the timeline by domain', () => {
  it('an operator of another domain than the municipality’s is journaled as name@domain', () => {
    expect(schoolHelpdesk.username).toBe('hd@skole');
    expect(townHelpdesk.username).toBe('hd');
  });

  it('a school auditor reads the school’s events only: its people’s, and what its operators did', () => {
    const f = timelineFilter(everything, schoolAuditor, domains);
    expect(keys(f)).toEqual(['c:2', 'c:3', 'c:4', 'i:1', 'i:4']);
    expect(store.count(f)).toBe(5);
    expect([...store.iterate(f)].map((r) => r.key)).toEqual(['c:2', 'c:3', 'c:4', 'i:1', 'i:4']);
    const stats = store.stats(f);
    expect(stats.perDay.reduce((n, d) => n + d.count, 0)).toBe(5);
    expect(stats.perOperator.map((o) => o.operator)).toEqual(['hd (hd@skole)']);
    // Free text cannot widen it.
    expect(keys(timelineFilter(AuditFilter.parse({ text: 'Holm' }), schoolAuditor, domains))).toEqual(['c:3']);
  });

  it('the municipality’s auditor reads every domain, each row says its domain, and may pick one', () => {
    const all = store.search(timelineFilter(everything, townAuditor, domains), { limit: 100 }).rows;
    expect(all).toHaveLength(10);
    expect(Object.fromEntries(all.map((r) => [r.key, r.domain]))).toEqual({
      'c:1': 'kommune', 'c:2': 'skole', 'c:3': 'kommune', 'c:4': 'skole', 'c:5': 'kommune', 'c:6': 'kommune',
      'i:1': 'skole', 'i:2': 'kommune', 'i:3': 'kommune', 'i:4': 'kommune',
    });
    expect(keys(timelineFilter(AuditFilter.parse({ domain: 'kommune' }), townAuditor, domains))).toEqual(['c:1', 'c:3', 'c:5', 'c:6', 'i:2', 'i:3', 'i:4']);
    expect(keys(timelineFilter(AuditFilter.parse({ domain: 'skole' }), townAuditor, domains))).toEqual(keys(timelineFilter(everything, schoolAuditor, domains)));
  });

  it('a school auditor asking for the municipality’s events is refused, and an unknown domain is an error', () => {
    const refused = (() => {
      try {
        timelineFilter(AuditFilter.parse({ domain: 'kommune' }), schoolAuditor, domains);
      } catch (e) {
        return e;
      }
    })();
    expect(isConsoleError(refused) && refused.code).toBe('forbidden');
    expect(() => timelineFilter(AuditFilter.parse({ domain: 'skole' }), schoolAuditor, domains)).not.toThrow();
    expect(() => timelineFilter(AuditFilter.parse({ domain: 'ukendt' }), townAuditor, domains)).toThrow(/ukendt/);
  });

  it('an IdP event cached before the domain was kept counts as the municipality’s (no school auditor reads it)', () => {
    const db = new DatabaseSync(journal.file);
    db.prepare(`INSERT INTO idp_events (id, at, action, message, person, person_username, operator, source) VALUES (99, ?, 'LOGIN', 'm', 'Ea Elev', 'eaelev', NULL, 'idp')`).run(new Date(2026, 11, 1, 11).toISOString());
    db.close();
    expect(store.search(timelineFilter(everything, townAuditor, domains), { limit: 100 }).rows.find((r) => r.key === 'i:99')?.domain).toBe('kommune');
    expect(keys(timelineFilter(everything, schoolAuditor, domains))).not.toContain('i:99');
  });

  it('with one domain nothing is attributed or confined', () => {
    const f = timelineFilter(everything, townAuditor, [kommune]);
    expect(f.domains).toBeUndefined();
    const rows = store.search(f, { limit: 100 }).rows;
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.domain === null)).toBe(true);
  });
});
