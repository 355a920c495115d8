// "Test forbindelse" per AD domain, against the real test DC: each DC of the failover list is tried on its
// own, the root DSE's naming context must hold the base DN, and every finding is a code with values (the
// renderer words it). Through the dispatcher the test runs on the domain as saved, found by its id.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Settings } from '../../../shared/domain/settings.ts';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { testAdDomain } from '../../../src-main/connectors/ad/domain-test.ts';
import { memorySlot } from '../../../src-main/dispatch/session.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { sambaContext, testProfile } from '../../support/samba/context.ts';

const ctx = sambaContext();

describe('testAdDomain against the test DC', () => {
  it('every DC answering for the base DN: all DCs, each named by its DNS host name', async () => {
    const r = await testAdDomain(testProfile(ctx, { urls: [ctx.url, ctx.startTlsUrl] }));
    expect(r).toMatchObject({ ok: true, code: 'allDcs', params: { count: 2, domain: ctx.upnSuffix } });
    expect(r.dcs!.map((d) => [d.url, d.code])).toEqual([[ctx.url, 'ok'], [ctx.startTlsUrl, 'ok']]);
    expect(String(r.dcs![0]!.params.dnsHostName).toLowerCase()).toContain(ctx.upnSuffix.toLowerCase());
  });

  it('a DC that does not answer is named with why, and the domain still works by failover', async () => {
    const r = await testAdDomain(testProfile(ctx, { urls: ['ldaps://127.0.0.1:1', ctx.url], timeoutMs: 3000 }));
    expect(r).toMatchObject({ ok: true, code: 'partial', params: { ok: 1, total: 2 } });
    expect(r.dcs!.map((d) => [d.params.host, d.code])).toEqual([['127.0.0.1:1', 'refused'], ['127.0.0.1:636', 'ok']]);
  });

  it('a base DN of another domain is found before anyone signs in', async () => {
    const r = await testAdDomain(testProfile(ctx, { baseDn: 'DC=skole,DC=test' }));
    expect(r).toMatchObject({ ok: false, code: 'wrongDomain', params: { found: ctx.upnSuffix.toLowerCase() } });
    expect(r.dcs![0]).toMatchObject({ ok: false, code: 'wrongDomain' });
    // An OU below the domain's root is the same domain.
    expect((await testAdDomain(testProfile(ctx, { baseDn: `OU=Skoler,${ctx.baseDn}` }))).code).toBe('allDcs');
  });

  it('TLS is checked as sign-in would: an untrusted certificate, plain ldap:// and an unreadable CA file fail', async () => {
    const untrusted = await testAdDomain(testProfile(ctx, { caFile: '' }));
    expect(untrusted).toMatchObject({ ok: false, code: 'dcsFailed', params: { total: 1 } });
    expect(untrusted.dcs![0]!.code).toBe('tlsUntrusted');
    const plain = await testAdDomain(testProfile(ctx, { urls: [ctx.startTlsUrl], startTls: false }));
    expect(plain.dcs![0]!.code).toBe('unencrypted');
    expect(await testAdDomain(testProfile(ctx, { caFile: join(tmpdir(), 'findes-ikke-ca.pem') }))).toEqual({ ok: false, code: 'caUnreadable', params: {} });
  });
});

describe('settings.testConnection for a saved domain, through the dispatcher', () => {
  let dir: string;
  let core: Core;
  const caller = { slot: memorySlot(), workstation: 'test' };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lia-domain-test-'));
    const settings = fileSettingsStore(join(dir, 'settings.json'));
    settings.write(
      Settings.parse({
        mode: 'live',
        domains: [
          { id: 'kommune', name: 'Kommunen', ...testProfile(ctx) },
          { id: 'skole', name: 'Skolerne', ...testProfile(ctx, { urls: ['ldaps://127.0.0.1:1'], baseDn: 'DC=skole,DC=test', upnSuffix: 'skole.test', timeoutMs: 2000 }) },
        ],
        roleMapping: { administrator: [ctx.facts.roleGroups.administrator] },
      }),
    );
    core = await createCore({ dataDir: dir, settings, secrets: memorySecretStore(), version: 'test', auditSyncIntervalMs: 0, trainingSimulators: false, logError: () => {} });
    const login = await core.dispatch('session.login', { username: ctx.facts.operators.administrator, password: ctx.facts.password }, caller);
    expect(login.ok).toBe(true);
  });
  afterAll(async () => {
    await core?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tests each saved domain by its id, and says so when the id is not saved', async () => {
    const own = await core.dispatch('settings.testConnection', { system: 'ad', domainId: 'kommune' }, caller);
    expect(own.ok && own.data).toMatchObject({ ok: true, code: 'allDcs' });
    const school = await core.dispatch('settings.testConnection', { system: 'ad', domainId: 'skole' }, caller);
    expect(school.ok && school.data).toMatchObject({ ok: false, code: 'dcsFailed', dcs: [{ code: 'refused' }] });
    const gone = await core.dispatch('settings.testConnection', { system: 'ad', domainId: 'findes-ikke' }, caller);
    expect(gone.ok && gone.data).toEqual({ ok: false, code: 'unknownDomain', params: { id: 'findes-ikke' } });
    // The running environment's own AD, as before: the first domain.
    const env = await core.dispatch('settings.testConnection', { system: 'ad' }, caller);
    expect(env.ok && env.data).toMatchObject({ ok: true, code: 'connected', params: { detail: expect.stringContaining('Forbundet') } });
  });

  it('refuses a domain id that is not a plain id (typed text is hostile)', async () => {
    const r = await core.dispatch('settings.testConnection', { system: 'ad', domainId: '../../etc' }, caller);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('validation');
  });
});
