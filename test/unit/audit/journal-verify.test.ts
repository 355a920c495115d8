// Verification names every break (not only the first), and sequence numbers are never handed out twice.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditShipping } from '../../../src-main/services/audit/shipping.ts';
import { openAuditStore } from '../../../src-main/store/audit-store.ts';
import { GENESIS_HASH, openJournal, type Journal, type JournalEntryInput } from '../../../src-main/store/journal.ts';
import { sqlOf } from '../../support/sql.ts';

const operator = { username: 'hd', displayName: 'Helle', dn: 'CN=Helle', roles: ['helpdesk' as const], helpdeskOus: null };
const entry = (i: number): JournalEntryInput => ({
  kind: 'event', operation: 'people.unlockAccount', operator, workstation: 'ws', correlationId: `c${i}`,
  target: { id: `p${i}`, label: `Person ${i} (user${i})`, ou: 'OU=X,DC=kommune,DC=dk' }, reason: `Ringede ind ${i}`, outcome: 'success', summary: { i },
});
let dir: string;
let file: string;
let journal: Journal;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-verify-'));
  file = join(dir, 'journal.sqlite');
  journal = openJournal(file);
  journal.appendMany(Array.from({ length: 10 }, (_, i) => entry(i + 1)));
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Edits the file as an attacker with the data folder would: another connection, console closed. */
function tamper(sql: string) {
  journal.close();
  const db = new DatabaseSync(file);
  db.exec(sql);
  db.close();
  journal = openJournal(file);
}

describe('verify', { timeout: 60_000 }, () => {
  it('reports two breaks in one journal, each with its range', () => {
    tamper(`UPDATE journal SET reason = 'Helt i orden' WHERE seq = 3; DELETE FROM journal WHERE seq IN (7, 8);`);
    const r = journal.verify();
    expect(r.ok).toBe(false);
    expect(r.count).toBe(8);
    expect(r.findings.map((f) => [f.kind, f.fromSeq, f.toSeq])).toEqual([
      ['changed', 3, null],
      ['missing', 7, 8],
    ]);
    expect(r.findings[0]?.message).toBe('Post 3 er ændret: feltet »begrundelse« passer ikke med den kædede post.');
    expect(r.findings[1]?.message).toBe('Poster 7–8 mangler – kæden er brudt mellem post 6 og 9.');
  });

  it('names a re-hashed record by the broken link after it, and goes on to the next break', () => {
    // The attacker rewrites record 4 consistently (its canonical form and hash) but cannot fix record 5's link.
    const rec = journal.list({ afterSeq: 3, limit: 1 })[0]!;
    const canon = (sqlOf(journal).prepare('SELECT canon FROM journal_canon WHERE seq = 4').get() as { canon: string }).canon.replace(rec.reason!, 'Forfalsket');
    const hash = createHash('sha256').update(canon).digest('hex');
    tamper(`UPDATE journal_canon SET canon = '${canon}' WHERE seq = 4; UPDATE journal SET hash = '${hash}', reason = 'Forfalsket' WHERE seq = 4;
            UPDATE journal SET operator_name = 'Mallory' WHERE seq = 9;`);
    const r = journal.verify();
    expect(r.findings.map((f) => [f.kind, f.fromSeq])).toEqual([
      ['broken-link', 5],
      ['changed', 9],
    ]);
  });

  it('joins a run of changed records into one range', () => {
    tamper(`UPDATE journal SET target_label = 'Anden person' WHERE seq BETWEEN 2 AND 5`);
    expect(journal.verify().findings).toMatchObject([{ kind: 'changed', fromSeq: 2, toSeq: 5 }]);
  });

  it('names a record whose chained form was removed (it cannot pass the old format\'s check either)', () => {
    tamper('DELETE FROM journal_canon WHERE seq = 6');
    expect(journal.verify().findings).toMatchObject([{ kind: 'changed', fromSeq: 6, toSeq: null }]);
  });

  it('reports the newest records missing when the tail was cut', () => {
    tamper('DELETE FROM journal WHERE seq > 7');
    expect(journal.verify()).toMatchObject({ ok: false, findings: [{ kind: 'missing-tail', fromSeq: 8, toSeq: 10 }] });
  });

  it('streams in chunks with progress and finds the same breaks', async () => {
    journal.appendMany(Array.from({ length: 12_000 }, (_, i) => entry(100 + i)));
    sqlOf(journal).exec('UPDATE journal SET summary = \'{"i":0}\' WHERE seq = 11000');
    const progress: number[] = [];
    const r = await journal.verifyAsync({ onProgress: (done, total) => progress.push(done, total) });
    expect(progress.length).toBeGreaterThanOrEqual(6);
    expect(progress.at(-2)).toBe(12_010);
    expect(r).toEqual(journal.verify());
    expect(r.findings).toMatchObject([{ kind: 'changed', fromSeq: 11000, message: 'Post 11000 er ændret: feltet »resumé« passer ikke med den kædede post.' }]);
  });

  it('does not call records missing that a retention purge removed while it walked', async () => {
    journal.appendMany(Array.from({ length: 12_000 }, (_, i) => entry(100 + i)));
    let purged = false;
    const r = await journal.verifyAsync({
      onProgress: () => {
        if (!purged) purged = journal.purgeBefore('9999', 8000).removed === 8000;
      },
    });
    expect(purged).toBe(true);
    expect(r).toMatchObject({ ok: true, findings: [], count: 12_010 - 8000 });
  });

  it('still verifies records written before the canonical encoding existed', () => {
    // A journal of the old format: columns only, hashed over their JSON.
    journal.close();
    rmSync(file);
    journal = openJournal(file);
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const r = [seq, `id${seq}`, '2025-01-01T00:00:00.000Z', 'event', 'op', 'hd', 'Helle', ['helpdesk'], 'ws', `c${seq}`, null, null, null, 'grund', 'success', { seq }, prev];
      const hash = createHash('sha256').update(JSON.stringify(r), 'utf8').digest('hex');
      sqlOf(journal).prepare(`INSERT INTO journal (seq, id, at, kind, operation, operator_username, operator_name, operator_roles, workstation, correlation_id,
        target, target_label, target_ou, reason, outcome, summary, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(seq, `id${seq}`, '2025-01-01T00:00:00.000Z', 'event', 'op', 'hd', 'Helle', '["helpdesk"]', 'ws', `c${seq}`, null, null, null, 'grund', 'success', JSON.stringify({ seq }), prev, hash);
      prev = hash;
    }
    journal.append(entry(4));
    expect(journal.verify()).toMatchObject({ ok: true, count: 4 });
    sqlOf(journal).exec("UPDATE journal SET reason = 'ændret' WHERE seq = 2");
    expect(journal.verify().findings).toMatchObject([{ kind: 'changed', fromSeq: 2 }]);
  });
});

describe('sequence numbers', () => {
  it('never hands out a seq again after the newest rows were deleted', () => {
    tamper('DELETE FROM journal WHERE seq > 7');
    expect(journal.append(entry(99))).toBe(11);
    // The gap stays visible, and the new record says it came after the removal.
    expect(journal.verify().findings).toMatchObject([{ kind: 'missing', fromSeq: 8, toSeq: 10, message: 'Poster 8–10 mangler (post 11 er skrevet efter, at de blev fjernet).' }]);
  });

  it('stays above the outbox\'s acknowledged mark even when the high-water mark is reset too', () => {
    const shipping = createAuditShipping(journal, openAuditStore(journal.file));
    sqlOf(journal).prepare('UPDATE outbox_state SET acked_seq = 10').run();
    expect(shipping.ackedSeq()).toBe(10);
    tamper('DELETE FROM journal WHERE seq > 5; UPDATE journal_identity SET high_seq = 5;');
    // A restart: the outbox raises the mark to what the IdP acknowledged before anything is appended.
    createAuditShipping(journal, openAuditStore(journal.file));
    expect(journal.append(entry(50))).toBe(11);
  });

  it('gives every journal a random id and the workstation, kept across reopening', () => {
    const id = journal.identity();
    expect(id.journalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(id.highSeq).toBe(10);
    journal.close();
    journal = openJournal(file);
    expect(journal.identity()).toEqual(id);
  });
});
