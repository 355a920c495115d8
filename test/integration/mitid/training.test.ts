// The training environment's MitID Erhverv: seeded from the training directory's people, reached by the
// real client over mTLS, optionally kept in a state file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTrainingAccounts } from '../../../src-main/training/seed.ts';
import { fictitiousCpr, startTrainingMitIdErhverv } from '../../../src-main/training/mitid-sim/index.ts';
import { subjectNameIdFor } from '../../../shared/mitid/link-rule.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const accounts = generateTrainingAccounts(20261123, 300);
const people = accounts.map((a) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email }));
const linkRule = { kind: 'samaccountname-suffix' as const, suffix: 'fjordby.dk' };
// Pupils and departed staff have no MitID Erhverv identity in the training municipality.
const include = (_p: unknown, i: number) => {
  const a = accounts[i];
  return !!a && !a.ouPath.includes('Elever') && !a.ouPath.includes('Fratrådte');
};

describe('training MitID Erhverv', () => {
  it('shows the training people as identities, with the drift cases, over the real client', async () => {
    const t = await startTrainingMitIdErhverv({ people, linkRule, include });
    try {
      expect(t.client.kind).toBe('training');
      const expected = accounts.filter((a, i) => a.email && include(a, i));
      expect(expected.length).toBeGreaterThan(20);
      expect(t.seed?.identities).toBe(expected.length + 1); // + the one that exists only in MitID Erhverv
      const seen = new Map<string, string>();
      await t.client.searchAll((i) => void seen.set(i.uuid, i.status));
      expect(seen.size).toBe(t.seed?.identities);
      const someone = expected[0]!;
      const found = await t.client.findBySubjectNameId(subjectNameIdFor({ sAMAccountName: someone.username }, linkRule)!, { emailAddress: someone.email });
      expect(found).toMatchObject({ givenName: someone.givenName, surname: someone.surname, cprNumber: fictitiousCpr(someone.username) });
      const suspended = t.seed!.drift.suspendedWhileActive[0]!;
      expect(seen.get(t.seed!.byUsername.get(suspended)!)).toBe('Suspended');
      // CPR numbers are unique, as MitID Erhverv demands.
      const cprs = t.simulator.state.all().map((i) => i.cprNumber);
      expect(new Set(cprs).size).toBe(cprs.length);
    } finally {
      await t.stop();
    }
  });

  it('keeps changes in a state file across restarts and does not reseed over them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mitid-sim-'));
    dirs.push(dir);
    const statePath = join(dir, 'mitid.json');
    const first = await startTrainingMitIdErhverv({ people: people.slice(0, 20), linkRule, statePath });
    const { uuid } = await first.client.createIdentity({ givenName: 'Ny', surname: 'Medarbejder', emailAddress: 'ny@fjordby.dk', cprNumber: fictitiousCpr('ny'), subjectNameId: 'ny@fjordby.dk' });
    const count = first.simulator.state.identities.size;
    await first.stop();
    const second = await startTrainingMitIdErhverv({ people: people.slice(0, 20), linkRule, statePath });
    try {
      expect(second.seed).toBeNull();
      expect(second.simulator.state.identities.size).toBe(count);
      expect(second.simulator.createCount).toBe(1);
      expect((await second.client.getIdentity(uuid)).givenName).toBe('Ny');
    } finally {
      await second.stop();
    }
  });
});
