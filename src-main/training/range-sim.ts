// The leaked-password service of the training environment: the k-anonymity range API
// (GET /range/{first five hex characters of the SHA-1}) that Have I Been Pwned and a municipality's own
// mirror speak, over real HTTPS with a certificate from its own training CA, so training and tests run
// the console's real lookup code without the internet.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority, issueServerCertificate } from './pki.ts';

/**
 * Passwords the training service knows as leaked (with illustrative counts): the kind a helpdesk agent
 * or a trainee types first. A trainee who tries one sees the refusal the real service would give.
 */
export const TRAINING_LEAKED_PASSWORDS: Readonly<Record<string, number>> = {
  'password': 9_545_824,
  '123456': 37_359_195,
  '123456789': 16_629_796,
  'qwerty': 10_556_095,
  'Password1': 2_413_945,
  'Password123': 258_532,
  'Velkommen1': 4_127,
  'Velkommen123': 2_214,
  'Sommer2026': 311,
  'Sommer2026!': 204,
  'Vinter2025!': 188,
  'Kode1234': 6_022,
  'Hemmelig1': 3_877,
  'Danmark1': 9_841,
  'Kommune123': 467,
  'Fjordby2026': 12,
  'Qwerty123456!': 2_991,
  'Adgangskode1': 1_306,
  'Adgangskode123!': 245,
  'Sommerfugl-Hus-2026!': 42,
};

export interface RangeSimulator {
  /** Base URL for the console's setting; the prefix is appended (…/range/ABCDE). */
  url: string;
  /** The training CA's certificate (PEM) that issued the service's TLS certificate. */
  caPem: string;
  /** Every request line's path, in order — so a test can prove only five hex characters left. */
  requests: string[];
  stop(): Promise<void>;
}

export interface RangeSimulatorOptions {
  leaked?: Readonly<Record<string, number>>;
  host?: string;
  port?: number;
  /** Answer lines per prefix with padding (HIBP pads to 800–1000 with `:0` lines when asked). */
  padTo?: number;
}

const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex').toUpperCase();

export async function startRangeSimulator(opts: RangeSimulatorOptions = {}): Promise<RangeSimulator> {
  const byPrefix = new Map<string, string[]>();
  for (const [password, count] of Object.entries(opts.leaked ?? TRAINING_LEAKED_PASSWORDS)) {
    const h = sha1(password);
    byPrefix.set(h.slice(0, 5), [...(byPrefix.get(h.slice(0, 5)) ?? []), `${h.slice(5)}:${count}`]);
  }
  const padTo = opts.padTo ?? 800;
  const ca = createCertificateAuthority('Lokal IdP Admin traening - laekkede adgangskoder');
  const tls = issueServerCertificate(ca);
  const requests: string[] = [];

  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/range\/([0-9A-Fa-f]{5})$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('The hash prefix was not in a valid format');
      return;
    }
    const prefix = m[1]!.toUpperCase();
    const lines = [...(byPrefix.get(prefix) ?? [])];
    if (req.headers['add-padding'] === 'true') {
      // Decoys derived from the prefix, so the same question gets the same answer (as a CDN cache would).
      for (let i = 0; lines.length < padTo; i++) lines.push(`${sha1(`${prefix}:${i}`).slice(0, 35)}:0`);
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'public, max-age=2678400' }).end(lines.join('\r\n'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/range/`,
    caPem: ca.certPem,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
