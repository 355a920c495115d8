// The readiness check's AD items against a real Samba AD DC, through the console's own dispatcher in live
// mode: the domain's default policy and the PSOs are read as AD has them. A municipality's own old PSO that
// wins over the console's (lower precedence number) and is weaker keeps the item red until it is gone.
import type { Client } from 'ldapts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReadinessReport } from '../../../shared/operations/fullservice.ts';
import { connectWithFailover } from '../../../src-main/connectors/ad/connection.ts';
import { psoContainer, psoNameFor, writePso } from '../../../src-main/connectors/ad/pso.ts';
import { liveCoreWithIdp, type LiveCore } from '../../support/live-core.ts';
import { sambaContext, testProfile, type SambaContext } from '../../support/samba/context.ts';

const DOMAIN = 'kommune.test';
const OLD = 'Gammel-kommunepolitik';
let ctx: SambaContext;
let live: LiveCore;
let fixtures: Client;
let groupDn: string;
const quietly = async (p: Promise<unknown> | undefined) => {
  await p?.catch(() => {});
};
const psoDn = (name: string) => `CN=${name},${psoContainer(ctx.baseDn)}`;

beforeAll(async () => {
  ctx = sambaContext();
  const profile = testProfile(ctx);
  groupDn = `CN=LIA-Klar-Full-Service,${ctx.facts.ou.grupper}`;
  fixtures = (await connectWithFailover(profile, { name: ctx.admin.username, password: ctx.admin.password })).client;
  for (const dn of [psoDn(psoNameFor(DOMAIN)), psoDn(OLD), groupDn]) await quietly(fixtures.del(dn));
  await fixtures.add(groupDn, { objectClass: 'group', sAMAccountName: 'LIA-Klar-Full-Service', groupType: '-2147483646' });
  // The municipality's own PSO from before: 8 characters, no lockout, and it wins (precedence 1).
  await writePso(fixtures, ctx.baseDn, {
    name: OLD, precedence: 1, appliesTo: [groupDn],
    settings: { minLength: 8, historyLength: 3, complexity: true, maxAgeDays: null, minAgeDays: 0, lockoutThreshold: 0, lockoutDurationMinutes: 30, lockoutWindowMinutes: 30 },
  });

  live = await liveCoreWithIdp(ctx, [{ username: 'kaj.klar', domain: DOMAIN, displayName: 'Kaj Klar' }]);
});

afterAll(async () => {
  await quietly(live?.dispose());
  if (fixtures) {
    for (const dn of [psoDn(psoNameFor(DOMAIN)), psoDn(OLD), groupDn]) await quietly(fixtures.del(dn));
    await quietly(fixtures.unbind());
  }
});

const call = (op: string, input: unknown) => live.call(op, input);
const adItem = async () => {
  const report = (await call('readiness.check', {})) as unknown as ReadinessReport;
  return report.items.find((i) => i.kind === 'ad-policy' && i.domain === DOMAIN)!;
};

it('reads the real domain policy and PSOs, and stays red while a weaker PSO wins over the mirrored one', { timeout: 120_000 }, async () => {
  await call('session.login', { username: ctx.facts.operators.administrator, password: ctx.facts.password });
  // What Samba itself says about the domain's default policy.
  const dom = (await fixtures.search(ctx.baseDn, { scope: 'base', attributes: ['minPwdLength', 'lockoutThreshold'] })).searchEntries[0]!;

  // Without a group mapped, the domain's default policy governs the domain's people.
  let item = await adItem();
  expect(item.details[0]).toContain(`mindst ${String(dom['minPwdLength'])} tegn`);
  expect(item.params).toMatchObject({ source: 'domain' });
  expect(item.status).toBe(Number(dom['minPwdLength']) >= 15 ? 'ok' : 'fail');

  const { config } = (await call('policy.getConfig', {})) as { config: Record<string, unknown> };
  await call('policy.updateConfig', { config: { ...config, domainGroups: { [DOMAIN]: [groupDn] } }, reason: 'Knyt domænet til AD-gruppen' });

  // Mapped, but the console's PSO is not in AD yet.
  item = await adItem();
  expect(item).toMatchObject({ status: 'fail', fix: { kind: 'mirror-ad', domain: DOMAIN } });
  expect(item.details.join(' ')).toContain('ikke skrevet til AD');

  // Mirrored: the console's PSO is right, but the old one (precedence 1) wins and is weaker.
  expect(await call('policy.mirrorToAd', { domain: DOMAIN, reason: 'Full Service: AD skal svare til IdP' })).toMatchObject({ state: 'mirrored' });
  item = await adItem();
  expect(item.status).toBe('fail');
  expect(item.details.join(' ')).toContain(`PSO'en ${OLD} (forrang 1) gælder for de samme grupper og går forud, men er svagere`);
  expect(item.details.join(' ')).toContain(`PSO ${psoNameFor(DOMAIN)} (forrang 5): mindst 15 tegn`);

  // AD's administrators remove the old PSO; now AD matches the IdP.
  await fixtures.del(psoDn(OLD));
  item = await adItem();
  expect(item.status).toBe('ok');
});
