// Every endpoint of the IdM API through the real client, against the simulator over mutual TLS.
import https from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import { seedMitIdSimulator, type MitIdSimulator } from '../../../src-main/training/mitid-sim/index.ts';
import { subjectNameIdFor } from '../../../shared/mitid/link-rule.ts';
import { clientFor, expectConsoleError, fakeCpr, startSim } from './harness.ts';

let sim: MitIdSimulator;
let client: MitIdErhvervClient;

beforeAll(async () => {
  sim = await startSim();
  client = clientFor(sim);
});
afterAll(async () => {
  await client.close();
  await sim.stop();
});
beforeEach(() => {
  sim.state.clear();
  sim.faults.reset();
  sim.resetStats();
});

const person = (n: number) => ({
  givenName: `Jens Peter ${n}`,
  surname: 'Hansen',
  emailAddress: `jph${n}@kommune.dk`,
  cprNumber: fakeCpr(n),
  subjectNameId: `jph${n}@kommune.dk`,
});

/** A raw request over the same mTLS, for quirks the client deliberately hides. */
function raw(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, sim.url);
    const req = https.request(
      {
        method,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        pfx: sim.client.pfx,
        passphrase: sim.client.passphrase,
        ca: sim.caPem,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function rawToken(): Promise<string> {
  const r = await raw('POST', '/api/administration/idmlogin/tls/authenticate', {});
  const parsed = JSON.parse(r.text) as { accessToken: string; tokenType: string; expiresIn: number };
  expect(parsed.expiresIn).toBeGreaterThan(0);
  return parsed.accessToken;
}

describe('MitID Erhverv client ↔ simulator: identities', () => {
  it('creates an identity with the local credential, reads it back and counts the create', async () => {
    const r = await client.createIdentity({ ...person(1), allowQualifiedCertificateIssuance: true });
    expect(r.outcome).toBe('created');
    expect(sim.createCount).toBe(1);
    const identity = await client.getIdentity(r.uuid);
    expect(identity).toMatchObject({ uuid: r.uuid, status: 'Active', givenName: 'Jens Peter 1', surname: 'Hansen', allowQualifiedCertificateIssuance: true, allowSigning: false });
    const auths = await client.listAuthenticators(r.uuid);
    expect(auths).toEqual([expect.objectContaining({ kind: 'local', type: 'LocalIdentityProvider', id: 'jph1@kommune.dk' })]);
    // The simulator stored what the client sent (registeredIal spelling on create).
    expect(sim.state.get(r.uuid)?.cprNumber).toBe(fakeCpr(1));
  });

  it('refuses a duplicate subjectNameId or CPR with a Danish conflict and does not count it', async () => {
    const first = await client.createIdentity(person(2));
    const sameCpr = await expectConsoleError(client.createIdentity({ ...person(3), cprNumber: fakeCpr(2) }));
    expect(sameCpr.code).toBe('conflict');
    expect(sameCpr.message).toMatch(/allerede en identitet/);
    expect(sameCpr.details?.existingUuid).toBe(first.uuid);
    const sameSni = await expectConsoleError(client.createIdentity({ ...person(4), subjectNameId: 'jph2@kommune.dk' }));
    expect(sameSni.code).toBe('conflict');
    expect(sim.createCount).toBe(1);
    expect(sim.stats.createRequests).toBe(3);
  });

  it('validates a create before sending it', async () => {
    const e = await expectConsoleError(client.createIdentity({ ...person(5), emailAddress: 'ikke-en-mail' }));
    expect(e.code).toBe('validation');
    expect(sim.stats.createRequests).toBe(0);
  });

  it('returns 404 as not-found for an unknown uuid on employee endpoints', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const p of [client.getIdentity(unknown), client.listAuthenticators(unknown), client.suspend(unknown)]) {
      const e = await expectConsoleError(p);
      expect(e.code).toBe('not-found');
      expect(e.message).toBe('Identiteten findes ikke i MitID Erhverv');
    }
  });

  it('suspends and reactivates (Active ⇄ Suspended), idempotently', async () => {
    const { uuid } = await client.createIdentity(person(6));
    await client.suspend(uuid);
    expect((await client.getIdentity(uuid)).status).toBe('Suspended');
    await client.suspend(uuid);
    expect(sim.state.get(uuid)?.status).toBe('Suspended');
    await client.reactivate(uuid);
    expect((await client.getIdentity(uuid)).status).toBe('Active');
  });

  it('deletes with 204 and treats 404 as already gone', async () => {
    const { uuid } = await client.createIdentity(person(7));
    expect(await client.deleteIdentity(uuid)).toEqual({ outcome: 'deleted' });
    expect(sim.state.get(uuid)).toBeUndefined();
    expect(await client.deleteIdentity(uuid)).toEqual({ outcome: 'already-gone' });
    const e = await expectConsoleError(client.reactivate(uuid));
    expect(e.code).toBe('not-found');
  });

  it('changes the e-mail (non-sensitive profile) and the full profile', async () => {
    const { uuid } = await client.createIdentity(person(8));
    await client.updateEmail(uuid, 'ny.adresse@kommune.dk');
    expect(sim.state.get(uuid)?.emailAddress).toBe('ny.adresse@kommune.dk');
    await client.updateProfile(uuid, { givenName: ' Anne Marie ', surname: 'Berg ', cprNumber: fakeCpr(9), emailAddress: 'amb@kommune.dk' });
    expect(sim.state.get(uuid)).toMatchObject({ givenName: 'Anne Marie', surname: 'Berg', cprNumber: fakeCpr(9), emailAddress: 'amb@kommune.dk' });
    const other = await client.createIdentity(person(10));
    const e = await expectConsoleError(client.updateProfile(other.uuid, { givenName: 'X', surname: 'Y', cprNumber: fakeCpr(9), emailAddress: 'x@kommune.dk' }));
    expect(e.code).toBe('conflict');
  });

  it('keeps the two signing flags apart', async () => {
    const { uuid } = await client.createIdentity(person(11));
    await client.setAllowSigning(uuid, true);
    const i = await client.getIdentity(uuid);
    expect(i.allowSigning).toBe(true);
    expect(i.allowQualifiedCertificateIssuance).toBe(false);
    await client.setAllowSigning(uuid, false);
    expect(sim.state.get(uuid)?.allowSigning).toBe(false);
  });

  it('keeps qualified eligibility behind a flag that is off by default, and explains where it happens', async () => {
    const { uuid } = await client.createIdentity(person(12));
    expect(client.capabilities).toEqual({ qualifiedEligibilityUpdate: false, sendValidationEmail: false });
    const profile = { givenName: 'Jens Peter 12', surname: 'Hansen', cprNumber: fakeCpr(12), emailAddress: 'jph12@kommune.dk' };
    const e = await expectConsoleError(client.setQualifiedEligibility(uuid, true, profile));
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/sker i MitID Erhverv/);
    expect(sim.state.get(uuid)?.allowQualifiedCertificateIssuance).toBe(false);
    const flagged = clientFor(sim, { features: { qualifiedEligibilityUpdate: true } });
    try {
      await flagged.setQualifiedEligibility(uuid, true, profile);
      expect(sim.state.get(uuid)).toMatchObject({ allowQualifiedCertificateIssuance: true, allowSigning: false });
    } finally {
      await flagged.close();
    }
  });
});

describe('MitID Erhverv client ↔ simulator: credentials', () => {
  it('assigns the local credential once, and says so when it is already there', async () => {
    const { uuid } = await client.createIdentity({ ...person(20), subjectNameId: null });
    expect(await client.listAuthenticators(uuid)).toEqual([]);
    expect(await client.requestLocalCredential(uuid, 'jph20@kommune.dk')).toEqual({ outcome: 'assigned' });
    expect(await client.requestLocalCredential(uuid, 'jph20@kommune.dk')).toEqual({ outcome: 'already-assigned' });
    expect(sim.state.get(uuid)?.authenticators.filter((a) => a.type === 'LocalIdentityProvider')).toHaveLength(1);
    const e = await expectConsoleError(client.requestLocalCredential(uuid, 'andet@kommune.dk'));
    expect(e.code).toBe('conflict');
  });

  it('refuses a subjectNameId held by another identity', async () => {
    await client.createIdentity(person(21));
    const { uuid } = await client.createIdentity({ ...person(22), subjectNameId: null });
    const e = await expectConsoleError(client.requestLocalCredential(uuid, 'jph21@kommune.dk'));
    expect(e.code).toBe('conflict');
    expect(sim.state.get(uuid)?.authenticators).toHaveLength(0);
  });

  it('requests private MitID as PrivateNemIdMitId and finds it listed as PrivateMitId', async () => {
    const { uuid } = await client.createIdentity(person(23));
    expect(await client.requestPrivateMitId(uuid)).toEqual({ outcome: 'assigned' });
    const auths = await client.listAuthenticators(uuid);
    expect(auths.map((a) => a.type).sort()).toEqual(['LocalIdentityProvider', 'PrivateMitId']);
    expect(auths.find((a) => a.type === 'PrivateMitId')?.kind).toBe('private-mitid');
    expect(await client.requestPrivateMitId(uuid)).toEqual({ outcome: 'already-assigned' });
  });

  it('creates with private MitID ordered at once', async () => {
    const { uuid } = await client.createIdentity({ ...person(24), withPrivateMitId: true });
    expect(sim.state.get(uuid)?.authenticators.map((a) => a.type).sort()).toEqual(['LocalIdentityProvider', 'PrivateMitId']);
  });

  it('revokes a credential; a second revoke reports it already gone', async () => {
    const { uuid } = await client.createIdentity(person(25));
    const [local] = await client.listAuthenticators(uuid);
    expect(local).toBeDefined();
    expect(await client.revokeCredential(uuid, local!.uuid)).toEqual({ outcome: 'revoked' });
    expect(await client.listAuthenticators(uuid)).toEqual([]);
    expect(await client.revokeCredential(uuid, local!.uuid)).toEqual({ outcome: 'already-gone' });
  });

  it('finds an identity by subjectNameId through its authenticators', async () => {
    const a = await client.createIdentity(person(26));
    await client.createIdentity({ ...person(27), emailAddress: 'jph26@kommune.dk' });
    const found = await client.findBySubjectNameId('jph26@kommune.dk');
    expect(found?.uuid).toBe(a.uuid);
    expect(found?.cprNumber).toBe(fakeCpr(26));
    expect(await client.findBySubjectNameId('ingen@kommune.dk')).toBeNull();
    const byHint = await client.findBySubjectNameId('jph27@kommune.dk', { cprNumber: fakeCpr(27) });
    expect(byHint?.emailAddress).toBe('jph26@kommune.dk');
  });
});

describe('MitID Erhverv client ↔ simulator: search', () => {
  it('returns everything, streamed, with the fields of a search item', async () => {
    for (let n = 30; n < 55; n++) await client.createIdentity(person(n));
    await client.suspend([...sim.state.identities.keys()][3]!);
    const seen: string[] = [];
    const { count } = await client.searchAll((i) => {
      seen.push(i.uuid);
    });
    expect(count).toBe(25);
    expect(new Set(seen)).toEqual(new Set(sim.state.identities.keys()));
    const all = [];
    for await (const i of client.iterateAll()) all.push(i);
    expect(all.filter((i) => i.status === 'Suspended')).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: expect.any(Number), givenName: 'Jens Peter 30', surname: 'Hansen', cprNumber: fakeCpr(30), emailAddress: 'jph30@kommune.dk', rid: null });
  });

  it('stops reading when the consumer breaks out early', async () => {
    for (let n = 60; n < 70; n++) sim.state.insert({ givenName: 'A', surname: 'B', emailAddress: `a${n}@k.dk` });
    let n = 0;
    for await (const _ of client.iterateAll()) if (++n === 3) break;
    expect(n).toBe(3);
    // The client is still usable afterwards.
    expect((await client.searchAll(() => {})).count).toBe(10);
  });
});

describe('MitID Erhverv client ↔ simulator: rights and organisation', () => {
  it('lists the catalogue, assigns and removes rights (DELETE with a body)', async () => {
    const { uuid } = await client.createIdentity(person(80));
    const catalogue = await client.listRoleCatalogue();
    expect(catalogue.length).toBeGreaterThan(1);
    expect(catalogue.some((r) => r.isBasicPackage)).toBe(true);
    const roles = catalogue.map((r) => r.uuid);
    const [pu] = await client.listProductionUnits();
    expect(pu).toMatchObject({ pNumber: expect.stringMatching(/^\d+$/), cvrNumber: expect.any(String), name: expect.any(String) });
    await client.assignRights(uuid, { type: 'Cvr', value: '29189846' }, roles.slice(0, 2));
    await client.assignRights(uuid, { type: 'PU', value: pu!.pNumber }, roles.slice(2));
    await client.assignRights(uuid, { type: 'Cvr', value: '29189846' }, roles.slice(0, 1)); // set semantics
    let rights = await client.listRights(uuid);
    expect(rights).toHaveLength(3);
    expect(rights.find((r) => r.scope?.type === 'PU')).toMatchObject({ roleUuid: roles[2], scope: { type: 'PU', value: pu!.pNumber } });
    await client.removeRights(uuid, { type: 'Cvr', value: '29189846' }, roles.slice(0, 1));
    rights = await client.listRights(uuid);
    expect(rights.map((r) => r.roleUuid).sort()).toEqual([roles[1], roles[2]].sort());
  });

  it('turns the rights endpoints’ 500 for an unknown uuid into not-found', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    const r = await raw('GET', `/api/administration/rights/identity/${unknown}/roles`, undefined, await rawToken());
    expect(r.status).toBe(500);
    expect(r.text).toContain('See log for exception details');
    const e = await expectConsoleError(client.listRights(unknown));
    expect(e.code).toBe('not-found');
    const e2 = await expectConsoleError(client.assignRights(unknown, { type: 'Cvr', value: '1' }, ['6d0b4b6e-6f6a-4c55-9d1e-2f1a7c1b0001']));
    expect(e2.code).toBe('not-found');
  });

  it('lists SE numbers and production units', async () => {
    expect(await client.listSeNumbers()).toEqual(['29189846']);
    const pus = await client.listProductionUnits();
    expect(pus.map((p) => p.pNumber)).toEqual(sim.state.productionUnits.map((p) => p.pNumber));
  });
});

describe('simulator quirks seen by a raw client', () => {
  it('binds property names case-insensitively and answers camelCase', async () => {
    const token = await rawToken();
    const r = await raw(
      'POST',
      '/api/administration/identity/employee',
      {
        IdentityProfile: { EMAILADDRESS: 'kasus@kommune.dk', givenname: 'Kasus', SurName: 'Test', cprNumber: fakeCpr(90), registeredIAL: 'Substantial' },
        identityAuthenticators: { AuthenticatorTypes: ['LocalIdentityProvider'], subjectNameID: 'kasus' },
      },
      token,
    );
    expect(r.status).toBe(200);
    const { employeeUuid } = JSON.parse(r.text) as { employeeUuid: string };
    expect(sim.state.get(employeeUuid)).toMatchObject({ emailAddress: 'kasus@kommune.dk', givenName: 'Kasus', surname: 'Test' });
    const got = await raw('GET', `/api/administration/identity/employee/${employeeUuid}`, undefined, token);
    expect(Object.keys(JSON.parse(got.text) as object)).toEqual(['uuid', 'identityProfile', 'identityPermissions']);
  });

  it('requires emailAddress on create, a token on every call, and PUT (not the old POST) for allowsigning', async () => {
    const token = await rawToken();
    expect((await raw('POST', '/api/administration/identity/employee', { identityProfile: { givenName: 'X' }, identityAuthenticators: {} }, token)).status).toBe(400);
    expect((await raw('GET', '/api/administration/organization/senumber')).status).toBe(401);
    const { uuid } = await client.createIdentity(person(91));
    expect((await raw('POST', `/api/administration/identity/employee/${uuid}/allowsigning`, { allowSigning: true }, token)).status).toBe(405);
    const old = clientFor(sim, { compat: { allowSigningMethod: 'POST' } });
    try {
      const e = await expectConsoleError(old.setAllowSigning(uuid, true));
      expect(e.message).toMatch(/MitID Erhverv svarede uventet \(405/);
    } finally {
      await old.close();
    }
  });
});

describe('seeding from the training directory', () => {
  it('creates identities per the link rule, with the four drift cases', async () => {
    const people = Array.from({ length: 12 }, (_, n) => ({
      username: `bruger${n}`,
      givenName: `Fornavn${n}`,
      surname: `Efternavn${n}`,
      email: `bruger${n}@kommune.dk`,
      cpr: fakeCpr(200 + n),
    }));
    const rule = { kind: 'samaccountname-suffix' as const, suffix: 'kommune.dk' };
    const report = seedMitIdSimulator(sim.state, { people, linkRule: rule });
    expect(report.identities).toBe(13);
    expect(sim.createCount).toBe(0);
    const { suspendedWhileActive, withoutLocalCredential, staleSubjectNameId, onlyInMitId } = report.drift;
    expect([suspendedWhileActive.length, withoutLocalCredential.length, staleSubjectNameId.length, onlyInMitId.length]).toEqual([1, 1, 1, 1]);

    // Seen through the client: the drift is visible as the reconciliation would see it.
    const byUuid = new Map<string, string>();
    await client.searchAll((i) => void byUuid.set(i.uuid, i.status));
    expect(byUuid.size).toBe(13);
    expect(byUuid.get(report.byUsername.get(suspendedWhileActive[0]!)!)).toBe('Suspended');
    expect(await client.listAuthenticators(report.byUsername.get(withoutLocalCredential[0]!)!)).toEqual([]);
    const stale = people.find((p) => p.username === staleSubjectNameId[0])!;
    const staleAuths = await client.listAuthenticators(report.byUsername.get(stale.username)!);
    expect(staleAuths[0]?.id).not.toBe(subjectNameIdFor({ sAMAccountName: stale.username }, rule));
    const normal = people[0]!;
    expect(await client.findBySubjectNameId(subjectNameIdFor({ sAMAccountName: normal.username }, rule)!)).toMatchObject({ uuid: report.byUsername.get(normal.username) });
    expect(people.some((p) => report.byUsername.get(p.username) === onlyInMitId[0])).toBe(false);
    // Stable ids: the training municipality looks the same on every start.
    const again = seedMitIdSimulator(sim.state, { people, linkRule: rule });
    expect(again.byUsername.get('bruger0')).toBe(report.byUsername.get('bruger0'));
  });
});
