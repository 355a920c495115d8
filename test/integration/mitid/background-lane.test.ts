// The sync's reads run in a background lane of the MitID Erhverv client: at most one slot fewer than the
// client has, so an operator's call (a bulk plan, an assign, "check now") never queues behind a whole read
// of MitID Erhverv. Against the simulator over mutual TLS, with every answer delayed.
import { afterEach, expect, it } from 'vitest';
import type { MitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import { seedMitIdSimulator } from '../../../src-main/training/mitid-sim/seed.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { clientFor, startSim } from './harness.ts';

let sim: MitIdSimulator | null = null;
let client: MitIdErhvervClient | null = null;
afterEach(async () => {
  await client?.close();
  await sim?.stop();
  sim = null;
  client = null;
});

async function setUp(): Promise<{ uuids: string[]; client: MitIdErhvervClient }> {
  sim = await startSim();
  const people = Array.from({ length: 41 }, (_, i) => ({ username: `bg${i}`, givenName: 'Bag', surname: `Grund ${i}`, email: `bg${i}@fjordby.dk` }));
  seedMitIdSimulator(sim.state, { people, linkRule: { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false } });
  sim.faults.latencyMs = { min: 40, max: 40 };
  client = clientFor(sim, { concurrency: 4 });
  await client.ping();
  return { uuids: sim.state.all().map((i) => i.uuid), client };
}

it("answers an operator's call while 40 background reads wait, instead of after them", async () => {
  const { uuids, client: c } = await setUp();
  let backgroundDone = 0;
  const background = uuids.slice(0, 40).map((u) => c.getIdentity(u, { background: true }).then(() => backgroundDone++));
  await new Promise((r) => setTimeout(r, 20));
  await c.getIdentity(uuids[40] as string);
  const doneWhenAnswered = backgroundDone;
  await Promise.all(background);
  // Three background slots of four: 40 reads take about 14 rounds; the operator's call about one.
  expect(doneWhenAnswered).toBeLessThanOrEqual(8);
  expect(backgroundDone).toBe(40);
});

it('without the lane, the same call waits for the whole queue (the reference)', async () => {
  const { uuids, client: c } = await setUp();
  let done = 0;
  const queued = uuids.slice(0, 40).map((u) => c.getIdentity(u).then(() => done++));
  await new Promise((r) => setTimeout(r, 20));
  await c.getIdentity(uuids[40] as string);
  expect(done).toBeGreaterThanOrEqual(36);
  await Promise.all(queued);
});
