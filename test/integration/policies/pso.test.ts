// Mirroring the IdP policy into an AD fine-grained password policy, proven against the Samba AD DC:
// after a 15-character policy is written (under an administrator operator's own bind), AD itself
// refuses a 12-character password reset for a member of the mapped group.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from 'ldapts';
import { defaultPolicySettings } from '../../../shared/idp/password-policy.ts';
import { createAdDirectory, type AdDirectorySession } from '../../../src-main/connectors/ad/ad-directory.ts';
import { connectWithFailover } from '../../../src-main/connectors/ad/connection.ts';
import { encodeUnicodePwd } from '../../../src-main/connectors/ad/decode.ts';
import { deletePso, psoContainer, psoNameFor, psoSettingsFromPolicy, readPso, weakerInAd, writePso } from '../../../src-main/connectors/ad/pso.ts';
import { ConsoleError } from '../../../shared/errors.ts';
import { sambaContext, testProfile, type SambaContext } from '../../support/samba/context.ts';

let ctx: SambaContext;
let fixtures: Client;
let operator: Client;
let useradmin: AdDirectorySession;
let groupDn: string;
let userDn: string;
const psoDn = () => `CN=${psoNameFor('kommune.test')},${psoContainer(ctx.baseDn)}`;

async function quietly(p: Promise<unknown> | undefined): Promise<void> {
  await p?.catch(() => {});
}

beforeAll(async () => {
  ctx = sambaContext();
  const profile = testProfile(ctx);
  groupDn = `CN=LIA-PSO-Spejl,${ctx.facts.ou.grupper}`;
  userDn = `CN=Pia Psospejl,${ctx.facts.ou.borgerservice}`;
  // Test fixtures (a group and a member) are made with the domain administrator; the PSO itself is
  // written by the console's administrator operator, through AD's delegation.
  fixtures = (await connectWithFailover(profile, { name: ctx.admin.username, password: ctx.admin.password })).client;
  await quietly(fixtures.del(psoDn()));
  await quietly(fixtures.del(userDn));
  await quietly(fixtures.del(groupDn));
  await fixtures.add(groupDn, { objectClass: 'group', sAMAccountName: 'LIA-PSO-Spejl', groupType: '-2147483646' });
  await fixtures.add(userDn, {
    objectClass: 'user',
    sAMAccountName: 'pso.spejl',
    userPrincipalName: `pso.spejl@${ctx.facts.dnsDomain}`,
    givenName: 'Pia',
    sn: 'Psospejl',
    displayName: 'Pia Psospejl',
    userAccountControl: '512',
    unicodePwd: encodeUnicodePwd(ctx.facts.password) as unknown as string,
  });
  const { Attribute, Change } = await import('ldapts');
  await fixtures.modify(groupDn, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [userDn] }) }));
  operator = (await connectWithFailover(profile, { name: `${ctx.facts.operators.administrator}@${ctx.upnSuffix}`, password: ctx.facts.password })).client;
  useradmin = await createAdDirectory(profile).signIn(ctx.facts.operators.useradmin, ctx.facts.password);
});

afterAll(async () => {
  await quietly(useradmin?.close());
  await quietly(operator?.unbind());
  if (fixtures) {
    await quietly(fixtures.del(psoDn()));
    await quietly(fixtures.del(userDn));
    await quietly(fixtures.del(groupDn));
    await quietly(fixtures.unbind());
  }
});

const idOfUser = async () => {
  const { items } = await useradmin.searchPeople({ text: 'pso.spejl', limit: 5 });
  const hit = items.find((p) => p.username === 'pso.spejl');
  if (!hit) throw new Error('pso.spejl not found');
  return hit.id;
};

it('after saving a 15-character policy, AD itself refuses a 12-character reset; raising history shows in the PSO', async () => {
  const id = await idOfUser();
  // Under the domain policy alone (7 characters) a 12-character password is fine.
  await useradmin.resetPassword(id, 'Kort-Kode-12', false);
  expect((await useradmin.getResultantPasswordPolicy(id)).source).toBe('domain');

  const settings = { ...defaultPolicySettings(true), requireComplexPassword: true, passwordHistoryEnabled: true, passwordHistoryCount: 8 };
  const first = await writePso(operator, ctx.baseDn, { name: psoNameFor('kommune.test'), precedence: 5, settings: psoSettingsFromPolicy(settings), appliesTo: [groupDn] });
  expect(first).toEqual({ dn: psoDn(), created: true });

  const resultant = await useradmin.getResultantPasswordPolicy(id);
  expect(resultant).toMatchObject({ source: 'pso', name: psoNameFor('kommune.test'), minLength: 15, historyLength: 8, complexity: true, lockoutThreshold: 5, lockoutDurationMinutes: 5 });
  expect(weakerInAd(resultant, settings)).toEqual([]);
  expect(weakerInAd(resultant, { ...settings, minLength: 18 })).toEqual(['AD kræver kun 15 tegn (IdP: 18).']);

  const refused = await useradmin.resetPassword(id, 'Helt-Ny-2026', false).then(() => null, (e: unknown) => e);
  expect(refused).toBeInstanceOf(ConsoleError);
  expect((refused as ConsoleError).code).toBe('refused');
  expect((refused as ConsoleError).message).toMatch(/mindst 15 tegn/);
  await useradmin.resetPassword(id, 'Helt-Nyt-Kodeord-2026!', false);

  // Saving again replaces the settings in place: history raised to 20 is what AD now holds.
  const second = await writePso(operator, ctx.baseDn, { name: psoNameFor('kommune.test'), precedence: 5, settings: psoSettingsFromPolicy({ ...settings, passwordHistoryCount: 20 }), appliesTo: [groupDn] });
  expect(second.created).toBe(false);
  const pso = await readPso(operator, psoDn());
  expect(pso).toMatchObject({ historyLength: 20, minLength: 15, maxAgeDays: null, appliesTo: [groupDn] });
  await deletePso(operator, psoDn());
  expect(await readPso(operator, psoDn())).toBeNull();
});

it('an operator without AD rights on the Password Settings Container is refused by AD, in Danish', async () => {
  const helpdesk = (await connectWithFailover(testProfile(ctx), { name: `${ctx.facts.operators.helpdesk}@${ctx.upnSuffix}`, password: ctx.facts.password })).client;
  try {
    const e = await writePso(helpdesk, ctx.baseDn, { name: 'LIA-uautoriseret', precedence: 5, settings: psoSettingsFromPolicy(defaultPolicySettings(true)), appliesTo: [groupDn] }).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ConsoleError);
    expect((e as ConsoleError).code).toBe('forbidden');
    expect((e as ConsoleError).message).toContain('skrive adgangskodepolitikken');
  } finally {
    await quietly(helpdesk.unbind());
  }
});
