// Shared setup for the MitID Erhverv integration tests: the simulator plus the real client over mTLS.
import { createMitIdErhvervClient, type MitIdErhvervClient, type MitIdErhvervClientOptions } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import { startMitIdSimulator, type MitIdSimulator, type MitIdSimulatorOptions } from '../../../src-main/training/mitid-sim/index.ts';

/** Test-speed resilience settings: the same logic, with millisecond backoffs. */
export const fastResilience = {
  timeoutMs: 5_000,
  backoff: { retries: 4, baseDelayMs: 2, maxDelayMs: 20 },
  breaker: { failureThreshold: 50, cooldownMs: 200 },
} satisfies Partial<MitIdErhvervClientOptions>;

export function clientFor(sim: MitIdSimulator, extra: Partial<MitIdErhvervClientOptions> = {}): MitIdErhvervClient {
  return createMitIdErhvervClient({
    baseUrl: sim.url,
    pkcs12: sim.client.pfx,
    passphrase: sim.client.passphrase,
    ca: sim.caPem,
    ...fastResilience,
    ...extra,
  });
}

export async function startSim(opts: MitIdSimulatorOptions = {}): Promise<MitIdSimulator> {
  return startMitIdSimulator({ seed: 42, ...opts });
}

/** Fictitious CPR numbers (day 61+ is never issued), unique per n. */
export function fakeCpr(n: number): string {
  const day = 61 + (n % 30);
  const month = 1 + (Math.floor(n / 30) % 12);
  const serial = 1000 + Math.floor(n / 360);
  return `${day}${String(month).padStart(2, '0')}80${String(serial).padStart(4, '0')}`;
}

export async function expectConsoleError(p: Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name?: string; code: string; message: string; details?: Record<string, unknown> };
    if (err.name !== 'ConsoleError') throw e;
    return err;
  }
  throw new Error('expected a ConsoleError');
}
