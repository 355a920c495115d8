// Durable state of bulk jobs: two tables (bulk_jobs, bulk_rows) in the journal's node:sqlite file, so a
// row's state and the journal records about it live and die together (one file to back up, WAL, FULL
// sync) — through the store's own connection. Every statement here is synchronous and short; none spans
// an await. Rows are zod-parsed on the way out: the file is in the hands of the people it records.
import type { SQLInputValue } from 'node:sqlite';
import { z } from 'zod';
import {
  BulkAction,
  BulkJobNote,
  BulkJobState,
  BulkPauseCode,
  BulkPauseDetail,
  BulkPlan,
  BulkRowState,
  BulkSkipReason,
  type BulkCounts,
  type BulkJobView,
  type BulkRowView,
} from '../../shared/domain/bulk.ts';
import { Operator } from '../../shared/roles.ts';
import { MitIdPerson } from '../../shared/mitid/domain.ts';
import { hasColumn, inTransaction, migrate, openDatabase, parseJsonColumn } from './sqlite.ts';
import { parentDn } from '../../shared/dn.ts';

export interface NewBulkRow {
  personId: string | null;
  username: string;
  displayName: string | null;
  dn: string | null;
  /** What the MitID Erhverv call needs, snapshotted at planning so a resumed run needs no directory. */
  person: MitIdPerson | null;
  plan: BulkPlan;
  skipReason: BulkSkipReason | null;
}

export interface BulkRowRecord extends NewBulkRow {
  jobId: string;
  seq: number;
  state: BulkRowState;
  result: string | null;
  uuid: string | null;
  error: string | null;
  errorCode: string | null;
  attempts: number;
  /** 1 when an earlier attempt may have landed (crash, lost answer): look before acting. */
  uncertain: boolean;
  updatedAt: string;
}

export interface BulkJobRecord {
  id: string;
  action: BulkAction;
  targetKind: string;
  targetLabel: string;
  state: BulkJobState;
  createdAt: string;
  createdBy: string;
  operator: Operator | null;
  workstation: string | null;
  reason: string | null;
  concurrency: number;
  startedAt: string | null;
  finishedAt: string | null;
  pauseCode: BulkPauseCode | null;
  pauseMessage: string | null;
  /** The pause message by code and values (JSON), for the operator's language. */
  pauseDetail: BulkPauseDetail | null;
  resultFile: string | null;
}

export type BulkJobPatch = Partial<
  Pick<BulkJobRecord, 'state' | 'operator' | 'workstation' | 'reason' | 'concurrency' | 'startedAt' | 'finishedAt' | 'pauseCode' | 'pauseMessage' | 'pauseDetail' | 'resultFile'>
>;

const columns: Record<keyof BulkJobPatch, string> = {
  state: 'state',
  operator: 'operator',
  workstation: 'workstation',
  reason: 'reason',
  concurrency: 'concurrency',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  pauseCode: 'pause_code',
  pauseMessage: 'pause_message',
  pauseDetail: 'pause_detail',
  resultFile: 'result_file',
};

const now = () => new Date().toISOString();
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function jobFromRow(r: Record<string, unknown>): BulkJobRecord {
  return {
    id: String(r.id),
    action: BulkAction.parse(r.action),
    targetKind: String(r.target_kind),
    targetLabel: String(r.target_label),
    state: BulkJobState.parse(r.state),
    createdAt: String(r.created_at),
    createdBy: String(r.created_by),
    operator: r.operator ? parseJsonColumn(Operator, r.operator) : null,
    workstation: s(r.workstation),
    reason: s(r.reason),
    concurrency: Number(r.concurrency),
    startedAt: s(r.started_at),
    finishedAt: s(r.finished_at),
    pauseCode: r.pause_code == null ? null : BulkPauseCode.parse(r.pause_code),
    pauseMessage: s(r.pause_message),
    pauseDetail: r.pause_detail ? parseJsonColumn(BulkPauseDetail, r.pause_detail) : null,
    resultFile: s(r.result_file),
  };
}

function rowFromRow(r: Record<string, unknown>): BulkRowRecord {
  return {
    jobId: String(r.job_id),
    seq: Number(r.seq),
    personId: s(r.person_id),
    username: String(r.username),
    displayName: s(r.display_name),
    dn: s(r.dn),
    person: r.person ? parseJsonColumn(MitIdPerson, r.person) : null,
    plan: BulkPlan.parse(r.plan),
    skipReason: r.skip_reason == null ? null : BulkSkipReason.parse(r.skip_reason),
    state: BulkRowState.parse(r.state),
    result: s(r.result),
    uuid: s(r.uuid),
    error: s(r.error),
    errorCode: s(r.error_code),
    attempts: Number(r.attempts),
    uncertain: Number(r.uncertain) === 1,
    updatedAt: String(r.updated_at),
  };
}

/** The DN of the container an entry lives in. */

export function rowView(r: BulkRowRecord): BulkRowView {
  return {
    seq: r.seq,
    personId: r.personId,
    username: r.username,
    displayName: r.displayName,
    ou: r.dn ? parentDn(r.dn) : null,
    plan: r.plan,
    skipReason: r.skipReason,
    state: r.state,
    result: r.result,
    uuid: r.uuid,
    error: r.error,
    attempts: r.attempts,
    updatedAt: r.updatedAt,
  };
}

export function openBulkStore(file: string) {
  const db = openDatabase(file);
  migrate(db, 'bulk', [
    (d) =>
      d.exec(`
    CREATE TABLE IF NOT EXISTS bulk_jobs (
      id TEXT PRIMARY KEY,
      action TEXT NOT NULL,
      target_kind TEXT NOT NULL,
      target_label TEXT NOT NULL,
      state TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      operator TEXT,
      workstation TEXT,
      reason TEXT,
      concurrency INTEGER NOT NULL DEFAULT 4,
      started_at TEXT,
      finished_at TEXT,
      pause_code TEXT,
      pause_message TEXT,
      result_file TEXT
    );
    CREATE INDEX IF NOT EXISTS bulk_jobs_created ON bulk_jobs(created_at);
    CREATE TABLE IF NOT EXISTS bulk_rows (
      job_id TEXT NOT NULL REFERENCES bulk_jobs(id),
      seq INTEGER NOT NULL,
      person_id TEXT,
      username TEXT NOT NULL,
      display_name TEXT,
      dn TEXT,
      person TEXT,
      plan TEXT NOT NULL,
      skip_reason TEXT,
      state TEXT NOT NULL,
      result TEXT,
      uuid TEXT,
      error TEXT,
      error_code TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      uncertain INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (job_id, seq)
    );
    CREATE INDEX IF NOT EXISTS bulk_rows_state ON bulk_rows(job_id, state, seq);
      `),
    // Notes added to a job after the fact (a paused or cancelled job's reason stands; a note explains more).
    (d) =>
      d.exec(`
    CREATE TABLE IF NOT EXISTS bulk_notes (
      job_id TEXT NOT NULL REFERENCES bulk_jobs(id),
      at TEXT NOT NULL,
      by_name TEXT NOT NULL,
      text TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS bulk_notes_job ON bulk_notes(job_id, at);
      `),
    // 3: a pause's detail by code and values, so it can be shown in the operator's language.
    (d) => {
      if (!hasColumn(d, 'bulk_jobs', 'pause_detail')) d.exec('ALTER TABLE bulk_jobs ADD COLUMN pause_detail TEXT');
    },
  ]);
  const insertNote = db.prepare('INSERT INTO bulk_notes (job_id, at, by_name, text) VALUES (?, ?, ?, ?)');
  const selectNotes = db.prepare('SELECT at, by_name AS by, text FROM bulk_notes WHERE job_id = ? ORDER BY at, rowid');

  const insertJob = db.prepare(`INSERT INTO bulk_jobs (id, action, target_kind, target_label, state, created_at, created_by)
    VALUES (?, ?, ?, ?, 'planned', ?, ?)`);
  const insertRow = db.prepare(`INSERT INTO bulk_rows (job_id, seq, person_id, username, display_name, dn, person, plan, skip_reason,
    state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const selectJob = db.prepare('SELECT * FROM bulk_jobs WHERE id = ?');
  const selectJobs = db.prepare('SELECT * FROM bulk_jobs ORDER BY created_at DESC LIMIT ?');
  const selectOwnJobs = db.prepare("SELECT * FROM bulk_jobs WHERE instr(created_by, '@') = 0 ORDER BY created_at DESC LIMIT ?");
  const selectDomainJobs = db.prepare("SELECT * FROM bulk_jobs WHERE created_by LIKE ? ESCAPE '\\' ORDER BY created_at DESC LIMIT ?");
  const selectUnfinished = db.prepare("SELECT * FROM bulk_jobs WHERE state IN ('running', 'pausing', 'cancelling')");
  const countStates = db.prepare('SELECT state, count(*) AS n FROM bulk_rows WHERE job_id = ? GROUP BY state');
  const countPlans = db.prepare('SELECT plan, count(*) AS n FROM bulk_rows WHERE job_id = ? GROUP BY plan');
  const countSkips = db.prepare("SELECT skip_reason, count(*) AS n FROM bulk_rows WHERE job_id = ? AND plan = 'skip' GROUP BY skip_reason");
  // One statement: pick the next pending row and mark it in flight, atomically even across processes.
  // Pending rows first; an awaiting row (create not yet confirmed) once it has waited `recheck` since its last look.
  const claim = db.prepare(`UPDATE bulk_rows SET state = 'in-flight', attempts = attempts + 1, updated_at = ?
    WHERE job_id = ? AND seq = (SELECT seq FROM bulk_rows WHERE job_id = ? AND (state = 'pending' OR (state = 'awaiting' AND updated_at <= ?))
      ORDER BY CASE state WHEN 'pending' THEN 0 ELSE 1 END, seq LIMIT 1)
    RETURNING *`);
  const finish = db.prepare(`UPDATE bulk_rows SET state = ?, result = ?, uuid = coalesce(?, uuid), error = ?, error_code = ?, uncertain = 0,
    updated_at = ? WHERE job_id = ? AND seq = ? AND state = 'in-flight'`);
  const release = db.prepare(`UPDATE bulk_rows SET state = 'pending', uncertain = 1, error = ?, error_code = ?, updated_at = ?
    WHERE job_id = ? AND seq = ? AND state = 'in-flight'`);
  const recover = db.prepare(`UPDATE bulk_rows SET state = 'pending', uncertain = 1, updated_at = ? WHERE job_id = ? AND state = 'in-flight'`);
  const cancelPending = db.prepare(`UPDATE bulk_rows SET state = 'cancelled', updated_at = ? WHERE job_id = ? AND state IN ('pending', 'awaiting')`);
  const retryAll = db.prepare(`UPDATE bulk_rows SET state = 'pending', error = NULL, error_code = NULL, updated_at = ? WHERE job_id = ? AND state = 'failed'`);
  const retryOne = db.prepare(`UPDATE bulk_rows SET state = 'pending', error = NULL, error_code = NULL, updated_at = ? WHERE job_id = ? AND seq = ? AND state = 'failed'`);
  const allRows = db.prepare('SELECT * FROM bulk_rows WHERE job_id = ? ORDER BY seq');

  const tx = <T>(fn: () => T): T => inTransaction(db, fn);

  const store = {
    /** False once closed: a job winding down after the console closed stops touching the store. */
    isOpen: () => db.isOpen,
    close: () => db.close(),
    createJob(job: { id: string; action: BulkAction; targetKind: string; targetLabel: string; createdBy: string }, rows: NewBulkRow[]): void {
      const at = now();
      tx(() => {
        insertJob.run(job.id, job.action, job.targetKind, job.targetLabel, at, job.createdBy);
        rows.forEach((r, i) =>
          insertRow.run(job.id, i + 1, r.personId, r.username, r.displayName, r.dn, r.person ? JSON.stringify(r.person) : null, r.plan, r.skipReason,
            r.plan === 'skip' ? 'skipped' : 'pending', at),
        );
      });
    },

    getJob(id: string): BulkJobRecord | null {
      const r = selectJob.get(id) as Record<string, unknown> | undefined;
      return r ? jobFromRow(r) : null;
    },

    listJobs(limit: number, domain?: string | null): BulkJobRecord[] {
      if (domain === undefined) return (selectJobs.all(limit) as Record<string, unknown>[]).map(jobFromRow);
      // Planned by an operator of that domain (`name@<id>`), or of the municipality's own (no '@'): see operatorUsername.
      const rows = domain === null ? selectOwnJobs.all(limit) : selectDomainJobs.all(`%@${domain.replace(/[\\%_]/g, (c) => '\\' + c)}`, limit);
      return (rows as Record<string, unknown>[]).map(jobFromRow);
    },

    /** Jobs the database says are running, though no runner of this process has them (after a crash). */
    unfinishedJobs(): BulkJobRecord[] {
      return (selectUnfinished.all() as Record<string, unknown>[]).map(jobFromRow);
    },

    setJob(id: string, patch: BulkJobPatch): void {
      const keys = Object.keys(patch) as Array<keyof BulkJobPatch>;
      if (keys.length === 0) return;
      const values = keys.map((k): SQLInputValue => {
        const v = patch[k];
        if (k === 'operator' || k === 'pauseDetail') return v ? JSON.stringify(v) : null;
        return (v ?? null) as SQLInputValue;
      });
      db.prepare(`UPDATE bulk_jobs SET ${keys.map((k) => `${columns[k]} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
    },

    counts(id: string): BulkCounts {
      const c: BulkCounts = { total: 0, skipped: 0, pending: 0, inFlight: 0, awaiting: 0, done: 0, failed: 0, cancelled: 0 };
      for (const r of countStates.all(id) as Array<{ state: BulkRowState; n: number }>) {
        const n = Number(r.n);
        c.total += n;
        if (r.state === 'in-flight') c.inFlight += n;
        else c[r.state] += n;
      }
      return c;
    },

    addNote(jobId: string, note: { at: string; by: string; text: string }): void {
      insertNote.run(jobId, note.at, note.by, note.text);
    },

    view(job: BulkJobRecord): BulkJobView {
      const plan: Record<string, number> = {};
      for (const r of countPlans.all(job.id) as Array<{ plan: string; n: number }>) plan[r.plan] = Number(r.n);
      const skips: Record<string, number> = {};
      for (const r of countSkips.all(job.id) as Array<{ skip_reason: string | null; n: number }>) skips[r.skip_reason ?? 'unknown'] = Number(r.n);
      return {
        id: job.id,
        action: job.action,
        targetLabel: job.targetLabel,
        state: job.state,
        createdAt: job.createdAt,
        createdBy: job.createdBy,
        runBy: job.operator?.username ?? null,
        reason: job.reason,
        concurrency: job.concurrency,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
        pause: job.pauseCode ? { code: job.pauseCode, message: job.pauseMessage ?? '', detail: job.pauseDetail } : null,
        counts: store.counts(job.id),
        plan,
        skips,
        resultFile: job.resultFile,
        notes: z.array(BulkJobNote).parse(selectNotes.all(job.id)),
      };
    },

    /** The next pending row (or awaiting row last looked at before `recheckBefore`), now marked in flight. */
    claimNext(jobId: string, recheckBefore: string = new Date(0).toISOString()): BulkRowRecord | null {
      const r = claim.get(now(), jobId, jobId, recheckBefore) as Record<string, unknown> | undefined;
      return r ? rowFromRow(r) : null;
    },

    /** After the external call: done or failed for good. */
    finishRow(jobId: string, seq: number, o: { state: 'done' | 'failed' | 'awaiting'; result?: string | null; uuid?: string | null; error?: string | null; errorCode?: string | null }): void {
      finish.run(o.state, o.result ?? null, o.uuid ?? null, o.error ?? null, o.errorCode ?? null, now(), jobId, seq);
    },

    /** The call may or may not have landed: back to pending, to be looked up before anything is sent again. */
    releaseRow(jobId: string, seq: number, error: string, errorCode: string): void {
      release.run(error, errorCode, now(), jobId, seq);
    },

    recoverInFlight(jobId: string): number {
      return Number(recover.run(now(), jobId).changes);
    },

    cancelPending(jobId: string): number {
      return Number(cancelPending.run(now(), jobId).changes);
    },

    retryFailed(jobId: string, seqs?: number[]): number {
      if (!seqs) return Number(retryAll.run(now(), jobId).changes);
      return tx(() => seqs.reduce((n, seq) => n + Number(retryOne.run(now(), jobId, seq).changes), 0));
    },

    rows(jobId: string, states: readonly BulkRowState[], offset: number, limit: number): { rows: BulkRowRecord[]; matching: number } {
      const where = states.length ? ` AND state IN (${states.map(() => '?').join(',')})` : '';
      const matching = Number((db.prepare(`SELECT count(*) AS n FROM bulk_rows WHERE job_id = ?${where}`).get(jobId, ...states) as { n: number }).n);
      const rows = (db.prepare(`SELECT * FROM bulk_rows WHERE job_id = ?${where} ORDER BY seq LIMIT ? OFFSET ?`).all(jobId, ...states, limit, offset) as Record<string, unknown>[]).map(rowFromRow);
      return { rows, matching };
    },

    allRows(jobId: string): BulkRowRecord[] {
      return (allRows.all(jobId) as Record<string, unknown>[]).map(rowFromRow);
    },
  };
  return store;
}

export type BulkStore = ReturnType<typeof openBulkStore>;
