import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../../src-main/store/journal.ts';

const operator = { username: 'hd', displayName: 'Helle', dn: 'CN=Helle', roles: ['helpdesk' as const], helpdeskOus: null };
let dir: string;
let file: string;
let journal: Journal;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-journal-'));
  file = join(dir, 'j.sqlite');
  journal = openJournal(file);
  for (let i = 0; i < 5; i++) {
    journal.append({ kind: 'event', operation: `op${i}`, operator, workstation: 'ws', correlationId: `c${i}`, target: null, reason: null, outcome: 'success', summary: { i } });
  }
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

function tamper(sql: string) {
  journal.close();
  const db = new DatabaseSync(file);
  db.exec(sql);
  db.close();
  journal = openJournal(file);
}

describe('hash-chained journal', () => {
  it('verifies an untouched chain', () => {
    expect(journal.verify()).toMatchObject({ ok: true, count: 5 });
  });

  it('names the row whose content was edited', () => {
    tamper(`UPDATE journal SET reason = 'ændret' WHERE seq = 3`);
    expect(journal.verify()).toMatchObject({ ok: false, findings: [{ kind: 'changed', fromSeq: 3 }] });
  });

  it('notices a deleted row', () => {
    tamper('DELETE FROM journal WHERE seq = 2');
    expect(journal.verify()).toMatchObject({ ok: false, findings: [{ kind: 'missing', fromSeq: 2, toSeq: 2 }] });
  });

  it('notices an inserted row even when its own hash is right', () => {
    // Shift the tail up and insert a forged record at 3 that copies row 2's hash as its prev.
    tamper(`UPDATE journal SET seq = seq + 100 WHERE seq >= 3;
            UPDATE journal SET seq = seq - 99 WHERE seq >= 103;
            INSERT INTO journal SELECT 3, 'forged', at, kind, 'forged', operator_username, operator_name, operator_roles,
              workstation, correlation_id, target, target_label, target_ou, reason, outcome, summary, hash, hash FROM journal WHERE seq = 2;`);
    const r = journal.verify();
    expect(r.ok).toBe(false);
    // The forged row does not fit its hash, and every shifted row no longer sits at the seq it was chained at.
    expect(r.findings).toMatchObject([{ kind: 'changed', fromSeq: 3, toSeq: 6 }]);
  });
});
