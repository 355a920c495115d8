// Mutual TLS: the simulator admits only client certificates from its CA; the client verifies the server.
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { createCertificateAuthority, issueClientPkcs12, strangerClientCertificate } from '../../support/pki.ts';
import { clientFor, expectConsoleError, fastResilience, startSim } from './harness.ts';

let sim: MitIdSimulator;

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.stop();
});

function rawTokenCall(tlsOpts: https.RequestOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(sim.url);
    const req = https.request(
      { method: 'POST', host: url.hostname, port: url.port, path: '/api/administration/idmlogin/tls/authenticate', ca: sim.caPem, ...tlsOpts },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('mutual TLS', () => {
  it('issues a token to the system certificate from its CA', async () => {
    expect(await rawTokenCall({ pfx: sim.client.pfx, passphrase: sim.client.passphrase })).toBe(200);
    const client = clientFor(sim);
    try {
      expect(await client.ping()).toEqual({ ok: true, message: 'Forbundet til MitID Erhverv', detail: { code: 'connectedMitid', params: {} } });
    } finally {
      await client.close();
    }
  });

  it('refuses a connection without a client certificate, before any HTTP', async () => {
    const before = sim.stats.requests;
    await expect(rawTokenCall({})).rejects.toThrow();
    expect(sim.stats.requests).toBe(before);
  });

  it('refuses a client certificate from another CA, and the client says so in Danish without retrying', async () => {
    const before = sim.stats.requests;
    const stranger = strangerClientCertificate();
    await expect(rawTokenCall({ pfx: stranger.pfx, passphrase: stranger.passphrase })).rejects.toThrow();
    const client = createMitIdErhvervClient({ baseUrl: sim.url, pkcs12: stranger.pfx, passphrase: stranger.passphrase, ca: sim.caPem, ...fastResilience });
    try {
      const e = await expectConsoleError(client.listSeNumbers());
      // A TLS alert (refused) or, under TLS 1.3, often a bare reset: either way the message names the certificate.
      expect(['refused', 'unavailable-mitid']).toContain(e.code);
      expect(e.message).toMatch(/systemcertifikatet/);
      expect(JSON.stringify(e)).not.toContain(stranger.passphrase);
      const ping = await client.ping();
      expect(ping.ok).toBe(false);
    } finally {
      await client.close();
    }
    expect(sim.stats.requests).toBe(before);
  });

  it('does not trust a server whose certificate is not from the configured CA bundle', async () => {
    const otherCa = createCertificateAuthority('Anden CA', 'ca:other');
    const client = createMitIdErhvervClient({ baseUrl: sim.url, pkcs12: sim.client.pfx, passphrase: sim.client.passphrase, ca: otherCa.certPem, ...fastResilience });
    try {
      const e = await expectConsoleError(client.listSeNumbers());
      expect(e.code).toBe('unavailable-mitid');
      expect(e.message).toMatch(/servercertifikat kunne ikke verificeres/);
    } finally {
      await client.close();
    }
  });

  it('rejects a wrong PKCS#12 passphrase at setup, without leaking it', () => {
    const p12 = issueClientPkcs12(sim.ca, { passphrase: 'rigtig-hemmelighed' });
    let caught: unknown;
    try {
      createMitIdErhvervClient({ baseUrl: sim.url, pkcs12: p12.pfx, passphrase: 'forkert-hemmelighed', ca: sim.caPem });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ name: 'ConsoleError', code: 'validation' });
    expect((caught as Error).message).toMatch(/forkert adgangskode/);
    expect((caught as Error).message).not.toContain('hemmelighed');
  });
});
