// The simulated IdP's attestation key: one RSA key and a self-signed certificate, made once and kept in the
// simulator's state, with which it signs evidence manifests as a real IdP (or its HSM) would.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { Attestation, AttestationCertificate, AttestationRequest } from '../../../shared/idp/journal.ts';
import type { AttestationKey } from './state.ts';

export function createAttestationKey(commonName = 'Lokal IdP-simulator – attestering af revisionspakker'): AttestationKey {
  const kp = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = kp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(kp.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + 10 * 365 * 86_400_000);
  // UTF8String (forge encodes the value itself): Danish letters and the dash must survive as text.
  const utf8 = (value: string) => ({ value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class });
  const attrs = [
    { name: 'commonName', ...utf8(commonName) },
    { name: 'organizationName', ...utf8('Træningsmiljø') },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(kp.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

export function certificateView(k: AttestationKey): AttestationCertificate {
  const x = new X509Certificate(k.certPem);
  return {
    certificatePem: x.toString(),
    publicKeyPem: x.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprintSha256: x.fingerprint256,
    subject: x.subject.replace(/\n/g, ', '),
    notAfter: new Date(x.validTo).toISOString(),
  };
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over the manifest bytes: what `openssl dgst -sha256 -verify` checks. */
export function attest(k: AttestationKey, req: AttestationRequest, signedAt: string): Attestation {
  const manifest = Buffer.from(req.manifestBase64, 'base64');
  const signature = sign('sha256', manifest, createPrivateKey(k.keyPem));
  // The key must belong to the certificate handed out; a mismatch would make every package unverifiable.
  if (!createPublicKey(k.keyPem).equals(new X509Certificate(k.certPem).publicKey)) throw new Error('Attesteringsnøglen passer ikke til certifikatet');
  return {
    algorithm: 'RSA-SHA256',
    signatureBase64: signature.toString('base64'),
    manifestSha256: createHash('sha256').update(manifest).digest('hex'),
    signedAt,
    certificate: certificateView(k),
  };
}
