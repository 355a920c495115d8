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
