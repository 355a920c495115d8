// One call for the training environment: the MitID Erhverv simulator in-process, seeded from the training
// directory's people, and the real client talking to it over HTTPS with a client certificate.
import {
  createMitIdErhvervClient,
  type MitIdErhvervClient,
  type MitIdErhvervClientOptions,
  type MitIdErhvervPort,
} from '../../connectors/mitid-erhverv/index.ts';
import type { LinkRuleInput } from '../../../shared/mitid/link-rule.ts';
import type { CertificateAuthority } from '../pki.ts';
import { seedMitIdSimulator, type MitIdSeedOptions, type MitIdSeedReport, type SeedPerson } from './seed.ts';
import { startMitIdSimulator, type MitIdSimulator } from './server.ts';

export interface TrainingMitIdOptions {
  people: readonly SeedPerson[];
  linkRule: LinkRuleInput;
  include?: MitIdSeedOptions['include'];
  notYet?: MitIdSeedOptions['notYet'];
  drift?: MitIdSeedOptions['drift'];
  /** Reuse the training environment's CA (one CA for all simulators); default: a fresh one. */
  ca?: CertificateAuthority;
  /** Other AD domains' people (the schools'), seeded after these with their own link rule (`addDomain`). */
  also?: readonly (MitIdSeedOptions & { addDomain: string })[];
  /** Keep changes across restarts; when the file exists the seed is skipped. */
  statePath?: string;
  client?: Partial<MitIdErhvervClientOptions>;
}

export interface TrainingMitId {
  simulator: MitIdSimulator;
  client: MitIdErhvervClient;
  /** The same client, as the port the services use. */
  port: MitIdErhvervPort;
  /** null when the state came from `statePath`. */
  seed: MitIdSeedReport | null;
  stop(): Promise<void>;
}

export async function startTrainingMitIdErhverv(opts: TrainingMitIdOptions): Promise<TrainingMitId> {
  const simulator = await startMitIdSimulator({
    ...(opts.ca ? { ca: opts.ca } : {}),
    ...(opts.statePath ? { statePath: opts.statePath } : {}),
  });
  const seed =
    simulator.state.identities.size > 0
      ? null
      : seedMitIdSimulator(simulator.state, {
          people: opts.people,
          linkRule: opts.linkRule,
          ...(opts.include ? { include: opts.include } : {}),
          ...(opts.notYet ? { notYet: opts.notYet } : {}),
          ...(opts.drift ? { drift: opts.drift } : {}),
          allowSigningShare: 0.1,
        });
  if (seed) for (const more of opts.also ?? []) seedMitIdSimulator(simulator.state, { allowSigningShare: 0.1, ...more });
  const client = createMitIdErhvervClient({
    baseUrl: simulator.url,
    pkcs12: simulator.client.pfx,
    passphrase: simulator.client.passphrase,
    ca: simulator.caPem,
    kind: 'training',
    // In-process: a slow answer means something is wrong, not a busy national service.
    timeoutMs: 15_000,
    backoff: { retries: 3, baseDelayMs: 200, maxDelayMs: 2_000 },
    ...opts.client,
  });
  return {
    simulator,
    client,
    port: client,
    seed,
    stop: async () => {
      await client.close();
      await simulator.stop();
    },
  };
}
