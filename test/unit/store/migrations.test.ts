import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../../src-main/store/audit-store.ts';
import { openBulkStore } from '../../../src-main/store/bulk-store.ts';
import { openJournal } from '../../../src-main/store/journal.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'lia-store-'));
  dirs.push(d);
  return join(d, 'journal.sqlite');
};
const operator = { username: 'u', displayName: 'U', dn: '', roles: [], helpdeskOus: null };
const entry = { kind: 'event' as const, operation: 'x', operator, workstation: 'w', correlationId: 'c', target: null, reason: null, outcome: null, summary: {} };

describe('stores: schema versions and their own connections', () => {
  it('adopts a journal file made before versions were recorded, and records each store’s version', () => {
    const file = fresh();
    // A file as the first version wrote it: the journal table only, no versions, no outbox.
    const old = new DatabaseSync(file);
    old.exec(`CREATE TABLE journal (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, kind TEXT NOT NULL, operation TEXT NOT NULL,
      operator_username TEXT NOT NULL, operator_name TEXT NOT NULL, operator_roles TEXT NOT NULL, workstation TEXT NOT NULL, correlation_id TEXT NOT NULL,
      target TEXT, target_label TEXT, target_ou TEXT, reason TEXT, outcome TEXT, summary TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`);
    old.close();
    const journal = openJournal(file);
    const audit = openAuditStore(file);
    const bulk = openBulkStore(file);
    journal.append(entry);
    expect(journal.outbox.acked()).toBe(0);
    const versions = Object.fromEntries(
      (new DatabaseSync(file).prepare('SELECT store, version FROM schema_versions').all() as Array<{ store: string; version: number }>).map((r) => [r.store, r.version]),
    );
    expect(versions).toEqual({ journal: 3, audit: 2, bulk: 3 });
    bulk.close();
    audit.close();
    journal.close();
  });

  it('upgrades a bulk store from before notes: its jobs stay, and notes can be added', () => {
    const file = fresh();
    const first = openBulkStore(file);
    first.createJob({ id: 'job-old', action: 'suspend', targetKind: 'people', targetLabel: 'x', createdBy: 'u' }, []);
    first.close();
    // The file as version 1 left it: no notes table.
    const db = new DatabaseSync(file);
    db.exec("DROP TABLE bulk_notes; UPDATE schema_versions SET version = 1 WHERE store = 'bulk'");
    db.close();
    const bulk = openBulkStore(file);
    const job = bulk.getJob('job-old');
    expect(job).not.toBeNull();
    expect(bulk.view(job!).notes).toEqual([]);
    bulk.addNote('job-old', { at: '2026-12-06T08:00:00.000Z', by: 'Brugeradministrator', text: 'Sat på pause efter aftale' });
    expect(bulk.view(job!).notes).toEqual([{ at: '2026-12-06T08:00:00.000Z', by: 'Brugeradministrator', text: 'Sat på pause efter aftale' }]);
    bulk.close();
  });

  it('upgrades a bulk store from before pause details: a paused job keeps its Danish message, with no detail', () => {
    const file = fresh();
    const first = openBulkStore(file);
    first.createJob({ id: 'job-old', action: 'suspend', targetKind: 'people', targetLabel: 'x', createdBy: 'u' }, []);
    first.close();
    // The file as version 2 left it: no pause_detail column, a job paused with its Danish message only.
    const db = new DatabaseSync(file);
    db.exec("ALTER TABLE bulk_jobs DROP COLUMN pause_detail; UPDATE schema_versions SET version = 2 WHERE store = 'bulk'");
    db.exec("UPDATE bulk_jobs SET state = 'paused', pause_code = 'operator', pause_message = 'Sat på pause af Bo: frokost' WHERE id = 'job-old'");
    db.close();
    const bulk = openBulkStore(file);
    expect(bulk.view(bulk.getJob('job-old')!).pause).toEqual({ code: 'operator', message: 'Sat på pause af Bo: frokost', detail: null });
    bulk.setJob('job-old', { pauseDetail: { code: 'operator', params: { by: 'Bo', reason: 'frokost' } } });
    expect(bulk.view(bulk.getJob('job-old')!).pause?.detail).toEqual({ code: 'operator', params: { by: 'Bo', reason: 'frokost' } });
    bulk.close();
  });

  it('refuses a file from a newer version of the console instead of guessing at it', () => {
    const file = fresh();
    openJournal(file).close();
    const db = new DatabaseSync(file);
    db.exec("UPDATE schema_versions SET version = 99 WHERE store = 'journal'");
    db.close();
    expect(() => openJournal(file)).toThrow(/nyere version af konsollen/);
  });

  it('keeps the journal, the timeline and bulk jobs in one file, each through its own connection', () => {
    const file = fresh();
    const journal = openJournal(file);
    const audit = openAuditStore(file);
    const bulk = openBulkStore(file);
    bulk.createJob({ id: 'job-1', action: 'suspend', targetKind: 'people', targetLabel: 'x', createdBy: 'u' }, []);
    journal.append(entry);
    expect(audit.count({ actions: [], source: 'all' })).toBe(1);
    // The bulk store closing (a job winding down) leaves the journal working, and says it is closed.
    bulk.close();
    expect(bulk.isOpen()).toBe(false);
    journal.append(entry);
    expect(journal.count()).toBe(2);
    audit.close();
    journal.close();
  });
});
