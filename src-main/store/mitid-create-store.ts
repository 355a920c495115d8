// The console's memory of paid MitID Erhverv creates, per person (subjectNameId, lower-cased): which
// create is on its way ("in-flight", stored before the POST), which outcome is unknown ("pending" —
// "afventer bekræftelse") and which landed ("created", with the uuid). Its own node:sqlite file in the
// data folder; rows are checked with zod when read back, and the file carries a schema version.
import { chmodSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { inTransaction } from './sqlite.ts';

export const MITID_CREATE_SCHEMA_VERSION = 1;

export const CreateRecordState = z.enum(['in-flight', 'pending', 'created']);
export type CreateRecordState = z.infer<typeof CreateRecordState>;

const iso = z.string().min(1);
export const CreateRecord = z.object({
  key: z.string().min(1).max(400),
  subjectNameId: z.string().min(1).max(400),
  emailAddress: z.string().max(400).nullable(),
  label: z.string().max(400).nullable(),
  state: CreateRecordState,
  uuid: z.string().max(64).nullable(),
  /** When the create was sent (in-flight) — the start of the confirmation window for a pending one. */
  since: iso,
  /** Searches that did not show it, counted at most one per interval. */
  absentChecks: z.number().int().min(0),
  lastCheckAt: iso.nullable(),
  /** The IdP's claim already says what this row says. */
  claimSynced: z.boolean(),
  message: z.string().max(2000).nullable(),
  updatedAt: iso,
});
export type CreateRecord = z.infer<typeof CreateRecord>;

const Row = z.object({
  key: z.string(),
  subject_name_id: z.string(),
  email: z.string().nullable(),
  label: z.string().nullable(),
  state: z.string(),
  uuid: z.string().nullable(),
  since: z.string(),
  absent_checks: z.number().or(z.bigint()),
  last_check_at: z.string().nullable(),
  claim_synced: z.number().or(z.bigint()),
  message: z.string().nullable(),
  updated_at: z.string(),
});

function fromRow(raw: unknown): CreateRecord {
  const r = Row.parse(raw);
  return CreateRecord.parse({
    key: r.key,
    subjectNameId: r.subject_name_id,
    emailAddress: r.email,
    label: r.label,
    state: r.state,
    uuid: r.uuid,
    since: r.since,
    absentChecks: Number(r.absent_checks),
    lastCheckAt: r.last_check_at,
    claimSynced: Number(r.claim_synced) === 1,
    message: r.message,
    updatedAt: r.updated_at,
  });
}

export interface MitIdCreateStore {
  /** This console installation's id with the IdP's claims (random, made once per data folder). */
  readonly holder: string;
  get(key: string): CreateRecord | null;
  /** Stored before the POST: a crash after this leaves the person pending, never "not created". */
  begin(r: { key: string; subjectNameId: string; emailAddress: string | null; label: string | null }, at: string): CreateRecord;
  setPending(key: string, message: string, at: string): void;
  /** A search that did not show it; `counted` = far enough from the last one to count. */
  recordCheck(key: string, counted: boolean, at: string): CreateRecord | null;
  setCreated(key: string, uuid: string, claimSynced: boolean, at: string): void;
  setClaimSynced(key: string, synced: boolean): void;
  remove(key: string): void;
  /** Pending and in-flight rows, oldest first; and created rows whose claim is not yet told. */
  open(): CreateRecord[];
  close(): void;
}

export function openMitIdCreateStore(file: string): MitIdCreateStore {
  const db = new DatabaseSync(file);
  // The file names people and their identities: readable by this user only.
  if (process.platform !== 'win32') chmodSync(file, 0o600);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS mitid_creates (
      key TEXT PRIMARY KEY,
      subject_name_id TEXT NOT NULL,
      email TEXT,
      label TEXT,
      state TEXT NOT NULL,
      uuid TEXT,
      since TEXT NOT NULL,
      absent_checks INTEGER NOT NULL DEFAULT 0,
      last_check_at TEXT,
      claim_synced INTEGER NOT NULL DEFAULT 0,
      message TEXT,
      updated_at TEXT NOT NULL
    );
  `);
  const getMeta = db.prepare('SELECT value FROM meta WHERE name = ?');
  const setMeta = db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING');
  const version = getMeta.get('schema_version') as { value: string } | undefined;
  if (version && Number(version.value) > MITID_CREATE_SCHEMA_VERSION) {
    db.close();
    throw new Error(`mitid-creates: filen er fra en nyere version (skema ${version.value})`);
  }
  const holder = inTransaction(db, () => {
    setMeta.run('schema_version', String(MITID_CREATE_SCHEMA_VERSION));
    setMeta.run('holder', randomUUID());
    return z.string().uuid().parse((getMeta.get('holder') as { value: string }).value);
  });

  const select = db.prepare('SELECT * FROM mitid_creates WHERE key = ?');
  const upsertBegin = db.prepare(`INSERT INTO mitid_creates (key, subject_name_id, email, label, state, uuid, since, absent_checks, last_check_at, claim_synced, message, updated_at)
    VALUES (?, ?, ?, ?, 'in-flight', NULL, ?, 0, NULL, 0, NULL, ?)
    ON CONFLICT(key) DO UPDATE SET subject_name_id = excluded.subject_name_id, email = excluded.email, label = excluded.label, state = 'in-flight', uuid = NULL,
      since = excluded.since, absent_checks = 0, last_check_at = NULL, claim_synced = 0, message = NULL, updated_at = excluded.updated_at`);
  const pending = db.prepare(`UPDATE mitid_creates SET state = 'pending', message = ?, claim_synced = 0, updated_at = ? WHERE key = ?`);
  const check = db.prepare(`UPDATE mitid_creates SET absent_checks = absent_checks + ?, last_check_at = CASE WHEN ? = 1 THEN ? ELSE last_check_at END, updated_at = ? WHERE key = ?`);
  const created = db.prepare(`UPDATE mitid_creates SET state = 'created', uuid = ?, claim_synced = ?, message = NULL, updated_at = ? WHERE key = ?`);
  const synced = db.prepare('UPDATE mitid_creates SET claim_synced = ? WHERE key = ?');
  const del = db.prepare('DELETE FROM mitid_creates WHERE key = ?');
  const openRows = db.prepare(`SELECT * FROM mitid_creates WHERE state IN ('pending', 'in-flight') OR (state = 'created' AND claim_synced = 0) ORDER BY since`);

  const get = (key: string): CreateRecord | null => {
    const r = select.get(key);
    return r ? fromRow(r) : null;
  };
  return {
    holder,
    get,
    begin(r, at) {
      upsertBegin.run(r.key, r.subjectNameId, r.emailAddress, r.label, at, at);
      return get(r.key) as CreateRecord;
    },
    setPending(key, message, at) {
      pending.run(message.slice(0, 2000), at, key);
    },
    recordCheck(key, counted, at) {
      check.run(counted ? 1 : 0, counted ? 1 : 0, at, at, key);
      return get(key);
    },
    setCreated(key, uuid, claimSynced, at) {
      created.run(uuid, claimSynced ? 1 : 0, at, key);
    },
    setClaimSynced(key, value) {
      synced.run(value ? 1 : 0, key);
    },
    remove(key) {
      del.run(key);
    },
    open() {
      return openRows.all().map(fromRow);
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}
