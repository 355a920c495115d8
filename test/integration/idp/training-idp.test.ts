// The training environment's wiring: the simulator seeded from the training directory, read through the
// real client — every person resolves, and their MFA devices and terms acceptance show.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { domainFromDn } from '../../../shared/idp/common.ts';
import { TRAINING_BASE_DN, generateTrainingAccounts, trainingOperators } from '../../../src-main/training/seed.ts';
import { startTrainingIdp } from '../../../src-main/training/idp-sim/training.ts';
import type { TrainingIdp } from '../../../src-main/training/idp-sim/training.ts';

const accounts = generateTrainingAccounts();
const domain = domainFromDn(TRAINING_BASE_DN)!;
const operators = new Set(trainingOperators.map((o) => o.username));
let idp: TrainingIdp;

beforeAll(async () => {
  const t0 = performance.now();
  idp = await startTrainingIdp(
    accounts.map((a) => ({
      username: a.username,
      domain,
      displayName: a.displayName,
      pupil: a.ouPath.includes('Elever'),
      trusted: operators.has(a.username),
      admin: operators.has(a.username),
    })),
  );
  // Starting the training IdP must not slow the console's start noticeably (seeding alone is checked
  // against 2 s in the unit test; this bound is looser because it includes a server start on a busy CI box).
  expect(performance.now() - t0).toBeLessThan(5000);
});
afterAll(async () => {
  await idp.stop();
});

it('knows every person of the training directory, with devices and terms status', async () => {
  const sample = accounts.filter((_, i) => i % 97 === 0);
  let withDevices = 0;
  let accepted = 0;
  for (const a of sample) {
    const key = { domain, username: a.username };
    const person = await idp.port.getPerson(key);
    expect(person.displayName).toBe(a.displayName);
    const devices = await idp.port.listDevices(key);
    expect(devices.items.length).toBe(person.deviceCount);
    if (devices.items.length > 0) withDevices++;
    const acc = await idp.port.listTermsAcceptances(key);
    if (acc.items.length > 0) {
      accepted++;
      expect(person.acceptedTermsVersion).toBe(Math.max(...acc.items.map((x) => x.version)));
    }
  }
  expect(withDevices).toBeGreaterThan(sample.length / 3);
  expect(accepted).toBeGreaterThan(sample.length / 3);
});

it('puts pupils under the pupils sub-domain policy and operators under the trusted pseudo-domain', async () => {
  const pupil = accounts.find((a) => a.ouPath.includes('Elever'))!;
  const p = await idp.port.getPerson({ domain, username: pupil.username });
  expect(p.passwordPolicyDomain).toBe(`elever.${domain}`);
  expect(p.nsisStatus).toBe('NOT_ISSUED');
  const policy = await idp.port.getPasswordPolicy(p.passwordPolicyDomain);
  expect(policy).toMatchObject({ kind: 'sub-domain', parentDomain: domain, settings: { nsis: false } });
  const admin = await idp.port.getPerson({ domain, username: 'admin' });
  expect(admin.passwordPolicyDomain).toBe('betroede-medarbejdere');
  expect((await idp.port.getPasswordPolicy(domain)).settings.nsis).toBe(true);
});

it('names the training operators as the administrators in the seeded log', async () => {
  const page = await idp.port.readAudit(0, 1000);
  const performers = new Set(page.items.flatMap((e) => (e.performer ? [e.performer.username] : [])));
  expect(performers.size).toBeGreaterThan(0);
  for (const p of performers) expect(operators).toContain(p);
});
