// The exact create payload, as the simulator received it byte for byte (before its case-insensitive
// binding): field names, casing, order and values as in the reference — with the organisation-level
// fields taken from the settings profile.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createMitIdErhvervClient, mitIdClientOptionsFromProfile } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import type { MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { assignLocalAuthenticator } from '../../../src-main/services/mitid/actions.ts';
import { MitIdProfile } from '../../../shared/domain/settings.ts';
import { fakeCpr, fastResilience, startSim } from './harness.ts';

let sim: MitIdSimulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.state.clear();
  sim.faults.reset();
  sim.resetStats();
});

const INVOICE = '3f2b8c1e-5a7d-4e0b-9c6f-1d2e3f4a5b6c';

function clientFromSettings(extra: Record<string, unknown>) {
  const profile = MitIdProfile.parse({ baseUrl: sim.url, p12File: 'unused.p12', ...extra });
  return createMitIdErhvervClient({ ...mitIdClientOptionsFromProfile(profile, sim.client.pfx, sim.client.passphrase, sim.caPem), ...fastResilience });
}

const createBodies = () => sim.recorded.filter((r) => r.endpoint === 'POST /identity/employee').map((r) => r.rawBody);

it('sends exactly the reference payload, with invoiceMethodUuid from the settings, names trimmed', async () => {
  const client = clientFromSettings({ invoiceMethodUuid: INVOICE });
  try {
    const r = await assignLocalAuthenticator(
      client,
      { kind: 'samaccountname-suffix', suffix: 'kommune.dk', lowercase: false },
      { username: 'jph', givenName: '  Jens Peter ', surname: ' Hansen ', email: 'jph@kommune.dk', cpr: fakeCpr(1) },
    );
    expect(r.outcome).toBe('created');
  } finally {
    await client.close();
  }
  expect(createBodies()).toEqual([
    '{"identityProfile":{"status":"Pending","registeredIal":"Substantial","targetIal":"Substantial","givenName":"Jens Peter","surname":"Hansen",' +
      `"emailAddress":"jph@kommune.dk","cprNumber":"${fakeCpr(1)}","rid":null,"pseudonym":false,"allowQualifiedCertificateIssuance":false},` +
      `"identityOrganizationProfile":{"invoiceMethodUuid":"${INVOICE}"},` +
      '"identityAuthenticators":{"authenticatorTypes":["LocalIdentityProvider"],"subjectNameId":"jph@kommune.dk"}}',
  ]);
});

it('sends the other organisation-level fields when set, and no identityOrganizationProfile without an invoice method', async () => {
  const client = clientFromSettings({ ial: 'High', orderPrivateMitIdOnCreate: true, allowQualifiedOnCreate: true });
  try {
    await client.createIdentity({ givenName: 'Åse', surname: 'Ærø', emailAddress: 'aae@kommune.dk', cprNumber: null, subjectNameId: 'aae@kommune.dk' });
  } finally {
    await client.close();
  }
  expect(createBodies()).toEqual([
    '{"identityProfile":{"status":"Pending","registeredIal":"High","targetIal":"High","givenName":"Åse","surname":"Ærø","emailAddress":"aae@kommune.dk",' +
      '"cprNumber":null,"rid":null,"pseudonym":false,"allowQualifiedCertificateIssuance":true},' +
      '"identityAuthenticators":{"authenticatorTypes":["LocalIdentityProvider","PrivateNemIdMitId"],"subjectNameId":"aae@kommune.dk"}}',
  ]);
});

it('refuses an invoice method that is not a uuid in the settings, before anything is sent', () => {
  expect(MitIdProfile.safeParse({ baseUrl: 'https://services.nemlog-in.dk', invoiceMethodUuid: 'faktura' }).success).toBe(false);
  expect(MitIdProfile.parse({ baseUrl: 'https://services.nemlog-in.dk' }).invoiceMethodUuid).toBe('');
});
