import { createHash, randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { Operator } from '../../shared/roles.ts';

export interface JournalEntryInput {
  kind: 'intent' | 'outcome' | 'event';
  operation: string;
  operator: Operator;
  workstation: string;
  correlationId: string;
  target: string | null;
  reason: string | null;
  outcome: 'success' | 'refused' | 'failed' | 'unknown' | null;
  /** Input and result summary; callers redact secrets before it gets here. */
  summary: Record<string, unknown>;
}

export interface JournalRecord extends Omit<JournalEntryInput, 'operator'> {
  seq: number;
  id: string;
  at: string;
  operatorUsername: string;
  operatorName: string;
  operatorRoles: string[];
  prevHash: string;
  hash: string;
}

export interface Journal {
  /** Appends synchronously (the intent must be on disk before the external call) and returns its seq. */
  append(entry: JournalEntryInput): number;
  list(opts?: { afterSeq?: number; limit?: number }): JournalRecord[];
  verify(): { ok: true; count: number } | { ok: false; count: number; brokenSeq: number; reason: string };
  close(): void;
}

const GENESIS = '0'.repeat(64);

/** Canonical form: fixed key order, so the hash does not depend on how a record was built. */
function canonical(r: Omit<JournalRecord, 'hash'>): string {
  return JSON.stringify([
    r.seq, r.id, r.at, r.kind, r.operation, r.operatorUsername, r.operatorName, r.operatorRoles, r.workstation,
    r.correlationId, r.target, r.reason, r.outcome, r.summary, r.prevHash,
  ]);
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/**
 * The console's own journal: node:sqlite in WAL mode with synchronous commits, each record chained to
 * the previous one by hash so an edit, insertion or deletion is detectable.
 */
export function openJournal(file: string): Journal {
  const db = new DatabaseSync(file);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    CREATE TABLE IF NOT EXISTS journal (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      at TEXT NOT NULL,
      kind TEXT NOT NULL,
      operation TEXT NOT NULL,
      operator_username TEXT NOT NULL,
      operator_name TEXT NOT NULL,
      operator_roles TEXT NOT NULL,
      workstation TEXT NOT NULL,
      correlation_id TEXT NOT NULL,
      target TEXT,
      reason TEXT,
      outcome TEXT,
      summary TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS journal_at ON journal(at);
    CREATE INDEX IF NOT EXISTS journal_target ON journal(target, at);
    CREATE INDEX IF NOT EXISTS journal_correlation ON journal(correlation_id);
  `);
  const last = db.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(`INSERT INTO journal (seq, id, at, kind, operation, operator_username, operator_name,
    operator_roles, workstation, correlation_id, target, reason, outcome, summary, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const select = db.prepare('SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?');

  const fromRow = (row: Record<string, unknown>): JournalRecord => ({
    seq: Number(row.seq),
    id: String(row.id),
    at: String(row.at),
    kind: row.kind as JournalRecord['kind'],
    operation: String(row.operation),
    operatorUsername: String(row.operator_username),
    operatorName: String(row.operator_name),
    operatorRoles: JSON.parse(String(row.operator_roles)) as string[],
    workstation: String(row.workstation),
    correlationId: String(row.correlation_id),
    target: (row.target as string | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    outcome: (row.outcome as JournalRecord['outcome']) ?? null,
    summary: JSON.parse(String(row.summary)) as Record<string, unknown>,
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  });

  return {
    append(entry) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const prev = last.get() as { seq: number; hash: string } | undefined;
        const rec: Omit<JournalRecord, 'hash'> = {
          seq: (prev?.seq ?? 0) + 1,
          id: randomUUID(),
          at: new Date().toISOString(),
          kind: entry.kind,
          operation: entry.operation,
          operatorUsername: entry.operator.username,
          operatorName: entry.operator.displayName,
          operatorRoles: [...entry.operator.roles],
          workstation: entry.workstation,
          correlationId: entry.correlationId,
          target: entry.target,
          reason: entry.reason,
          outcome: entry.outcome,
          summary: entry.summary,
          prevHash: prev?.hash ?? GENESIS,
        };
        const hash = sha256(canonical(rec));
        insert.run(rec.seq, rec.id, rec.at, rec.kind, rec.operation, rec.operatorUsername, rec.operatorName,
          JSON.stringify(rec.operatorRoles), rec.workstation, rec.correlationId, rec.target, rec.reason, rec.outcome,
          JSON.stringify(rec.summary), rec.prevHash, hash);
        db.exec('COMMIT');
        return rec.seq;
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
    },
    list(opts = {}) {
      return (select.all(opts.afterSeq ?? 0, opts.limit ?? 1000) as Record<string, unknown>[]).map(fromRow);
    },
    verify() {
      let prevHash = GENESIS;
      let expectedSeq = 1;
      let count = 0;
      for (const row of db.prepare('SELECT * FROM journal ORDER BY seq').iterate() as Iterable<Record<string, unknown>>) {
        const rec = fromRow(row);
        if (rec.seq !== expectedSeq) return { ok: false, count, brokenSeq: rec.seq, reason: 'Der mangler en post før denne' };
        if (rec.prevHash !== prevHash) return { ok: false, count, brokenSeq: rec.seq, reason: 'Kæden er brudt (forrige hash passer ikke)' };
        const { hash, ...rest } = rec;
        if (sha256(canonical(rest)) !== hash) return { ok: false, count, brokenSeq: rec.seq, reason: 'Posten er ændret' };
        prevHash = hash;
        expectedSeq++;
        count++;
      }
      return { ok: true, count };
    },
    close() {
      db.close();
    },
  };
}
