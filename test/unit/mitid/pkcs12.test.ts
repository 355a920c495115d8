import { execFileSync } from 'node:child_process';
import crypto, { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openPkcs12 } from '../../../src-main/connectors/http/tls.ts';
import { makeTestPki } from '../../support/pki.ts';

describe('PKCS#12 system certificate', () => {
  const pki = makeTestPki('PKCS12-test');

  it('opens with the passphrase and hands TLS the leaf, not the CA inside the bag', () => {
    const c = openPkcs12(pki.client.pfx, pki.client.passphrase);
    expect(c.key).toMatch(/BEGIN RSA PRIVATE KEY/);
    const certs = (c.cert ?? '').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    expect(certs).toHaveLength(1);
    const leaf = new X509Certificate(certs[0]!);
    expect(leaf.subject).toContain('CN=PKCS12-test klient');
    expect(leaf.checkIssued(new X509Certificate(pki.ca.certPem))).toBe(true);
  });

  it('refuses a wrong passphrase with a Danish validation error that does not echo it', () => {
    let caught: unknown;
    try {
      openPkcs12(pki.client.pfx, 'forkert-kodeord');
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'validation' });
    expect((caught as Error).message).toMatch(/forkert adgangskode/);
    expect((caught as Error).message).not.toContain('forkert-kodeord');
  });

  it('refuses bytes that are not PKCS#12', () => {
    expect(() => openPkcs12(Buffer.from('ikke et certifikat'), 'x')).toThrow(/kunne ikke åbnes/);
  });

  it("derives the AES key with Node's native PBKDF2, not forge's JavaScript one", () => {
    const native = vi.spyOn(crypto, 'pbkdf2Sync');
    try {
      const c = openPkcs12(pki.client.pfx, pki.client.passphrase);
      expect(c.key).toMatch(/BEGIN RSA PRIVATE KEY/);
      // The training certificates use PBKDF2 with HMAC-SHA-1, forge's default; OpenSSL 3's use SHA-256 (below).
      expect(native.mock.calls.map((args) => args[4])).toContain('sha1');
    } finally {
      native.mockRestore();
    }
  });

  it("opens a file exported by OpenSSL 3 with its defaults (AES-256, PBKDF2 with SHA-256), as a municipality's tools make it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'lia-p12-'));
    try {
      writeFileSync(join(dir, 'key.pem'), pki.server.keyPem);
      writeFileSync(join(dir, 'cert.pem'), pki.server.certPem);
      writeFileSync(join(dir, 'ca.pem'), pki.ca.certPem);
      execFileSync('openssl', ['pkcs12', '-export', '-inkey', 'key.pem', '-in', 'cert.pem', '-certfile', 'ca.pem', '-passout', 'pass:Sommer-2026-kode', '-out', 'system.p12'], { cwd: dir });
      const native = vi.spyOn(crypto, 'pbkdf2Sync');
      let c: ReturnType<typeof openPkcs12>;
      try {
        c = openPkcs12(readFileSync(join(dir, 'system.p12')), 'Sommer-2026-kode');
        expect(native.mock.calls.map((args) => args[4])).toContain('sha256');
      } finally {
        native.mockRestore();
      }
      // Read by forge (key and leaf as PEM), not handed to OpenSSL whole with the CA inside trusted.
      expect(c.pfx).toBeUndefined();
      expect(crypto.createPrivateKey(c.key ?? '').export({ type: 'pkcs8', format: 'pem' })).toBe(crypto.createPrivateKey(pki.server.keyPem).export({ type: 'pkcs8', format: 'pem' }));
      expect(() => openPkcs12(readFileSync(join(dir, 'system.p12')), 'Vinter-2026-kode')).toThrow(/forkert adgangskode/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
