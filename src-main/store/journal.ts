import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { journalColumns, type JournalFinding, type JournalFindingDetail } from '../../shared/domain/audit.ts';
import type { Operator } from '../../shared/roles.ts';
import { hasColumn, inTransaction, migrate, openDatabase } from './sqlite.ts';

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

export interface ChainHead {
  seq: number;
  hash: string;
}

/** Who this journal is: a random id made with the journal, and the workstation that made it. */
export interface JournalIdentity {
  journalId: string;
  workstation: string;
  createdAt: string;
  /** The highest seq ever handed out; appends continue above it even when newer rows were deleted. */
  highSeq: number;
}

/** The result of walking the local chain. `ok` only when there are no findings at all. */
export interface JournalVerification {
  ok: boolean;
  /** Records read. */
  count: number;
  /** The newest record (or the retention anchor when the journal is empty after a purge). */
  head: ChainHead | null;
  /** Every break, oldest first; adjacent records with the same break are one range. */
  findings: JournalFinding[];
  /** Each finding by code and values, in the same order (for the screen in the operator's language). */
  details: JournalFindingDetail[];
  /** Findings beyond the cap, counted but not listed. */
  findingsOmitted: number;
}

export interface VerifyOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface Journal {
  /** Appends synchronously (the intent must be on disk before the external call) and returns its seq. */
  append(entry: JournalEntryInput): number;
  /** Many at once in one transaction (benchmarks, imports); same chaining. */
  appendMany(entries: JournalEntryInput[]): void;
  list(opts?: { afterSeq?: number; limit?: number }): JournalRecord[];
  count(): number;
  identity(): JournalIdentity;
  /** The newest record's seq and hash (the anchor's after a purge of everything; null when empty). */
  head(): ChainHead | null;
  /** The stored hash at `seq` (the anchor's hash at the anchor seq); null when no such record is here. */
  hashAt(seq: number): string | null;
  /** The retention anchor: the last removed record. */
  anchor(): ChainHead | null;
  /** Raises the high-water mark, so no seq at or below `seq` is ever handed out again. */
  ensureSeqAbove(seq: number): void;
  /** Walks the whole chain synchronously and names every break. */
  verify(): JournalVerification;
  /** The same walk in chunks, yielding to the event loop between them (millions of rows, with progress). */
  verifyAsync(opts?: VerifyOptions): Promise<JournalVerification>;
  /**
   * Retention: removes the oldest records, from the start of the chain, that are older than `cutoff`
   * and not after `maxSeq` (the outbox's acknowledged watermark: nothing unshipped is ever removed).
   * The last removed record's hash becomes the chain's anchor, and the purge is journaled in the chain.
   */
  purgeBefore(cutoff: string, maxSeq: number): { removed: number; anchorSeq: number | null };
  /**
   * The outbox's watermark: how far the IdP has acknowledged the journal. Only the mark is stored, so
   * nothing is ever deleted to "send" it.
   */
  readonly outbox: {
    acked(): number;
    /** True once the IdP has acknowledged a batch with this journal's identity. */
    anchored(): boolean;
    /** Moves the mark forward (never back). */
    advance(seq: number): void;
    /** Sets the mark back, when the IdP acknowledged less than the console believed. */
    rewind(seq: number): void;
    markAnchored(): void;
    /** Records after the mark. */
    pending(): number;
  };
  /** The journal's file: the audit store and the bulk store keep their tables in it, each through its own connection. */
  readonly file: string;
  isOpen(): boolean;
  close(): void;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Version tag inside every canonical record, so a later format can be told apart. */
const CANON_FORMAT = 1;

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Anything JSON cannot carry as is (a bigint) becomes a string instead of failing the append. */
const jsonSafe = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

/**
 * THE canonical encoding of a journal record, used for hashing, storing and verifying: a JSON array in a
 * fixed order with every character outside printable ASCII written as a \uXXXX escape. JSON.stringify
 * already escapes control characters (NUL included) and unpaired surrogates, so the result is pure ASCII:
 * it survives SQLite, UTF-8 and any copy byte for byte, and JSON.parse gives back exactly the strings that
 * went in — which the text columns alone cannot (SQLite stores an unpaired surrogate as U+FFFD).
 */
export function encodeJournalRecord(r: Omit<JournalRecord, 'hash'>): string {
  const json = JSON.stringify(
    [
      CANON_FORMAT, r.seq, r.id, r.at, r.kind, r.operation, r.operatorUsername, r.operatorName, r.operatorRoles, r.workstation,
      r.correlationId, r.targetId, r.targetLabel, r.targetOu, r.reason, r.outcome, r.summary, r.prevHash,
    ],
    jsonSafe,
  );
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The hash of a record is the SHA-256 of its canonical encoding (ASCII, so bytes and characters agree). */
export const journalHash = (canon: string): string => sha256(canon);

const nullableString = z.string().nullable();
const CanonTuple = z.tuple([
  z.literal(CANON_FORMAT),
  z.number().int().min(1),
  z.string(),
  z.string(),
  z.enum(['intent', 'outcome', 'event']),
  z.string(),
  z.string(),
  z.string(),
  z.array(z.string()),
  z.string(),
  z.string(),
  nullableString,
  nullableString,
  nullableString,
  nullableString,
  z.enum(['success', 'refused', 'failed', 'unknown']).nullable(),
  // Checked as a plain object, not rebuilt: zod rebuilds a record key by key, and an own "__proto__" key (which
  // JSON.parse keeps as data) would be lost on the way and the untouched record read as changed.
  z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'Resuméet er ikke et objekt'),
  z.string().regex(/^[0-9a-f]{64}$/),
]);

/** Reads a canonical record back (zod-checked: the file is in hostile hands). Throws when it is not one. */
export function decodeJournalRecord(canon: string): Omit<JournalRecord, 'hash'> {
  return fromTuple(CanonTuple.parse(JSON.parse(canon)));
}

function fromTuple(t: z.infer<typeof CanonTuple>): Omit<JournalRecord, 'hash'> {
  return {
    seq: t[1], id: t[2], at: t[3], kind: t[4], operation: t[5], operatorUsername: t[6], operatorName: t[7], operatorRoles: t[8],
    workstation: t[9], correlationId: t[10], targetId: t[11], targetLabel: t[12], targetOu: t[13], reason: t[14], outcome: t[15],
    summary: t[16], prevHash: t[17],
  };
}

/** The readable columns (what the timeline, search and CSV read), as SQLite gives them back. */
const columnNames = journalColumns;
const columnLabels: Record<(typeof columnNames)[number], string> = {
  seq: 'løbenummer', id: 'id', at: 'tidspunkt', kind: 'type', operation: 'handling', operator_username: 'operatørens brugernavn',
  operator_name: 'operatørens navn', operator_roles: 'operatørens roller', workstation: 'arbejdsstation', correlation_id: 'korrelations-id',
  target: 'person-id', target_label: 'person', target_ou: 'enhed', reason: 'begrundelse', outcome: 'udfald', summary: 'resumé',
  prev_hash: 'forrige hash',
};

/**
 * The column values of a record exactly as they read back from SQLite: node stores a JS string as UTF-8,
 * which turns an unpaired surrogate into U+FFFD, so that is applied here too. Used both to write the
 * columns and to check them against the chained record, so the two can never disagree on untouched data.
 */
export function storedColumns(r: Omit<JournalRecord, 'hash'>): Array<string | number | null> {
  const s = (v: string | null) => (v === null ? null : v.toWellFormed());
  return [
    r.seq, s(r.id), s(r.at), r.kind, s(r.operation), s(r.operatorUsername), s(r.operatorName), JSON.stringify(r.operatorRoles, jsonSafe),
    s(r.workstation), s(r.correlationId), s(r.targetId), s(r.targetLabel), s(r.targetOu), s(r.reason), r.outcome,
    JSON.stringify(r.summary, jsonSafe), r.prevHash,
  ];
}

/** The hash input of records written before the canonical encoding existed (kept to verify old journals). */
function legacyCanonical(r: Omit<JournalRecord, 'hash'>): string {
  return JSON.stringify([
    r.seq, r.id, r.at, r.kind, r.operation, r.operatorUsername, r.operatorName, r.operatorRoles, r.workstation,
    r.correlationId, r.targetId, r.targetLabel, r.targetOu, r.reason, r.outcome, r.summary, r.prevHash,
  ]);
}

function recordFromColumns(row: Record<string, unknown>): JournalRecord {
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

/** A stored row as a record: from its canonical encoding (exactly what was written), else the old columns. */
export function journalRecordFromRow(row: Record<string, unknown>): JournalRecord {
  if (typeof row.canon === 'string') return { ...decodeJournalRecord(row.canon), hash: String(row.hash) };
  return recordFromColumns(row);
}

const MAX_FINDINGS = 200;

const range = (from: number, to: number) => (from === to ? `Post ${from}` : `Poster ${from}–${to}`);

/** Collects findings, joining a break that continues the previous one of the same kind into one range. */
function findingList() {
  const list: JournalFinding[] = [];
  const details: JournalFindingDetail[] = [];
  let omitted = 0;
  return {
    list,
    details,
    omitted: () => omitted,
    /** A finding, its detail by code; `extend` rewords the previous one when this one continues its range. */
    add(f: JournalFinding, detail: JournalFindingDetail, extend?: (last: JournalFinding) => { message: string; detail: JournalFindingDetail }) {
      const last = list.at(-1);
      if (last && extend && last.kind === f.kind && (last.toSeq ?? last.fromSeq) + 1 === f.fromSeq) {
        last.toSeq = f.toSeq ?? f.fromSeq;
        const next = extend(last);
        last.message = next.message;
        details[list.length - 1] = next.detail;
        return;
      }
      if (list.length >= MAX_FINDINGS) omitted++;
      else {
        list.push(f);
        details.push(detail);
      }
    },
  };
}

const CHUNK = 5000;

/**
 * The console's own journal: node:sqlite in WAL mode with synchronous commits, each record chained to
 * the previous one by hash so an edit, insertion or deletion is detectable. Each row keeps its canonical
 * encoding (what the hash covers, in journal_canon) beside readable columns for the auditors' queries;
 * verification checks both. A full-text index over the readable fields serves the auditors' free-text search.
 */
export function openJournal(file: string, opts: { workstation?: string } = {}): Journal {
  const db = openDatabase(file);
  migrate(db, 'journal', [
    // 1: the journal as first shipped (adopts files made before versions were recorded).
    (d) =>
      d.exec(`
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
    CREATE TABLE IF NOT EXISTS journal_identity (
      id INTEGER PRIMARY KEY CHECK (id = 1), journal_id TEXT NOT NULL, workstation TEXT NOT NULL, created_at TEXT NOT NULL, high_seq INTEGER NOT NULL
    );
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
      `),
    // 2: the canonical encodings live in a table of their own: the timeline, search and export read the
    // journal table, whose rows stay as compact as before. Rows from before the canonical encoding have
    // none and keep verifying the old way (which a row hashed from its canonical form can never pass).
    (d) => d.exec('CREATE TABLE IF NOT EXISTS journal_canon (seq INTEGER PRIMARY KEY, canon TEXT NOT NULL)'),
    // 3: the outbox's watermark lives with the journal it ships; `anchored` is set once the IdP has
    // acknowledged a batch with the journal's identity.
    (d) => {
      d.exec(`CREATE TABLE IF NOT EXISTS outbox_state (id INTEGER PRIMARY KEY CHECK (id = 1), acked_seq INTEGER NOT NULL);
              INSERT OR IGNORE INTO outbox_state (id, acked_seq) VALUES (1, 0);`);
      if (!hasColumn(d, 'outbox_state', 'anchored')) d.exec('ALTER TABLE outbox_state ADD COLUMN anchored INTEGER NOT NULL DEFAULT 0');
    },
  ]);

  const last = db.prepare('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(`INSERT INTO journal (seq, id, at, kind, operation, operator_username, operator_name,
    operator_roles, workstation, correlation_id, target, target_label, target_ou, reason, outcome, summary, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertCanon = db.prepare('INSERT OR REPLACE INTO journal_canon (seq, canon) VALUES (?, ?)');
  const select = db.prepare('SELECT j.*, c.canon FROM journal j LEFT JOIN journal_canon c ON c.seq = j.seq WHERE j.seq > ? ORDER BY j.seq LIMIT ?');
  const hashOf = db.prepare('SELECT hash FROM journal WHERE seq = ?');
  const getAnchor = db.prepare('SELECT seq, hash FROM journal_anchor WHERE id = 1');
  const getIdentity = db.prepare('SELECT journal_id, workstation, created_at, high_seq FROM journal_identity WHERE id = 1');
  const raiseHigh = db.prepare('UPDATE journal_identity SET high_seq = max(high_seq, ?) WHERE id = 1');
  const getAcked = db.prepare('SELECT acked_seq AS s FROM outbox_state WHERE id = 1');
  const getAnchored = db.prepare('SELECT anchored AS a FROM outbox_state WHERE id = 1');
  const setAnchored = db.prepare('UPDATE outbox_state SET anchored = 1 WHERE id = 1');
  const setAcked = db.prepare('UPDATE outbox_state SET acked_seq = ? WHERE id = 1 AND acked_seq < ?');
  const rewindAcked = db.prepare('UPDATE outbox_state SET acked_seq = ? WHERE id = 1');
  const countAfter = db.prepare('SELECT count(*) AS n FROM journal WHERE seq > ?');

  const anchor = (): ChainHead | null => {
    const r = getAnchor.get() as { seq: number; hash: string } | undefined;
    return r ? { seq: Number(r.seq), hash: String(r.hash) } : null;
  };
  const lastRow = (): ChainHead | null => {
    const r = last.get() as { seq: number; hash: string } | undefined;
    return r ? { seq: Number(r.seq), hash: String(r.hash) } : null;
  };
  const identity = (): JournalIdentity => {
    const r = getIdentity.get() as { journal_id: string; workstation: string; created_at: string; high_seq: number };
    return { journalId: String(r.journal_id), workstation: String(r.workstation), createdAt: String(r.created_at), highSeq: Number(r.high_seq) };
  };

  // The journal's identity is made once, with the journal; an old journal gets one on its first open.
  if (!getIdentity.get()) {
    const high = Math.max(lastRow()?.seq ?? 0, anchor()?.seq ?? 0);
    db.prepare('INSERT INTO journal_identity (id, journal_id, workstation, created_at, high_seq) VALUES (1, ?, ?, ?, ?)').run(
      randomUUID(), (opts.workstation ?? hostname()) || 'ukendt arbejdsstation', new Date().toISOString(), high,
    );
  }

  /** Where the next record goes: above everything ever handed out, linked to the newest record still here. */
  const nextPosition = (): { seq: number; prevHash: string } => {
    const newest = lastRow() ?? anchor();
    const high = identity().highSeq;
    return { seq: Math.max(high, newest?.seq ?? 0) + 1, prevHash: newest?.hash ?? GENESIS_HASH };
  };

  const insertOne = (entry: JournalEntryInput, pos: { seq: number; prevHash: string }): ChainHead => {
    const draft: Omit<JournalRecord, 'hash'> = {
      seq: pos.seq,
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
      prevHash: pos.prevHash,
    };
    const canon = encodeJournalRecord(draft);
    const hash = journalHash(canon);
    // The columns come from the decoded canonical record, so they hold what the chain holds (e.g. a
    // summary value JSON drops is dropped in both), through the same function verification uses.
    // (Not zod-checked here: the text was made a line above.)
    insert.run(...storedColumns(fromTuple(JSON.parse(canon) as z.infer<typeof CanonTuple>)), hash);
    insertCanon.run(pos.seq, canon);
    return { seq: pos.seq, hash };
  };

  const tx = <T>(fn: () => T): T => inTransaction(db, fn);

  /**
   * The walk behind verify: yields between chunks so the async variant can let other work run.
   * Each row is checked on its own (its hash covers its canonical form; its columns match that form)
   * and against its neighbour (seq continues, prevHash is the previous stored hash); the walk goes on
   * after a break, with the stored hash, so every break is named and not only the first.
   */
  function* walk(opts: VerifyOptions, out: { result?: JournalVerification }): Generator<void, void, void> {
    // A retention purge while the walk waits between chunks moves the chain's start: walk again then,
    // rather than call the purged records missing.
    for (let attempt = 0; ; attempt++) {
      const restart = yield* walkOnce(opts, out, attempt < 3);
      if (!restart) return;
    }
  }

  function* walkOnce(opts: VerifyOptions, out: { result?: JournalVerification }, mayRestart: boolean): Generator<void, boolean, void> {
    const findings = findingList();
    const a = anchor();
    let prev: ChainHead = a ?? { seq: 0, hash: GENESIS_HASH };
    let count = 0;
    const total = Number((db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n);
    for (;;) {
      const rows = select.all(prev.seq, CHUNK) as Record<string, unknown>[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const seq = Number(row.seq);
        const hash = String(row.hash);
        let rec: Omit<JournalRecord, 'hash'> | null = null;
        let changed: string | null = null;
        let why: Record<string, string | number> = {};
        try {
          if (typeof row.canon === 'string') {
            if (journalHash(row.canon) !== hash) {
              changed = 'indholdet passer ikke med postens hash';
              why = { why: 'hash' };
            }
            else {
              rec = decodeJournalRecord(row.canon);
              const want = storedColumns(rec);
              const bad = columnNames.filter((c, i) => row[c] !== want[i]);
              if (bad.length) {
                changed = `feltet ${bad.map((c) => `»${columnLabels[c]}«`).join(', ')} passer ikke med den kædede post`;
                why = { why: 'columns', fields: bad.join(',') };
              }
            }
          } else {
            rec = recordFromColumns(row);
            if (sha256(legacyCanonical(rec)) !== hash) {
              changed = 'indholdet passer ikke med postens hash';
              why = { why: 'hash' };
            }
          }
        } catch {
          changed = 'posten kan ikke læses';
          why = { why: 'unreadable' };
        }
        const prevHash = rec?.prevHash ?? String(row.prev_hash);
        if (seq > prev.seq + 1) {
          const linked = prevHash === prev.hash;
          findings.add(
            {
              kind: 'missing', fromSeq: prev.seq + 1, toSeq: seq - 1,
              message: `${range(prev.seq + 1, seq - 1)} mangler${linked ? ` (post ${seq} er skrevet efter, at de blev fjernet)` : ` – kæden er brudt mellem post ${prev.seq} og ${seq}`}.`,
            },
            linked ? { code: 'missingLinked', params: { seq } } : { code: 'missingBroken', params: { prev: prev.seq, seq } },
          );
        } else if (prevHash !== prev.hash) {
          findings.add(
            { kind: 'broken-link', fromSeq: seq, toSeq: null, message: `Kæden er brudt ved post ${seq}: forrige hash passer ikke med post ${prev.seq}.` },
            { code: 'brokenLink', params: { seq, prev: prev.seq } },
          );
        }
        if (rec && rec.seq !== seq) {
          changed = `den kædede post har løbenummer ${rec.seq}`;
          why = { why: 'seq', chainedSeq: rec.seq };
        }
        if (changed) {
          const text = changed;
          const params = why;
          findings.add(
            { kind: 'changed', fromSeq: seq, toSeq: null, message: `Post ${seq} er ændret: ${text}.` },
            { code: 'changed', params },
            (f) => ({ message: `${range(f.fromSeq, f.toSeq ?? f.fromSeq)} er ændret (${text} m.fl.).`, detail: { code: 'changedRange', params } }),
          );
        }
        prev = { seq, hash };
        count++;
      }
      opts.onProgress?.(count, Math.max(total, count));
      if (opts.signal?.aborted) throw new Error('Kontrollen af journalen blev afbrudt.');
      yield;
      if (mayRestart && anchor()?.seq !== a?.seq) return true;
    }
    const high = identity().highSeq;
    if (high > prev.seq) {
      findings.add(
        {
          kind: 'missing-tail', fromSeq: prev.seq + 1, toSeq: high,
          message: `De nyeste ${range(prev.seq + 1, high).toLowerCase()} mangler: journalen har tidligere nået post ${high}.`,
        },
        { code: 'missingTail', params: { high } },
      );
    }
    const head = prev.seq > 0 ? prev : null;
    out.result = { ok: findings.list.length === 0 && findings.omitted() === 0, count, head, findings: findings.list, details: findings.details, findingsOmitted: findings.omitted() };
    return false;
  }

  return {
    append(entry) {
      return tx(() => {
        const h = insertOne(entry, nextPosition());
        raiseHigh.run(h.seq);
        return h.seq;
      });
    },
    appendMany(entries) {
      tx(() => {
        let pos = nextPosition();
        let h: ChainHead | null = null;
        for (const e of entries) {
          h = insertOne(e, pos);
          pos = { seq: h.seq + 1, prevHash: h.hash };
        }
        if (h) raiseHigh.run(h.seq);
      });
    },
    list(opts = {}) {
      return (select.all(opts.afterSeq ?? 0, opts.limit ?? 1000) as Record<string, unknown>[]).map(journalRecordFromRow);
    },
    count() {
      return Number((db.prepare('SELECT count(*) AS n FROM journal').get() as { n: number }).n);
    },
    identity,
    head: () => lastRow() ?? anchor(),
    hashAt(seq) {
      const r = hashOf.get(seq) as { hash: string } | undefined;
      if (r) return String(r.hash);
      const a = anchor();
      return a && a.seq === seq ? a.hash : null;
    },
    anchor,
    ensureSeqAbove(seq) {
      raiseHigh.run(seq);
    },
    purgeBefore(cutoff, maxSeq) {
      // The chain can only be cut from its start: walk forward while records are old enough.
      let lastCut: ChainHead | null = null;
      for (const row of db.prepare('SELECT seq, at, hash FROM journal ORDER BY seq').iterate() as Iterable<{ seq: number; at: string; hash: string }>) {
        if (row.at >= cutoff || Number(row.seq) > maxSeq) break;
        lastCut = { seq: Number(row.seq), hash: String(row.hash) };
      }
      if (!lastCut) return { removed: 0, anchorSeq: anchor()?.seq ?? null };
      const upTo = lastCut;
      const removed = tx(() => {
        const n = Number(db.prepare('DELETE FROM journal WHERE seq <= ?').run(upTo.seq).changes);
        db.prepare('DELETE FROM journal_canon WHERE seq <= ?').run(upTo.seq);
        db.prepare('DELETE FROM journal_fts WHERE rowid <= ?').run(upTo.seq);
        db.prepare('INSERT INTO journal_anchor (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(upTo.seq, upTo.hash);
        return n;
      });
      return { removed, anchorSeq: upTo.seq };
    },
    verify() {
      const out: { result?: JournalVerification } = {};
      for (const _ of walk({}, out));
      return out.result!;
    },
    async verifyAsync(opts = {}) {
      const out: { result?: JournalVerification } = {};
      for (const _ of walk(opts, out)) await new Promise<void>((r) => setImmediate(r));
      return out.result!;
    },
    outbox: {
      acked: () => Number((getAcked.get() as { s: number }).s),
      anchored: () => Number((getAnchored.get() as { a: number }).a) === 1,
      advance(seq) {
        setAcked.run(seq, seq);
      },
      rewind(seq) {
        rewindAcked.run(seq);
      },
      markAnchored() {
        setAnchored.run();
      },
      pending: () => Number((countAfter.get((getAcked.get() as { s: number }).s) as { n: number }).n),
    },
    file,
    isOpen: () => db.isOpen,
    close() {
      db.close();
    },
  };
}
