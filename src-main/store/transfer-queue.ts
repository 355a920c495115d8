// The failed-transfer queue's view of the console's journal: MitID Erhverv writes whose outcome was failed
// or unknown and that nothing later settled. Read only, over its own connection to the journal file; the
// journal's records and chain are never written here.
import { auditVariant } from '../../shared/domain/audit.ts';
import { inScope, type Scope } from '../../shared/roles.ts';
import { openDatabase } from './sqlite.ts';

/** The console operations that write to MitID Erhverv, and so may leave a failed transfer behind. */
export const mitIdWriteOperations = [
  'people.assignLocalAuthenticator',
  'people.revokeLocalAuthenticator',
  'people.setSigning',
  'people.suspendIdentity',
  'people.reactivateIdentity',
  'people.fixDrift',
] as const;

export interface FailedWrite {
  seq: number;
  at: string;
  operation: string;
  variant: string | null;
  /** The intent's input (what to run again). */
  input: Record<string, unknown> | null;
  outcome: 'failed' | 'unknown';
  personId: string;
  person: string | null;
  ou: string | null;
  operator: string;
  correlationId: string;
  message: string | null;
}

export interface TransferQueue {
  /** Open failed writes, newest first, within the scope (by the person's OU), at most `limit`. */
  open(scope: Scope, limit: number): FailedWrite[];
  /** One open failed write by its outcome record's seq (null when settled or not a failed MitID write). */
  get(seq: number): FailedWrite | null;
  /** The person an action of this correlation id was about (to place a create awaiting confirmation). */
  personOfCorrelation(correlationId: string): { personId: string; person: string | null; ou: string | null; operation: string; operator: string } | null;
  /** Correlation ids of the guard's journal events for a subjectNameId, newest first. */
  guardCorrelations(subjectNameId: string): string[];
  close(): void;
}

const list = mitIdWriteOperations.map((o) => `'${o}'`).join(',');

/**
 * Open = no later successful outcome of the same operation for the same person, and no later successful
 * "Genkør" (transfers.retry) of this very record.
 */
const OPEN_SQL = `
  SELECT o.seq, o.at, o.operation, o.outcome, o.target, o.target_label, o.target_ou, o.correlation_id, o.summary,
    o.operator_name || ' (' || o.operator_username || ')' AS operator,
    (SELECT json_extract(i.summary, '$.input') FROM journal i WHERE i.seq = json_extract(o.summary, '$.intent')) AS input_json
  FROM journal o
  WHERE o.kind = 'outcome' AND o.outcome IN ('failed', 'unknown') AND o.operation IN (${list}) AND o.target IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM journal s WHERE s.kind = 'outcome' AND s.outcome = 'success' AND s.target = o.target AND s.seq > o.seq
      AND (s.operation = o.operation OR (s.operation = 'transfers.retry' AND
        (SELECT json_extract(r.summary, '$.input.key') FROM journal r WHERE r.seq = json_extract(s.summary, '$.intent')) = 'c:' || o.seq)))`;

export function openTransferQueue(journalFile: string): TransferQueue {
  const db = openDatabase(journalFile);
  const toWrite = (r: Record<string, unknown>): FailedWrite => {
    let input: Record<string, unknown> | null = null;
    let message: string | null = null;
    try {
      input = typeof r.input_json === 'string' ? (JSON.parse(r.input_json) as Record<string, unknown>) : null;
      const summary = JSON.parse(String(r.summary)) as { error?: { message?: unknown } };
      message = typeof summary.error?.message === 'string' ? summary.error.message : null;
    } catch {
      // A record whose summary is not JSON still lists, without its message or input (not retryable then).
    }
    return {
      seq: Number(r.seq), at: String(r.at), operation: String(r.operation), variant: auditVariant(String(r.operation), input), input,
      outcome: r.outcome === 'unknown' ? 'unknown' : 'failed', personId: String(r.target), person: (r.target_label as string | null) ?? null,
      ou: (r.target_ou as string | null) ?? null, operator: String(r.operator), correlationId: String(r.correlation_id), message,
    };
  };
  const openStmt = db.prepare(`${OPEN_SQL} ORDER BY o.seq DESC LIMIT ?`);
  const oneStmt = db.prepare(`${OPEN_SQL} AND o.seq = ?`);
  const byCorrelation = db.prepare(`SELECT target, target_label, target_ou, operation, operator_name || ' (' || operator_username || ')' AS operator
    FROM journal WHERE correlation_id = ? AND kind = 'intent' AND target IS NOT NULL ORDER BY seq DESC LIMIT 1`);
  const guardEvents = db.prepare(`SELECT DISTINCT correlation_id FROM journal WHERE operation = 'mitid.createGuard' AND lower(target) = lower(?)
    ORDER BY seq DESC LIMIT 20`);
  return {
    open(scope, limit) {
      const out: FailedWrite[] = [];
      // Scope by the person's OU: read in pages until enough in scope are found (most operators see all).
      for (const r of openStmt.iterate(scope === null ? limit : limit * 20) as Iterable<Record<string, unknown>>) {
        const w = toWrite(r);
        if (!inScope(scope, w.ou)) continue;
        out.push(w);
        if (out.length >= limit) break;
      }
      return out;
    },
    get(seq) {
      const r = oneStmt.get(seq) as Record<string, unknown> | undefined;
      return r ? toWrite(r) : null;
    },
    personOfCorrelation(correlationId) {
      const r = byCorrelation.get(correlationId) as Record<string, unknown> | undefined;
      if (!r) return null;
      return { personId: String(r.target), person: (r.target_label as string | null) ?? null, ou: (r.target_ou as string | null) ?? null, operation: String(r.operation), operator: String(r.operator) };
    },
    guardCorrelations(subjectNameId) {
      return (guardEvents.all(subjectNameId) as Array<{ correlation_id: string }>).map((r) => r.correlation_id);
    },
    close: () => db.close(),
  };
}
