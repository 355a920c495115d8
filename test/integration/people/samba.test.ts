// The people operations through the core against the real Samba AD DC (live mode, no MitID/IdP set up):
// unlock and reset a password as a helpdesk operator, then the person binds with the new password and
// is made to change it; scope and role refusals through direct calls.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpInput, OpName, OpOutput } from '../../../shared/operations/index.ts';
import { createAdDirectory } from '../../../src-main/connectors/ad/ad-directory.ts';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { sambaContext, testProfile, type SambaContext } from '../../support/samba/context.ts';
import { caller } from '../../support/core.ts';
import { sqlOf } from '../../support/sql.ts';

let ctx: SambaContext;
let core: Core;
let dataDir: string;
const helpdesk = caller('ws-helpdesk');
const skole = caller('ws-skole');
const revisor = caller('ws-revisor');

type Result = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };
async function call<N extends OpName>(name: N, input: OpInput<N>, who: ReturnType<typeof caller>): Promise<OpOutput<N>> {
  const r: Result = await core.dispatch(name, input, who);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as OpOutput<N>;
}

beforeAll(async () => {
  ctx = sambaContext();
  const f = ctx.facts;
  dataDir = mkdtempSync(join(tmpdir(), 'lia-people-samba-'));
  const settingsFile = join(dataDir, 'settings.json');
  writeFileSync(
    settingsFile,
    JSON.stringify({
      mode: 'live',
      ad: testProfile(ctx),
      roleMapping: {
        administrator: [f.roleGroups.administrator],
        useradmin: [f.roleGroups.useradmin],
        helpdesk: [f.roleGroups.helpdesk, f.roleGroups.helpdeskSchools],
        auditor: [f.roleGroups.auditor],
        helpdeskScopes: [{ group: f.roleGroups.helpdeskSchools, ous: [f.ou.skoler] }],
      },
    }),
  );
  core = await createCore({
    dataDir,
    settings: fileSettingsStore(settingsFile),
    secrets: memorySecretStore(),
    version: '0.0.0-test',
    auditSyncIntervalMs: 0,
    logError: () => {},
  });
  for (const [c, u] of [[helpdesk, f.operators.helpdesk], [skole, f.operators.helpdeskSchools], [revisor, f.operators.auditor]] as const) {
    await call('session.login', { username: u, password: f.password }, c);
  }
});

afterAll(async () => {
  await core?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function idOf(username: string): Promise<string> {
  const page = await call('people.list', { text: username, limit: 20 }, helpdesk);
  const row = page.rows.find((r) => r.username === username);
  if (!row) throw new Error(`fandt ikke ${username}`);
  return row.id;
}

describe('people against Samba AD through the core', () => {
  it('lists the directory with AD state, and says MitID Erhverv and the IdP are not set up', async () => {
    const page = await call('people.list', { limit: 10 }, revisor);
    expect(page.indexed).toBeGreaterThanOrEqual(ctx.facts.bulkUserCount);
    expect(page.sources.map((s) => s.state)).toEqual(['ok', 'not-configured', 'not-configured']);
    const locked = await call('people.list', { text: 'Lars Låst', filter: { adLocked: 'yes' }, limit: 5 }, revisor);
    expect(locked.rows.map((r) => r.username)).toContain(ctx.facts.special.locked.username);
  });

  it('a helpdesk operator unlocks and resets a password; the person binds with it and must change it', async () => {
    const f = ctx.facts;
    // A generated employee, not one of the special accounts: the AD write tests expect those to keep
    // the seed password, and test files run in any order on the one DC.
    const specials = new Set(Object.values(f.special).map((p) => p.username));
    const candidates = await call('people.list', { filter: { ou: 'Sundhed og Omsorg', adLocked: 'no', adEnabled: 'yes' }, limit: 200 }, helpdesk);
    const u = candidates.rows.find((r) => !specials.has(r.username) && !r.ad?.mustChangePassword)?.username ?? '';
    expect(u).not.toBe('');
    const dir = createAdDirectory(testProfile(ctx));
    for (let i = 0; i < f.domainPolicy.lockoutThreshold; i++) {
      await expect(dir.signIn(u, `Forkert-${i}-Kode!`)).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    const id = await idOf(u);
    expect((await call('people.get', { personId: id }, helpdesk)).person.locked).toBe(true);

    const unlocked = await call('people.unlockAccount', { personId: id, reason: 'Ringede selv ind, identitet bekræftet' }, helpdesk);
    expect(unlocked.person.locked).toBe(false);

    const pw = 'Fjord-Kage-Mast-Ugle-47';
    const check = await call('people.checkPassword', { personId: id, password: pw }, helpdesk);
    expect(check).toMatchObject({ ok: true });
    expect(check.policy).toContain('AD:');
    // "Must change at next logon" is the default.
    const r = await call('people.resetPassword', { personId: id, password: pw, reason: 'Glemt adgangskode efter ferie' }, helpdesk);
    expect(r.outcome).toBe('reset');
    expect(r.row?.ad?.mustChangePassword).toBe(true);
    expect(r.row?.ad?.locked).toBe(false);

    // The new password is right (AD says it must be changed, not that it is wrong); the old one is gone.
    await expect(dir.signIn(u, pw)).rejects.toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/skal skiftes/) });
    await expect(dir.signIn(u, f.password)).rejects.toMatchObject({ code: 'unauthenticated', message: expect.not.stringMatching(/skal skiftes/) });
    const journal = JSON.stringify(sqlOf(core.journal).prepare('SELECT * FROM journal').all());
    expect(journal).not.toContain(pw);
    expect(journal).toContain('Glemt adgangskode efter ferie');
  });

  it('refuses a password below the PSO before AD sees it', async () => {
    const id = await idOf(ctx.facts.special.privileged.username);
    const check = await call('people.checkPassword', { personId: id, password: 'Kort-Kode-12!' }, helpdesk);
    expect(check.ok).toBe(false);
    expect(check.problems[0]?.message).toMatch(/mindst 15 tegn/);
    const r = await core.dispatch('people.resetPassword', { personId: id, password: 'Kort-Kode-12!', reason: 'Forsøg med for kort kode' }, helpdesk);
    expect(r.ok ? 'ok' : r.error.code).toBe('validation');
  });

  it('a helpdesk operator scoped to Skoler gets forbidden outside it through a direct call, and may act inside', async () => {
    const outside = await idOf(ctx.facts.special.resetTarget.username);
    const r = await core.dispatch('people.resetPassword', { personId: outside, password: 'Fjord-Kage-Mast-Ugle-48', reason: 'Uden for skolerne' }, skole);
    expect(r.ok ? 'ok' : r.error.code).toBe('forbidden');
    const u = await core.dispatch('people.unlockAccount', { personId: outside, reason: 'Uden for skolerne' }, skole);
    expect(u.ok ? 'ok' : u.error.code).toBe('forbidden');
    const inside = await idOf(ctx.facts.special.pupil.username);
    const ok = await core.dispatch('people.unlockAccount', { personId: inside, reason: 'Elev kan ikke logge på' }, skole);
    expect(ok.ok).toBe(true);
  });

  it("an auditor's direct writes are refused", async () => {
    const id = await idOf(ctx.facts.special.toggleTarget.username);
    const r = await core.dispatch('people.unlockAccount', { personId: id, reason: 'Forsøg fra revisor' }, revisor);
    expect(r.ok ? 'ok' : r.error.code).toBe('forbidden');
    const w = await core.dispatch('people.resetPassword', { personId: id, password: 'Fjord-Kage-Mast-Ugle-49', reason: 'Forsøg fra revisor' }, revisor);
    expect(w.ok ? 'ok' : w.error.code).toBe('forbidden');
  });

  it('opens from the local cache on the next start while AD is still being read, and says so', async () => {
    // The first console read everything (the tests above); it stops, a new one starts on the same folder.
    const first = await call('people.list', { limit: 1 }, revisor);
    expect(first.sources[0]?.fromCache).toBe(false);
    await core.close();
    core = await createCore({ dataDir, settings: fileSettingsStore(join(dataDir, 'settings.json')), secrets: memorySecretStore(), version: '0.0.0-test', auditSyncIntervalMs: 0, logError: () => {} });
    const again = caller('ws-revisor-2');
    await call('session.login', { username: ctx.facts.operators.auditor, password: ctx.facts.password }, again);
    // AD stops answering: the list must not wait for it.
    process.kill(-ctx.pid, 'SIGSTOP');
    try {
      const t0 = performance.now();
      const page = await call('people.list', { text: 'Lars Låst', limit: 5 }, again);
      expect(performance.now() - t0).toBeLessThan(2_000);
      expect(page.rows.map((r) => r.username)).toContain(ctx.facts.special.locked.username);
      expect(page.indexed).toBe(first.indexed);
      expect(page.sources[0]).toMatchObject({ system: 'ad', fromCache: true, state: 'loading' });
      expect(page.sources[0]?.loadedAt).toBe(first.sources[0]?.loadedAt);
    } finally {
      process.kill(-ctx.pid, 'SIGCONT');
    }
    // Behind it, AD is read again and the rows are marked fresh.
    await expect.poll(async () => (await call('people.list', { limit: 1 }, again)).sources[0], { timeout: 60_000, interval: 200 }).toMatchObject({ fromCache: false, state: 'ok' });
  });
});
