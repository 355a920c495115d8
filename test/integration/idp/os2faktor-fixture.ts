// A tiny stand-in for OS2faktor Login's machine audit-log API, as its AuditLogApi serves it:
// GET /api/auditlog/head → {"head": maxId|null}; GET /api/auditlog/read?offset=N → up to 100 rows with
// id > N ascending; header ApiKey. Times are Danish wall-clock without offset (Java LocalDateTime).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureRow {
  id: number;
  tts: string | number[];
  ipAddress: string | null;
  correlationId: string | null;
  personId: number | null;
  personName: string | null;
  cpr: string | null;
  performerId: number | null;
  performerName: string | null;
  logAction: string;
  message: string;
  personDomain: string | null;
  samaccountName: string | null;
  detailType: string | null;
  detailContent: string | null;
  detailSupplement: string | null;
}

export interface Os2faktorFixture {
  url: string;
  apiKey: string;
  rows: FixtureRow[];
  /** Answer the next N requests with 503 (OS2faktor behind a load balancer during a restart). */
  fail503: number;
  requests: number;
  stop(): Promise<void>;
}

export async function startOs2faktorFixture(rows: FixtureRow[], apiKey = 'os2faktor-test-key'): Promise<Os2faktorFixture> {
  const fx: Os2faktorFixture = {
    url: '',
    apiKey,
    rows,
    fail503: 0,
    requests: 0,
    stop: async () => {},
  };
  const server = createServer((req, res) => {
    fx.requests++;
    const url = new URL(req.url ?? '/', 'http://fixture.invalid');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (fx.fail503 > 0) {
      fx.fail503--;
      json(503, { status: 503, error: 'Service Unavailable' });
      return;
    }
    if (req.headers['apikey'] !== apiKey) {
      json(401, { status: 401, error: 'Unauthorized' });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/auditlog/head') {
      json(200, { head: fx.rows.length === 0 ? null : Math.max(...fx.rows.map((r) => r.id)) });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/auditlog/read') {
      const offset = Number(url.searchParams.get('offset') ?? '0');
      json(200, fx.rows.filter((r) => r.id > offset).sort((a, b) => a.id - b.id).slice(0, 100));
      return;
    }
    json(404, { status: 404, error: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fx.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fx;
}

/** 1,234 rows with skipping ids, unknown action types, both time encodings and full CPR numbers. */
export function fixtureRows(): FixtureRow[] {
  const actions = ['LOGIN', 'WRONG_PASSWORD', 'ACCEPT_MFA', 'DEACTIVATE_BY_ADMIN', 'EN_NY_HANDLING_FRA_2027'];
  const rows: FixtureRow[] = [];
  let id = 1000;
  const base = Date.UTC(2026, 0, 1, 8, 0, 0);
  for (let i = 0; i < 1234; i++) {
    id += i % 7 === 0 ? 3 : 1;
    const t = new Date(base + i * 3_600_000 * 5);
    const pad = (n: number) => String(n).padStart(2, '0');
    const wall = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.123`;
    const action = actions[i % actions.length]!;
    rows.push({
      id,
      tts: i % 10 === 0 ? [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), 123_000_000] : wall,
      ipAddress: '10.0.0.1',
      correlationId: `corr-${i}`,
      personId: 7,
      personName: 'Anne Hansen',
      cpr: '0101801234',
      performerId: action === 'DEACTIVATE_BY_ADMIN' ? 9 : null,
      performerName: action === 'DEACTIVATE_BY_ADMIN' ? 'Lise Admin' : null,
      logAction: action,
      message: action === 'DEACTIVATE_BY_ADMIN' ? 'Spærret af kommunen. Begrundelse: Fratrådt' : 'Hændelse',
      personDomain: 'kommune.dk',
      samaccountName: 'anhe',
      detailType: i % 3 === 0 ? 'JSON' : null,
      detailContent: i % 3 === 0 ? '{"browser":"Edge"}' : null,
      detailSupplement: null,
    });
  }
  return rows;
}
