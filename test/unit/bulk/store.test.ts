import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBulkStore, type BulkStore, type NewBulkRow } from '../../../src-main/store/bulk-store.ts';
import { ouLabel } from '../../../shared/dn.ts';
import { resultCsv } from '../../../src-main/services/bulk/result-file.ts';
import { openJournal, type Journal } from '../../../src-main/store/journal.ts';

const row = (username: string, plan: NewBulkRow['plan'] = 'create'): NewBulkRow => ({
  personId: `id-${username}`,
  username,
  displayName: `=HYPERLINK("x") ${username}`,
  dn: `CN=${username},OU=Skoler,DC=k,DC=dk`,
  person: { username, givenName: 'A', surname: 'B', email: `${username}@k.dk` },
  plan,
  skipReason: plan === 'skip' ? 'no-email' : null,
});

let dir: string;
let journal: Journal;
let store: BulkStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-bulk-unit-'));
  journal = openJournal(join(dir, 'journal.sqlite'));
  store = openBulkStore(journal.file);
  store.createJob({ id: 'j1', action: 'assign-local', targetKind: 'ou', targetLabel: 'Enhed: Skoler', createdBy: 'admin' }, [row('a'), row('b'), row('c', 'skip'), row('d')]);
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bulk row states', () => {
  it('claims pending rows in order, one at a time, marking them in flight with an attempt', () => {
    expect(store.counts('j1')).toMatchObject({ total: 4, pending: 3, skipped: 1 });
    const first = store.claimNext('j1');
    const second = store.claimNext('j1');
    expect([first?.username, second?.username]).toEqual(['a', 'b']);
    expect(first).toMatchObject({ state: 'in-flight', attempts: 1, uncertain: false });
    expect(store.counts('j1')).toMatchObject({ pending: 1, inFlight: 2 });
  });

  it('after a crash, in-flight rows go back to pending marked uncertain; finished rows stay finished', () => {
    const a = store.claimNext('j1');
    store.claimNext('j1');
    store.finishRow('j1', a?.seq ?? 0, { state: 'done', result: 'created', uuid: 'u-a' });
    // A new process on the same file.
    const again = openBulkStore(journal.file);
    expect(again.recoverInFlight('j1')).toBe(1);
    const next = again.claimNext('j1');
    expect(next).toMatchObject({ username: 'b', attempts: 2, uncertain: true });
    again.finishRow('j1', next?.seq ?? 0, { state: 'done', result: 'reconciled' });
    expect(again.rows('j1', ['done'], 0, 10).rows.map((r) => [r.username, r.result, r.uncertain])).toEqual([
      ['a', 'created', false],
      ['b', 'reconciled', false],
    ]);
  });

  it('a finish for a row no longer in flight changes nothing', () => {
    const a = store.claimNext('j1');
    store.releaseRow('j1', a?.seq ?? 0, 'MitID Erhverv svarer ikke', 'unavailable-mitid');
    store.finishRow('j1', a?.seq ?? 0, { state: 'done', result: 'created' });
    expect(store.rows('j1', [], 0, 1).rows[0]).toMatchObject({ state: 'pending', uncertain: true, error: 'MitID Erhverv svarer ikke' });
  });

  it('retries failed rows only, all or the chosen ones; cancels only pending rows', () => {
    for (let r = store.claimNext('j1'); r; r = store.claimNext('j1')) store.finishRow('j1', r.seq, { state: 'failed', error: 'nej', errorCode: 'conflict' });
    expect(store.retryFailed('j1', [2])).toBe(1);
    expect(store.counts('j1')).toMatchObject({ failed: 2, pending: 1 });
    expect(store.cancelPending('j1')).toBe(1);
    expect(store.retryFailed('j1')).toBe(2);
    expect(store.counts('j1')).toMatchObject({ failed: 0, pending: 2, cancelled: 1, skipped: 1 });
  });
});

describe('result file', () => {
  it('is semicolon CSV with BOM and CRLF, Danish labels, and no cell Excel would run as a formula', () => {
    const job = store.getJob('j1');
    if (!job) throw new Error('no job');
    const csv = resultCsv(job, store.allRows('j1'));
    const lines = csv.split('\r\n');
    expect(lines[0]?.startsWith('\uFEFFRække;Brugernavn;Navn;Enhed;Handling')).toBe(true);
    expect(lines[1]).toContain(`;"'=HYPERLINK(""x"") a";Skoler;Tildel lokalt loginmiddel;Opret identitet med lokalt loginmiddel (gebyr);;Venter;`);
    expect(lines[3]).toContain(';Springes over;Ingen e-mailadresse i AD (MitID Erhverv kræver en);Sprunget over;');
  });
});

describe('OU labels', () => {
  it('reads an OU DN outermost first, with escapes undone', () => {
    expect(ouLabel('OU=Elever,OU=Skoler,DC=fjordby,DC=kommune,DC=test')).toBe('Skoler / Elever');
    expect(ouLabel('OU=Drift\\, Syd,OU=Teknik og Miljø,DC=k,DC=dk')).toBe('Teknik og Miljø / Drift, Syd');
    expect(ouLabel('OU=Back\\\\,OU=X,DC=k')).toBe('X / Back\\');
    expect(ouLabel('DC=k,DC=dk')).toBe('DC=k,DC=dk');
  });
});

describe('a pause\'s detail', () => {
  it('is kept by code and values beside the Danish message, and read back in the job\'s view (also by a new process)', () => {
    store.setJob('j1', { state: 'paused', pauseCode: 'interrupted', pauseMessage: 'Konsollen blev lukket …', pauseDetail: { code: 'interrupted', params: { inFlight: 2 } } });
    expect(store.view(store.getJob('j1')!).pause).toEqual({ code: 'interrupted', message: 'Konsollen blev lukket …', detail: { code: 'interrupted', params: { inFlight: 2 } } });
    expect(openBulkStore(journal.file).view(store.getJob('j1')!).pause?.detail).toEqual({ code: 'interrupted', params: { inFlight: 2 } });
    store.setJob('j1', { state: 'running', pauseCode: null, pauseMessage: null, pauseDetail: null });
    expect(store.view(store.getJob('j1')!).pause).toBeNull();
    expect(store.getJob('j1')?.pauseDetail).toBeNull();
  });
});
