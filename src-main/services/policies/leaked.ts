import { createHash } from 'node:crypto';
import { request } from 'node:https';
import { countInRange, type LeakCheck } from '../../../shared/domain/policies.ts';

export interface LeakedOptions {
  /** Base URL (https only); the 5-character prefix is appended (a trailing slash is added when missing). */
  endpoint: string;
  timeoutMs: number;
  /** CA certificate(s) (PEM) to trust for this service instead of the system's (training: its simulator's). */
  ca?: string;
}

/** Upper-case hex SHA-1 split as the range API wants it: 5 characters out, 35 kept here. */
export function sha1Split(password: string): { prefix: string; suffix: string } {
  const hex = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
  return { prefix: hex.slice(0, 5), suffix: hex.slice(5) };
}

/**
 * k-anonymity lookup: only the first five hex characters of the SHA-1 leave the machine, and the match
 * against the returned suffixes happens here. Never throws: an unreachable service is a state the
 * operator must see, not a crash.
 */
export async function checkLeaked(password: string, opts: LeakedOptions): Promise<LeakCheck> {
  const { prefix, suffix } = sha1Split(password);
  const base = opts.endpoint.endsWith('/') ? opts.endpoint : `${opts.endpoint}/`;
  let url: URL;
  try {
    url = new URL(`${base}${prefix}`);
  } catch {
    return { state: 'unavailable', message: 'Adressen på tjenesten for lækkede adgangskoder er ugyldig. Ret den under Opsætning.', count: null };
  }
  const host = url.host;
  if (url.protocol !== 'https:') {
    return { state: 'unavailable', message: `Tjenesten for lækkede adgangskoder skal nås over https:// (${host}). Adgangskoden er ikke kontrolleret for læk.`, count: null };
  }
  try {
    const res = await get(url, opts);
    if (res.status !== 200) {
      return { state: 'unavailable', message: `Tjenesten for lækkede adgangskoder (${host}) svarede med fejl ${res.status}. Adgangskoden er ikke kontrolleret for læk.`, count: null };
    }
    const count = countInRange(res.body, suffix);
    return count > 0
      ? { state: 'leaked', message: `Adgangskoden er kendt fra datalæk (set ${count.toLocaleString('da-DK')} gange) og må ikke bruges.`, count }
      : { state: 'not-leaked', message: 'Adgangskoden findes ikke i kendte datalæk.', count: null };
  } catch (e) {
    const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    return {
      state: 'unavailable',
      message: timeout
        ? `Tjenesten for lækkede adgangskoder (${host}) svarede ikke inden for ${(opts.timeoutMs / 1000).toLocaleString('da-DK')} s. Adgangskoden er ikke kontrolleret for læk.`
        : `Tjenesten for lækkede adgangskoder (${host}) kan ikke nås. Adgangskoden er ikke kontrolleret for læk.`,
      count: null,
    };
  }
}

/** Largest answer read: a padded range answer is ~30 KB; anything far bigger is not the range API. */
const MAX_ANSWER = 2 * 1024 * 1024;

/** One GET over https (node:https, so a service's own CA can be trusted), no redirects, bounded in time and size. */
function get(url: URL, opts: LeakedOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.timeout(opts.timeoutMs);
    const req = request(url, {
      method: 'GET',
      headers: { 'Add-Padding': 'true', 'User-Agent': 'Lokal-IdP-Admin' },
      signal,
      ...(opts.ca ? { ca: opts.ca } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER) req.destroy(new Error('answer too large'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (e) => reject(signal.aborted ? Object.assign(new Error('timeout'), { name: 'TimeoutError' }) : e));
    req.end();
  });
}
