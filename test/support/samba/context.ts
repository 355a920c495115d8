// What the integration project's global setup tells test files about the running test DC.
import { inject } from 'vitest';
import { AdProfile } from '../../../shared/domain/settings.ts';
import type { SchoolFacts } from './school.ts';
import type { SeedFacts } from './seed-facts.ts';

export interface SambaContext {
  /** ldaps://127.0.0.1:636 */
  url: string;
  /** ldap://127.0.0.1:389 (for StartTLS) */
  startTlsUrl: string;
  /** The test CA that issued the DC's certificate. */
  caFile: string;
  baseDn: string;
  upnSuffix: string;
  admin: { username: string; password: string };
  /** Samba's pid; it leads its own process group (tests may SIGSTOP/SIGCONT -pid). */
  pid: number;
  dir: string;
  facts: SeedFacts;
}

/** The schools' DC (a second, separate domain on 127.0.0.2): the same shape, its own facts. */
export interface SchoolSambaContext extends Omit<SambaContext, 'facts'> {
  facts: SchoolFacts;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** null when this run has no AD integration tests, so no DC was started. */
    samba: SambaContext | null;
    /** null unless this run has tests of several domains (test/integration/domains/). */
    sambaSchool: SchoolSambaContext | null;
  }
}

export function sambaContext(): SambaContext {
  const ctx = inject('samba');
  if (!ctx) throw new Error('Test-DC kører ikke: global setup startede den ikke for denne kørsel (LIA_SAMBA=never?).');
  return ctx;
}

export function schoolSambaContext(): SchoolSambaContext {
  const ctx = inject('sambaSchool');
  if (!ctx) throw new Error('Skolernes test-DC kører ikke: global setup starter den kun, når test/integration/domains/ er med i kørslen.');
  return ctx;
}

/** An AD profile pointing at the test DC; override what a test is about. */
export function testProfile(ctx: Pick<SambaContext, 'url' | 'caFile' | 'baseDn' | 'upnSuffix'>, overrides: Partial<AdProfile> = {}): AdProfile {
  return AdProfile.parse({
    urls: [ctx.url],
    startTls: true,
    caFile: ctx.caFile,
    baseDn: ctx.baseDn,
    upnSuffix: ctx.upnSuffix,
    timeoutMs: 5000,
    allowUnencryptedBindLabOnly: false,
    ...overrides,
  });
}
