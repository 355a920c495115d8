// A hostile administrator with the data folder: the console ships its journal to the (simulated) IdP,
// is closed, the SQLite file is tampered with directly, and the console is started again on the same
// folder. Every case must be found — at start (and journaled), by verify, and by shipping refusing to
// move on — with the missing or changed range named. An untouched restart must find nothing.
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalCheck } from '../../../shared/domain/audit.ts';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { decodeJournalRecord, encodeJournalRecord } from '../../../src-main/store/journal.ts';
import { caller, TRAINING_PASSWORD } from '../../support/core.ts';

const operator = { username: 'hd', displayName: 'Helle Dam', dn: 'CN=Helle', roles: ['helpdesk' as const], helpdeskOus: null };
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function openCore(dataDir: string): Promise<Core> {
  return createCore({
    trainingSimulators: true,
    auditSyncIntervalMs: 0,
    dataDir,
    settings: fileSettingsStore(join(dataDir, 'settings.json')),
    secrets: memorySecretStore(),
    version: '0.0.0-test',
    logError: () => {},
  });
}

function append(core: Core, n: number, tag: string) {
  for (let i = 0; i < n; i++) {
    core.journal.append({
      kind: 'event', operation: 'people.unlockAccount', operator, workstation: 'ws', correlationId: `${tag}${i}`,
      target: { id: `p${i}`, label: `Person ${i} (user${i})`, ou: 'OU=Borgerservice,DC=fjordby,DC=kommune,DC=test' },
      reason: `Ringede ind (${tag} ${i})`, outcome: 'success', summary: { i },
    });
  }
}

/** A console that has shipped two batches to the IdP (two acknowledged heads), then closed. */
async function shipOnce(): Promise<{ dataDir: string; headSeq: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lia-tamper-'));
  dirs.push(dataDir);
  const core = await openCore(dataDir);
  expect((await core.startupCheck)?.ok).toBe(true);
  append(core, 12, 'a');
  await core.syncAudit();
  append(core, 12, 'b');
  await core.syncAudit();
  expect(core.shipping.status()).toMatchObject({ pending: 0, lastError: null });
  const headSeq = core.journal.head()!.seq;
  await core.close();
  return { dataDir, headSeq };
}

let shipped: Promise<{ dataDir: string; headSeq: number }> | null = null;
/**
 * Each case gets its own copy of one such closed console's data folder (the journal, the IdP's record of
 * it, the settings): the same as shipping again, without starting a console per case.
 */
async function shippedConsole(): Promise<{ dataDir: string; file: string; headSeq: number }> {
  const template = await (shipped ??= shipOnce());
  const dataDir = mkdtempSync(join(tmpdir(), 'lia-tamper-'));
  dirs.push(dataDir);
  cpSync(template.dataDir, dataDir, { recursive: true });
  return { dataDir, file: join(dataDir, 'journal.sqlite'), headSeq: template.headSeq };
}

function sql(file: string, statements: string) {
  const db = new DatabaseSync(file);
  db.exec(statements);
  db.close();
}

/** What an attacker who knows the format does: change a record and recompute every hash after it. */
function editAndRehash(file: string, seq: number, reason: string) {
  const db = new DatabaseSync(file);
  const rows = db.prepare('SELECT j.seq, c.canon, j.hash FROM journal j JOIN journal_canon c ON c.seq = j.seq WHERE j.seq >= ? ORDER BY j.seq').all(seq) as Array<{ seq: number; canon: string; hash: string }>;
  let prevHash = (db.prepare('SELECT hash FROM journal WHERE seq = ?').get(seq - 1) as { hash: string }).hash;
  const upd = db.prepare('UPDATE journal SET hash = ?, prev_hash = ?, reason = ? WHERE seq = ?');
  const updCanon = db.prepare('UPDATE journal_canon SET canon = ? WHERE seq = ?');
  for (const r of rows) {
    const rec = decodeJournalRecord(r.canon);
    const next = { ...rec, prevHash, reason: r.seq === seq ? reason : rec.reason };
    const canon = encodeJournalRecord(next);
    const hash = createHash('sha256').update(canon).digest('hex');
    upd.run(hash, prevHash, next.reason, r.seq);
    updCanon.run(canon, r.seq);
    prevHash = hash;
  }
  db.close();
}

async function restart(dataDir: string): Promise<{ core: Core; check: JournalCheck }> {
  const core = await openCore(dataDir);
  const check = (await core.startupCheck)!;
  return { core, check };
}

/** The start-up finding is in the (new) journal, and an auditor's verify says the same. */
async function expectReported(core: Core, check: JournalCheck) {
  const event = core.journal.list({ limit: 10_000 }).find((r) => r.operation === 'audit.journalTampered');
  expect(event?.reason).toContain('Journalen er manipuleret');
  const revisor = caller();
  expect(await core.dispatch('session.login', { username: 'revisor', password: TRAINING_PASSWORD }, revisor)).toMatchObject({ ok: true });
  const v = await core.dispatch('audit.verifyJournal', {}, revisor);
  expect(v).toMatchObject({ ok: true, data: { ok: false } });
  // The start-up event is a record after the tampered point, so a missing tail now reads as a gap; what
  // the IdP's record shows must still be there.
  const idpKinds = check.findings.map((f) => f.kind).filter((k) => k.startsWith('idp-'));
  if (v.ok) expect((v.data as JournalCheck).findings.map((f) => f.kind)).toEqual(expect.arrayContaining(idpKinds));
}

const tally = { tried: 0, detected: 0 };
afterAll(() => {
  // Written to the log for the report: how many tamper cases were tried, how many were found.
  console.log(`tamper cases tried: ${tally.tried}, detected: ${tally.detected}`);
});
function count(check: JournalCheck) {
  tally.tried++;
  if (!check.ok && check.findings.length > 0) tally.detected++;
}

describe('a journal tampered with while the console was closed', { timeout: 120_000 }, () => {
  it('finds nothing after an untouched restart, and ships on', async () => {
    const { dataDir, headSeq } = await shippedConsole();
    const { core, check } = await restart(dataDir);
    try {
      expect(check).toMatchObject({ ok: true, chainIntact: true, findings: [], idp: { state: 'confirmed', acknowledged: { seq: headSeq } } });
      expect(core.journal.list({ limit: 10_000 }).some((r) => r.operation === 'audit.journalTampered')).toBe(false);
      append(core, 3, 'c');
      await core.syncAudit();
      expect(core.shipping.status()).toMatchObject({ pending: 0, lastError: null });
    } finally {
      await core.close();
    }
  });

  it('edit a record and re-hash the chain: the IdP\'s heads no longer fit; the range is named', async () => {
    const { dataDir, file, headSeq } = await shippedConsole();
    editAndRehash(file, 5, 'Alt var i orden');
    const { core, check } = await restart(dataDir);
    try {
      count(check);
      expect(check.chainIntact).toBe(true); // locally consistent: only the anchor can tell
      expect(check.idp.state).toBe('tampered');
      const f = check.findings.find((x) => x.kind === 'idp-changed')!;
      expect(f.fromSeq).toBeLessThanOrEqual(5);
      expect(f.toSeq).toBeGreaterThanOrEqual(5);
      expect(f.message).toMatch(/^Poster \d+–\d+ er ændret eller genberegnet: IdP'en bekræftede post \d+ .* med en anden hash/);
      await expectReported(core, check);
      // Shipping refuses to move past the rewritten chain, and says so.
      await core.syncAudit();
      expect(core.shipping.status().lastError).toContain('Lokal IdP afviste journalen');
      expect(core.shipping.ackedSeq()).toBe(headSeq);
    } finally {
      await core.close();
    }
  });

  it('delete the newest records: the tail and the acknowledged range are named', async () => {
    const { dataDir, file, headSeq } = await shippedConsole();
    sql(file, `DELETE FROM journal WHERE seq > ${headSeq - 5}`);
    const { core, check } = await restart(dataDir);
    try {
      count(check);
      expect(check.findings).toEqual(expect.arrayContaining([
        expect.objectContaining({ kind: 'missing-tail', fromSeq: headSeq - 4, toSeq: headSeq }),
        expect.objectContaining({ kind: 'idp-truncated', fromSeq: headSeq - 4, toSeq: headSeq }),
      ]));
      expect(check.findings.find((x) => x.kind === 'idp-truncated')?.message).toContain(`Journalen er afkortet: IdP'en har bekræftet poster til og med post ${headSeq}`);
      await expectReported(core, check);
      await core.syncAudit();
      expect(core.shipping.status().lastError).toMatch(/mangler poster|bygger ikke på/);
    } finally {
      await core.close();
    }
  });

  it('delete the newest records and cover the tracks (high-water mark and outbox reset): the IdP still knows', async () => {
    const { dataDir, file, headSeq } = await shippedConsole();
    const keep = headSeq - 8;
    sql(file, `DELETE FROM journal WHERE seq > ${keep}; UPDATE journal_identity SET high_seq = ${keep}; UPDATE outbox_state SET acked_seq = ${keep};`);
    const { core, check } = await restart(dataDir);
    try {
      count(check);
      expect(check.chainIntact).toBe(true);
      expect(check.findings).toMatchObject([{ kind: 'idp-rolled-back', fromSeq: keep + 1, toSeq: headSeq }]);
      await expectReported(core, check);
      // The new records (the tamper event among them) would take seqs the IdP acknowledged: it refuses them.
      await core.syncAudit();
      expect(core.shipping.status().lastError).toContain('Lokal IdP afviste journalen');
    } finally {
      await core.close();
    }
  });

  it('delete a record in the middle: the gap is named by the chain itself', async () => {
    const { dataDir, file } = await shippedConsole();
    sql(file, 'DELETE FROM journal WHERE seq = 9');
    const { core, check } = await restart(dataDir);
    try {
      count(check);
      expect(check.findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'missing', fromSeq: 9, toSeq: 9 })]));
      await expectReported(core, check);
    } finally {
      await core.close();
    }
  });

  it('edit a record without re-hashing: the record is named', async () => {
    const { dataDir, file } = await shippedConsole();
    sql(file, "UPDATE journal SET reason = 'Alt var i orden', target_label = 'En anden (anden)' WHERE seq = 7");
    const { core, check } = await restart(dataDir);
    try {
      count(check);
      expect(check.findings).toMatchObject([{ kind: 'changed', fromSeq: 7, message: 'Post 7 er ændret: feltet »person«, »begrundelse« passer ikke med den kædede post.' }]);
      await expectReported(core, check);
    } finally {
      await core.close();
    }
  });

  it('restore an older copy of the journal file: rolled back, the missing range named', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lia-tamper-'));
    dirs.push(dataDir);
    const file = join(dataDir, 'journal.sqlite');
    let core = await openCore(dataDir);
    await core.startupCheck;
    append(core, 10, 'a');
    await core.syncAudit();
    const oldEnd = core.journal.head()!.seq;
    await core.close();
    copyFileSync(file, join(dataDir, 'kopi.sqlite'));
    core = await openCore(dataDir);
    await core.startupCheck;
    append(core, 10, 'b');
    await core.syncAudit();
    const newEnd = core.journal.head()!.seq;
    await core.close();
    for (const ext of ['', '-wal', '-shm']) if (existsSync(`${file}${ext}`)) rmSync(`${file}${ext}`);
    copyFileSync(join(dataDir, 'kopi.sqlite'), file);

    const r = await restart(dataDir);
    try {
      count(r.check);
      expect(r.check.chainIntact).toBe(true);
      expect(r.check.findings).toMatchObject([{ kind: 'idp-rolled-back', fromSeq: oldEnd + 1, toSeq: newEnd }]);
      expect(r.check.findings[0]?.message).toContain('Journalen er erstattet af en ældre kopi');
      await expectReported(r.core, r.check);
    } finally {
      await r.core.close();
    }
  });

  it('replace the journal with a fresh one: the IdP knows the earlier journal of this workstation', async () => {
    const { dataDir, file, headSeq } = await shippedConsole();
    const db = new DatabaseSync(file);
    const oldId = (db.prepare('SELECT journal_id FROM journal_identity').get() as { journal_id: string }).journal_id;
    db.close();
    for (const ext of ['', '-wal', '-shm']) if (existsSync(`${file}${ext}`)) rmSync(`${file}${ext}`);
    const { core, check } = await restart(dataDir);
    try {
      count(check);
      expect(check.findings).toMatchObject([{ kind: 'idp-replaced', fromSeq: 1, toSeq: headSeq }]);
      expect(check.findings[0]?.message).toContain(oldId);
      await expectReported(core, check);
      // The fresh journal may ship: its first records carry the finding to the IdP, out of the attacker's reach.
      await core.syncAudit();
      const sim = (core.connections().idp)!;
      const shipped = await sim.readAudit(0, 1000).then(async function all(p): Promise<Array<{ action: string }>> {
        return p.hasMore ? [...p.items, ...(await sim.readAudit(p.next, 1000).then(all))] : p.items;
      });
      expect(shipped.some((e) => e.action === 'audit.journalTampered')).toBe(true);
    } finally {
      await core.close();
    }
  });
});
