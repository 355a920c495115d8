import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, type Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdDirectory, type AdDirectorySession } from '../../../src-main/connectors/ad/ad-directory.ts';
import { connectWithFailover } from '../../../src-main/connectors/ad/connection.ts';
import { encodeUnicodePwd } from '../../../src-main/connectors/ad/decode.ts';
import { openDirectoryCache } from '../../../src-main/store/directory-cache.ts';
import { sambaContext, testProfile, type SambaContext } from '../../support/samba/context.ts';

// The local directory cache against the real DC: one full load, then deltas on uSNChanged that pick up
// changes, moves and deletions made by someone else in AD.
let ctx: SambaContext;
let admin: Client;
let session: AdDirectorySession;
let dir: string;
const made: string[] = [];
const quietly = async (p: Promise<unknown>) => p.catch(() => {});

beforeAll(async () => {
  ctx = sambaContext();
  admin = (await connectWithFailover(testProfile(ctx), { name: ctx.admin.username, password: ctx.admin.password })).client;
  session = await createAdDirectory(testProfile(ctx)).signIn(ctx.facts.operators.auditor, ctx.facts.password);
  dir = mkdtempSync(join(tmpdir(), 'lia-dircache-'));
  for (let i = 0; i < 52; i++) {
    const dn = `CN=Delta Person ${i},${ctx.facts.ou.borgerservice}`;
    await quietly(admin.del(dn));
    await admin.add(dn, { objectClass: 'user', sAMAccountName: `delta.${i}`, givenName: 'Delta', sn: `Person ${i}`, displayName: `Delta Person ${i}`, userAccountControl: '512', unicodePwd: encodeUnicodePwd(ctx.facts.password) as unknown as string });
    made.push(dn);
  }
});

afterAll(async () => {
  for (const dn of made) await quietly(admin.del(dn));
  await quietly(admin.del(`CN=Delta Person 1,${ctx.facts.ou.fratraadte}`));
  await quietly(session.close());
  await quietly(admin.unbind());
  rmSync(dir, { recursive: true, force: true });
});

describe('directory cache with delta sync', () => {
  it('loads everything once, then takes only what changed, moved or was deleted', async () => {
    const db = new DatabaseSync(join(dir, 'cache.sqlite'));
    const cache = openDirectoryCache(db);
    const full = await cache.sync(session);
    expect(full.mode).toBe('full');
    expect(full.total).toBeGreaterThan(3000);
    const before = full.total;

    // Someone else works in AD: 50 edits, one move to Fratrådte, one deletion.
    for (let i = 2; i < 52; i++) {
      await admin.modify(made[i]!, new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: [`Ny titel ${i}`] }) }));
    }
    await admin.modifyDN(made[1]!, `CN=Delta Person 1,${ctx.facts.ou.fratraadte}`);
    const deletedId = cache.all().find((p) => p.username === 'delta.0')!.id;
    await admin.del(made[0]!);

    const delta = await cache.sync(session);
    expect(delta.mode).toBe('delta');
    expect(delta.changed).toBeGreaterThanOrEqual(51);
    expect(delta.changed).toBeLessThan(200);
    expect(delta.deleted).toBeGreaterThanOrEqual(1);
    expect(delta.total).toBe(before - 1);
    const people = cache.all();
    expect(people.find((p) => p.id === deletedId)).toBeUndefined();
    expect(people.find((p) => p.username === 'delta.1')?.dn).toMatch(/OU=Fratr/);

    // A second cache on the same file opens warm, with no AD call needed to show the list.
    db.close();
    const warm = openDirectoryCache(new DatabaseSync(join(dir, 'cache.sqlite')));
    expect(warm.count()).toBe(before - 1);
    expect(warm.syncedAt()).not.toBeNull();
  });
});
