import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
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
});
