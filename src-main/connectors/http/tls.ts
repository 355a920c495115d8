// TLS for every system: the server is verified (always; against the configured CA bundle, else the system
// store), and a client certificate can be presented from a PKCS#12 file. The PKCS#12's key and chain are
// handed to TLS as PEM rather than as `pfx`, because Node trusts every CA certificate inside a pfx for
// verifying the *server* too; server trust must come from the configured CA bundle only.
import type { AgentOptions } from 'node:https';
import tls from 'node:tls';
import forge from 'node-forge';
import { ConsoleError } from '../../../shared/errors.ts';
import type { HttpSystem } from './system.ts';

/** PEM text (one or several certificates), as string or bytes. */
export type CaBundle = string | Buffer | Array<string | Buffer>;

/** A client certificate as the organisation holds it: PKCS#12 bytes and the passphrase. */
export interface ClientPkcs12 {
  pkcs12: Uint8Array;
  passphrase: string;
}

export type ClientCredentials =
  | { key: string; cert: string; pfx?: undefined; passphrase?: undefined }
  | { pfx: Buffer; passphrase: string; key?: undefined; cert?: undefined };

// node-forge derives a PBES2 key — AES in PKCS#12, OpenSSL 3's default — with its own JavaScript PBKDF2 when
// the digest is handed over as an object, as its PKCS#12 reader does: in a new process that was 2,048 rounds
// of HMAC in cold JavaScript, ~60 ms of the console's start (bench/README.md). Named instead, forge
// takes Node's native PBKDF2 itself, reading password and salt as the same binary strings: the same bytes.
const NATIVE_DIGESTS = new Set(['sha1', 'sha256', 'sha384', 'sha512']);
const forgePbkdf2 = forge.pkcs5.pbkdf2;
forge.pkcs5.pbkdf2 = ((password: string, salt: string, iterations: number, keySize: number, md?: unknown, callback?: unknown) => {
  const name = typeof md === 'object' && md !== null ? (md as { algorithm?: unknown }).algorithm : undefined;
  const digest = typeof name === 'string' && NATIVE_DIGESTS.has(name) ? name : md;
  return (forgePbkdf2 as (...args: unknown[]) => unknown)(password, salt, iterations, keySize, digest, callback);
}) as typeof forge.pkcs5.pbkdf2;

const badFile = (system?: HttpSystem) =>
  new ConsoleError(
    'validation',
    `Systemcertifikatet${system ? ` til ${system.name}` : ''} kunne ikke åbnes – forkert adgangskode eller ugyldig PKCS#12-fil`,
  ).withKey('certificateUnreadable');

export function openPkcs12(pkcs12: Uint8Array, passphrase: string, system?: HttpSystem): ClientCredentials {
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
      throw badFile(system);
    }
    return { pfx, passphrase };
  }
}

/** The agent's TLS options: validation on, the CA bundle if given, the client certificate if given. */
export function tlsOptions(system: HttpSystem, ca: CaBundle | undefined, client: ClientPkcs12 | undefined): AgentOptions {
  // Opened now, so a wrong passphrase is reported at setup and not as a network error later.
  const credentials = client ? openPkcs12(client.pkcs12, client.passphrase, system) : undefined;
  return {
    ...(credentials?.pfx ? { pfx: credentials.pfx, passphrase: credentials.passphrase } : {}),
    ...(credentials?.key ? { key: credentials.key, cert: credentials.cert } : {}),
    ...(ca === undefined ? {} : { ca }),
    rejectUnauthorized: true,
  };
}
