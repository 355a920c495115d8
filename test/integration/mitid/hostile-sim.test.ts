// The simulator's hostile switches, each shown to do what it says — over real HTTPS with the client
// certificate, and through the control endpoint a test in another process would use.
import https from 'node:https';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { clientFor, expectConsoleError, fakeCpr, startSim } from './harness.ts';

let sim: MitIdSimulator;
const clients: MitIdErhvervClient[] = [];
const client = (extra: Parameters<typeof clientFor>[1] = {}) => {
  const c = clientFor(sim, extra);
  clients.push(c);
  return c;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.state.clear();
  sim.faults.reset();
  sim.resetStats();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

const person = (n: number) => ({
  givenName: `Karen ${n}`,
  surname: 'Lund',
  emailAddress: `kl${n}@kommune.dk`,
  cprNumber: fakeCpr(n),
  subjectNameId: `kl${n}@kommune.dk`,
});

function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, sim.url);
    const req = https.request(
      { method, host: url.hostname, port: url.port, path: url.pathname, pfx: sim.client.pfx, passphrase: sim.client.passphrase, ca: sim.caPem, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const inSearch = async (c: MitIdErhvervClient, cpr: string) => {
  for await (const i of c.iterateAll()) if (i.cprNumber === cpr) return true;
  return false;
};

describe('hostile switches', () => {
  it('searchLagMs: a new identity is readable by uuid at once but appears in the search only after the lag', async () => {
    const c = client();
    sim.faults.searchLagMs = 400;
    const { uuid } = await c.createIdentity(person(1));
    expect((await c.getIdentity(uuid)).uuid).toBe(uuid);
    expect(await inSearch(c, fakeCpr(1))).toBe(false);
    expect((await c.matchPerson(person(1))).ours).toBeNull();
    await sleep(450);
    expect(await inSearch(c, fakeCpr(1))).toBe(true);
  });

  it('applyAfterTimeout: the client gives up, and the server applies the create afterwards', async () => {
    const c = client({ timeoutMs: 300 });
    sim.faults.applyAfterTimeout = { rate: 1, applyDelayMs: 500, holdMs: 700 };
    const e = await expectConsoleError(c.createIdentity(person(2)));
    expect(e.details).toMatchObject({ outcome: 'unknown' });
    expect(sim.stats.createsApplied).toBe(0);
    expect(sim.pendingApplies()).toBe(1);
    await sleep(400);
    expect(sim.stats.createsApplied).toBe(1);
    expect(sim.state.findByCpr(fakeCpr(2))).toBeDefined();
  });

  it.each(['503', '500', 'drop'] as const)('failAfterApply %s: the change is applied, the answer is a failure', async (answer) => {
    const c = client();
    sim.faults.failAfterApply = { rate: 1, answer };
    // The client's one lookup finds what landed: reconciled, from exactly one POST.
    const r = await c.createIdentity(person(3));
    expect(r.outcome).toBe('reconciled');
    expect(sim.stats.createRequests).toBe(1);
    expect(sim.stats.createsApplied).toBe(1);
    // Every write, not only creates.
    await expect(c.suspend(r.uuid)).rejects.toBeTruthy();
    expect(sim.state.get(r.uuid)?.status).toBe('Suspended');
  });

  it('duplicateRefusal off: the same person is created (and paid) twice', async () => {
    const c = client();
    sim.faults.duplicateRefusal = false;
    await c.createIdentity(person(4));
    await c.createIdentity(person(4));
    expect(sim.stats.createsApplied).toBe(2);
    expect(sim.state.all().filter((i) => i.cprNumber === fakeCpr(4))).toHaveLength(2);
    sim.faults.duplicateRefusal = true;
    const e = await expectConsoleError(c.createIdentity({ ...person(5), cprNumber: fakeCpr(4) }));
    expect(e.code).toBe('conflict');
  });

  it('subjectNameIdMatch: case-insensitive by default (409), exact when switched', async () => {
    const c = client();
    await c.createIdentity({ ...person(6), subjectNameId: 'Ole.Berg@kommune.dk' });
    const before = sim.stats.createsApplied;
    await expectConsoleError(c.createIdentity({ ...person(7), subjectNameId: 'ole.berg@KOMMUNE.dk', emailAddress: 'x7@kommune.dk' }));
    expect(sim.stats.createsApplied).toBe(before);
    sim.faults.subjectNameIdMatch = 'exact';
    await c.createIdentity({ ...person(8), subjectNameId: 'ole.berg@KOMMUNE.dk', emailAddress: 'x8@kommune.dk' });
    expect(sim.stats.createsApplied).toBe(before + 1);
  });

  it('rejectUnknownFields: a misspelt create field is refused (400), not silently dropped', async () => {
    const token = ((await control('GET', '/_sim/switches')).json as { rejectUnknownFields: boolean }).rejectUnknownFields;
    expect(token).toBe(true);
    // Through the real transport: a body with "cprNumbr" instead of "cprNumber".
    const r = await new Promise<number>((resolve, reject) => {
      const auth = https.request(
        { method: 'POST', host: '127.0.0.1', port: new URL(sim.url).port, path: '/api/administration/idmlogin/tls/authenticate', pfx: sim.client.pfx, passphrase: sim.client.passphrase, ca: sim.caPem },
        (res) => {
          let t = '';
          res.on('data', (d: Buffer) => (t += d.toString()));
          res.on('end', () => {
            const { accessToken } = JSON.parse(t) as { accessToken: string };
            const req = https.request(
              { method: 'POST', host: '127.0.0.1', port: new URL(sim.url).port, path: '/api/administration/identity/employee', pfx: sim.client.pfx, passphrase: sim.client.passphrase, ca: sim.caPem, headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' } },
              (r2) => {
                r2.resume();
                resolve(r2.statusCode ?? 0);
              },
            );
            req.on('error', reject);
            req.end(JSON.stringify({ identityProfile: { givenName: 'A', surname: 'B', emailAddress: 'a@b.dk', cprNumbr: '0101011234' }, identityAuthenticators: { authenticatorTypes: [] } }));
          });
        },
      );
      auth.on('error', reject);
      auth.end('{}');
    });
    expect(r).toBe(400);
    expect(sim.stats.createsApplied).toBe(0);
  });
});

describe('control endpoint, call counts and recorded bodies', () => {
  it('switches faults from outside, counts calls per endpoint and keeps the raw body of each write', async () => {
    const put = await control('PUT', '/_sim/switches', { reset: true, searchLagMs: 250, duplicateRefusal: false, failAfterApply: { rate: 0.5 } });
    expect(put.status).toBe(200);
    expect(sim.faults.searchLagMs).toBe(250);
    expect(sim.faults.duplicateRefusal).toBe(false);
    expect(sim.faults.failAfterApply).toEqual({ rate: 0.5, answer: '503' });
    expect((await control('PUT', '/_sim/switches', { searchLagMs: -1 })).status).toBe(400);
    expect((await control('PUT', '/_sim/switches', { noSuchSwitch: 1 })).status).toBe(400);
    await control('PUT', '/_sim/switches', { reset: true });

    const c = client();
    const { uuid } = await c.createIdentity(person(9));
    await c.getIdentity(uuid);
    await c.getIdentity(uuid);
    await c.suspend(uuid);
    const stats = (await control('GET', '/_sim/stats')).json as { calls: Record<string, number>; createsApplied: number };
    expect(stats.calls).toMatchObject({
      'POST /identity/employee': 1,
      'GET /identity/employee/{uuid}': 2,
      'PUT /identity/employee/{uuid}/suspend': 1,
      'POST /idmlogin/tls/authenticate': 1,
    });
    expect(stats.createsApplied).toBe(1);
    const recorded = ((await control('GET', '/_sim/requests')).json as { requests: Array<{ endpoint: string; rawBody: string }> }).requests;
    expect(recorded.map((r) => r.endpoint)).toEqual(['POST /identity/employee', 'PUT /identity/employee/{uuid}/suspend']);
    // Raw: the client's spelling, not the simulator's lower-cased binding.
    expect(recorded[0]?.rawBody).toContain('"registeredIal":"Substantial"');
    expect(recorded[0]?.rawBody).toContain('"subjectNameId":"kl9@kommune.dk"');
  });
});
