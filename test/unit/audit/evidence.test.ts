import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { maskCpr } from '../../../src-main/services/audit/evidence.ts';
import { useTestCore, type caller } from '../../support/core.ts';

const t = useTestCore({ beforeEach, afterEach });
let core: Core;
beforeEach(() => {
  core = t.current();
});
const as = t.signIn;

async function untilDone(c: ReturnType<typeof caller>, id: string) {
  for (let i = 0; i < 600; i++) {
    const r = await core.dispatch('jobs.get', { id }, c);
    if (!r.ok) throw new Error(r.error.message);
    const job = (r.data as { job: { state: string; result: unknown; error: unknown } }).job;
    if (job.state !== 'running') return job;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('job did not finish');
}

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

async function seedActions() {
  const hd = await as('helpdesk');
  const r = await core.dispatch('people.search', { text: '', limit: 1000 }, hd);
  if (!r.ok) throw new Error(r.error.message);
  const locked = (r.data as { items: Array<{ id: string; locked: boolean }> }).items.filter((p) => p.locked).slice(0, 3);
  for (const p of locked) {
    const u = await core.dispatch('people.unlockAccount', { personId: p.id, reason: 'Borger ringede, CPR 010190-1234 oplyst' }, hd);
    expect(u.ok).toBe(true);
  }
}

describe('evidence packages', { timeout: 30_000 }, () => {
  it('writes CSV, XLSX, PDF and a manifest that verifies offline with sha256sum', async () => {
    await seedActions();
    const auditor = await as('revisor');
    const r = await core.dispatch('audit.exportEvidence', { from: today(), to: today(), scope: { kind: 'all' } }, auditor);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const job = await untilDone(auditor, (r.data as { job: { id: string } }).job.id);
    expect(job.state).toBe('succeeded');
    const folder = (job.result as { folder: string }).folder;
    expect(readdirSync(folder).sort()).toEqual(['SHA256SUMS', 'haendelser.csv', 'haendelser.xlsx', 'manifest.json', 'rapport.pdf']);

    const csv = readFileSync(join(folder, 'haendelser.csv'), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff); // BOM for Danish Excel
    expect(csv).toContain('"Tidspunkt";"Kilde";"Handling"');
    expect(csv).toContain('AD-konto låst op');
    expect(csv).toContain('010190-XXXX');
    expect(csv).not.toContain('010190-1234');
    expect(readFileSync(join(folder, 'rapport.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    // Without an IdP (simulators off here) the chain is checked but cannot be compared, and nothing signs it.
    expect(manifest).toMatchObject({
      period: { from: today(), to: today(), endInclusive: true },
      journal: { ok: false, chainIntact: true, findings: [], idp: { state: 'not-configured', message: 'Journalen kunne ikke sammenlignes med IdP\'en: den lokale IdP er ikke sat op.' } },
      attestation: { signed: false, reason: 'Pakken er IKKE underskrevet af IdP\'en: den lokale IdP er ikke sat op.' },
      fullCpr: false,
    });

    // Common tools verify the files; the console says the package is unsigned; one altered byte is caught by both.
    execFileSync('sha256sum', ['-c', 'SHA256SUMS', '--quiet'], { cwd: folder });
    expect(await core.dispatch('audit.verifyPackage', { folder }, auditor)).toMatchObject({ ok: true, data: { ok: false, checked: 4, problems: [], signature: { state: 'unsigned' } } });
    appendFileSync(join(folder, 'haendelser.csv'), '"forfalsket"\r\n');
    expect(() => execFileSync('sha256sum', ['-c', 'SHA256SUMS', '--quiet'], { cwd: folder, stdio: 'pipe' })).toThrow();
    const bad = await core.dispatch('audit.verifyPackage', { folder }, auditor);
    expect(bad).toMatchObject({ ok: true, data: { ok: false, problems: ['haendelser.csv er ændret (SHA-256 passer ikke).'] } });
    // The same finding by code and values, for an auditor working in another language.
    expect(bad).toMatchObject({ ok: true, data: { findings: [{ code: 'fileChanged', params: { file: 'haendelser.csv' } }] } });

    // The export itself is in the journal, as a sensitive read by the auditor.
    const exports = core.journal.list().filter((e) => e.operation === 'audit.exportEvidence');
    expect(exports.map((e) => [e.kind, e.operatorUsername])).toEqual([['intent', 'revisor'], ['outcome', 'revisor']]);
  });

  it('needs a reason for full CPR numbers, and then shows them', async () => {
    await seedActions();
    const auditor = await as('revisor');
    const no = await core.dispatch('audit.exportEvidence', { from: today(), to: today(), scope: { kind: 'admin' }, fullCpr: true }, auditor);
    expect(no).toMatchObject({ ok: false, error: { code: 'validation', details: { fields: { reason: 'Fulde CPR-numre kræver en begrundelse' } } } });
    const yes = await core.dispatch('audit.exportEvidence', { from: today(), to: today(), scope: { kind: 'admin' }, fullCpr: true, reason: 'Politiets anmodning j.nr. 123' }, auditor);
    if (!yes.ok) throw new Error(yes.error.message);
    const job = await untilDone(auditor, (yes.data as { job: { id: string } }).job.id);
    expect(readFileSync(join((job.result as { folder: string }).folder, 'haendelser.csv'), 'utf8')).toContain('010190-1234');
  });

  it('leaves nothing that claims to be a package when cancelled', async () => {
    // Enough rows that the export is still running when the cancel arrives.
    const operator = { username: 'x', displayName: 'X', dn: 'CN=X', roles: ['helpdesk' as const], helpdeskOus: null };
    core.journal.appendMany(Array.from({ length: 20_000 }, (_, i) => ({ kind: 'event' as const, operation: 'session.login', operator, workstation: 'w', correlationId: `c${i}`, target: null, reason: null, outcome: 'success' as const, summary: {} })));
    const auditor = await as('revisor');
    const r = await core.dispatch('audit.exportEvidence', { from: today(), to: today(), scope: { kind: 'all' } }, auditor);
    if (!r.ok) throw new Error(r.error.message);
    const id = (r.data as { job: { id: string } }).job.id;
    await core.dispatch('jobs.cancel', { id }, auditor);
    const job = await untilDone(auditor, id);
    expect(job.state).toBe('cancelled');
    expect(existsSync(core.evidenceDir) ? readdirSync(core.evidenceDir) : []).toEqual([]);
    // 20,000 journal rows written first: on a loaded machine that alone can pass vitest's 5 s default.
  }, 60_000);

  it('removes a .partial export left by a crash at the next start, and journals it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lia-partial-'));
    const open = () => createCore({ trainingSimulators: false, auditSyncIntervalMs: 0, dataDir, settings: fileSettingsStore(join(dataDir, 'settings.json')), secrets: memorySecretStore(), version: 't', logError: () => {} });
    try {
      let c = await open();
      await c.startupCheck;
      await c.close();
      // What a crash mid-export leaves: a half-written folder with personal data in it.
      const left = join(dataDir, 'evidence', 'revisionspakke-2026-11-01_2026-11-23-2026-11-23T10-00-00-000Z.partial');
      mkdirSync(left, { recursive: true });
      writeFileSync(join(left, 'haendelser.csv'), '"010190-1234";"Søren"\r\n');
      mkdirSync(join(dataDir, 'evidence', 'revisionspakke-færdig'));
      c = await open();
      await c.startupCheck;
      try {
        expect(existsSync(left)).toBe(false);
        expect(existsSync(join(dataDir, 'evidence', 'revisionspakke-færdig'))).toBe(true);
        const ev = c.journal.list().filter((r) => r.operation === 'audit.evidenceCleanup');
        expect(ev).toHaveLength(1);
        expect(ev[0]).toMatchObject({ kind: 'event', outcome: 'success', summary: { removed: [basename(left)] } });
        expect(ev[0]?.reason).toContain(basename(left));
        expect(statSync(join(dataDir, 'evidence')).mode & 0o777).toBe(0o700);
      } finally {
        await c.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('masks CPR numbers as ddmmyy-XXXX', () => {
    expect(maskCpr('CPR 0101901234 og 311299-4321')).toBe('CPR 010190-XXXX og 311299-XXXX');
  });

  it('lets only the job owner see or cancel a job', async () => {
    const auditor = await as('revisor');
    const r = await core.dispatch('audit.exportEvidence', { from: today(), to: today(), scope: { kind: 'all' } }, auditor);
    if (!r.ok) throw new Error(r.error.message);
    const other = await as('admin');
    const id = (r.data as { job: { id: string } }).job.id;
    expect(await core.dispatch('jobs.cancel', { id }, other)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await untilDone(auditor, id);
  });
});
