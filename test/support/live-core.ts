// A console core in live mode against the harness's Samba AD DC and an IdP simulator over HTTPS (its own
// test CA), signed in through the real dispatcher: what the policy and readiness tests drive.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Settings } from '../../shared/domain/settings.ts';
import { createCore, type Core } from '../../src-main/composition/core.ts';
import { memorySlot } from '../../src-main/dispatch/session.ts';
import { fileSettingsStore, memorySecretStore, secretBinding } from '../../src-main/store/settings-store.ts';
import { startIdpSimulator, type IdpSimulator } from '../../src-main/training/idp-sim/server.ts';
import { makeTestPki } from './pki.ts';
import { testProfile, type SambaContext } from './samba/context.ts';

export interface LiveCore {
  core: Core;
  sim: IdpSimulator;
  /** Dispatches as one operator's session; throws with the console's own message on a refusal. */
  call(op: string, input: unknown): Promise<Record<string, unknown>>;
  dispose(): Promise<void>;
}

export async function liveCoreWithIdp(ctx: SambaContext, people: Array<{ username: string; domain: string; displayName: string }>): Promise<LiveCore> {
  // Over https, as settings require (a secret is never configured for a plain-http address).
  const pki = makeTestPki('IdP-simulator');
  const sim = await startIdpSimulator({ people, auditEvents: 100, tls: { cert: pki.server.certPem, key: pki.server.keyPem } });
  const dataDir = mkdtempSync(join(tmpdir(), 'lia-live-core-'));
  const idpCa = join(dataDir, 'idp-ca.pem');
  writeFileSync(idpCa, pki.ca.certPem);
  const settings = fileSettingsStore(join(dataDir, 'settings.json'));
  settings.write(Settings.parse({ mode: 'live', domains: [{ id: 'kommune', name: 'Kommunen', ...testProfile(ctx) }], idp: { baseUrl: sim.url, auth: 'api-key', caFile: idpCa }, roleMapping: { administrator: [ctx.facts.roleGroups.administrator] } }));
  const secrets = memorySecretStore();
  secrets.set('idp.apiKey', sim.apiKey, secretBinding('idp.apiKey', settings.read()) ?? '');
  const core = await createCore({ dataDir, settings, secrets, version: 'test', auditSyncIntervalMs: 0, logError: () => {} });
  const caller = { slot: memorySlot(), workstation: 'test' };
  return {
    core,
    sim,
    async call(op, input) {
      const r = await core.dispatch(op, input, caller);
      if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
      return r.data as Record<string, unknown>;
    },
    async dispose() {
      await core.close().catch(() => {});
      await sim.stop().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
