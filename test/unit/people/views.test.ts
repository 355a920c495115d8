import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SAVED_VIEWS, peopleColumnIds, type PeopleViewSettingsInput, type SavedPeopleView } from '../../../shared/domain/people.ts';
import { exportColumns } from '../../../src-main/services/people/export.ts';
import { openViewsStore, operatorViewKey } from '../../../src-main/store/views-store.ts';
import { caller, useTestCore } from '../../support/core.ts';

const t = useTestCore({ beforeEach, afterEach });
type Caller = ReturnType<typeof caller>;

const locked: PeopleViewSettingsInput = { filter: { adLocked: 'yes', ou: 'Skoler' }, sort: 'passwordAge', dir: 'desc', columns: ['displayName', 'username', 'adState'] };

async function call(op: string, input: unknown, c: Caller) {
  return t.current().dispatch(op, input, c);
}
async function ok(op: string, input: unknown, c: Caller): Promise<SavedPeopleView[]> {
  const r = await call(op, input, c);
  if (!r.ok) throw new Error(`${op}: ${r.error.message}`);
  return (r.data as { views: SavedPeopleView[] }).views;
}
const names = (views: SavedPeopleView[]) => views.map((v) => v.name);

describe('saved views of the people list', () => {
  it('belong to the operator who saved them: another operator neither sees nor collides with them', async () => {
    const helpdesk = await t.signIn('helpdesk');
    const revisor = await t.signIn('revisor');
    await ok('people.views.save', { name: 'Låste på skolerne', settings: locked }, helpdesk);
    expect(await ok('people.views.list', {}, revisor)).toEqual([]);
    // The same name is free for someone else, and neither overwrites the other.
    await ok('people.views.save', { name: 'Låste på skolerne', settings: { ...locked, columns: ['displayName'] } }, revisor);
    const mine = await ok('people.views.list', {}, helpdesk);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.settings.columns).toEqual(['displayName', 'username', 'adState']);
    expect((await ok('people.views.list', {}, revisor))[0]?.settings.columns).toEqual(['displayName']);
    // Deleting is per operator too.
    await ok('people.views.delete', { name: 'Låste på skolerne' }, revisor);
    expect(names(await ok('people.views.list', {}, helpdesk))).toEqual(['Låste på skolerne']);
  });

  it('keeps a view as the list query schema reads it, with defaults filled in', async () => {
    const c = await t.signIn('helpdesk');
    const [v] = await ok('people.views.save', { name: '  Låste  ', settings: { ...locked, text: 'jens' } }, c);
    expect(v).toMatchObject({ name: 'Låste', isDefault: false, settings: { text: 'jens', sort: 'passwordAge', dir: 'desc' } });
    expect(v?.settings.filter).toMatchObject({ adLocked: 'yes', ou: 'Skoler', adEnabled: 'any', drift: '' });
  });

  it('refuses a bad view with Danish messages on the field', async () => {
    const c = await t.signIn('helpdesk');
    const fields = async (input: unknown) => {
      const r = await call('people.views.save', input, c);
      expect(r.ok).toBe(false);
      if (r.ok) return {};
      expect(r.error.code).toBe('validation');
      expect(r.error.message).toMatch(/^Ugyldige oplysninger/);
      return r.error.details?.fields as Record<string, string>;
    };
    expect(await fields({ name: '   ', settings: locked })).toEqual({ name: 'Angiv et navn til visningen' });
    expect(await fields({ name: 'x'.repeat(61), settings: locked })).toEqual({ name: 'Navnet må højst være på 60 tegn' });
    expect(await fields({ settings: locked })).toEqual({ name: 'Angiv et navn til visningen' });
    expect(await fields({ name: 'Ny', settings: { ...locked, columns: [] } })).toEqual({ 'settings.columns': 'Vælg mindst én kolonne' });
    expect(await fields({ name: 'Ny', settings: { ...locked, columns: ['cpr'] } })).toEqual({ 'settings.columns.0': 'Ukendt kolonne' });
    // The filter is the list's own schema: what the list would refuse, a view refuses.
    expect(Object.keys(await fields({ name: 'Ny', settings: { ...locked, filter: { adLocked: 'maybe' } } }))).toEqual(['settings.filter.adLocked']);
    expect(Object.keys(await fields({ name: 'Ny', settings: { ...locked, sort: 'cpr' } }))).toEqual(['settings.sort']);
    expect(Object.keys(await fields({ name: 'Ny', settings: { ...locked, owner: 'admin' } }))).toEqual(['settings']);
    expect(await ok('people.views.list', {}, c)).toEqual([]);
    // Sixty characters is allowed.
    expect(names(await ok('people.views.save', { name: 'x'.repeat(60), settings: locked }, c))).toEqual(['x'.repeat(60)]);
  });

  it('asks before overwriting a view of the same name (case does not matter), and overwrites when told', async () => {
    const c = await t.signIn('helpdesk');
    await ok('people.views.save', { name: 'Låste', settings: locked }, c);
    const again = await call('people.views.save', { name: 'LÅSTE', settings: { ...locked, dir: 'asc' } }, c);
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Du har allerede en visning med navnet “LÅSTE”. Vil du overskrive den?' } });
    expect((await ok('people.views.list', {}, c))[0]?.settings.dir).toBe('desc');
    const views = await ok('people.views.save', { name: 'LÅSTE', settings: { ...locked, dir: 'asc' }, overwrite: true }, c);
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ name: 'LÅSTE', settings: { dir: 'asc' } });
  });

  it('deletes a view, and says so when there is none by that name', async () => {
    const c = await t.signIn('helpdesk');
    await ok('people.views.save', { name: 'A', settings: locked }, c);
    await ok('people.views.save', { name: 'B', settings: locked }, c);
    expect(names(await ok('people.views.delete', { name: 'a' }, c))).toEqual(['B']);
    expect(await call('people.views.delete', { name: 'A' }, c)).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'Du har ingen gemt visning med navnet “A”.' },
    });
  });

  it('has at most one default view, kept across an overwrite unless the operator changes it', async () => {
    const c = await t.signIn('helpdesk');
    await ok('people.views.save', { name: 'A', settings: locked, isDefault: true }, c);
    let views = await ok('people.views.save', { name: 'B', settings: locked, isDefault: true }, c);
    expect(views.filter((v) => v.isDefault).map((v) => v.name)).toEqual(['B']);
    views = await ok('people.views.save', { name: 'B', settings: { ...locked, dir: 'asc' }, overwrite: true }, c);
    expect(views.find((v) => v.name === 'B')?.isDefault).toBe(true);
    views = await ok('people.views.setDefault', { name: 'A' }, c);
    expect(views.filter((v) => v.isDefault).map((v) => v.name)).toEqual(['A']);
    views = await ok('people.views.setDefault', { name: null }, c);
    expect(views.some((v) => v.isDefault)).toBe(false);
    expect(await call('people.views.setDefault', { name: 'C' }, c)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // Deleting the default view leaves none.
    await ok('people.views.setDefault', { name: 'B' }, c);
    expect((await ok('people.views.delete', { name: 'B' }, c)).some((v) => v.isDefault)).toBe(false);
  });

  it(`keeps at most ${MAX_SAVED_VIEWS} views per operator, but an overwrite at the limit is fine`, async () => {
    const c = await t.signIn('helpdesk');
    for (let i = 0; i < MAX_SAVED_VIEWS; i++) await ok('people.views.save', { name: `Visning ${i}`, settings: locked }, c);
    expect(await call('people.views.save', { name: 'En til', settings: locked }, c)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `Du kan højst gemme ${MAX_SAVED_VIEWS} visninger. Slet en, før du gemmer en ny.` },
    });
    expect(await ok('people.views.save', { name: 'Visning 3', settings: locked, overwrite: true }, c)).toHaveLength(MAX_SAVED_VIEWS);
    // Another operator's count is their own.
    await ok('people.views.save', { name: 'En til', settings: locked }, await t.signIn('revisor'));
  });

  it('needs a signed-in operator, and is not journaled (a preference, not a change to any system)', async () => {
    expect(await call('people.views.list', {}, caller())).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await call('people.views.save', { name: 'A', settings: locked }, caller())).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const c = await t.signIn('helpdesk');
    await ok('people.views.save', { name: 'A', settings: locked }, c);
    await ok('people.views.delete', { name: 'A' }, c);
    expect(t.current().journal.list().map((e) => e.operation)).toEqual(['session.login']);
  });
});

describe('the views store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lia-views-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps views across a restart, and drops a column an older version knew but this one does not', () => {
    const file = join(dir, 'views.sqlite');
    let store = openViewsStore(file);
    const settings = { text: '', filter: { adLocked: 'yes' }, sort: 'displayName', dir: 'asc', columns: ['displayName', 'gone'] };
    // The store writes what it is given (the dispatcher validated it): this stands in for a view an older version wrote.
    store.save('k\\a', { name: 'Gammel', settings: settings as never, overwrite: false }, 50);
    store.close();
    store = openViewsStore(file);
    const [v] = store.list('k\\a');
    expect(v?.name).toBe('Gammel');
    expect(v?.settings.columns).toEqual(['displayName']);
    expect(v?.settings.filter.adLocked).toBe('yes');
    store.close();
  });

  it('files views under domain and username, as AD compares them', () => {
    expect(operatorViewKey({ username: 'Helpdesk', dn: 'CN=Helpdesk,OU=IT,DC=Fjordby,DC=local' })).toBe('fjordby.local\\helpdesk');
    expect(operatorViewKey({ username: 'helpdesk', dn: 'CN=helpdesk,DC=kommune,DC=dk' })).not.toBe(operatorViewKey({ username: 'helpdesk', dn: 'CN=helpdesk,DC=fjordby,DC=local' }));
  });

  it('knows the same columns as the export', () => {
    expect(Object.keys(exportColumns).sort()).toEqual([...peopleColumnIds].sort());
  });
});
