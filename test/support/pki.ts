// Test-time certificates: a CA, a server certificate for 127.0.0.1/localhost and client PKCS#12 files,
// generated per run (never committed). The generator lives in src-main/training/pki.ts because the
// training environment needs it at run time too.
import { createCertificateAuthority, issueClientPkcs12, issueServerCertificate, type ClientPkcs12, type LocalPki } from '../../src-main/training/pki.ts';

export { createCertificateAuthority, issueClientPkcs12, issueServerCertificate, type LocalPki };

export function makeTestPki(name = 'Test-CA'): LocalPki {
  const ca = createCertificateAuthority(name);
  return { ca, server: issueServerCertificate(ca), client: issueClientPkcs12(ca, { commonName: `${name} klient` }) };
}

/** A client certificate from a CA nobody trusts: what a wrong system certificate looks like. */
export function strangerClientCertificate(): ClientPkcs12 {
  const rogue = createCertificateAuthority('Fremmed CA', 'ca:stranger');
  return issueClientPkcs12(rogue, { commonName: 'Fremmed systemcertifikat', keySlot: 'client:stranger' });
}
