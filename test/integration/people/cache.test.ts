// The people list opens from the local cache on the next start: the rows as last read from all three
// systems, marked as cached, then read again behind them. A cache of other systems is never shown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { OpOutput } from '../../../shared/operations/index.ts';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { caller, TRAINING_PASSWORD } from '../../support/core.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'lia-people-cache-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const start = (trainingPeople?: number) =>
  createCore({ dataDir, trainingPeople, settings: fileSettingsStore(join(dataDir, 'settings.json')), secrets: memorySecretStore(), version: '0.0.0-test', auditSyncIntervalMs: 0, logError: () => {} });

async function list(core: Core, who: ReturnType<typeof caller>): Promise<OpOutput<'people.list'>> {
  const r = await core.dispatch('people.list', { limit: 500 }, who);
  if (!r.ok) throw new Error(r.error.message);
  return r.data as OpOutput<'people.list'>;
}

async function signedIn(core: Core) {
  const who = caller();
  const r = await core.dispatch('session.login', { username: 'revisor', password: TRAINING_PASSWORD }, who);
  expect(r.ok).toBe(true);
  return who;
}

it('shows the last run\'s merged rows at once, marked as cached, and refreshes them behind', { timeout: 120_000 }, async () => {
  const first = await start();
  const who1 = await signedIn(first);
  await list(first, who1);
  await first.people().idle();
  const before = await list(first, who1);
  expect(before.sources.map((s) => [s.state, s.fromCache])).toEqual([['ok', false], ['ok', false], ['ok', false]]);
  await first.close();

  const second = await start();
  try {
    const who2 = await signedIn(second);
    const page = await list(second, who2);
    // MitID Erhverv and the IdP are read over HTTPS, which cannot have finished yet: what shows is the cache.
    expect(page.sources.find((s) => s.system === 'mitid')).toMatchObject({ fromCache: true, loadedAt: before.sources[1]?.loadedAt });
    expect(page.sources.find((s) => s.system === 'idp')).toMatchObject({ fromCache: true });
    expect(page.indexed).toBe(before.indexed);
    const byId = new Map(before.rows.map((r) => [r.id, r]));
    const withIdentity = page.rows.filter((r) => r.mitid.state === 'Active');
    expect(withIdentity.length).toBeGreaterThan(100);
    for (const r of page.rows.slice(0, 200)) {
      expect(r.mitid.state).toBe(byId.get(r.id)?.mitid.state);
      expect(r.idp.deviceCount).toBe(byId.get(r.id)?.idp.deviceCount);
      expect(r.drift).toEqual(byId.get(r.id)?.drift);
    }
    await second.people().idle();
    const fresh = await list(second, who2);
    expect(fresh.sources.map((s) => s.fromCache)).toEqual([false, false, false]);
    expect(Date.parse(fresh.sources[1]?.loadedAt ?? '')).toBeGreaterThan(Date.parse(before.sources[1]?.loadedAt ?? ''));
  } finally {
    await second.close();
  }

  // Another municipality (here: another training size) does not get this cache.
  const other = await start(300);
  try {
    const page = await list(other, await signedIn(other));
    expect(page.sources.map((s) => s.fromCache)).toEqual([false, false, false]);
    expect(page.indexed).toBeLessThan(before.indexed);
  } finally {
    await other.close();
  }
});
