import type { SQLInputValue } from 'node:sqlite';
import { auditVariant, type AuditFilter, type AuditRow } from '../../shared/domain/audit.ts';
import type { AuditEvent } from '../../shared/idp/audit.ts';
import { hasColumn, inTransaction, migrate, openDatabase } from './sqlite.ts';

/**
 * The auditors' merged timeline: the console's own journal and a local cache of the IdP's audit log,
 * in the same SQLite file. Every filter is served by an index (or the full-text index); nothing loads
 * the whole log.
 */
export interface AuditStore {
  /** Adds IdP events (by id; a repeat is ignored). Returns how many were new. */
  ingestIdpEvents(events: AuditEvent[]): number;
  /** Retention of the IdP cache: login events and all others have their own cutoffs. */
  purgeIdpBefore(cutoffs: { logins: string; other: string }, loginActions: readonly string[]): number;
  /** The newest IdP event id cached: where the next read by cursor starts. */
  idpCursor(): number;
  search(filter: TimelineFilter, page: { cursor?: string; limit: number }): { rows: AuditRow[]; nextCursor: string | null };
  count(filter: TimelineFilter): number;
  /** Oldest first, one row at a time: exports stream from here. */
  iterate(filter: TimelineFilter): Iterable<AuditRow>;
  stats(filter: TimelineFilter): {
    perDay: Array<{ day: string; action: string; count: number }>;
    perOperator: Array<{ operator: string; count: number }>;
    failedLoginsPerDay: Array<{ day: string; count: number }>;
  };
  close(): void;
}

/**
 * A read limited to one AD domain's events (#19). An event is a domain's when the person it is about lives
 * there (by the DN of their OU in the journal, by the IdP domain in the IdP's log), or when an operator of
 * that domain did it (an operator of another domain than the first is journaled as `name@<domain id>`; an
 * sAMAccountName never holds '@'). What names no configured domain is the municipality's own (the first).
 */
export interface TimelineDomains {
  /** Every configured domain (two or more), the municipality's own first. Each row then says its domain. */
  all: ReadonlyArray<{ id: string; baseDn: string; idpDomain: string }>;
  /** Only this domain's events. */
  only?: string;
}

/** The timeline's filter as main applies it: the operator's filter, and the domains main attributes and confines it by. */
export type TimelineFilter = AuditFilter & { domains?: TimelineDomains };

/** Start of a local calendar day as an ISO instant (the console's time zone). */
export function localDayStart(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toISOString();
}

/** The day after, so an inclusive end date covers the whole day up to midnight. */
export function localDayEnd(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + 1).toISOString();
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);
/** User text becomes quoted FTS5 terms: no operator in the input can change the query's meaning. */
const ftsQuery = (text: string) =>
  'text : (' + text.split(/\s+/).filter(Boolean).slice(0, 10).map((t) => `"${t.replace(/"/g, '""')}"`).join(' ') + ')';

/** The person column only, each word as a prefix: "søren åg" finds "Søren Ågesen (soeaag)". */
const personQuery = (text: string) =>
  'person : (' + text.split(/[\s()]+/).filter(Boolean).slice(0, 10).map((t) => `"${t.replace(/"/g, '""')}"*`).join(' ') + ')';

interface Branch {
  sql: string;
  params: SQLInputValue[];
}

/**
 * The auditors' timeline over the journal file: its own connection, its own tables (the IdP's log, cached
 * by cursor) and read access to the journal's records beside them, merged in index order.
 */
export function openAuditStore(file: string): AuditStore {
  const db = openDatabase(file);
  migrate(db, 'audit', [
    (d) =>
      d.exec(`
    CREATE TABLE IF NOT EXISTS idp_events (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      action TEXT NOT NULL,
      message TEXT NOT NULL,
      person TEXT,
      person_username TEXT,
      operator TEXT,
      correlation_id TEXT,
      details TEXT,
      cpr_masked TEXT,
      source TEXT
    );
    CREATE INDEX IF NOT EXISTS idp_events_at ON idp_events(at);
    CREATE INDEX IF NOT EXISTS idp_events_action ON idp_events(action, at);
    CREATE INDEX IF NOT EXISTS idp_events_person ON idp_events(person_username, at);
    CREATE INDEX IF NOT EXISTS idp_events_operator ON idp_events(operator, at);
    CREATE INDEX IF NOT EXISTS idp_events_correlation ON idp_events(correlation_id);
    CREATE VIRTUAL TABLE IF NOT EXISTS idp_events_fts USING fts5(person, text, content='', contentless_delete=1);
    CREATE TRIGGER IF NOT EXISTS idp_events_fts_insert AFTER INSERT ON idp_events BEGIN
      INSERT INTO idp_events_fts(rowid, person, text) VALUES (new.id, coalesce(new.person, '') || ' ' || coalesce(new.person_username, ''),
        new.action || ' ' || new.message || ' ' || coalesce(new.person, '') || ' ' || coalesce(new.person_username, '') || ' ' || coalesce(new.operator, ''));
    END;
      `),
    // The person's IdP domain and the performer's username, so an event can be told to a domain (#19).
    // Events cached before carry neither and count as the municipality's own.
    (d) => {
      if (!hasColumn(d, 'idp_events', 'person_domain')) d.exec('ALTER TABLE idp_events ADD COLUMN person_domain TEXT');
      if (!hasColumn(d, 'idp_events', 'performer_username')) d.exec('ALTER TABLE idp_events ADD COLUMN performer_username TEXT');
    },
  ]);
  const insertIdp = db.prepare(`INSERT OR IGNORE INTO idp_events (id, at, action, message, person, person_username, operator,
    correlation_id, details, cpr_masked, source, person_domain, performer_username) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  /** Where each filter looks in one source; a filter the source cannot answer excludes the source. */
  interface SourceColumns {
    table: string;
    key: string;
    action: string;
    fts: string;
    operator(v: string): [string, ...SQLInputValue[]];
    personId: string;
    ou: string | null;
    outcome: string | null;
    select: string;
    /** The domain an event belongs to by its person, and by the operator who did it (SQL expressions). */
    domain(w: TimelineDomains): { person: [string, SQLInputValue[]]; operator: [string, SQLInputValue[]] };
  }

  /** `CASE WHEN <cond 1> THEN id 1 … ELSE <else> END` from (condition, params, id) triples. */
  const caseOf = (arms: Array<[string, SQLInputValue[], string]>, otherwise: [string, SQLInputValue[]]): [string, SQLInputValue[]] => [
    arms.length ? `CASE ${arms.map(([c]) => `WHEN ${c} THEN ?`).join(' ')} ELSE ${otherwise[0]} END` : otherwise[0],
    [...arms.flatMap(([, p, id]) => [...p, id]), ...otherwise[1]],
  ];
  /**
   * Operators of the other domains carry `@<id>` (operatorUsername, shared/roles.ts); any other name (no '@', an IdP administrator's own) is the
   * first's. No operator (a person's own login): nobody's.
   */
  const operatorDomain = (column: string, w: TimelineDomains): [string, SQLInputValue[]] => {
    const [first, ...others] = w.all;
    const byName = others.map((d): [string, SQLInputValue[], string] => [`${column} LIKE ? ESCAPE '\\'`, [`%@${likeEscape(d.id)}`], d.id]);
    return caseOf([[`${column} IS NULL`, [], ''], ...byName], ['?', [first?.id ?? '']]);
  };
  const sources: Record<'console' | 'idp', SourceColumns> = {
    console: {
      table: 'journal', key: 'seq', action: 'operation', fts: 'journal_fts', personId: 'target', ou: 'target_ou', outcome: 'outcome',
      operator: (v) => ["(operator_username = ? OR operator_name LIKE ? ESCAPE '\\')", v, `%${likeEscape(v)}%`],
      select: `at, 'c' AS src, seq AS id, operation AS action, kind, operator_name || ' (' || operator_username || ')' AS operator,
              target_label AS person, target AS person_id, target_ou AS ou, outcome, reason, NULL AS message, correlation_id, workstation,
              coalesce(json_extract(summary, '$.input'),
                (SELECT json_extract(i.summary, '$.input') FROM journal i WHERE i.seq = json_extract(journal.summary, '$.intent'))) AS input_json`,
      domain: (w) => {
        const first = w.all[0]?.id ?? '';
        // The innermost domain first: a child domain's DN also lies within its parent's.
        const inner = [...w.all].sort((a, b) => b.baseDn.length - a.baseDn.length);
        const within = inner.map((d): [string, SQLInputValue[], string] => {
          const base = d.baseDn.toLowerCase();
          return [`(lower(target_ou) = ? OR lower(target_ou) LIKE ? ESCAPE '\\')`, [base, `%,${likeEscape(base)}`], d.id];
        });
        // No person: nobody's. A person with no AD account (no OU): the municipality's.
        return {
          person: caseOf([['target IS NULL', [], ''], ['target_ou IS NULL', [], first], ...within], ['?', [first]]),
          operator: operatorDomain('operator_username', w),
        };
      },
    },
    // The IdP's log carries neither an outcome nor the person's OU: those filters are the console's.
    idp: {
      table: 'idp_events', key: 'id', action: 'action', fts: 'idp_events_fts', personId: 'person_username', ou: null, outcome: null,
      operator: (v) => ["operator LIKE ? ESCAPE '\\'", `%${likeEscape(v)}%`],
      select: `at, 'i' AS src, id, action, 'event' AS kind, operator, person, person_username AS person_id, NULL AS ou,
              NULL AS outcome, NULL AS reason, message, correlation_id, NULL AS workstation, NULL AS input_json`,
      domain: (w) => {
        const first = w.all[0]?.id ?? '';
        const byIdp = w.all.filter((d) => d.idpDomain).map((d): [string, SQLInputValue[], string] => ['lower(person_domain) = ?', [d.idpDomain.toLowerCase()], d.id]);
        return {
          person: caseOf([['person_username IS NULL', [], ''], ...byIdp], ['?', [first]]),
          operator: operatorDomain('performer_username', w),
        };
      },
    },
  };

  function branch(source: 'console' | 'idp', f: TimelineFilter): Branch | null {
    const c = sources[source];
    if (f.source !== 'all' && f.source !== source) return null;
    if ((f.ou && !c.ou) || (f.outcome && !c.outcome)) return null;
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    const add = (cond: string, ...values: SQLInputValue[]) => {
      where.push(cond);
      params.push(...values);
    };
    if (f.from) add('at >= ?', localDayStart(f.from));
    if (f.to) add('at < ?', localDayEnd(f.to));
    if (f.actions.length) add(`${c.action} IN (${f.actions.map(() => '?').join(',')})`, ...f.actions);
    if (f.operator) add(...c.operator(f.operator));
    // Exact id, or words of the name/username through the full-text index: both served by an index.
    if (f.person) add(`(${c.personId} = ? OR ${c.key} IN (SELECT rowid FROM ${c.fts} WHERE ${c.fts} MATCH ?))`, f.person, personQuery(f.person));
    if (f.ou && c.ou) add(`(lower(${c.ou}) = lower(?) OR lower(${c.ou}) LIKE ? ESCAPE '\\')`, f.ou, `%,${likeEscape(f.ou.toLowerCase())}`);
    if (f.outcome && c.outcome) add(`${c.outcome} = ?`, f.outcome);
    if (f.correlationId) add('correlation_id = ?', f.correlationId);
    let domain: [string, SQLInputValue[]] = ['NULL', []];
    if (f.domains) {
      const d = c.domain(f.domains);
      // A row shows the domain of its person, else of its operator.
      domain = [`coalesce(nullif(${d.person[0]}, ''), ${d.operator[0]})`, [...d.person[1], ...d.operator[1]]];
      if (f.domains.only !== undefined) add(`(${d.person[0]} = ? OR ${d.operator[0]} = ?)`, ...d.person[1], f.domains.only, ...d.operator[1], f.domains.only);
    }
    if (f.text?.trim()) add(`${c.key} IN (SELECT rowid FROM ${c.fts} WHERE ${c.fts} MATCH ?)`, ftsQuery(f.text));
    if (f.fold && source === 'console') {
      // An intent whose outcome is recorded is that outcome's row; one without (still running, or cut off) stays.
      add(`NOT (kind = 'intent' AND EXISTS (SELECT 1 FROM journal o WHERE o.correlation_id = journal.correlation_id
        AND o.kind = 'outcome' AND o.operation = journal.operation))`);
    }
    if (f.fold && source === 'idp' && f.source === 'all') {
      // The IdP's events caused by a console action (by its correlation id) are shown in that action's row.
      add('NOT (correlation_id IS NOT NULL AND EXISTS (SELECT 1 FROM journal j WHERE j.correlation_id = idp_events.correlation_id))');
    }
    return { sql: `SELECT ${c.select}, ${domain[0]} AS domain FROM ${c.table} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, params: [...domain[1], ...params] };
  }

  const variantOf = (r: Record<string, unknown>): string | null => {
    if (typeof r.input_json !== 'string') return null;
    try {
      return auditVariant(String(r.action), JSON.parse(r.input_json));
    } catch {
      // A summary that is not JSON names no variant; the row keeps the operation's general label.
      return null;
    }
  };
  const toRow = (r: Record<string, unknown>): AuditRow => ({
    key: `${r.src}:${r.id}`,
    source: r.src === 'c' ? 'console' : 'idp',
    at: String(r.at),
    action: String(r.action),
    kind: String(r.kind),
    operator: (r.operator as string | null) ?? null,
    person: (r.person as string | null) ?? null,
    personId: (r.person_id as string | null) ?? null,
    ou: (r.ou as string | null) ?? null,
    outcome: (r.outcome as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    message: (r.message as string | null) ?? null,
    correlationId: (r.correlation_id as string | null) ?? null,
    workstation: (r.workstation as string | null) ?? null,
    variant: r.src === 'c' ? variantOf(r) : null,
    domain: (r.domain as string | null) ?? null,
    echoes: [],
  });

  /** The IdP's own events (not the copies of the journal it keeps) that carry these correlation ids, by id. */
  function echoesOf(rows: AuditRow[]): AuditRow[] {
    const ids = [...new Set(rows.filter((r) => r.source === 'console' && r.correlationId).map((r) => r.correlationId as string))];
    if (!ids.length) return rows;
    const found = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const hits = db.prepare(`SELECT correlation_id, action FROM idp_events WHERE correlation_id IN (${chunk.map(() => '?').join(',')})
        AND coalesce(source, '') <> 'console' ORDER BY id`).all(...chunk) as Array<{ correlation_id: string; action: string }>;
      for (const h of hits) {
        const list = found.get(h.correlation_id) ?? [];
        if (!list.includes(h.action)) list.push(h.action);
        found.set(h.correlation_id, list);
      }
    }
    return rows.map((r) => (r.source === 'console' && r.correlationId && found.has(r.correlationId) ? { ...r, echoes: found.get(r.correlationId)! } : r));
  }

  const branches = (f: TimelineFilter) => [branch('console', f), branch('idp', f)].filter((b): b is Branch => b !== null);

  return {
    close: () => db.close(),
    ingestIdpEvents(events) {
      return inTransaction(db, () => {
        let added = 0;
        for (const e of events) {
          const r = insertIdp.run(e.id, e.time, e.action, e.message, e.person?.displayName ?? e.person?.username ?? null,
            e.person?.username ?? null, e.performer ? `${e.performer.displayName ?? e.performer.username} (${e.performer.username})` : null,
            e.correlationId, e.details, e.cprMasked, e.source, e.person?.domain ?? null, e.performer?.username ?? null);
          added += Number(r.changes);
        }
        return added;
      });
    },
    purgeIdpBefore(cutoffs, loginActions) {
      const inList = loginActions.map(() => '?').join(',') || "''";
      const where = `(action IN (${inList}) AND at < ?) OR (action NOT IN (${inList}) AND at < ?)`;
      const params = [...loginActions, cutoffs.logins, ...loginActions, cutoffs.other];
      return inTransaction(db, () => {
        db.prepare(`DELETE FROM idp_events_fts WHERE rowid IN (SELECT id FROM idp_events WHERE ${where})`).run(...params);
        return Number(db.prepare(`DELETE FROM idp_events WHERE ${where}`).run(...params).changes);
      });
    },
    idpCursor() {
      return Number((db.prepare('SELECT coalesce(max(id), 0) AS n FROM idp_events').get() as { n: number }).n);
    },
    search(filter, page) {
      const bs = branches(filter);
      if (!bs.length) return { rows: [], nextCursor: null };
      let after: [string, string, number] | null = null;
      if (page.cursor) {
        const [at, src, id] = page.cursor.split('|');
        if (at && src && id) after = [at, src, Number(id)];
      }
      // Each branch is limited on its own index first, then the two are merged: fast at a million rows.
      const parts = bs.map((b) => {
        const cond = after ? `WHERE (at, src, id) < (?, ?, ?)` : '';
        return { sql: `SELECT * FROM (SELECT * FROM (${b.sql}) ${cond} ORDER BY at DESC, id DESC LIMIT ?)`, params: [...b.params, ...(after ?? []), page.limit + 1] };
      });
      const sql = `${parts.map((p) => p.sql).join(' UNION ALL ')} ORDER BY at DESC, src DESC, id DESC LIMIT ?`;
      const rows = db.prepare(sql).all(...parts.flatMap((p) => p.params), page.limit + 1) as Record<string, unknown>[];
      const more = rows.length > page.limit;
      const pageRows = rows.slice(0, page.limit);
      const last = pageRows.at(-1);
      const out = pageRows.map(toRow);
      return { rows: filter.fold ? echoesOf(out) : out, nextCursor: more && last ? `${last.at}|${last.src}|${last.id}` : null };
    },
    count(filter) {
      return branches(filter).reduce(
        (n, b) => n + Number((db.prepare(`SELECT count(*) AS n FROM (${b.sql})`).get(...b.params) as { n: number }).n),
        0,
      );
    },
    *iterate(filter) {
      // Each source is read in its own time index's order and the two are merged here: an ORDER BY over
      // the UNION would make SQLite sort every row of a million-event export in a temporary b-tree first.
      const its = branches(filter).map((b) => (db.prepare(`${b.sql} ORDER BY at, id`).iterate(...b.params) as Iterator<Record<string, unknown>>));
      const heads = its.map((it) => it.next());
      for (;;) {
        let pick = -1;
        for (let i = 0; i < heads.length; i++) {
          const h = heads[i] as IteratorResult<Record<string, unknown>>;
          if (h.done) continue;
          if (pick < 0) {
            pick = i;
            continue;
          }
          const p = (heads[pick] as IteratorYieldResult<Record<string, unknown>>).value;
          const v = h.value;
          // (at, src, id), the timeline's order; src 'c' < 'i' and branch 0 is the console's.
          if ((v.at as string) < (p.at as string)) pick = i;
        }
        if (pick < 0) return;
        const r = (heads[pick] as IteratorYieldResult<Record<string, unknown>>).value;
        heads[pick] = (its[pick] as Iterator<Record<string, unknown>>).next();
        yield toRow(r);
      }
    },
    stats(filter) {
      const bs = branches(filter);
      if (!bs.length) return { perDay: [], perOperator: [], failedLoginsPerDay: [] };
      const union = bs.map((b) => `SELECT * FROM (${b.sql})`).join(' UNION ALL ');
      const params = bs.flatMap((b) => b.params);
      // Days are cut in UTC here; close enough for a chart, and it keeps the query on plain text prefixes.
      const perDay = (db.prepare(`SELECT substr(at, 1, 10) AS day, action, count(*) AS count FROM (${union}) GROUP BY day, action ORDER BY day`).all(...params) as Array<{ day: string; action: string; count: number }>);
      const perOperator = db.prepare(`SELECT operator, count(*) AS count FROM (${union}) WHERE src = 'c' AND ${filter.fold ? "kind <> 'event'" : "kind = 'intent'"} GROUP BY operator ORDER BY count DESC LIMIT 20`).all(...params) as Array<{ operator: string; count: number }>;
      const failedLoginsPerDay = db.prepare(`SELECT substr(at, 1, 10) AS day, count(*) AS count FROM (${union}) WHERE action IN ('WRONG_PASSWORD','TOO_MANY_ATTEMPTS','REJECT_MFA') GROUP BY day ORDER BY day`).all(...params) as Array<{ day: string; count: number }>;
      return { perDay: perDay.map((r) => ({ ...r, count: Number(r.count) })), perOperator: perOperator.map((r) => ({ ...r, count: Number(r.count) })), failedLoginsPerDay: failedLoginsPerDay.map((r) => ({ ...r, count: Number(r.count) })) };
    },
  };
}
