import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignLocalAuthenticator, identityFor, reactivateIdentity, revokeLocalAuthenticator, suspendIdentity } from '../../../src-main/services/mitid/actions.ts';
import { startTrainingMitIdErhverv, type TrainingMitId } from '../../../src-main/training/mitid-sim/training.ts';

// The single-person actions the people screen and bulk jobs share, against the simulator over mTLS.
const rule = { kind: 'samaccountname-suffix' as const, suffix: 'fjordby.dk', lowercase: false };
const seeded = [
  { username: 'hanjen', givenName: 'Hanne', surname: 'Jensen', email: 'hanjen@fjordby.dk' },
  { username: 'bofre', givenName: 'Bo', surname: 'Frederiksen', email: 'bofre@fjordby.dk' },
];
let mitid: TrainingMitId;

beforeAll(async () => {
  mitid = await startTrainingMitIdErhverv({ people: seeded, linkRule: rule, drift: false } as never);
});
afterAll(async () => mitid.stop());

describe('MitID Erhverv actions for one person', () => {
  it('creates an identity with the local credential once, and a repeat does nothing', async () => {
    const person = { username: 'nyansat', givenName: 'Ny', surname: 'Ansat', email: 'nyansat@fjordby.dk' };
    const before = mitid.simulator.createCount;
    expect(await identityFor(mitid.port, rule, person)).toMatchObject({ subjectNameId: 'nyansat@fjordby.dk', identity: null });
    const first = await assignLocalAuthenticator(mitid.port, rule, person);
    expect(first).toMatchObject({ outcome: 'created', subjectNameId: 'nyansat@fjordby.dk' });
    const again = await assignLocalAuthenticator(mitid.port, rule, person);
    expect(again).toEqual({ outcome: 'already-assigned', uuid: first.uuid, subjectNameId: 'nyansat@fjordby.dk' });
    expect(mitid.simulator.createCount).toBe(before + 1);
    expect((await identityFor(mitid.port, rule, person)).localCredential?.id).toBe('nyansat@fjordby.dk');
  });

  it('revokes and re-requests the credential on an existing identity without a new create', async () => {
    const person = { username: 'uden', givenName: 'Uden', surname: 'Kode', email: 'uden@fjordby.dk' };
    await assignLocalAuthenticator(mitid.port, rule, person);
    const creates = mitid.simulator.createCount;
    expect(await revokeLocalAuthenticator(mitid.port, rule, { ...person })).toEqual({ outcome: 'revoked' });
    // Without the credential the identity is found by e-mail, and the credential is requested again.
    const r = await assignLocalAuthenticator(mitid.port, rule, person);
    expect(r.outcome).toBe('credential-requested');
    expect(mitid.simulator.createCount).toBe(creates);
  });

  it('suspends and reactivates, idempotently', async () => {
    const person = { username: 'spaer', givenName: 'Spær', surname: 'Mig', email: 'spaer@fjordby.dk' };
    await assignLocalAuthenticator(mitid.port, rule, person);
    expect((await suspendIdentity(mitid.port, rule, person)).outcome).toBe('suspended');
    expect((await suspendIdentity(mitid.port, rule, person)).outcome).toBe('already-suspended');
    expect((await reactivateIdentity(mitid.port, rule, person)).outcome).toBe('reactivated');
  });

  it('refuses a person without e-mail with a clear Danish message and creates nothing', async () => {
    const before = mitid.simulator.createCount;
    await expect(assignLocalAuthenticator(mitid.port, rule, { username: 'elevx', givenName: 'Elev', surname: 'X', email: null })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('e-mailadresse') });
    expect(mitid.simulator.createCount).toBe(before);
  });
});
