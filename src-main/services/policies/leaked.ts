import { createHash } from 'node:crypto';
import { countInRange, type LeakCheck } from '../../../shared/domain/policies.ts';

export interface LeakedOptions {
  /** Base URL; the 5-character prefix is appended (a trailing slash is added when missing). */
  endpoint: string;
  timeoutMs: number;
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
  let host = base;
  try {
    host = new URL(base).host;
  } catch {
    return { state: 'unavailable', message: 'Adressen på tjenesten for lækkede adgangskoder er ugyldig. Ret den under Opsætning.', count: null };
  }
  try {
    const res = await fetch(`${base}${prefix}`, {
      headers: { 'Add-Padding': 'true', 'User-Agent': 'Lokal-IdP-Admin' },
      signal: AbortSignal.timeout(opts.timeoutMs),
      redirect: 'error',
    });
    if (!res.ok) {
      return { state: 'unavailable', message: `Tjenesten for lækkede adgangskoder (${host}) svarede med fejl ${res.status}. Adgangskoden er ikke kontrolleret for læk.`, count: null };
    }
    const count = countInRange(await res.text(), suffix);
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
