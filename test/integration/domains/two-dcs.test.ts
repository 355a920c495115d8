// Two real AD domains at once (#19): the municipality's DC on 127.0.0.1 and the schools' on 127.0.0.2,
// each its own forest. Binds to both prove they are different domains (naming context, domain SID,
// accounts), that the same username names two different accounts, that neither accepts the other's
// password, and that the console's per-domain test and sign-in reach each domain on its own DCs.
import { Client } from 'ldapts';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAdDirectory } from '../../../src-main/connectors/ad/ad-directory.ts';
import { testAdDomain } from '../../../src-main/connectors/ad/domain-test.ts';
import { sambaContext, schoolSambaContext, testProfile } from '../../support/samba/context.ts';

const kommune = sambaContext();
const skole = schoolSambaContext();

async function withBind<T>(ctx: { url: string; caFile: string }, name: string, password: string, f: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ url: ctx.url, tlsOptions: { ca: readFileSync(ctx.caFile, 'utf8') }, timeout: 10_000, connectTimeout: 10_000 });
  try {
    await c.bind(name, password);
    return await f(c);
  } finally {
    await c.unbind().catch(() => {});
  }
}

const sidText = (b: Buffer) => {
  const sub = Array.from({ length: b[1]! }, (_, i) => b.readUInt32LE(8 + 4 * i));
  return `S-${b[0]}-${b.readUIntBE(2, 6)}-${sub.join('-')}`;
};

async function domainFacts(ctx: { url: string; caFile: string; baseDn: string }, name: string, password: string) {
  return withBind(ctx, name, password, async (c) => {
    const root = (await c.search('', { scope: 'base', attributes: ['defaultNamingContext', 'dnsHostName'] })).searchEntries[0]!;
    const dom = (await c.search(ctx.baseDn, { scope: 'base', attributes: ['objectSid'], explicitBufferAttributes: ['objectSid'] })).searchEntries[0]!;
    return { naming: String(root.defaultNamingContext), host: String(root.dnsHostName), sid: sidText(dom.objectSid as Buffer) };
  });
}

describe('two Samba AD DCs side by side', () => {
  it('run on different loopback addresses, each its own domain with its own SID', async () => {
    expect(new URL(kommune.url).hostname).toBe('127.0.0.1');
    expect(new URL(skole.url).hostname).toBe('127.0.0.2');
    const a = await domainFacts(kommune, kommune.admin.username, kommune.admin.password);
    const b = await domainFacts(skole, skole.admin.username, skole.admin.password);
    expect(a.naming.toLowerCase()).toBe('dc=kommune,dc=test');
    expect(b.naming.toLowerCase()).toBe('dc=skole,dc=test');
    expect(a.host.toLowerCase()).toContain('kommune.test');
    expect(b.host.toLowerCase()).toContain('skole.test');
    expect(a.sid).toMatch(/^S-1-5-21-\d+-\d+-\d+$/);
    expect(b.sid).toMatch(/^S-1-5-21-\d+-\d+-\d+$/);
    expect(a.sid).not.toBe(b.sid);
  });

  it('the same username is two accounts, and neither domain takes the other\'s password or base DN', async () => {
    const username = skole.facts.operators.helpdesk;
    expect(username).toBe(kommune.facts.operators.helpdesk);
    const read = (ctx: typeof kommune | typeof skole, password: string) =>
      withBind(ctx, `${username}@${ctx.upnSuffix}`, password, async (c) => {
        const e = (await c.search(ctx.baseDn, { filter: `(sAMAccountName=${username})`, attributes: ['objectSid', 'userPrincipalName'], explicitBufferAttributes: ['objectSid'] })).searchEntries;
        expect(e).toHaveLength(1);
        return { sid: sidText(e[0]!.objectSid as Buffer), upn: String(e[0]!.userPrincipalName) };
      });
    const inKommune = await read(kommune, kommune.facts.password);
    const inSkole = await read(skole, skole.facts.password);
    expect(inKommune.upn).toBe(`${username}@kommune.test`);
    expect(inSkole.upn).toBe(`${username}@skole.test`);
    expect(inKommune.sid).not.toBe(inSkole.sid);
    // The municipality's password does not open the school account of the same name, nor the reverse.
    await expect(withBind(skole, `${username}@skole.test`, kommune.facts.password, async () => 'bundet')).rejects.toThrow(/data 52e/);
    await expect(withBind(kommune, `${username}@kommune.test`, skole.facts.password, async () => 'bundet')).rejects.toThrow(/data 52e/);
    // The school DC does not hold the municipality's tree.
    await expect(withBind(skole, skole.admin.username, skole.admin.password, (c) => c.search(kommune.baseDn, { scope: 'base' }))).rejects.toThrow();
  });

  it('"Test forbindelse" per domain: each domain on its own DCs; a DC of the other domain is named as such', async () => {
    expect(await testAdDomain(testProfile(kommune))).toMatchObject({ ok: true, code: 'allDcs', params: { domain: 'kommune.test', count: 1 } });
    expect(await testAdDomain(testProfile(skole))).toMatchObject({ ok: true, code: 'allDcs', params: { domain: 'skole.test', count: 1 } });
    // The schools' domain with the municipality's DC in its failover list (its CA trusted too).
    const mixed = await testAdDomain(testProfile(skole, { urls: [skole.url, kommune.url], caFile: skole.caFile }));
    expect(mixed.dcs!.map((d) => d.code)).toEqual(['ok', 'tlsUntrusted']);
  });

  it('the console signs in to each domain with that domain\'s account and sees that domain\'s groups', async () => {
    const school = await createAdDirectory(testProfile(skole)).signIn(skole.facts.operators.administrator, skole.facts.password);
    expect(school.identity.dn.toLowerCase()).toContain('dc=skole,dc=test');
    expect(school.identity.groups.map((g) => g.name)).toContain(skole.facts.roleGroups.administrator);
    const own = await createAdDirectory(testProfile(kommune)).signIn(kommune.facts.operators.helpdesk, kommune.facts.password);
    expect(own.identity.dn.toLowerCase()).toContain('dc=kommune,dc=test');
    // The same name, the school's password, against the municipality's DCs: refused.
    await expect(createAdDirectory(testProfile(kommune)).signIn(skole.facts.operators.helpdesk, skole.facts.password)).rejects.toMatchObject({ code: 'unauthenticated' });
    await school.close();
    await own.close();
  });
});
