// Certificates for the test DC. Samba would generate its own on first start, but it takes ~20 s
// (RSA-4096) and its host certificate names only "<HOST>.<realm>", which a client connecting to
// 127.0.0.1 cannot verify. So the harness writes a CA and a host certificate (with IP SANs) into
// the place Samba reads them from (private/tls/{ca,cert,key}.pem) and tests trust that CA.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface Pem {
  cert: string;
  key: string;
}

function newKeys(): { forgePriv: forge.pki.rsa.PrivateKey; forgePub: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgePriv = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const forgePub = forge.pki.setRsaPublicKey(forgePriv.n, forgePriv.e);
  return { forgePriv, forgePub, keyPem };
}

function serial(): string {
  // Positive, 16 bytes.
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

export interface CaOptions {
  commonName?: string;
  notBefore?: Date;
  notAfter?: Date;
}

export interface Ca extends Pem {
  issue(opts: { commonName: string; dnsNames: string[]; ips: string[]; notBefore?: Date; notAfter?: Date }): Pem;
}

export function createCa(opts: CaOptions = {}): Ca {
  const { forgePriv, forgePub, keyPem } = newKeys();
  const ca = forge.pki.createCertificate();
  ca.publicKey = forgePub;
  ca.serialNumber = serial();
  ca.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 24 * 3600_000);
  ca.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 2 * 365 * 24 * 3600_000);
  const subject = [
    { name: 'organizationName', value: 'Kommune Test' },
    { name: 'commonName', value: opts.commonName ?? 'Kommune Test AD Root CA' },
  ];
  ca.setSubject(subject);
  ca.setIssuer(subject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(forgePriv, forge.md.sha256.create());
  const caPem = forge.pki.certificateToPem(ca);

  return {
    cert: caPem,
    key: keyPem,
    issue(o) {
      const k = newKeys();
      const c = forge.pki.createCertificate();
      c.publicKey = k.forgePub;
      c.serialNumber = serial();
      c.validity.notBefore = o.notBefore ?? new Date(Date.now() - 24 * 3600_000);
      c.validity.notAfter = o.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000);
      c.setSubject([
        { name: 'organizationName', value: 'Kommune Test' },
        { name: 'commonName', value: o.commonName },
      ]);
      c.setIssuer(ca.subject.attributes);
      c.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [...o.dnsNames.map((value) => ({ type: 2, value })), ...o.ips.map((ip) => ({ type: 7, ip }))],
        },
      ]);
      c.sign(forgePriv, forge.md.sha256.create());
      return { cert: forge.pki.certificateToPem(c), key: k.keyPem };
    },
  };
}
