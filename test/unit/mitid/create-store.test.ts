// The create store: a real node:sqlite file in a temp folder — rows checked when read back, a schema
// version, one holder id per data folder, owner-only permissions.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { claimKeyFor } from '../../../src-main/connectors/idp/claims.ts';
import { openMitIdCreateStore } from '../../../src-main/store/mitid-create-store.ts';

const dirs: string[] = [];
const file = () => {
  const d = mkdtempSync(join(tmpdir(), 'lia-creates-'));
  dirs.push(d);
  return join(d, 'mitid-creates.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('keeps a create from in-flight through pending to created, and the holder id across reopening', () => {
  const f = file();
  const s = openMitIdCreateStore(f);
  const holder = s.holder;
  s.begin({ key: 'ny1@kommune.dk', subjectNameId: 'ny1@kommune.dk', emailAddress: 'ny1@kommune.dk', label: 'ny1' }, '2026-12-05T10:00:00.000Z');
  expect(s.get('ny1@kommune.dk')).toMatchObject({ state: 'in-flight', absentChecks: 0, claimSynced: false });
  s.setPending('ny1@kommune.dk', 'MitID Erhverv svarer ikke', '2026-12-05T10:00:01.000Z');
  s.recordCheck('ny1@kommune.dk', true, '2026-12-05T10:00:02.000Z');
  s.recordCheck('ny1@kommune.dk', false, '2026-12-05T10:00:02.100Z');
  expect(s.get('ny1@kommune.dk')).toMatchObject({ state: 'pending', absentChecks: 1, lastCheckAt: '2026-12-05T10:00:02.000Z' });
  expect(s.open().map((r) => r.key)).toEqual(['ny1@kommune.dk']);
  s.setCreated('ny1@kommune.dk', 'c0ffee00-0000-4000-8000-000000000001', true, '2026-12-05T10:00:03.000Z');
  expect(s.open()).toEqual([]);
  s.close();
  const again = openMitIdCreateStore(f);
  expect(again.holder).toBe(holder);
  expect(again.get('ny1@kommune.dk')).toMatchObject({ state: 'created', uuid: 'c0ffee00-0000-4000-8000-000000000001' });
  again.close();
});

it('refuses a row that does not parse, and a file from a newer schema', () => {
  const f = file();
  openMitIdCreateStore(f).close();
  const db = new DatabaseSync(f);
  db.prepare(`INSERT INTO mitid_creates (key, subject_name_id, state, since, updated_at) VALUES ('x', 'x', 'maybe', 'now', 'now')`).run();
  db.close();
  const s = openMitIdCreateStore(f);
  expect(() => s.get('x')).toThrow();
  s.close();
  const db2 = new DatabaseSync(f);
  db2.prepare(`UPDATE meta SET value = '99' WHERE name = 'schema_version'`).run();
  db2.close();
  expect(() => openMitIdCreateStore(f)).toThrow(/nyere version/);
});

it.skipIf(process.platform === 'win32')('is readable by its owner only', () => {
  const f = file();
  openMitIdCreateStore(f).close();
  expect(statSync(f).mode & 0o777).toBe(0o600);
});

it('names a person to the IdP by a hash of the subjectNameId, case-insensitively, never in clear', () => {
  const k = claimKeyFor('Ny1@Kommune.dk');
  expect(k).toMatch(/^[0-9a-f]{64}$/);
  expect(claimKeyFor(' ny1@kommune.dk ')).toBe(k);
  expect(k).not.toContain('ny1');
});
