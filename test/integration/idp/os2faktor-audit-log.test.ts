// The read-only adapter for OS2faktor Login's audit-log API, against a fixture server speaking that API.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/errors.ts';
import { createOs2faktorAuditLog } from '../../../src-main/connectors/idp/os2faktor-audit-log.ts';
import { auditEventsAfter } from '../../../src-main/connectors/idp/idp-port.ts';
import type { Os2faktorFixture } from './os2faktor-fixture.ts';
import { fixtureRows, startOs2faktorFixture } from './os2faktor-fixture.ts';

let fx: Os2faktorFixture;
let log: ReturnType<typeof createOs2faktorAuditLog>;

beforeAll(async () => {
  fx = await startOs2faktorFixture(fixtureRows());
  log = createOs2faktorAuditLog({ baseUrl: fx.url, apiKey: fx.apiKey, retryDelayMs: 10 });
});
afterAll(async () => {
  log.close();
  await fx.stop();
});

it('reads the head', async () => {
  expect(await log.auditHead()).toBe(fx.rows.at(-1)!.id);
});

it('reads every row exactly once in order, 100 per call, across skipped ids', async () => {
  const before = fx.requests;
  const ids: number[] = [];
  for await (const e of auditEventsAfter(log, 0)) ids.push(e.id);
  expect(ids).toEqual(fx.rows.map((r) => r.id));
  expect(fx.requests - before).toBe(Math.ceil(fx.rows.length / 100) + (fx.rows.length % 100 === 0 ? 1 : 0));
});

it('maps a row: Danish wall-clock to UTC, open action strings, masked CPR, performer and details', async () => {
  const page = await log.readAudit(0);
  expect(page.items).toHaveLength(100);
  expect(page.hasMore).toBe(true);
  const first = page.items[0]!;
  // 2026-01-01 08:00 in Copenhagen (winter, UTC+1) is 07:00 UTC; the first row uses the array encoding.
  expect(first.time).toBe('2026-01-01T07:00:00.123Z');
  // Row 1 is a string: 13:00 local → 12:00 UTC.
  expect(page.items[1]!.time).toBe('2026-01-01T12:00:00.123Z');
  expect(first).toMatchObject({ action: 'LOGIN', source: 'os2faktor', cprMasked: '010180-XXXX', person: { domain: 'kommune.dk', username: 'anhe', displayName: 'Anne Hansen' }, details: '{"browser":"Edge"}' });
  expect(JSON.stringify(page.items)).not.toContain('0101801234');
  expect(page.items.find((e) => e.action === 'EN_NY_HANDLING_FRA_2027')).toBeDefined();
  expect(page.items.find((e) => e.action === 'DEACTIVATE_BY_ADMIN')?.performer).toEqual({ username: 'Lise Admin', displayName: 'Lise Admin' });
  // A summer row: find one in July and check UTC+2.
  const july = fx.rows.find((r) => typeof r.tts === 'string' && r.tts.startsWith('2026-07-'));
  expect(july).toBeDefined();
  const julyPage = await log.readAudit(july!.id - 1);
  expect(julyPage.items[0]!.id).toBe(july!.id);
  expect(julyPage.items[0]!.time).toBe(new Date(Date.parse(`${july!.tts as string}Z`) - 2 * 3_600_000).toISOString());
});

it('ends on an empty page after the head', async () => {
  const head = await log.auditHead();
  expect(await log.readAudit(head)).toEqual({ items: [], next: head, hasMore: false });
});

it('retries through a brief 503 and names the IdP when the key is wrong', async () => {
  fx.fail503 = 1;
  expect((await log.readAudit(0)).items).toHaveLength(100);
  const wrong = createOs2faktorAuditLog({ baseUrl: fx.url, apiKey: 'forkert', retryDelayMs: 10 });
  try {
    const e = await wrong.auditHead().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConsoleError);
    expect(e).toMatchObject({ code: 'unavailable-idp' });
    expect((e as ConsoleError).message).toContain('401');
  } finally {
    wrong.close();
  }
});

it('treats an empty log (head null) as 0', async () => {
  const empty = await startOs2faktorFixture([]);
  const src = createOs2faktorAuditLog({ baseUrl: empty.url, apiKey: empty.apiKey });
  try {
    expect(await src.auditHead()).toBe(0);
    expect((await src.readAudit(0)).items).toEqual([]);
  } finally {
    src.close();
    await empty.stop();
  }
});
