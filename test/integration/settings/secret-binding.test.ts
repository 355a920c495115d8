// Settings fail closed, proved with real listeners that record what reaches them: a plain-http IdP address
// is refused before anything is sent, and a stored API key is never sent to an address it was not entered
// for — the console says in Danish that it must be entered again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Settings } from '../../../shared/domain/settings.ts';
import type { OpOutput } from '../../../shared/operations/index.ts';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { memorySlot } from '../../../src-main/dispatch/session.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { createTrainingDirectory } from '../../../src-main/training/directory.ts';
import { startIdpSimulator, type IdpSimulator } from '../../../src-main/training/idp-sim/server.ts';
import { generateTrainingAccounts } from '../../../src-main/training/seed.ts';
import { TRAINING_PASSWORD } from '../../support/core.ts';
import { makeTestPki } from '../../support/pki.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A listener that answers like a healthy IdP and records every request that reaches it. */
async function recorder(tls: { cert: string; key: string } | null): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    const body = req.url?.endsWith('/health') ? { status: 'ok', apiVersion: '1.0', product: 'Optager' } : { code: 'not-found', message: 'x' };
    res.writeHead(req.url?.endsWith('/health') ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const pki = makeTestPki('IdP-test');
const tls = { cert: pki.server.certPem, key: pki.server.keyPem };
let sim: IdpSimulator;
let elsewhere: Awaited<ReturnType<typeof recorder>>;
let plain: Awaited<ReturnType<typeof recorder>>;
let dataDir: string;
let core: Core;
let caFile: string;
const admin = { slot: memorySlot(), workstation: 'test' };

type Result = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
async function ok<T>(p: Promise<Result>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}
const liveSettings = (idpUrl: string) => Settings.parse({ mode: 'live', idp: { baseUrl: idpUrl, auth: 'api-key', caFile } });

beforeAll(async () => {
  sim = await startIdpSimulator({ people: [], auditEvents: 5, tls });
  elsewhere = await recorder(tls);
  plain = await recorder(null);
  dataDir = mkdtempSync(join(tmpdir(), 'lia-binding-'));
  caFile = join(dataDir, 'idp-ca.pem');
  writeFileSync(caFile, pki.ca.certPem);
  const settings = fileSettingsStore(join(dataDir, 'settings.json'));
  settings.write(liveSettings(sim.url));
  core = await createCore({ dataDir, settings, secrets: memorySecretStore(), version: 'test', auditSyncIntervalMs: 0, logError: () => {} });
  // Live mode without AD: the administrator's session is made as a host would after sign-in.
  const directory = await createTrainingDirectory(generateTrainingAccounts(undefined, 50)).signIn('admin', TRAINING_PASSWORD);
  const now = Date.now();
  admin.slot.set({ operator: { username: 'admin', displayName: 'Administrator', dn: directory.identity.dn, roles: ['administrator'], helpdeskOus: null }, directory, startedAt: now, lastUsedAt: now });
});
afterAll(async () => {
  await core?.close();
  await sim?.stop();
  await elsewhere?.close();
  await plain?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const test = () => ok<OpOutput<'settings.testConnection'>>(core.dispatch('settings.testConnection', { system: 'idp' }, admin));
const sentKeys = (seen: Seen[]) => seen.map((s) => s.headers['apikey']).filter((k) => k !== undefined);

describe('a plain-http IdP address', () => {
  it('is refused by the settings with a Danish message, and nothing reaches the listener', async () => {
    const r = await core.dispatch('settings.update', { settings: { mode: 'live', idp: { baseUrl: plain.url, auth: 'api-key', caFile } } }, admin);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect((r.error.details?.fields as Record<string, string>)['settings.idp.baseUrl']).toBe('Skal være en https:// adresse – en hemmelighed sendes aldrig ukrypteret');
    // Also for a non-loopback address and for MitID Erhverv.
    for (const bad of [{ idp: { baseUrl: 'http://idp.fjordby.invalid' } }, { mitid: { baseUrl: 'http://mitid.invalid' } }]) {
      expect(Settings.safeParse({ mode: 'live', ...bad }).success).toBe(false);
    }
    await test();
    expect(plain.seen).toEqual([]);
  });
});

describe('a secret bound to the address it was entered for', () => {
  it('works for its own address', async () => {
    const view = await ok<OpOutput<'settings.setSecret'>>(core.dispatch('settings.setSecret', { key: 'idp.apiKey', value: sim.apiKey }, admin));
    expect(view.secrets['idp.apiKey']).toBe(true);
    expect(view.rebind).toEqual([]);
    expect(await test()).toMatchObject({ ok: true });
  });

  it('after the address changes, the old key is not sent there; the console asks for it again in Danish', async () => {
    const view = await ok<OpOutput<'settings.update'>>(core.dispatch('settings.update', { settings: liveSettings(elsewhere.url) }, admin));
    expect(view.secrets['idp.apiKey']).toBe(false);
    expect(view.rebind).toEqual(['idp.apiKey']);
    const r = await test();
    expect(r.ok).toBe(false);
    expect(r.code).toBe('down');
    expect(r.params.detail).toBe('Adgangsnøglen til Lokal IdP blev gemt til en anden adresse. Indtast den igen under Indstillinger – den gamle nøgle sendes ikke til den nye adresse.');
    const status = await ok<OpOutput<'system.status'>>(core.dispatch('system.status', {}, admin));
    expect(status.systems.find((s) => s.system === 'idp')).toMatchObject({ state: 'down' });
    expect(elsewhere.seen).toEqual([]);
  });

  it('entered again, the new key goes to the new address, and the old one never does', async () => {
    await ok(core.dispatch('settings.setSecret', { key: 'idp.apiKey', value: 'ny-nøgle-til-den-nye-adresse' }, admin));
    expect(await test()).toMatchObject({ ok: true, code: 'connected', params: { detail: expect.stringContaining('Optager') } });
    expect(sentKeys(elsewhere.seen)).toEqual(['ny-nøgle-til-den-nye-adresse']);
    expect(JSON.stringify(elsewhere.seen)).not.toContain(sim.apiKey);
  });

  it('and back at the first address, the key entered for the second is not sent either', async () => {
    const before = sim.requestCount();
    await ok(core.dispatch('settings.update', { settings: liveSettings(sim.url) }, admin));
    const r = await test();
    expect(r.ok).toBe(false);
    expect(r.params.detail).toContain('blev gemt til en anden adresse');
    expect(sim.requestCount()).toBe(before);
  });

  it('a secret cannot be stored before there is an address to bind it to', async () => {
    await ok(core.dispatch('settings.update', { settings: Settings.parse({ mode: 'live' }) }, admin));
    const r = await core.dispatch('settings.setSecret', { key: 'idp.apiKey', value: 'uden-adresse' }, admin);
    expect(!r.ok && r.error).toMatchObject({ code: 'validation', message: 'Gem først adressen til Lokal IdP under Indstillinger; API-nøglen knyttes til den.' });
  });
});
