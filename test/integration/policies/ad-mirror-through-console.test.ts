// The whole path an administrator takes, through the console's own dispatcher in live mode: sign in to
// the real Samba AD DC, save a 15-character NSIS policy on the IdP (simulator), and the console writes it
// to AD as a PSO for the mapped group — after which AD itself refuses a 12-character password.
import { Attribute, Change, type Client } from 'ldapts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectWithFailover } from '../../../src-main/connectors/ad/connection.ts';
import { encodeUnicodePwd } from '../../../src-main/connectors/ad/decode.ts';
import { psoContainer, psoNameFor } from '../../../src-main/connectors/ad/pso.ts';
import { liveCoreWithIdp, type LiveCore } from '../../support/live-core.ts';
import { sambaContext, testProfile, type SambaContext } from '../../support/samba/context.ts';

const DOMAIN = 'kommune.test';
let ctx: SambaContext;
let live: LiveCore;
let fixtures: Client;
let groupDn: string;
let userDn: string;
const quietly = async (p: Promise<unknown> | undefined) => {
  await p?.catch(() => {});
};

beforeAll(async () => {
  ctx = sambaContext();
  const profile = testProfile(ctx);
  groupDn = `CN=LIA-Konsol-Spejl,${ctx.facts.ou.grupper}`;
  userDn = `CN=Kaj Konsolspejl,${ctx.facts.ou.borgerservice}`;
  fixtures = (await connectWithFailover(profile, { name: ctx.admin.username, password: ctx.admin.password })).client;
  await quietly(fixtures.del(`CN=${psoNameFor(DOMAIN)},${psoContainer(ctx.baseDn)}`));
  await quietly(fixtures.del(userDn));
  await quietly(fixtures.del(groupDn));
  await fixtures.add(groupDn, { objectClass: 'group', sAMAccountName: 'LIA-Konsol-Spejl', groupType: '-2147483646' });
  await fixtures.add(userDn, {
    objectClass: 'user', sAMAccountName: 'kaj.spejl', givenName: 'Kaj', sn: 'Konsolspejl', displayName: 'Kaj Konsolspejl',
    userAccountControl: '512', unicodePwd: encodeUnicodePwd(ctx.facts.password) as unknown as string,
  });
  await fixtures.modify(groupDn, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [userDn] }) }));

  live = await liveCoreWithIdp(ctx, [{ username: 'kaj.spejl', domain: DOMAIN, displayName: 'Kaj Konsolspejl' }]);
});

afterAll(async () => {
  await quietly(live?.dispose());
  if (fixtures) {
    await quietly(fixtures.del(`CN=${psoNameFor(DOMAIN)},${psoContainer(ctx.baseDn)}`));
    await quietly(fixtures.del(userDn));
    await quietly(fixtures.del(groupDn));
    await quietly(fixtures.unbind());
  }
});

const call = (op: string, input: unknown) => live.call(op, input);

it('saving a 15-character policy writes it to AD, and AD then refuses a 12-character password', async () => {
  await call('session.login', { username: ctx.facts.operators.administrator, password: ctx.facts.password });
  const { config } = (await call('policy.getConfig', {})) as { config: Record<string, unknown> };
  await call('policy.updateConfig', { config: { ...config, domainGroups: { [DOMAIN]: [groupDn] } }, reason: 'Knyt domænet til AD-gruppen' });

  const { policy } = (await call('policy.get', { domain: DOMAIN })) as { policy: { version: number; settings: Record<string, unknown> } };
  const saved = await call('policy.update', {
    domain: DOMAIN,
    basedOnVersion: policy.version,
    settings: { ...policy.settings, nsis: true, minLength: 15, triesBeforeLock: 5, lockedMinutes: 5, passwordHistoryEnabled: true, passwordHistoryCount: 12 },
    reason: 'NSIS Full Service: minimum 15 tegn',
  });
  expect(saved.adMirror).toMatchObject({ state: 'mirrored', detail: { code: expect.stringMatching(/^mirrored(New|Updated)$/), groups: expect.any(Number) } });

  const status = (await call('policy.adStatus', { domain: DOMAIN })) as { pso: Record<string, unknown>; weaker: string[] };
  expect(status.pso).toMatchObject({ minLength: 15, historyLength: 12 });
  expect(status.weaker).toEqual([]);

  // AD itself, not the console, refuses the short password for a member of the mapped group.
  const refused = await fixtures
    .modify(userDn, new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd('Kort-Kode-12')] }) }))
    .then(() => null, (e: unknown) => e);
  expect(String(refused)).toMatch(/too short|0000052D/i);

  // The journal holds the save with the old and new values.
  const rows = live.core.journal.list().filter((r) => r.operation === 'policy.update');
  expect(rows.map((r) => r.kind)).toEqual(['intent', 'event', 'outcome']);
});
