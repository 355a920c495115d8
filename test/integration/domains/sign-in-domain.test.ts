// Sign-in with two domains configured (the municipality's first, the schools' second), against the two
// real DCs: a name with the schools' UPN suffix is refused before any bind, with a keyed message naming
// the domain, and its password is never tried against the municipality's DC (the account of the same
// name there gets no bad-password count). Names of the first domain sign in as before.
import { Client } from 'ldapts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Settings } from '../../../shared/domain/settings.ts';
import { createCore, type Core } from '../../../src-main/composition/core.ts';
import { memorySlot } from '../../../src-main/dispatch/session.ts';
import { fileSettingsStore, memorySecretStore } from '../../../src-main/store/settings-store.ts';
import { sambaContext, schoolSambaContext, testProfile } from '../../support/samba/context.ts';

const kommune = sambaContext();
const skole = schoolSambaContext();
const username = kommune.facts.operators.helpdesk;

async function badPwdCount(): Promise<number> {
  const c = new Client({ url: kommune.url, tlsOptions: { ca: readFileSync(kommune.caFile, 'utf8') }, timeout: 10_000 });
  try {
    await c.bind(kommune.admin.username, kommune.admin.password);
    const r = await c.search(kommune.baseDn, { filter: `(sAMAccountName=${username})`, attributes: ['badPwdCount'] });
    return Number(r.searchEntries[0]?.badPwdCount ?? 0);
  } finally {
    await c.unbind().catch(() => {});
  }
}

let dir: string;
let core: Core;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lia-sign-in-domain-'));
  const settings = fileSettingsStore(join(dir, 'settings.json'));
  settings.write(
    Settings.parse({
      mode: 'live',
      domains: [
        { id: 'kommune', name: 'Kommunen', ...testProfile(kommune) },
        { id: 'skole', name: 'Skolerne', ...testProfile(skole) },
      ],
      roleMapping: { helpdesk: [kommune.facts.roleGroups.helpdesk] },
    }),
  );
  core = await createCore({ dataDir: dir, settings, secrets: memorySecretStore(), version: 'test', auditSyncIntervalMs: 0, trainingSimulators: false, logError: () => {} });
});
afterAll(async () => {
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sign-in with two domains configured', () => {
  it('a name of the schools\' domain is refused before any bind, naming the domain, in both languages by key', async () => {
    const before = await badPwdCount();
    const r = await core.dispatch('session.login', { username: `${username}@skole.test`, password: skole.facts.password }, { slot: memorySlot(), workstation: 'test' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'unauthenticated', key: 'adSignInOtherDomain', params: { domain: 'Skolerne' } });
    expect(!r.ok && r.error.message).toContain('Kontoen hører til domænet Skolerne');
    // The school password never reached the municipality's DC: no bad password on the account of the same name.
    expect(await badPwdCount()).toBe(before);
  });

  it('names of the first domain sign in as before, with or without its suffix', async () => {
    for (const name of [username, `${username}@kommune.test`]) {
      const slot = memorySlot();
      const r = await core.dispatch('session.login', { username: name, password: kommune.facts.password }, { slot, workstation: 'test' });
      expect(r.ok, name).toBe(true);
      expect(r.ok && (r.data as { operator: { dn: string; roles: string[] } }).operator).toMatchObject({ roles: ['helpdesk'], dn: expect.stringMatching(/DC=kommune,DC=test$/i) });
      await core.dispatch('session.logout', {}, { slot, workstation: 'test' });
    }
  });
});
