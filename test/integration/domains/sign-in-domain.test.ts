// Sign-in with two domains configured (the municipality's first, the schools' second), against the two
// real DCs. The typed name's UPN suffix picks the domain and the bind goes to that domain's DC only: a
// school password, right or wrong, never lands as a bad password on the municipality's account of the
// same name, and a listener standing in for the municipality's DC sees no connection at all. Roles come
// from the mapping of the domain signed in to: the school's role groups have the same names as the
// municipality's, and only the school domain's own mapping makes them grant anything.
import { Client } from 'ldapts';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoleMapping } from '../../../shared/domain/settings.ts';
import type { Operator } from '../../../shared/roles.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { memorySlot } from '../../../src-main/dispatch/session.ts';
import { twoDomainCores } from '../../support/samba/two-domains.ts';

const domains = twoDomainCores();
const { kommune, skole } = domains;
/** The same sAMAccountName in both domains: two accounts, two passwords. */
const username = kommune.facts.operators.helpdesk;

async function badPwdCount(ctx: typeof kommune | typeof skole, account: string): Promise<number> {
  const c = new Client({ url: ctx.url, tlsOptions: { ca: readFileSync(ctx.caFile, 'utf8') }, timeout: 10_000 });
  try {
    await c.bind(ctx.admin.username, ctx.admin.password);
    const r = await c.search(ctx.baseDn, { filter: `(sAMAccountName=${account})`, attributes: ['badPwdCount'] });
    expect(r.searchEntries).toHaveLength(1);
    return Number(r.searchEntries[0]?.badPwdCount ?? 0);
  } finally {
    await c.unbind().catch(() => {});
  }
}

/** A live core over both DCs; `school` is the school domain's own role mapping (absent: none). */
const coreWith = (school: RoleMapping | undefined, kommuneUrls = [kommune.url]): Promise<Core> => domains.core({ school, kommuneUrls });

const kommuneDomain = { id: 'kommune', name: 'Kommunen', baseDn: kommune.baseDn, primary: true, nested: [] };
const skoleDomain = { id: 'skole', name: 'Skolerne', baseDn: skole.baseDn, primary: false, nested: [] };

async function login(core: Core, name: string, password: string) {
  const slot = memorySlot();
  const r = await core.dispatch('session.login', { username: name, password }, { slot, workstation: 'test' });
  return { r, slot, operator: r.ok ? (r.data as { operator: Operator }).operator : null };
}

let core: Core;
beforeAll(async () => {
  // The school domain's mapping names only its helpdesk group.
  core = await coreWith(RoleMapping.parse({ helpdesk: [skole.facts.roleGroups.helpdesk] }));
});
afterAll(() => domains.dispose());

describe('sign-in to the domain the name names', () => {
  it('the school helpdesk signs in with name@skole.test: helpdesk from the school\'s mapping, in the school domain', async () => {
    const before = await badPwdCount(kommune, username);
    const { r, slot, operator } = await login(core, `${username}@skole.test`, skole.facts.password);
    expect(r.ok, JSON.stringify(!r.ok && r.error)).toBe(true);
    expect(operator).toMatchObject({ username: `${username}@skole`, roles: ['helpdesk'], helpdeskOus: null, domain: skoleDomain, dn: expect.stringMatching(/,DC=skole,DC=test$/i) });
    // The session's bind is in the school domain: it carries the domain, and its reads are the school's people.
    const session = slot.get()!;
    expect(session.directory.domain).toEqual(skoleDomain);
    const people = await session.directory.searchPeople({ text: '', limit: 100 });
    expect(people.items.map((p) => p.username)).toEqual(expect.arrayContaining(skole.facts.pupils));
    expect(people.items.every((p) => /,DC=skole,DC=test$/i.test(p.dn ?? ''))).toBe(true);
    // Nothing reached the municipality's DC under that name.
    expect(await badPwdCount(kommune, username)).toBe(before);
    await core.dispatch('session.logout', {}, { slot, workstation: 'test' });
  });

  it('a wrong school password is tried in the school domain only: no bad password on the municipality\'s account of that name', async () => {
    const before = await badPwdCount(kommune, username);
    const { r } = await login(core, `${username}@skole.test`, kommune.facts.password);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'unauthenticated', key: 'adBindWrong' });
    expect(await badPwdCount(kommune, username)).toBe(before);
    // The count can move: the same wrong password under the bare name goes to the municipality and counts
    // there (a right sign-in then clears it, so no run leaves it behind).
    expect((await login(core, username, skole.facts.password)).r.ok).toBe(false);
    expect(await badPwdCount(kommune, username)).toBe(before + 1);
    const ok = await login(core, username, kommune.facts.password);
    expect(ok.r.ok).toBe(true);
    await core.dispatch('session.logout', {}, { slot: ok.slot, workstation: 'test' });
    expect(await badPwdCount(kommune, username)).toBe(0);
  });

  it('a school sign-in opens no connection at all to the first domain\'s DCs', async () => {
    // The first domain's "DC" is a listener that only counts connections.
    let connections = 0;
    const listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((done) => listener.listen(0, '127.0.0.1', done));
    try {
      const port = (listener.address() as AddressInfo).port;
      const probe = await coreWith(RoleMapping.parse({ helpdesk: [skole.facts.roleGroups.helpdesk] }), [`ldaps://127.0.0.1:${port}`]);
      const { r, slot } = await login(probe, `${username}@skole.test`, skole.facts.password);
      expect(r.ok, JSON.stringify(!r.ok && r.error)).toBe(true);
      await probe.dispatch('session.logout', {}, { slot, workstation: 'test' });
      expect(connections).toBe(0);
      // The listener does count: a bare name goes to the first domain, which it then stands in for.
      expect((await login(probe, username, kommune.facts.password)).r.ok).toBe(false);
      expect(connections).toBeGreaterThan(0);
    } finally {
      listener.close();
    }
  });

  it('the municipality\'s account of the same name gets the municipality\'s roles and domain, with or without its suffix', async () => {
    for (const name of [username, `${username}@kommune.test`]) {
      const { r, slot, operator } = await login(core, name, kommune.facts.password);
      expect(r.ok, name).toBe(true);
      expect(operator, name).toMatchObject({ roles: ['helpdesk'], domain: kommuneDomain, dn: expect.stringMatching(/,DC=kommune,DC=test$/i) });
      expect(slot.get()!.directory.domain).toEqual(kommuneDomain);
      await core.dispatch('session.logout', {}, { slot, workstation: 'test' });
    }
  });

  it('a school account in the school\'s LIA-Administratorer gets nothing: only the municipality\'s mapping names that group', async () => {
    const { r, slot } = await login(core, `${skole.facts.operators.administrator}@skole.test`, skole.facts.password);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'forbidden', key: 'noRoleGroupInDomain', params: { domain: 'Skolerne' } });
    expect(!r.ok && r.error.message).toContain('Din konto i domænet Skolerne er ikke medlem');
    expect(slot.get()).toBeNull();
  });
});

describe('a school domain with no role mapping of its own', () => {
  it('grants no role, though the global mapping names groups of the same names: noRoleGroupInDomain', async () => {
    const bare = await coreWith(undefined);
    for (const name of [`${username}@skole.test`, `${skole.facts.operators.administrator}@skole.test`]) {
      const { r, slot } = await login(bare, name, skole.facts.password);
      expect(r.ok, name).toBe(false);
      expect(!r.ok && r.error, name).toMatchObject({ code: 'forbidden', key: 'noRoleGroupInDomain', params: { domain: 'Skolerne' } });
      expect(slot.get()).toBeNull();
    }
    // The first domain still uses the global mapping.
    const { r, slot } = await login(bare, `${kommune.facts.operators.administrator}@kommune.test`, kommune.facts.password);
    expect(r.ok && (r.data as { operator: Operator }).operator).toMatchObject({ roles: ['administrator'], domain: kommuneDomain });
    await bare.dispatch('session.logout', {}, { slot, workstation: 'test' });
  });
});
