import { peopleColumnIds, PeopleViewSettings, type SavedPeopleView } from '../../shared/domain/people.ts';
import { domainFromDn } from '../../shared/idp/common.ts';
import { inTransaction, migrate, openDatabase } from './sqlite.ts';

export type SaveViewResult = { ok: true; created: boolean } | { ok: false; reason: 'exists' | 'limit' };

/**
 * Each operator's saved views of the people list, in their own SQLite file: personal preferences, kept
 * apart from the journal. `operator` is a stable key for the signed-in operator (see `operatorViewKey`).
 */
export interface ViewsStore {
  list(operator: string): SavedPeopleView[];
  /** Refuses a name that exists unless `overwrite`, and a new view beyond `limit`. */
  save(
    operator: string,
    view: { name: string; settings: PeopleViewSettings; overwrite: boolean; isDefault?: boolean | undefined },
    limit: number,
  ): SaveViewResult;
  /** False when the operator has no view of that name. */
  remove(operator: string, name: string): boolean;
  /** `null` clears the default; false when the operator has no view of that name. */
  setDefault(operator: string, name: string | null): boolean;
  close(): void;
}

/** Names are unique per operator regardless of case ("Låste" and "låste" are one view). */
const nameKey = (name: string) => name.normalize('NFC').toLocaleLowerCase('da-DK');

/**
 * The key a view is filed under: the operator's domain and username, lower-cased as AD compares them.
 * The domain keeps a training operator and a live AD account of the same name apart.
 */
export function operatorViewKey(operator: { username: string; dn: string }): string {
  return `${domainFromDn(operator.dn) ?? ''}\\${operator.username}`.toLowerCase();
}

/** A view written by an older version may name a column that no longer exists: it is dropped, not the view. */
function readSettings(json: string): PeopleViewSettings | null {
  try {
    const raw = JSON.parse(json) as { columns?: unknown };
    const columns = Array.isArray(raw.columns) ? raw.columns.filter((c) => (peopleColumnIds as readonly unknown[]).includes(c)) : raw.columns;
    const parsed = PeopleViewSettings.safeParse({ ...raw, columns });
    return parsed.success ? parsed.data : null;
  } catch {
    // A damaged saved view is a preference lost, not data: the operator gets the plain list.
    return null;
  }
}

export function openViewsStore(file: string): ViewsStore {
  const db = openDatabase(file);
  migrate(db, 'views', [
    (d) =>
      d.exec(`
    CREATE TABLE IF NOT EXISTS people_views (
      operator TEXT NOT NULL,
      name_key TEXT NOT NULL,
      name TEXT NOT NULL,
      settings TEXT NOT NULL,
      is_default INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (operator, name_key)
    ) WITHOUT ROWID;
      `),
  ]);
  const selectAll = db.prepare('SELECT name, settings, is_default, updated_at FROM people_views WHERE operator = ?');
  const selectOne = db.prepare('SELECT is_default FROM people_views WHERE operator = ? AND name_key = ?');
  const countFor = db.prepare('SELECT count(*) AS n FROM people_views WHERE operator = ?');
  const upsert = db.prepare(`
    INSERT INTO people_views (operator, name_key, name, settings, is_default, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (operator, name_key) DO UPDATE SET name = excluded.name, settings = excluded.settings,
      is_default = excluded.is_default, updated_at = excluded.updated_at
  `);
  const clearDefault = db.prepare('UPDATE people_views SET is_default = 0 WHERE operator = ? AND is_default = 1');
  const markDefault = db.prepare('UPDATE people_views SET is_default = 1 WHERE operator = ? AND name_key = ?');
  const deleteOne = db.prepare('DELETE FROM people_views WHERE operator = ? AND name_key = ?');

  return {
    list(operator) {
      const rows = selectAll.all(operator) as Array<{ name: string; settings: string; is_default: number; updated_at: string }>;
      return rows
        .flatMap((r) => {
          const settings = readSettings(r.settings);
          return settings ? [{ name: r.name, settings, isDefault: r.is_default === 1, updatedAt: r.updated_at }] : [];
        })
        .sort((a, b) => a.name.localeCompare(b.name, 'da-DK'));
    },

    save(operator, view, limit) {
      const key = nameKey(view.name);
      return inTransaction(db, (): SaveViewResult => {
        const existing = selectOne.get(operator, key) as { is_default: number } | undefined;
        if (existing && !view.overwrite) return { ok: false, reason: 'exists' };
        if (!existing && Number((countFor.get(operator) as { n: number }).n) >= limit) return { ok: false, reason: 'limit' };
        const isDefault = view.isDefault ?? existing?.is_default === 1;
        if (isDefault) clearDefault.run(operator);
        upsert.run(operator, key, view.name, JSON.stringify(view.settings), isDefault ? 1 : 0, new Date().toISOString());
        return { ok: true, created: !existing };
      });
    },

    remove(operator, name) {
      return Number(deleteOne.run(operator, nameKey(name)).changes) > 0;
    },

    setDefault(operator, name) {
      return inTransaction(db, () => {
        if (name !== null && !selectOne.get(operator, nameKey(name))) return false;
        clearDefault.run(operator);
        if (name !== null) markDefault.run(operator, nameKey(name));
        return true;
      });
    },

    close() {
      db.close();
    },
  };
}
