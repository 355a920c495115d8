// The people list's sync status and cancel, through the dispatcher in the training environment (the
// training directory, the MitID Erhverv and IdP simulators over real sockets).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OpInput, OpName, OpOutput } from '../../../shared/operations/index.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';

let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
const helpdesk = caller('ws-helpdesk');

async function call<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
  const r = await core.dispatch(name, input, helpdesk);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as OpOutput<N>;
}

beforeAll(async () => {
  env = await testCore({ simulators: true });
  core = env.core;
  const r = await core.dispatch('session.login', { username: 'helpdesk', password: TRAINING_PASSWORD }, helpdesk);
  expect(r.ok).toBe(true);
}, 120_000);

afterAll(async () => env?.dispose());

it('says per system how it was read and when, without building the list itself', async () => {
  // Nobody has asked for the list yet: the status asks nothing of the systems.
  const before = await call('people.syncStatus', {});
  expect(before.sources.map((s) => s.state)).toEqual(['not-loaded', 'not-loaded', 'not-loaded']);
  await call('people.list', { limit: 1 });
  await core.people().idle();
  const { sources } = await call('people.syncStatus', {});
  const [ad, mitid, idp] = sources;
  expect(ad).toMatchObject({ system: 'ad', state: 'ok', fromCache: false, method: { code: 'adFull', params: { why: 'noCounter' } }, cancellable: false });
  expect(mitid).toMatchObject({ system: 'mitid', state: 'ok' });
  expect(mitid?.method).toMatchObject({ code: 'mitidRead', params: { searched: expect.any(Number) as number, stopped: false } });
  expect(idp).toMatchObject({ system: 'idp', state: 'ok' });
  expect(idp?.method).toMatchObject({ code: 'idpFeed', params: { full: true, pages: expect.any(Number) as number } });
  for (const s of sources) {
    expect(Date.parse(s.lastFullAt ?? '')).toBeGreaterThan(0);
    expect(s.loadedAt).toBe(s.lastFullAt);
  }
  // The calls the first refresh made, per endpoint: one search and each new identity's two reads for MitID
  // Erhverv; for the IdP its change feed a page per 1,000 people, and no call per person.
  expect(mitid?.calls?.['POST /identity/employee/search']).toBe(1);
  expect(mitid?.calls?.['GET /identity/employee/{uuid}']).toBe(mitid?.total);
  expect(mitid?.calls?.['GET /identity/employee/{uuid}/authenticators']).toBe(mitid?.total);
  expect(idp?.calls?.['GET /people/changes']).toBe(Math.ceil((idp?.total ?? 0) / 1000) || 1);
  expect(idp?.calls?.['GET /people/{domain}/{username}']).toBeUndefined();
  expect(idp?.total).toBeGreaterThan(1000);
}, 120_000);

it('cancels a long read: the rows read before stay, the status says it was cancelled', async () => {
  const before = await call('people.list', { limit: 1 });
  expect(await call('people.cancelRefresh', {})).toEqual({ cancelled: false });
  await call('people.refresh', {});
  // Wait until MitID Erhverv's per-identity reads are under way, then cancel.
  await expect.poll(async () => (await call('people.syncStatus', {})).sources[1], { timeout: 30_000, interval: 20 }).toMatchObject({ state: 'loading', cancellable: true });
  expect(await call('people.cancelRefresh', {})).toEqual({ cancelled: true });
  await core.people().idle();
  const after = await call('people.list', { limit: 1 });
  const mitid = after.sources[1];
  expect(mitid).toMatchObject({ state: 'ok', message: 'Indlæsningen blev afbrudt.', cancellable: false });
  expect(mitid?.lastFullAt).toBe(before.sources[1]?.lastFullAt);
  expect(after.indexed).toBe(before.indexed);
}, 120_000);
