import { createHash, randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { Operator } from '../../shared/roles.ts';
import { inTransaction } from './sqlite.ts';

export type JournalOutcome = 'success' | 'refused' | 'failed' | 'unknown';

export interface JournalTarget {
  /** personId (objectGUID) or another stable key. */
  id: string;
  /** Name and username, so a record reads on its own years later. */
  label: string | null;
  /** DN of the person's OU, for OU-scoped review. */
  ou: string | null;
}

export interface JournalEntryInput {
  kind: 'intent' | 'outcome' | 'event';
  operation: string;
  operator: Operator;
  workstation: string;
  correlationId: string;
  target: JournalTarget | null;
  reason: string | null;
  outcome: JournalOutcome | null;
  /** Input and result summary; callers redact secrets before it gets here. */
  summary: Record<string, unknown>;
  /** For imports and benchmarks only; normal appends take the current time. */
  at?: string;
}

export interface JournalRecord {
  seq: number;
  id: string;
  at: string;
  kind: JournalEntryInput['kind'];
  operation: string;
  operatorUsername: string;
  operatorName: string;
  operatorRoles: string[];
  workstation: string;
  correlationId: string;
  targetId: string | null;
  targetLabel: string | null;
  targetOu: string | null;
  reason: string | null;
  outcome: JournalOutcome | null;
  summary: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type VerifyResult = { ok: true; count: number; lastHash: string } | { ok: false; count: number; brokenSeq: number; reason: string };

export interface Journal {
  /** Appends synchronously (the intent must be on disk before the external call) and returns its seq. */
  append(entry: JournalEntryInput): number;
  /** Many at once in one transaction (benchmarks, imports); same chaining. */
  appendMany(entries: JournalEntryInput[]): void;
  list(opts?: { afterSeq?: number; limit?: number }): JournalRecord[];
  count(): number;
  /** Walks the whole chain; the first record that does not fit is named. */
  verify(onProgress?: (done: number) => void): VerifyResult;
  /**
   * Retention: removes the oldest records, from the start of the chain, that are older than `cutoff`
   * and not after `maxSeq` (the outbox's acknowledged watermark: nothing unshipped is ever removed).
   * The last removed record's hash becomes the chain's anchor, and the purge is journaled in the chain.
   */
  purgeBefore(cutoff: string, maxSeq: number): { removed: number; anchorSeq: number | null };
  /** The open database, for the audit queries that read the same file. */
  readonly db: DatabaseSync;
  close(): void;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical form: fixed order, so the hash does not depend on how a record was built. */
export function canonicalJournalRecord(r: Omit<JournalRecord, 'hash'>): string {
  return JSON.stringify([
    r.seq, r.id, r.at, r.kind, r.operation, r.operatorUsername, r.operatorName, r.operatorRoles, r.workstation,
    r.correlationId, r.targetId, r.targetLabel, r.targetOu, r.reason, r.outcome, r.summary, r.prevHash,
  ]);
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

export function journalRecordFromRow(row: Record<string, unknown>): JournalRecord {
  return {
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
    targetId: (row.target as string | null) ?? null,
    targetLabel: (row.target_label as string | null) ?? null,
    targetOu: (row.target_ou as string | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    outcome: (row.outcome as JournalOutcome | null) ?? null,
    summary: JSON.parse(String(row.summary)) as Record<string, unknown>,
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}

/**
 * The console's own journal: node:sqlite in WAL mode with synchronous commits, each record chained to
 * the previous one by hash so an edit, insertion or deletion is detectable. A full-text index over the
 * readable fields serves the auditors' free-text search.
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
      target_label TEXT,
      target_ou TEXT,
      reason TEXT,
      outcome TEXT,
      summary TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS journal_anchor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS journal_at ON journal(at);
    CREATE INDEX IF NOT EXISTS journal_target ON journal(target, at);
    CREATE INDEX IF NOT EXISTS journal_operation ON journal(operation, at);
    CREATE INDEX IF NOT EXISTS journal_operator ON journal(operator_username, at);
    CREATE INDEX IF NOT EXISTS journal_correlation ON journal(correlation_id);
    -- Two columns: the person (name and username) for the person filter, everything readable for free text.
    CREATE VIRTUAL TABLE IF NOT EXISTS journal_fts USING fts5(person, text, content='', contentless_delete=1);
    CREATE TRIGGER IF NOT EXISTS journal_fts_insert AFTER INSERT ON journal BEGIN
      INSERT INTO journal_fts(rowid, person, text) VALUES (new.seq, coalesce(new.target_label, ''),
        new.operation || ' ' || new.operator_username || ' ' || new.operator_name || ' ' || coalesce(new.target_label, '') || ' ' ||
        coalesce(new.reason, '') || ' ' || coalesce(new.outcome, ''));
    END;
  `);
  const last = db.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(`INSERT INTO journal (seq, id, at, kind, operation, operator_username, operator_name,
    operator_roles, workstation, correlation_id, target, target_label, target_ou, reason, outcome, summary, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const select = db.prepare('SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?');
  const anchor = () => {
    const r = db.prepare('SELECT seq, hash FROM journal_anchor WHERE id = 1').get() as { seq: number; hash: string } | undefined;
    return r ? { seq: Number(r.seq), hash: String(r.hash) } : null;
  };

  const insertOne = (entry: JournalEntryInput, prev: { seq: number; hash: string } | undefined) => {
    const rec: Omit<JournalRecord, 'hash'> = {
      seq: (prev?.seq ?? 0) + 1,
      id: randomUUID(),
      at: entry.at ?? new Date().toISOString(),
      kind: entry.kind,
      operation: entry.operation,
      operatorUsername: entry.operator.username,
      operatorName: entry.operator.displayName,
      operatorRoles: [...entry.operator.roles],
      workstation: entry.workstation,
      correlationId: entry.correlationId,
      targetId: entry.target?.id ?? null,
      targetLabel: entry.target?.label ?? null,
      targetOu: entry.target?.ou ?? null,
      reason: entry.reason,
      outcome: entry.outcome,
      summary: entry.summary,
      prevHash: prev?.hash ?? GENESIS_HASH,
    };
    const hash = sha256(canonicalJournalRecord(rec));
    insert.run(rec.seq, rec.id, rec.at, rec.kind, rec.operation, rec.operatorUsername, rec.operatorName,
      JSON.stringify(rec.operatorRoles), rec.workstation, rec.correlationId, rec.targetId, rec.targetLabel, rec.targetOu,
      rec.reason, rec.outcome, JSON.stringify(rec.summary), rec.prevHash, hash);
    return { seq: rec.seq, hash };
  };

  const tx = <T>(fn: () => T): T => inTransaction(db, fn);

  return {
    db,
    append(entry) {
      return tx(() => insertOne(entry, last.get() as { seq: number; hash: string } | undefined).seq);
    },
    appendMany(entries) {
      tx(() => {
        let prev = last.get() as { seq: number; hash: string } | undefined;
        for (const e of entries) prev = insertOne(e, prev);
      });
    },
    list(opts = {}) {
      return (select.all(opts.afterSeq ?? 0, opts.limit ?? 1000) as Record<string, unknown>[]).map(journalRecordFromRow);
    },
    count() {
      return Number((db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n);
    },
    purgeBefore(cutoff, maxSeq) {
      // The chain can only be cut from its start: walk forward while records are old enough.
      let last: { seq: number; hash: string } | null = null;
      for (const row of db.prepare('SELECT seq, at, hash FROM journal ORDER BY seq').iterate() as Iterable<{ seq: number; at: string; hash: string }>) {
        if (row.at >= cutoff || Number(row.seq) > maxSeq) break;
        last = { seq: Number(row.seq), hash: String(row.hash) };
      }
      if (!last) return { removed: 0, anchorSeq: anchor()?.seq ?? null };
      const upTo = last;
      const removed = tx(() => {
        const n = Number(db.prepare('DELETE FROM journal WHERE seq <= ?').run(upTo.seq).changes);
        db.prepare('DELETE FROM journal_fts WHERE rowid <= ?').run(upTo.seq);
        db.prepare('INSERT INTO journal_anchor (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(upTo.seq, upTo.hash);
        return n;
      });
      return { removed, anchorSeq: upTo.seq };
    },
    verify(onProgress) {
      // After a retention purge the chain starts at the anchor: the hash of the last removed record.
      const a = anchor();
      let prevHash = a?.hash ?? GENESIS_HASH;
      let expectedSeq = (a?.seq ?? 0) + 1;
      let count = 0;
      for (const row of db.prepare('SELECT * FROM journal ORDER BY seq').iterate() as Iterable<Record<string, unknown>>) {
        const rec = journalRecordFromRow(row);
        if (rec.seq !== expectedSeq) return { ok: false, count, brokenSeq: rec.seq, reason: 'Der mangler en post før denne' };
        if (rec.prevHash !== prevHash) return { ok: false, count, brokenSeq: rec.seq, reason: 'Kæden er brudt (forrige hash passer ikke)' };
        const { hash, ...rest } = rec;
        if (sha256(canonicalJournalRecord(rest)) !== hash) return { ok: false, count, brokenSeq: rec.seq, reason: 'Posten er ændret' };
        prevHash = hash;
        expectedSeq++;
        count++;
        if (onProgress && count % 10_000 === 0) onProgress(count);
      }
      return { ok: true, count, lastHash: prevHash };
    },
    close() {
      db.close();
    },
  };
}
