// The simulators run inside Playwright's global setup; the tests run in worker processes. This small
// HTTP endpoint on 127.0.0.1 lets a test read the MitID Erhverv simulator's create counter and
// identities and switch its faults — what an operator of the real service could never do, and what the
// issue's "zero duplicate creates" needs to be proven.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';

export interface SimView {
  createCount: number;
  identities: Array<{ uuid: string; emailAddress: string; status: string; localIds: string[] }>;
}

/** The switches a live test may turn: outages, dropped answers, a write applied then answered 503, search lag. */
export interface MitIdFaults {
  unavailableRate?: number;
  dropAfterApplyRate?: number;
  failAfterApply?: { rate: number };
  searchLagMs?: number;
}

export async function startSimControl(mitid: MitIdSimulator): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const send = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      if (req.method === 'GET' && req.url === '/mitid') {
        const view: SimView = {
          createCount: mitid.createCount,
          identities: mitid.state.all().map((i) => ({
            uuid: i.uuid,
            emailAddress: i.emailAddress,
            status: i.status,
            localIds: i.authenticators.filter((a) => a.id !== null && a.status !== 'Revoked').map((a) => a.id as string),
          })),
        };
        return send(200, view);
      }
      if (req.method === 'POST' && req.url === '/mitid/faults') {
        const f = JSON.parse(body || '{}') as MitIdFaults;
        mitid.faults.reset();
        mitid.faults.unavailableRate = f.unavailableRate ?? 0;
        mitid.faults.dropAfterApplyRate = f.dropAfterApplyRate ?? 0;
        if (f.failAfterApply) mitid.faults.failAfterApply = { rate: f.failAfterApply.rate, answer: '503' };
        mitid.faults.searchLagMs = f.searchLagMs ?? 0;
        return send(200, { ok: true });
      }
      if (req.method === 'POST' && req.url === '/mitid/seed') {
        // An identity MitID Erhverv already holds (made before the console, or by another tool): seeded, so
        // it is not a create and costs nothing.
        const f = JSON.parse(body || '{}') as { givenName: string; surname: string; emailAddress: string; subjectNameId: string; status: string };
        const identity = mitid.state.insert({ givenName: f.givenName, surname: f.surname, emailAddress: f.emailAddress, status: f.status });
        identity.authenticators.push(mitid.state.newAuthenticator('LocalIdentityProvider', f.subjectNameId));
        return send(200, { uuid: identity.uuid });
      }
      send(404, { error: 'unknown' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function simView(): Promise<SimView> {
  const r = await fetch(`${process.env.LIVE_SIM_CONTROL}/mitid`);
  return (await r.json()) as SimView;
}

/** Puts an identity into the simulator as if MitID Erhverv already held it (not a create). */
export async function seedIdentity(identity: { givenName: string; surname: string; emailAddress: string; subjectNameId: string; status: string }): Promise<void> {
  const r = await fetch(`${process.env.LIVE_SIM_CONTROL}/mitid/seed`, { method: 'POST', body: JSON.stringify(identity) });
  if (!r.ok) throw new Error(`could not seed ${identity.emailAddress}`);
}

export async function setMitIdFaults(f: MitIdFaults): Promise<void> {
  await fetch(`${process.env.LIVE_SIM_CONTROL}/mitid/faults`, { method: 'POST', body: JSON.stringify(f) });
}
