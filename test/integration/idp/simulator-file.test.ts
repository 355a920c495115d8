// The simulator's optional file: a training session's changes survive a restart.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import { startIdpSimulator } from '../../../src-main/training/idp-sim/server.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idp-sim-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('keeps policy, identity lock, devices and the audit log across a restart', async () => {
  const file = join(dir, 'idp.json');
  const people = [
    { username: 'anhe', domain: 'kommune.dk', displayName: 'Anne Hansen' },
    { username: 'pejo', domain: 'kommune.dk', displayName: 'Peter Jørgensen' },
  ];
  const ctx = { actor: { username: 'admin' }, reason: 'Test af genstart' };
  const first = await startIdpSimulator({ people, auditEvents: 500, file, apiKey: 'k' });
  const c1 = createIdpClient({ baseUrl: first.url, auth: { kind: 'api-key', apiKey: 'k' } });
  const pol = await c1.getPasswordPolicy('kommune.dk');
  await c1.updatePasswordPolicy('kommune.dk', { basedOnVersion: pol.version, settings: { ...pol.settings, minLength: 20 }, ...ctx });
  await c1.lockIdentity({ domain: 'kommune.dk', username: 'pejo' }, ctx);
  const devices = (await c1.listDevices({ domain: 'kommune.dk', username: 'anhe' })).items;
  const head = await c1.auditHead();
  c1.close();
  await first.stop();
  expect((await stat(file)).size).toBeGreaterThan(1000);

  const second = await startIdpSimulator({ people: [], auditEvents: 10, file, apiKey: 'k' });
  const c2 = createIdpClient({ baseUrl: second.url, auth: { kind: 'api-key', apiKey: 'k' } });
  try {
    expect(await c2.getPasswordPolicy('kommune.dk')).toMatchObject({ version: pol.version + 1, settings: { minLength: 20 } });
    expect((await c2.getPerson({ domain: 'kommune.dk', username: 'pejo' })).locked).toMatchObject({ reason: ctx.reason });
    expect((await c2.listDevices({ domain: 'kommune.dk', username: 'anhe' })).items).toEqual(devices);
    expect(await c2.auditHead()).toBe(head);
  } finally {
    c2.close();
    await second.stop();
  }
});
