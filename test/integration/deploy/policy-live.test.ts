// A policy file dropped on a fresh machine: with no settings of its own, the console starts in live mode
// against the test Samba AD DC, the MitID Erhverv simulator (mutual TLS) and the IdP simulator (https),
// exactly as IT's policy names them. The operator signs in with their AD account, enters the secrets (the
// policy never carries them) and every system answers; a change to a locked field is refused in main and
// journaled as a refusal, and an invalid policy stops the console.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/domain/settings.ts';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { memorySlot } from '../../../src-main/dispatch/session.ts';
import { MachinePolicyError } from '../../../src-main/store/machine-policy.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { startIdpSimulator, type IdpSimulator } from '../../../src-main/training/idp-sim/server.ts';
import { startMitIdSimulator, type MitIdSimulator } from '../../../src-main/training/mitid-sim/server.ts';
import { makeTestPki } from '../../support/pki.ts';
import { sambaContext, type SambaContext } from '../../support/samba/context.ts';

let ctx: SambaContext;
let mitid: MitIdSimulator;
let idp: IdpSimulator;
let dir: string;
let dataDir: string;
let policyFile: string;
let core: Core;
const envBefore = process.env.LIA_MACHINE_POLICY;
const admin = { slot: memorySlot(), workstation: 'test' };

type Result = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };
async function ok<T>(p: Promise<Result>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

const newCore = (data: string) => createCore({ dataDir: data, settings: fileSettingsStore(join(data, 'settings.json')), secrets: memorySecretStore(), version: 'test', auditSyncIntervalMs: 0, logError: () => {} });

beforeAll(async () => {
  ctx = sambaContext();
  mitid = await startMitIdSimulator();
  const pki = makeTestPki('IdP-simulator');
  idp = await startIdpSimulator({ people: [], auditEvents: 10, tls: { cert: pki.server.certPem, key: pki.server.keyPem } });
  dir = mkdtempSync(join(tmpdir(), 'lia-deploy-'));
  // What IT distributes beside the policy: the CA files and the organisation's system certificate.
  const files = { idpCa: join(dir, 'idp-ca.pem'), mitidCa: join(dir, 'mitid-ca.pem'), p12: join(dir, 'system.p12') };
  writeFileSync(files.idpCa, pki.ca.certPem);
  writeFileSync(files.mitidCa, mitid.caPem);
  writeFileSync(files.p12, mitid.client.pfx);
  policyFile = join(dir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      AllowTraining: false,
      AdDomainControllers: [ctx.url],
      AdBaseDn: ctx.baseDn,
      AdUpnSuffix: ctx.upnSuffix,
      AdCaFile: ctx.caFile,
      MitIdBaseUrl: mitid.url,
      MitIdCertificateFile: files.p12,
      MitIdCaFile: files.mitidCa,
      IdpBaseUrl: idp.url,
      IdpCaFile: files.idpCa,
      RoleAdministrators: [ctx.facts.roleGroups.administrator],
      RoleHelpdesk: [ctx.facts.roleGroups.helpdesk],
      RoleAuditors: [ctx.facts.roleGroups.auditor],
      RetentionConsoleMonthsMin: 24,
      Language: 'da',
    }),
  );
  process.env.LIA_MACHINE_POLICY = policyFile;
  // A fresh data folder: no settings.json, which without the policy would mean the training environment.
  dataDir = join(dir, 'data');
  core = await newCore(dataDir);
});

afterAll(async () => {
  if (envBefore === undefined) delete process.env.LIA_MACHINE_POLICY;
  else process.env.LIA_MACHINE_POLICY = envBefore;
  await core?.close().catch(() => {});
  await idp?.stop().catch(() => {});
  await mitid?.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe('a machine policy on a fresh machine', () => {
  it('starts the console in live mode against the systems the policy names', async () => {
    expect(core.environment().isTraining).toBe(false);
    const info = await ok<{ training: boolean }>(core.dispatch('app.info', {}, admin));
    expect(info.training).toBe(false);
    // The operator signs in to the test DC with their own AD account; the role comes from the policy's mapping.
    const session = await ok<{ operator: { roles: string[] } }>(core.dispatch('session.login', { username: ctx.facts.operators.administrator, password: ctx.facts.password }, admin));
    expect(session.operator.roles).toEqual(['administrator']);

    // The policy carries no secret: the administrator enters them, bound to the addresses the policy set.
    await ok(core.dispatch('settings.setSecret', { key: 'mitid.p12Passphrase', value: mitid.client.passphrase }, admin));
    await ok(core.dispatch('settings.setSecret', { key: 'idp.apiKey', value: idp.apiKey }, admin));
    const status = await ok<{ systems: Array<{ system: string; state: string; training: boolean }> }>(core.dispatch('system.status', {}, admin));
    expect(status.systems.map((s) => [s.system, s.state, s.training])).toEqual([
      ['ad', 'ok', false],
      ['mitid', 'ok', false],
      ['idp', 'ok', false],
    ]);
  });

  it('settings.get says which fields are locked and why', async () => {
    const view = await ok<{ settings: Settings; locked: Array<{ field: string; reason: string }> }>(core.dispatch('settings.get', {}, admin));
    expect(view.settings.mode).toBe('live');
    expect(view.settings.domains[0]?.urls).toEqual([ctx.url]);
    expect(view.locked.map((l) => l.field)).toEqual([
      'mode', 'domains.0.urls', 'domains.0.baseDn', 'domains.0.upnSuffix', 'domains.0.caFile', 'mitid.baseUrl', 'mitid.p12File', 'mitid.caFile', 'idp.baseUrl', 'idp.caFile',
      'roleMapping.administrator', 'roleMapping.helpdesk', 'roleMapping.auditor', 'retention.consoleMonths', 'language',
    ]);
    expect(view.locked[0]!.reason).toBe('Styres af IT (maskinpolitik: AllowTraining)');
  });

  it('the operator cannot change a locked field: refused in main, journaled as a refusal, nothing saved', async () => {
    const view = await ok<{ settings: Settings }>(core.dispatch('settings.get', {}, admin));
    const s = view.settings;
    const attempts: Array<[string, Settings]> = [
      ['domains.0.urls', { ...s, domains: [{ ...s.domains[0]!, urls: ['ldaps://falsk-dc.example'] }] }],
      ['mode', { ...s, mode: 'training' }],
      ['roleMapping.administrator', { ...s, roleMapping: { ...s.roleMapping, administrator: ['Domain Users'] } }],
      ['idp.baseUrl', { ...s, idp: { ...s.idp!, baseUrl: 'https://andet-sted.example' } }],
    ];
    for (const [field, settings] of attempts) {
      const before = core.journal.count();
      const r = await core.dispatch('settings.update', { settings }, admin);
      expect(r.ok, field).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('forbidden');
        expect(r.error.message).toContain(`${field} styres af IT`);
      }
      const records = core.journal.list({ afterSeq: 0 }).slice(-(core.journal.count() - before));
      expect(records.map((x) => [x.kind, x.operation, x.outcome])).toEqual([
        ['intent', 'settings.update', null],
        ['outcome', 'settings.update', 'refused'],
      ]);
    }
    expect(core.settings.read().domains[0]?.urls).toEqual([ctx.url]);
    expect(core.environment().isTraining).toBe(false);
    // A field the policy leaves open is the administrator's.
    const saved = await ok<{ settings: Settings }>(core.dispatch('settings.update', { settings: { ...s, roleMapping: { ...s.roleMapping, useradmin: [ctx.facts.roleGroups.useradmin] } } }, admin));
    expect(saved.settings.roleMapping.useradmin).toEqual([ctx.facts.roleGroups.useradmin]);
    expect(core.environment().isTraining).toBe(false);
  });

  it('an invalid policy stops the console instead of being ignored', async () => {
    const bad = join(dir, 'bad-policy.json');
    writeFileSync(bad, JSON.stringify({ AllowTraining: false, AdDomainControllers: ['https://dc1.example'] }));
    process.env.LIA_MACHINE_POLICY = bad;
    try {
      await expect(newCore(join(dir, 'data-bad'))).rejects.toThrow(MachinePolicyError);
      await expect(newCore(join(dir, 'data-bad'))).rejects.toThrow('AdDomainControllers.0: Skal være en ldaps:// eller ldap:// adresse');
    } finally {
      process.env.LIA_MACHINE_POLICY = policyFile;
    }
  });
});
