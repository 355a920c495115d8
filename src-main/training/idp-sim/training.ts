// One call for the training environment: the simulator seeded from the training directory, and the real
// IdpPort client talking to it over HTTP(S) — so training exercises the same code as production.
import { createIdpClient } from '../../connectors/idp/client.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import type { SeedPerson } from './seed.ts';
import { startIdpSimulator } from './server.ts';
import type { IdpSimulator, IdpSimulatorOptions } from './server.ts';

export interface TrainingIdp {
  port: IdpPort;
  simulator: IdpSimulator;
  stop(): Promise<void>;
}

export async function startTrainingIdp(
  people: readonly SeedPerson[],
  opts: Omit<IdpSimulatorOptions, 'people'> & { ca?: string | Buffer } = {},
): Promise<TrainingIdp> {
  const { ca, ...simOpts } = opts;
  const simulator = await startIdpSimulator({ ...simOpts, people });
  const port = createIdpClient({
    baseUrl: simulator.url,
    auth: { kind: 'api-key', apiKey: simulator.apiKey },
    timeoutMs: 10_000,
    ...(ca !== undefined ? { ca } : simOpts.tls ? { ca: simOpts.tls.cert } : {}),
  });
  return {
    port,
    simulator,
    async stop() {
      port.close();
      await simulator.stop();
    },
  };
}
