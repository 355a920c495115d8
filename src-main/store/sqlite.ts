import type { DatabaseSync } from 'node:sqlite';

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
