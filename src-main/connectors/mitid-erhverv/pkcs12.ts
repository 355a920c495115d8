// Open the organisation's PKCS#12 system certificate. The key and certificate chain are handed to TLS as
// PEM rather than as `pfx`, because Node trusts every CA certificate inside a pfx for verifying the
// *server* too; server trust must come from the configured CA bundle only.
import tls from 'node:tls';
import forge from 'node-forge';
import { ConsoleError } from '../../../shared/errors.ts';

export type ClientCredentials =
  | { key: string; cert: string; pfx?: undefined; passphrase?: undefined }
  | { pfx: Buffer; passphrase: string; key?: undefined; cert?: undefined };

const badFile = () =>
  new ConsoleError('validation', 'Systemcertifikatet til MitID Erhverv kunne ikke åbnes – forkert adgangskode eller ugyldig PKCS#12-fil');

export function openPkcs12(pkcs12: Uint8Array, passphrase: string): ClientCredentials {
  const pfx = Buffer.from(pkcs12);
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary'))), false, passphrase);
    const bags = (oid: string | undefined): forge.pkcs12.Bag[] => (oid ? (p12.getBags({ bagType: oid })[oid] ?? []) : []);
    const keyBag = bags(forge.pki.oids.pkcs8ShroudedKeyBag)[0] ?? bags(forge.pki.oids.keyBag)[0];
    const certs = bags(forge.pki.oids.certBag)
      .map((b) => b.cert)
      .filter((c): c is forge.pki.Certificate => !!c);
    if (!keyBag?.key || certs.length === 0) throw new Error('incomplete');
    const key = keyBag.key as forge.pki.rsa.PrivateKey;
    const publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    const pubPem = forge.pki.publicKeyToPem(publicKey);
    const leaf = certs.find((c) => forge.pki.publicKeyToPem(c.publicKey) === pubPem);
    if (!leaf) throw new Error('no matching certificate');
    // The leaf first, then intermediates; self-signed roots are left out (they are the server's business).
    const chain = [leaf, ...certs.filter((c) => c !== leaf && !c.isIssuer(c))];
    return { key: forge.pki.privateKeyToPem(key), cert: chain.map((c) => forge.pki.certificateToPem(c)).join('') };
  } catch {
    // node-forge does not read every PKCS#12 variant (e.g. non-RSA keys). If OpenSSL can, use the file as
    // is — at the cost that CA certificates inside it are trusted for the server too.
    try {
      tls.createSecureContext({ pfx, passphrase });
    } catch {
      throw badFile();
    }
    return { pfx, passphrase };
  }
}
