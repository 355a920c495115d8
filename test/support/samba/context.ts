// What the integration project's global setup tells test files about the running test DC.
import { inject } from 'vitest';
import { AdProfile } from '../../../shared/domain/settings.ts';
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

declare module 'vitest' {
  export interface ProvidedContext {
    /** null when this run has no AD integration tests, so no DC was started. */
    samba: SambaContext | null;
  }
}

export function sambaContext(): SambaContext {
  const ctx = inject('samba');
  if (!ctx) throw new Error('Test-DC kører ikke: global setup startede den ikke for denne kørsel (LIA_SAMBA=never?).');
  return ctx;
}

/** An AD profile pointing at the test DC; override what a test is about. */
export function testProfile(ctx: SambaContext, overrides: Partial<AdProfile> = {}): AdProfile {
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
