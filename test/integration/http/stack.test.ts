// The one HTTP stack under both connectors, against small real servers on loopback: what it decides the
// same way for MitID Erhverv and the Local IdP (deadlines, TLS failures, connection errors) and that the
// IdP's claims client can ride on the IdP client's stack instead of opening its own.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createIdpClaimsClient } from '../../../src-main/connectors/idp/claims.ts';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import { idpHttpFor } from '../../../src-main/connectors/idp/http.ts';
import { createMitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import { makeTestPki } from '../../support/pki.ts';
import { expectConsoleError } from '../mitid/harness.ts';

const pki = makeTestPki('Stak-test');
const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

/** Starts `server` on a free loopback port and counts the TCP connections it accepts. */
async function listen(server: http.Server, scheme: 'http' | 'https'): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('MitID Erhverv on the shared stack', () => {
  /** A MitID Erhverv stand-in over mutual TLS: the token, and SE numbers whose body trickles in. */
  async function tricklingMitId(chunks: number, everyMs: number) {
    const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      if (req.url === '/api/administration/idmlogin/tls/authenticate') return json(res, 200, { accessToken: 'token', expiresIn: 3600 });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      let n = 0;
      const t = setInterval(() => {
        if (res.destroyed) return clearInterval(t);
        if (++n < chunks) return void res.write(`{"seNumber":"1000${n}"},`);
        clearInterval(t);
        res.end('{"seNumber":"29189846"}]');
      }, everyMs);
    });
    return listen(server, 'https');
  }

  it('bounds the whole exchange by the timeout, not only an idle socket', async () => {
    // Ten chunks 80 ms apart: the socket is never idle for 300 ms, but the answer takes 800 ms.
    const { url } = await tricklingMitId(10, 80);
    const client = createMitIdErhvervClient({ baseUrl: url, pkcs12: pki.client.pfx, passphrase: pki.client.passphrase, ca: pki.ca.certPem, timeoutMs: 300, backoff: { retries: 0 } });
    try {
      const started = Date.now();
      const e = await expectConsoleError(client.listSeNumbers());
      expect(e.code).toBe('unavailable-mitid');
      expect(e.message).toBe('MitID Erhverv svarer ikke (intet svar inden for 0,3 s)');
      expect(Date.now() - started).toBeLessThan(700);
      // A body that arrives in time is read in full.
      expect(await client.listSeNumbers({ timeoutMs: 3_000 })).toHaveLength(10);
    } finally {
      await client.close();
    }
  });

  it('says a refused connection is refused, without blaming the system certificate', async () => {
    const probe = http.createServer();
    const { url } = await listen(probe, 'http');
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    servers.splice(servers.indexOf(probe), 1);
    const client = createMitIdErhvervClient({
      baseUrl: url.replace('http:', 'https:'),
      pkcs12: pki.client.pfx,
      passphrase: pki.client.passphrase,
      ca: pki.ca.certPem,
      backoff: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
    });
    try {
      const e = await expectConsoleError(client.listSeNumbers());
      expect(e).toMatchObject({ code: 'unavailable-mitid', message: 'MitID Erhverv kan ikke nås (forbindelsen blev afvist)' });
      expect(await client.ping()).toEqual({
        ok: false,
        message: 'MitID Erhverv kan ikke nås (forbindelsen blev afvist)',
        // The same by code: the connector's refusal with its key, for the status bar in any language.
        detail: { code: 'error', params: {}, error: expect.objectContaining({ code: 'unavailable-mitid', message: 'MitID Erhverv kan ikke nås (forbindelsen blev afvist)', key: 'httpRefused' }) },
      });
    } finally {
      await client.close();
    }
  });
});

describe('the Local IdP on the shared stack', () => {
  it('does not retry a server certificate it cannot verify, and says where to fix it', async () => {
    // Served with a certificate from a CA the client was not given.
    const { url, connections } = await listen(https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (_req, res) => json(res, 200, { head: 1 })), 'https');
    const idp = createIdpClient({ baseUrl: url, auth: { kind: 'api-key', apiKey: 'noegle' }, retryDelayMs: 1 });
    try {
      const e = await expectConsoleError(idp.auditHead());
      expect(e).toMatchObject({ code: 'unavailable-idp', message: "Lokal IdP's servercertifikat kunne ikke verificeres – tjek CA-filen i indstillingerne" });
      // Three attempts would be allowed for this read; the same certificate fails the same way each time.
      expect(connections()).toBe(1);
    } finally {
      idp.close();
    }
  });

  it('lets the claims client share the IdP client’s stack: one connection, and closing the claims client leaves it open', async () => {
    const key = 'a'.repeat(64);
    const { url, connections } = await listen(
      http.createServer((req, res) => {
        if (req.headers['apikey'] !== 'noeglen') return json(res, 401, { code: 'unauthorized', message: 'Forkert nøgle' });
        if (req.url === '/api/v1/health') return json(res, 200, { status: 'ok', apiVersion: '1', product: 'Test-IdP' });
        if (req.url === `/api/v1/create-claims/${key}`) return json(res, 404, { code: 'not-found', message: 'Ingen' });
        json(res, 500, { code: 'internal', message: 'ukendt' });
      }),
      'http',
    );
    const stack = idpHttpFor({ baseUrl: url, auth: { kind: 'api-key', apiKey: 'noeglen' } });
    const idp = createIdpClient(stack);
    const claims = createIdpClaimsClient(stack);
    try {
      expect(await idp.ping()).toEqual({ ok: true, message: 'Forbundet til Test-IdP (IdP-admin-API v1)', detail: { code: 'connectedIdp', params: { product: 'Test-IdP', version: '1' } } });
      expect(await claims.get(key)).toBeNull();
      claims.close();
      expect((await idp.ping()).ok).toBe(true);
      expect(connections()).toBe(1);
    } finally {
      idp.close();
      stack.close();
    }
  });
});
