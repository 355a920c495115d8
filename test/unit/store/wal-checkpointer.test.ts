import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/sqlite.ts';
import { walCheckpointer } from '../../../src-main/store/wal-checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// What the people store does: no automatic checkpoint in the committing connection, a worker copies the log.
describe('the WAL checkpointer', () => {
  it('copies a commit\'s log back into the database from its own thread, not inside the commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lia-wal-'));
    dirs.push(dir);
    const file = join(dir, 'people-cache.sqlite');
    const db = openDatabase(file);
    db.exec('PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE facts (key TEXT PRIMARY KEY, data TEXT NOT NULL)');
    const checkpoints = walCheckpointer(file);
    const put = db.prepare('INSERT INTO facts (key, data) VALUES (?, ?)');
    const before = statSync(file).size;
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < 5_000; i++) put.run(`k${i}`, 'x'.repeat(500));
    db.exec('COMMIT');
    // Committed: in the log only (SQLite's own checkpoint would have grown the file ~2.5 MB by now).
    expect(statSync(file).size).toBe(before);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(2_000_000);

    checkpoints.committed();
    checkpoints.committed();
    await checkpoints.idle();
    expect(statSync(file).size).toBeGreaterThan(before + 2_000_000);
    expect((db.prepare('SELECT count(*) AS n FROM facts').get() as { n: number }).n).toBe(5_000);

    await checkpoints.close();
    // Closed: asking again does nothing and waits for nothing.
    checkpoints.committed();
    await checkpoints.idle();
    db.close();
  });
});
