import { DatabaseSync } from 'node:sqlite';
import type { Journal } from '../../src-main/store/journal.ts';

const open = new Map<string, DatabaseSync>();

/**
 * A test's own connection to the journal's file, as anyone with the data folder has it: for looking at
 * the raw rows, and for tampering with them the way an attacker would. The console never shares its handle.
 */
export function sqlOf(journal: Journal): DatabaseSync {
  let db = open.get(journal.file);
  if (!db || !db.isOpen) {
    db = new DatabaseSync(journal.file);
    db.exec('PRAGMA busy_timeout = 5000');
    open.set(journal.file, db);
  }
  return db;
}
