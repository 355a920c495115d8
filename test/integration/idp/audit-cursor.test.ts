// Cursor reads over the simulator's full seeded log (≥ 100,000 events over 13 months) with the real client:
// every event exactly once and in order, also while new events are being written.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import { auditEventsAfter } from '../../../src-main/connectors/idp/idp-port.ts';
import type { IdpPort } from '../../../src-main/connectors/idp/idp-port.ts';
import { startIdpSimulator } from '../../../src-main/training/idp-sim/server.ts';
import type { IdpSimulator } from '../../../src-main/training/idp-sim/server.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
let sim: IdpSimulator;
let idp: IdpPort;

beforeAll(async () => {
  // A large log read by cursor; retention (tested in os2faktor-fidelity) would thin the seeded year of logins.
  sim = await startIdpSimulator({ now: NOW, seed: 5, retention: false });
  idp = createIdpClient({ baseUrl: sim.url, auth: { kind: 'api-key', apiKey: sim.apiKey }, retryDelayMs: 10 });
});
afterAll(async () => {
  idp.close();
  await sim.stop();
});

it('returns each of the 100,000+ events exactly once, in id order, while writes land mid-read', async () => {
  const expected = sim.state.audit.map((e) => e.id);
  expect(expected.length).toBeGreaterThanOrEqual(100_000);
  expect(await idp.auditHead()).toBe(expected.at(-1));
  // Ids skip (as in the peer), so a reader that adds 1 instead of following the cursor would be caught.
  expect(expected.some((id, i) => i > 0 && id - expected[i - 1]! > 1)).toBe(true);

  const seen: number[] = [];
  const written: number[] = [];
  let pages = 0;
  let cursor = 0;
  for (;;) {
    const page = await idp.readAudit(cursor, 1000);
    pages++;
    for (const e of page.items) seen.push(e.id);
    if (pages % 25 === 0) {
      const r = await idp.writeAuditEvent({
        eventId: randomUUID(),
        time: new Date().toISOString(),
        action: 'CONSOLE_NOTE',
        message: `Skrevet under læsning ${pages}`,
        performer: { username: 'auditor' },
        person: null,
        correlationId: null,
        reason: null,
        details: null,
      });
      written.push(r.id);
    }
    cursor = page.next;
    if (!page.hasMore) break;
  }
  expect(written).toHaveLength(4);
  const all = [...expected, ...written];
  expect(seen).toEqual(all);
  expect(new Set(seen).size).toBe(seen.length);
  expect(pages).toBeGreaterThanOrEqual(100);
});

it('spans 13 months with a realistic mix, and the iterator at the default page size agrees with the raw pages', async () => {
  const first = (await idp.readAudit(0, 1)).items[0]!;
  const spanDays = (NOW - Date.parse(first.time)) / 86_400_000;
  expect(spanDays).toBeGreaterThan(380);
  expect(spanDays).toBeLessThan(400);
  const counts = new Map<string, number>();
  let n = 0;
  let previous = 0;
  let withReason = 0;
  const start = sim.state.audit[sim.state.audit.length - 3_000]!.id - 1;
  for await (const e of auditEventsAfter(idp, start)) {
    expect(e.id).toBeGreaterThan(previous);
    previous = e.id;
    n++;
    counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
    if (e.performer && e.message.includes('Begrundelse:')) withReason++;
  }
  expect(n).toBe(3_000);
  for (const a of ['LOGIN', 'WRONG_PASSWORD', 'ACCEPT_MFA', 'REJECT_MFA']) expect(counts.get(a) ?? 0).toBeGreaterThan(0);
  expect(counts.get('LOGIN')!).toBeGreaterThan(counts.get('WRONG_PASSWORD')!);
  expect(withReason).toBeGreaterThan(0);
});
