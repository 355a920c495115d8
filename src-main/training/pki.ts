// Test-and-training PKI: a CA, server certificates for 127.0.0.1/localhost and client certificates as
// PKCS#12 + passphrase. Everything is generated at run time (never committed) with node-forge so it works
// on Windows without an openssl binary. RSA keys come from node:crypto (native, fast) and are cached per
// process, because key generation dominates the cost and tests make many certificates.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface ClientPkcs12 {
  /** DER-encoded PKCS#12 (what a .p12/.pfx file contains). */
  pfx: Buffer;
  passphrase: string;
  certPem: string;
}

const keyCache = new Map<string, { privatePem: string; publicPem: string }>();

/** One RSA key pair per slot name and process: certificates differ, keys may repeat across runs of a test. */
function keyPair(slot: string): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  let pems = keyCache.get(slot);
  if (!pems) {
    const kp = generateKeyPairSync('rsa', { modulusLength: 2048 });
    pems = {
      privatePem: kp.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      publicPem: kp.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    keyCache.set(slot, pems);
  }
  return {
    privateKey: forge.pki.privateKeyFromPem(pems.privatePem) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(pems.publicPem) as forge.pki.rsa.PublicKey,
  };
}

function serial(): string {
  // Positive (high bit clear) random serial, as RFC 5280 asks.
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

function validity(cert: forge.pki.Certificate, days: number): void {
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + days * 24 * 60 * 60 * 1000);
}

export function createCertificateAuthority(commonName = 'Lokal IdP Admin test-CA', keySlot = `ca:${commonName}`): CertificateAuthority {
  const { privateKey, publicKey } = keyPair(keySlot);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  validity(cert, 30);
  const attrs = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Træningsmiljø' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(privateKey), cert, key: privateKey };
}

function issue(
  ca: CertificateAuthority,
  subject: forge.pki.CertificateField[],
  extensions: object[],
  keySlot: string,
): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } {
  const { privateKey, publicKey } = keyPair(keySlot);
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  validity(cert, 30);
  cert.setSubject(subject);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
    ...extensions,
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { cert, key: privateKey };
}

/** A TLS server certificate valid for the given host names and IP addresses (default: local only). */
export function issueServerCertificate(
  ca: CertificateAuthority,
  hosts: readonly string[] = ['localhost', '127.0.0.1', '::1'],
): IssuedCertificate {
  const altNames = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h }));
  const { cert, key } = issue(
    ca,
    [{ name: 'commonName', value: hosts[0] ?? 'localhost' }],
    [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
    'server',
  );
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(key) };
}

/**
 * A client (system) certificate as PKCS#12, like the organisation's FOCES/OCES3 file. The CA certificate
 * is included in the bag, as issued files usually carry their chain.
 */
export function issueClientPkcs12(
  ca: CertificateAuthority,
  opts: { commonName?: string; organization?: string; passphrase?: string; keySlot?: string } = {},
): ClientPkcs12 {
  const passphrase = opts.passphrase ?? randomBytes(12).toString('base64url');
  const { cert, key } = issue(
    ca,
    [
      { name: 'commonName', value: opts.commonName ?? 'Lokal IdP Admin systemcertifikat' },
      { name: 'organizationName', value: opts.organization ?? 'Træningskommune // CVR:12345678' },
    ],
    [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
    opts.keySlot ?? 'client',
  );
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert, ca.cert], passphrase, {
    // AES + SHA-256 MAC: OpenSSL 3 (inside Node) refuses the legacy RC2/3DES defaults of older tools.
    algorithm: 'aes256',
    friendlyName: opts.commonName ?? 'systemcertifikat',
  });
  const der = forge.asn1.toDer(asn1).getBytes();
  return { pfx: Buffer.from(der, 'binary'), passphrase, certPem: forge.pki.certificateToPem(cert) };
}

/** Everything a local mTLS setup needs in one call. */
export interface LocalPki {
  ca: CertificateAuthority;
  server: IssuedCertificate;
  client: ClientPkcs12;
}

export function createLocalPki(commonName?: string): LocalPki {
  const ca = createCertificateAuthority(commonName);
  return { ca, server: issueServerCertificate(ca), client: issueClientPkcs12(ca) };
}
