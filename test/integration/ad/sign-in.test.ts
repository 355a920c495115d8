import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { createAdDirectory } from '../../../src-main/connectors/ad/ad-directory.ts';
import { createCa } from '../../support/samba/certs.ts';
import { testProfile } from '../../support/samba/context.ts';
import { expectConsoleError, setup, signInAs } from './helpers.ts';

const { ctx, dir } = setup();
const f = ctx.facts;
const tmp = mkdtempSync(join(tmpdir(), 'lia-ad-signin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('operator sign-in', () => {
  it('binds as the operator and reads roles from tokenGroups', async () => {
    const s = await signInAs(dir, ctx, f.operators.administrator);
    try {
      expect(s.identity.username).toBe(f.operators.administrator);
      expect(s.identity.dn).toMatch(/^CN=Operatør admin,OU=IT-afdelingen,DC=kommune,DC=test$/i);
      const names = s.identity.groups.map((g) => g.name);
      expect(names).toContain(f.roleGroups.administrator);
      expect(names).toContain('Domain Users');
      expect(names).not.toContain(f.roleGroups.helpdesk);
      for (const g of s.identity.groups) expect(g.sid).toMatch(/^S-1-5-(21-\d+-\d+-\d+|32)-\d+$/);
      const admins = s.identity.groups.find((g) => g.name === f.roleGroups.administrator);
      expect(admins?.dn).toMatch(/^CN=LIA-Administratorer,OU=IT-afdelingen,DC=kommune,DC=test$/i);
    } finally {
      await s.close();
    }
  });

  it('counts nested groups: a role held only through two levels of nesting', async () => {
    const s = await signInAs(dir, ctx, f.operators.nestedHelpdesk);
    try {
      const names = s.identity.groups.map((g) => g.name);
      expect(names).toEqual(expect.arrayContaining([f.groups.servicedesk, f.groups.itAll, f.roleGroups.helpdesk]));
      expect(names).not.toContain(f.roleGroups.administrator);
    } finally {
      await s.close();
    }
  });

  it.each([
    ['plain name + UPN suffix', (u: string) => u],
    ['user@upn-suffix', (u: string) => `${u}@${f.dnsDomain}`],
    ['DOMAIN\\user', (u: string) => `${f.netbiosDomain}\\${u}`],
  ])('accepts %s', async (_label, form) => {
    const s = await dir.signIn(form(f.operators.helpdesk), f.password);
    try {
      expect(s.identity.username).toBe(f.operators.helpdesk);
      expect(s.identity.groups.map((g) => g.name)).toContain(f.roleGroups.helpdesk);
    } finally {
      await s.close();
    }
  });

  it('a wrong password is unauthenticated', async () => {
    await expectConsoleError(dir.signIn(f.special.wrongPassword.username, 'Forkert-Kode-123!'), 'unauthenticated', /Forkert brugernavn eller adgangskode/);
  });

  it('an unknown user gets the same answer as a wrong password', async () => {
    await expectConsoleError(dir.signIn('findes.ikke', 'Forkert-Kode-123!'), 'unauthenticated', /Forkert brugernavn eller adgangskode/);
  });

  it('an empty password never becomes an anonymous bind', async () => {
    await expectConsoleError(dir.signIn(f.operators.administrator, ''), 'unauthenticated', /Angiv brugernavn og adgangskode/);
  });

  it('says why AD refused: locked, disabled, expired, must change password', async () => {
    await expectConsoleError(dir.signIn(f.special.locked.username, f.password), 'unauthenticated', /låst/);
    await expectConsoleError(dir.signIn(f.special.disabled.username, f.password), 'unauthenticated', /deaktiveret/);
    await expectConsoleError(dir.signIn(f.special.expired.username, f.password), 'unauthenticated', /udløbet/);
    await expectConsoleError(dir.signIn(f.special.mustChange.username, f.password), 'unauthenticated', /skal skiftes/);
  });

  it('works over ldap:// with StartTLS', async () => {
    const d = createAdDirectory(testProfile(ctx, { urls: [ctx.startTlsUrl], startTls: true }));
    const s = await d.signIn(f.operators.auditor, f.password);
    try {
      expect(s.identity.groups.map((g) => g.name)).toContain(f.roleGroups.auditor);
    } finally {
      await s.close();
    }
  });

  it('refuses to send a password over plain LDAP unless the lab switch is on', async () => {
    const plain = createAdDirectory(testProfile(ctx, { urls: [ctx.startTlsUrl], startTls: false }));
    await expectConsoleError(plain.signIn(f.operators.auditor, f.password), 'validation', /ukrypteret/);
    // With the lab switch the console sends it, and AD itself refuses a simple bind without TLS.
    const lab = createAdDirectory(testProfile(ctx, { urls: [ctx.startTlsUrl], startTls: false, allowUnencryptedBindLabOnly: true }));
    await expectConsoleError(lab.signIn(f.operators.auditor, f.password), 'refused', /krypteret forbindelse/);
  });

  it('an untrusted CA is a clear error, not a silent fallback', async () => {
    const other = join(tmp, 'other-ca.pem');
    writeFileSync(other, createCa({ commonName: 'Anden CA' }).cert);
    const d = createAdDirectory(testProfile(ctx, { caFile: other }));
    await expectConsoleError(d.signIn(f.operators.auditor, f.password), 'unavailable-ad', /certifikatet er ikke udstedt af en CA, konsollen stoler på/);
    // The system trust store does not know the test CA either.
    const sys = createAdDirectory(testProfile(ctx, { caFile: '' }));
    await expectConsoleError(sys.signIn(f.operators.auditor, f.password), 'unavailable-ad', /CA/);
    const missing = createAdDirectory(testProfile(ctx, { caFile: join(tmp, 'findes-ikke.pem') }));
    await expectConsoleError(missing.signIn(f.operators.auditor, f.password), 'validation', /CA-filen/);
  });

  it('an expired DC certificate is named as such', async () => {
    // A TLS endpoint with a certificate from a trusted CA that expired yesterday (Samba keeps its own).
    const ca = createCa();
    const day = 24 * 3600_000;
    const expired = ca.issue({ commonName: 'dc9.kommune.test', dnsNames: ['localhost'], ips: ['127.0.0.1'], notBefore: new Date(Date.now() - 30 * day), notAfter: new Date(Date.now() - day) });
    const caFile = join(tmp, 'expired-ca.pem');
    writeFileSync(caFile, ca.cert);
    const server = createTlsServer({ cert: expired.cert, key: expired.key }, (sock) => sock.destroy());
    server.on('tlsClientError', () => {});
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    try {
      const addr = server.address();
      if (!addr || typeof addr === 'string') throw new Error('ingen port');
      const d = createAdDirectory(testProfile(ctx, { urls: [`ldaps://127.0.0.1:${addr.port}`], caFile }));
      await expectConsoleError(d.signIn(f.operators.auditor, f.password), 'unavailable-ad', /certifikat er udløbet/);
    } finally {
      await new Promise<void>((res) => server.close(() => res()));
    }
  });

  it('ping reports the DC without signing in', async () => {
    const r = await dir.ping();
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/dc1\.kommune\.test/i);
  });
});
