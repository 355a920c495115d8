import { DatabaseSync } from 'node:sqlite';
import type { z } from 'zod';

/**
 * Opens a store's own connection to its node:sqlite file: WAL (readers never block the writer), FULL
 * synchronous commits (a record said to be written survives a power cut), and a busy timeout, because
 * several stores may keep their tables in one file, each through its own connection.
 */
export function openDatabase(file: string): DatabaseSync {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  return db;
}

/**
 * Brings a store's tables to the newest schema: step i (1-based) runs once, in a transaction, when the
 * store's recorded version is below i. Each store keeps its own version (in `schema_versions`), so stores
 * that share a file never step on each other. Steps written as CREATE … IF NOT EXISTS also adopt a file
 * made before versions were recorded.
 */
export function migrate(db: DatabaseSync, store: string, steps: ReadonlyArray<(db: DatabaseSync) => void>): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (store TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_versions WHERE store = ?').get(store) as { version: number } | undefined;
  const current = row ? Number(row.version) : 0;
  if (current > steps.length) {
    throw new Error(`Databasen (${store}) er fra en nyere version af konsollen (skema ${current}, denne version kender ${steps.length}).`);
  }
  for (let v = current; v < steps.length; v++) {
    inTransaction(db, () => {
      (steps[v] as (db: DatabaseSync) => void)(db);
      db.prepare('INSERT INTO schema_versions (store, version) VALUES (?, ?) ON CONFLICT(store) DO UPDATE SET version = excluded.version').run(store, v + 1);
    });
  }
}

/** True when a table has a column (for steps that add one to a file that may already have it). */
export function hasColumn(db: DatabaseSync, table: string, column: string): boolean {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).some((c) => c.name === column);
}

/** A row's JSON column parsed by its schema: the file is as untrusted as any other input. */
export function parseJsonColumn<T extends z.ZodType>(schema: T, text: unknown): z.output<T> {
  return schema.parse(JSON.parse(String(text)));
}

/**
 * Runs `fn` in one write transaction (BEGIN IMMEDIATE takes the write lock up front, so two writers
 * never deadlock half-way); rolls back and rethrows on any error, so nothing is half-applied.
 */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const r = fn();
    db.exec('COMMIT');
    return r;
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}
