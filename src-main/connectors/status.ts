import { errorDetail, type PingResult, type SystemDetail, type SystemStatus } from '../../shared/domain/settings.ts';
import { ConsoleError } from '../../shared/errors.ts';
import { domainFromDn, type PersonKey } from '../../shared/idp/common.ts';
import type { DirectoryPort } from './directory-port.ts';

/** One system's state for the status bar and "Test forbindelse": not set up, answering, or down and why. */
export async function pingStatus(
  system: SystemStatus['system'],
  training: boolean,
  port: { ping(): Promise<PingResult> } | null,
  notConfigured: { message: string; detail: SystemDetail },
): Promise<SystemStatus> {
  const checkedAt = new Date().toISOString();
  if (!port) return { system, state: 'not-configured', ...notConfigured, checkedAt, training };
  const r = await port.ping().catch(
    (e: unknown): PingResult => ({ ok: false, message: e instanceof Error ? e.message : 'Ukendt fejl', detail: errorDetail(e, { code: 'noAnswer', params: {} }) }),
  );
  return { system, state: r.ok ? 'ok' : 'down', message: r.message, detail: r.detail, checkedAt, training };
}

/** The status bar's view of the systems: at most `maxAgeMs` old, never waited for twice. */
export interface StatusBoard {
  current(): Promise<SystemStatus[]>;
}

/**
 * Answers from the last check at once and checks again behind it when that is older than `maxAgeMs`: a
 * system slow to answer (a DC busy with a full read took 26 s) never holds the status bar's call, and
 * polls never stack pings. Only the first call waits; each status says when it was checked.
 */
export function statusBoard(check: () => Promise<SystemStatus[]>, maxAgeMs = 15_000, now: () => number = Date.now): StatusBoard {
  let last: { at: number; value: SystemStatus[] } | null = null;
  let running: Promise<SystemStatus[]> | null = null;
  const run = () =>
    (running ??= check()
      .then((value) => {
        last = { at: now(), value };
        return value;
      })
      .finally(() => {
        running = null;
      }));
  return {
    async current() {
      if (!last) return run();
      // Not awaited on purpose: this answer is the last check; the next poll gets the new one.
      if (now() - last.at >= maxAgeMs) run().catch(() => undefined);
      return last.value;
    },
  };
}

/** A system not set up (or, in training, its simulator switched off), in Danish and by code. */
export const notSetUp = (message: string, training = false): { message: string; detail: SystemDetail } => ({
  message,
  detail: { code: training ? 'simulatorOff' : 'notConfigured', params: {} },
});

/** The IdP's key for a person of the directory: the AD domain (from the DN) and the username. */
export const idpKeyFor = (dn: string, username: string): PersonKey => ({ domain: domainFromDn(dn) ?? '', username });

/** Active Directory before it is set up: every sign-in says so in Danish. */
export function unconfiguredDirectory(): DirectoryPort {
  const fail = () => {
    throw new ConsoleError('unavailable-ad', 'Active Directory er ikke sat op endnu. Udfyld AD-forbindelsen under Indstillinger.').withKey('adNotConfigured');
  };
  return { kind: 'ad', signIn: async () => fail(), ping: async () => ({ ok: false, message: 'Active Directory er ikke sat op.', detail: { code: 'notConfigured', params: {} } }) };
}
