// Settings fail closed: stored settings that cannot be used stop the console (a missing file is a fresh
// install), https is required wherever a secret goes — in the schema and again in the client factories —
// and a secret is bound to the address and files it was entered for.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insecureUrlProblem, Settings } from '../../../shared/domain/settings.ts';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import { createIdpHttp } from '../../../src-main/connectors/idp/http.ts';
import { createMitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import { createCore } from '../../../src-main/composition/core.ts';
import { ensurePrivateDir } from '../../../src-main/store/private-dir.ts';
import {
  boundSecret,
  fileSettingsStore,
  memorySecretStore,
  parseStoredSettings,
  secretBinding,
  SettingsUnreadableError,
} from '../../../src-main/store/settings-store.ts';
import { makeTestPki } from '../../support/pki.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('reading stored settings', () => {
  it('a missing file is a fresh install: the training environment', () => {
    expect(fileSettingsStore(join(dir, 'settings.json')).read()).toEqual(Settings.parse({}));
    expect(Settings.parse({}).mode).toBe('training');
  });

  it('a file that is not JSON, does not fit the schema or cannot be read stops with a Danish message', () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{"mode": "live", ');
    expect(() => fileSettingsStore(file).read()).toThrow(SettingsUnreadableError);
    expect(() => fileSettingsStore(file).read()).toThrow(`Indstillingerne i ${file} kan ikke bruges (filen er ikke gyldig JSON). Konsollen starter ikke i træningsmiljøet i stedet`);
    writeFileSync(file, JSON.stringify({ mode: 'live', idp: { baseUrl: 'http://idp.fjordby.invalid' } }));
    expect(() => fileSettingsStore(file).read()).toThrow('ugyldigt indhold – idp.baseUrl: Skal være en https:// adresse');
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    expect(() => fileSettingsStore(folder).read()).toThrow('filen kan ikke læses: EISDIR');
  });

  it('the Electron store takes the same path: stored but invalid settings are refused, not defaulted', () => {
    expect(() => parseStoredSettings({ mode: 'live', mitid: { baseUrl: 'ftp://x' } }, 'settings.json')).toThrow(SettingsUnreadableError);
    expect(parseStoredSettings({ mode: 'live' }, 'settings.json').mode).toBe('live');
  });

  it('the console does not start on unreadable settings (both hosts build the same core)', async () => {
    writeFileSync(join(dir, 'settings.json'), 'ikke json');
    await expect(
      createCore({ dataDir: dir, settings: fileSettingsStore(join(dir, 'settings.json')), secrets: memorySecretStore(), version: 't', auditSyncIntervalMs: 0, trainingSimulators: false }),
    ).rejects.toThrow(SettingsUnreadableError);
  });

  it.runIf(process.platform !== 'win32')('writes the file 0600 in a 0700 folder', () => {
    const file = join(dir, 'ny', 'settings.json');
    fileSettingsStore(file).write(Settings.parse({}));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ny')).mode & 0o777).toBe(0o700);
  });

  it.runIf(process.platform !== 'win32')('the data folder is made 0700, and one left open to others is tightened', () => {
    const fresh = join(dir, 'a', 'b');
    ensurePrivateDir(fresh);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    ensurePrivateDir(open);
    expect(statSync(open).mode & 0o777).toBe(0o700);
  });
});

describe('https wherever a secret goes', () => {
  it('the schema refuses http for the IdP and MitID Erhverv, loopback included, and credentials in the address', () => {
    for (const baseUrl of ['http://idp.kommune.dk', 'http://127.0.0.1:8443', 'http://localhost', 'http://[::1]:80', 'ftp://idp.kommune.dk', 'https://bruger:kode@idp.kommune.dk', 'ikke en adresse']) {
      expect([baseUrl, Settings.safeParse({ idp: { baseUrl } }).success]).toEqual([baseUrl, false]);
      expect([baseUrl, Settings.safeParse({ mitid: { baseUrl } }).success]).toEqual([baseUrl, false]);
    }
    expect(Settings.safeParse({ idp: { baseUrl: 'https://idp.kommune.dk' }, mitid: { baseUrl: 'https://services.nemlog-in.dk' } }).success).toBe(true);
    expect(insecureUrlProblem('http://idp.kommune.dk')).toBe('Skal være en https:// adresse – en hemmelighed sendes aldrig ukrypteret');
  });

  it('the IdP client factory refuses http to another machine, whoever builds it', () => {
    const auth = { kind: 'api-key' as const, apiKey: 'k' };
    for (const baseUrl of ['http://idp.kommune.dk', 'http://10.0.0.5:8080', 'http://127.0.0.1.nip.io']) {
      expect(() => createIdpClient({ baseUrl, auth })).toThrow(expect.objectContaining({ code: 'validation', message: expect.stringContaining('https://') }));
      expect(() => createIdpHttp({ baseURL: `${baseUrl}/api/v1`, headers: {}, timeoutMs: 1000 })).toThrow(expect.objectContaining({ code: 'validation' }));
    }
    // The training environment's in-process simulator is reached over loopback.
    for (const baseUrl of ['http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000', 'https://idp.kommune.dk']) createIdpClient({ baseUrl, auth }).close();
  });

  it('the MitID Erhverv client refuses anything but https, loopback included', () => {
    const { client } = makeTestPki('Fabrik');
    for (const baseUrl of ['http://mitid.invalid', 'http://127.0.0.1:4443']) {
      expect(() => createMitIdErhvervClient({ baseUrl, pkcs12: client.pfx, passphrase: client.passphrase })).toThrow(
        expect.objectContaining({ code: 'validation', message: expect.stringContaining('MitID Erhverv-adressen afvist') }),
      );
    }
  });
});

describe('a secret bound to what it was entered for', () => {
  const base = Settings.parse({
    mode: 'live',
    idp: { baseUrl: 'https://idp.kommune.dk', caFile: '/ca.pem' },
    mitid: { baseUrl: 'https://services.nemlog-in.dk', p12File: '/system.p12' },
  });
  const stored = (key: 'idp.apiKey' | 'mitid.p12Passphrase', s: Settings) => {
    const secrets = memorySecretStore();
    secrets.set(key, 'hemmelig', secretBinding(key, s)!);
    return secrets;
  };

  it('the IdP key: the same address however typed; another address or CA file needs it again', () => {
    const secrets = stored('idp.apiKey', base);
    expect(boundSecret(secrets, 'idp.apiKey', base)).toEqual({ state: 'ok', value: 'hemmelig' });
    expect(boundSecret(secrets, 'idp.apiKey', { ...base, idp: { ...base.idp!, baseUrl: 'https://IDP.kommune.dk/' } }).state).toBe('ok');
    expect(boundSecret(secrets, 'idp.apiKey', { ...base, idp: { ...base.idp!, baseUrl: 'https://angriber.invalid' } })).toEqual({ state: 'rebind' });
    expect(boundSecret(secrets, 'idp.apiKey', { ...base, idp: { ...base.idp!, caFile: '/andet-ca.pem' } }).state).toBe('rebind');
    expect(boundSecret(secrets, 'idp.bearerToken', base)).toEqual({ state: 'missing' });
  });

  it('the certificate passphrase: another certificate file or MitID address needs it again', () => {
    const secrets = stored('mitid.p12Passphrase', base);
    expect(boundSecret(secrets, 'mitid.p12Passphrase', base).state).toBe('ok');
    expect(boundSecret(secrets, 'mitid.p12Passphrase', { ...base, mitid: { ...base.mitid!, p12File: '/andet.p12' } }).state).toBe('rebind');
    expect(boundSecret(secrets, 'mitid.p12Passphrase', { ...base, mitid: { ...base.mitid!, baseUrl: 'https://andet.invalid' } }).state).toBe('rebind');
  });

  it('nothing to bind to before an address is saved', () => {
    expect(secretBinding('idp.apiKey', Settings.parse({}))).toBeNull();
    expect(secretBinding('mitid.p12Passphrase', Settings.parse({ mitid: { baseUrl: 'https://x.invalid' } }))).toBeNull();
  });
});
