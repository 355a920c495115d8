// The IdP admin API client against the project's simulator, over real HTTP: every operation, the
// Full Service IdP rule, optimistic concurrency, idempotent audit writes and the fault controls.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import forge from 'node-forge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/errors.ts';
import type { PasswordPolicy } from '../../../shared/idp/password-policy.ts';
import type { AuditEventWrite } from '../../../shared/idp/audit.ts';
import { createIdpClient } from '../../../src-main/connectors/idp/client.ts';
import type { IdpPort } from '../../../src-main/connectors/idp/idp-port.ts';
import { startIdpSimulator } from '../../../src-main/training/idp-sim/server.ts';
import { withCorrelation } from '../../../src-main/correlation.ts';
import type { IdpSimulator } from '../../../src-main/training/idp-sim/server.ts';
import type { SeedPerson } from '../../../src-main/training/idp-sim/seed.ts';

const people: SeedPerson[] = [
  { username: 'anhe', domain: 'kommune.dk', displayName: 'Anne Hansen' },
  { username: 'pejo', domain: 'kommune.dk', displayName: 'Peter Jørgensen' },
  { username: 'sola', domain: 'kommune.dk', displayName: 'Sofie Larsen' },
  { username: 'mamo', domain: 'kommune.dk', displayName: 'Mads Møller' },
  { username: 'frni', domain: 'kommune.dk', displayName: 'Freja Nielsen' },
  { username: 'jeol', domain: 'kommune.dk', displayName: 'Jens Olsen' },
  { username: 'elev0001', domain: 'elever.kommune.dk', displayName: 'Ida Poulsen' },
  { username: 'elev0002', domain: 'elever.kommune.dk', displayName: 'Emil Berg' },
];
const anne = { domain: 'kommune.dk', username: 'anhe' };
const peter = { domain: 'kommune.dk', username: 'pejo' };
const ctx = { actor: { username: 'hd.lise', displayName: 'Lise Helpdesk' }, reason: 'Henvendelse til servicedesk' };

let sim: IdpSimulator;
let idp: IdpPort;

async function rejection(p: Promise<unknown>): Promise<ConsoleError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConsoleError);
  return e as ConsoleError;
}

beforeAll(async () => {
  sim = await startIdpSimulator({ people, seed: 42, auditEvents: 2_000 });
  idp = createIdpClient({ baseUrl: sim.url, auth: { kind: 'api-key', apiKey: sim.apiKey }, timeoutMs: 2_000, retryDelayMs: 10 });
});
afterAll(async () => {
  idp.close();
  await sim.stop();
});
beforeEach(() => sim.faults.reset());

describe('connection and authentication', () => {
  it('pings with the API key and with a bearer token', async () => {
    expect(await idp.ping()).toMatchObject({ ok: true });
    const bearer = createIdpClient({ baseUrl: sim.url, auth: { kind: 'bearer', token: sim.bearerToken } });
    try {
      expect((await bearer.getPasswordPolicy('kommune.dk')).domain).toBe('kommune.dk');
    } finally {
      bearer.close();
    }
  });

  it('names the IdP when the key is wrong, without retrying', async () => {
    const wrong = createIdpClient({ baseUrl: sim.url, auth: { kind: 'api-key', apiKey: 'forkert' }, retryDelayMs: 10 });
    try {
      const before = sim.requestCount();
      const e = await rejection(wrong.getPasswordPolicy('kommune.dk'));
      expect(e.code).toBe('unavailable-idp');
      expect(e.message).toContain('Lokal IdP');
      expect(e.message).toContain('401');
      expect(sim.requestCount() - before).toBe(1);
      expect((await wrong.ping()).ok).toBe(false);
    } finally {
      wrong.close();
    }
  });
});

describe('password policies', () => {
  it('lists the seeded domains page by page: NSIS domain, pupils sub-domain, trusted pseudo-domain', async () => {
    const all: PasswordPolicy[] = [];
    let cursor: string | undefined;
    do {
      const page = await idp.listPasswordPolicies(cursor ? { cursor, limit: 1 } : { limit: 1 });
      expect(page.items.length).toBeLessThanOrEqual(1);
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const byDomain = Object.fromEntries(all.map((p) => [p.domain, p]));
    expect(byDomain['kommune.dk']).toMatchObject({ kind: 'domain', settings: { nsis: true, minLength: 15, triesBeforeLock: 5, lockedMinutes: 5 } });
    expect(byDomain['elever.kommune.dk']).toMatchObject({ kind: 'sub-domain', parentDomain: 'kommune.dk', settings: { nsis: false } });
    expect(byDomain['elever.kommune.dk']!.settings.minLength).toBeLessThan(15);
    expect(byDomain['betroede-medarbejdere']).toMatchObject({ kind: 'pseudo-domain', displayName: 'Betroede medarbejdere' });
    expect(byDomain['betroede-medarbejdere']!.settings.minLength).toBeGreaterThan(15);
  });

  it('saves a change, bumps the version and audits the full settings with the reason', async () => {
    const cur = await idp.getPasswordPolicy('kommune.dk');
    const headBefore = await idp.auditHead();
    const saved = await idp.updatePasswordPolicy('kommune.dk', {
      basedOnVersion: cur.version,
      settings: { ...cur.settings, minLength: 16, bannedWords: [...cur.settings.bannedWords, 'rådhus'] },
      ...ctx,
    });
    expect(saved.version).toBe(cur.version + 1);
    expect(saved.settings.minLength).toBe(16);
    expect(saved.updatedBy).toBe('hd.lise');
    expect((await idp.getPasswordPolicy('kommune.dk')).settings.bannedWords).toContain('rådhus');
    const { items } = await idp.readAudit(headBefore);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ action: 'CHANGE_PASSWORD_SETTINGS', performer: { username: 'hd.lise' } });
    expect(items[0]!.message).toContain(ctx.reason);
    expect(JSON.parse(items[0]!.details!)).toMatchObject({ minLength: 16, nsis: true });
  });

  it('refuses a minimum length under 15 on an NSIS domain, and nothing changes', async () => {
    const cur = await idp.getPasswordPolicy('kommune.dk');
    const headBefore = await idp.auditHead();
    const e = await rejection(idp.updatePasswordPolicy('kommune.dk', { basedOnVersion: cur.version, settings: { ...cur.settings, minLength: 14 }, ...ctx }));
    expect(e.code).toBe('refused');
    expect(e.message).toContain('15');
    expect(e.details).toMatchObject({ idpCode: 'full-service-rule', violations: [{ field: 'minLength' }] });
    expect(await idp.getPasswordPolicy('kommune.dk')).toEqual(cur);
    expect(await idp.auditHead()).toBe(headBefore);
  });

  it('refuses a softer lockout on an NSIS domain but allows a stricter one', async () => {
    const cur = await idp.getPasswordPolicy('kommune.dk');
    const e = await rejection(
      idp.updatePasswordPolicy('kommune.dk', { basedOnVersion: cur.version, settings: { ...cur.settings, triesBeforeLock: 6, lockedMinutes: 4 }, ...ctx }),
    );
    expect(e.code).toBe('refused');
    expect((e.details?.['violations'] as { field: string }[]).map((v) => v.field).sort()).toEqual(['lockedMinutes', 'triesBeforeLock']);
    const stricter = await idp.updatePasswordPolicy('kommune.dk', { basedOnVersion: cur.version, settings: { ...cur.settings, triesBeforeLock: 3, lockedMinutes: 15 }, ...ctx });
    expect(stricter.settings).toMatchObject({ triesBeforeLock: 3, lockedMinutes: 15 });
  });

  it('lets a non-NSIS pupils domain have a short minimum', async () => {
    const cur = await idp.getPasswordPolicy('elever.kommune.dk');
    const saved = await idp.updatePasswordPolicy('elever.kommune.dk', { basedOnVersion: cur.version, settings: { ...cur.settings, minLength: 6 }, ...ctx });
    expect(saved.settings.minLength).toBe(6);
  });

  it('answers a stale version with conflict', async () => {
    const cur = await idp.getPasswordPolicy('betroede-medarbejdere');
    await idp.updatePasswordPolicy('betroede-medarbejdere', { basedOnVersion: cur.version, settings: { ...cur.settings, passwordHistoryCount: 13 }, ...ctx });
    const e = await rejection(idp.updatePasswordPolicy('betroede-medarbejdere', { basedOnVersion: cur.version, settings: cur.settings, ...ctx }));
    expect(e.code).toBe('conflict');
    expect((await idp.getPasswordPolicy('betroede-medarbejdere')).settings.passwordHistoryCount).toBe(13);
  });

  it('lets exactly one of two concurrent saves win; the other gets 409', async () => {
    const cur = await idp.getPasswordPolicy('kommune.dk');
    const results = await Promise.allSettled([
      idp.updatePasswordPolicy('kommune.dk', { basedOnVersion: cur.version, settings: { ...cur.settings, minLength: 17 }, ...ctx }),
      idp.updatePasswordPolicy('kommune.dk', { basedOnVersion: cur.version, settings: { ...cur.settings, minLength: 18 }, ...ctx }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as ConsoleError).code).toBe('conflict');
    const after = await idp.getPasswordPolicy('kommune.dk');
    expect(after.version).toBe(cur.version + 1);
    expect(after.settings.minLength).toBe((won[0] as PromiseFulfilledResult<PasswordPolicy>).value.settings.minLength);
  });

  it('rejects invalid input before sending anything', async () => {
    const cur = await idp.getPasswordPolicy('kommune.dk');
    const before = sim.requestCount();
    const e = await rejection(idp.updatePasswordPolicy('kommune.dk', { basedOnVersion: cur.version, settings: { ...cur.settings, minLength: 40, maxLength: 20 }, ...ctx }));
    expect(e.code).toBe('validation');
    const e2 = await rejection(idp.updatePasswordPolicy('kommune.dk', { basedOnVersion: cur.version, settings: cur.settings, actor: ctx.actor, reason: 'nej' }));
    expect(e2.code).toBe('validation');
    expect(sim.requestCount()).toBe(before);
  });

  it('answers an unknown domain with not-found', async () => {
    expect((await rejection(idp.getPasswordPolicy('ukendt.dk'))).code).toBe('not-found');
  });
});

describe('terms of use', () => {
  it('serves the fixed NSIS terms and two addendum versions pinned by SHA-256', async () => {
    const nsis = await idp.getNsisTerms();
    expect(nsis.content).toContain('NSIS');
    const versions = await idp.listTermsVersions();
    expect(versions.items.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.items[0]!.contentHash).not.toBe(versions.items[1]!.contentHash);
    expect((await idp.getCurrentTerms())!.version).toBe(2);
    expect(await idp.getTermsVersion(1)).toEqual(versions.items[1]);
    expect((await rejection(idp.getTermsVersion(99))).code).toBe('not-found');
  });

  it('records acceptances that name the version and its hash, per person and per version', async () => {
    const v1 = await idp.getTermsVersion(1);
    const perVersion = await idp.listVersionAcceptances(1, { limit: 2 });
    expect(perVersion.items.length).toBeGreaterThan(0);
    for (const a of perVersion.items) expect(a).toMatchObject({ version: 1, contentHash: v1.contentHash });
    let total = 0;
    for (const p of people) total += (await idp.listTermsAcceptances(p)).items.length;
    expect(total).toBeGreaterThan(0);
  });

  it('publishes an immutable new version; a stale publish gets 409; re-acceptance becomes due', async () => {
    const content = 'Kommunens tillæg, version 3: husk at låse skærmen.';
    const v3 = await idp.publishTermsVersion({ content, requiresReacceptance: true, basedOnVersion: 2, ...ctx });
    expect(v3).toMatchObject({ version: 3, author: 'Lise Helpdesk', requiresReacceptance: true, reason: ctx.reason });
    expect(v3.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await idp.getCurrentTerms())!.version).toBe(3);
    const e = await rejection(idp.publishTermsVersion({ content: 'andet', requiresReacceptance: false, basedOnVersion: 2, ...ctx }));
    expect(e.code).toBe('conflict');
    expect((await idp.getPerson(anne)).mustAcceptTerms).toBe(true);
    sim.state.acceptCurrentTerms(anne);
    const after = await idp.getPerson(anne);
    expect(after).toMatchObject({ mustAcceptTerms: false, acceptedTermsVersion: 3 });
    const mine = await idp.listTermsAcceptances(anne);
    expect(mine.items.at(-1)).toMatchObject({ version: 3, contentHash: v3.contentHash });
    expect((await idp.getTermsVersion(2)).version).toBe(2);
  });
});

describe('people and their MFA devices', () => {
  it('lists devices with type, name, NSIS level, lock state, last use and registration', async () => {
    const all = [];
    for (const p of people) all.push(...(await idp.listDevices(p)).items);
    const types = new Set(all.map((d) => d.type));
    for (const t of ['app', 'browser-extension', 'fido2', 'totp', 'hardware-token']) expect(types).toContain(t);
    expect(all.some((d) => d.locked)).toBe(true);
    const first = (await idp.listDevices(anne)).items[0]!;
    expect(first).toMatchObject({ locked: true, lockedUntil: null, lockedReason: 'Telefon bortkommet' });
    const page = await idp.listDevices(anne, { limit: 1 });
    expect(page.items).toHaveLength(1);
  });

  it('locks, unlocks, test-pushes and removes one device, each with a reason in the audit log', async () => {
    const head = await idp.auditHead();
    const app = (await idp.listDevices(anne)).items.find((d) => d.type === 'app') ?? (await idp.listDevices(anne)).items[0]!;
    const unlocked = await idp.unlockDevice(anne, app.id, ctx);
    expect(unlocked).toMatchObject({ locked: false, lockedReason: null });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const locked = await idp.lockDevice(anne, app.id, { ...ctx, until });
    expect(locked.locked).toBe(true);
    expect(Date.parse(locked.lockedUntil!)).toBe(Date.parse(until));
    await idp.unlockDevice(anne, app.id, ctx);
    if (app.type === 'app') {
      const push = await idp.sendTestPush(anne, app.id, ctx);
      expect(push).toMatchObject({ deviceId: app.id, outcome: 'approved' });
    }
    await idp.removeDevice(anne, app.id, ctx);
    expect((await idp.listDevices(anne)).items.map((d) => d.id)).not.toContain(app.id);
    expect((await rejection(idp.removeDevice(anne, app.id, ctx))).code).toBe('not-found');
    const events = (await idp.readAudit(head)).items;
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['LIA_UNLOCK_MFA_DEVICE', 'LIA_LOCK_MFA_DEVICE', 'DELETED_MFA_DEVICE']));
    for (const ev of events) expect(ev.message).toContain(ctx.reason);
  });

  it('sends the console operation\'s correlation id with each call; the IdP stores it on the events it writes', async () => {
    const head = await idp.auditHead();
    const app = (await idp.listDevices(peter)).items.find((d) => d.type !== 'hardware-token')!;
    await withCorrelation('op-7f3a.unlock', () => idp.unlockDevice(peter, app.id, ctx));
    await idp.lockDevice(peter, app.id, ctx);
    // A value that is not a correlation id (spaces, control characters) is not sent and never stored.
    await withCorrelation('x y\u0007', () => idp.unlockDevice(peter, app.id, ctx));
    const events = (await idp.readAudit(head)).items.filter((e) => e.person?.username === 'pejo');
    expect(events.map((e) => [e.action, e.correlationId])).toEqual([
      ['LIA_UNLOCK_MFA_DEVICE', 'op-7f3a.unlock'],
      ['LIA_LOCK_MFA_DEVICE', null],
      ['LIA_UNLOCK_MFA_DEVICE', null],
    ]);
  });

  it('refuses a test push to a device that cannot receive one', async () => {
    const all = await Promise.all(people.map(async (p) => ({ p, items: (await idp.listDevices(p)).items })));
    const target = all.flatMap(({ p, items }) => items.filter((d) => d.type === 'fido2' || d.type === 'totp').map((d) => ({ p, d })))[0]!;
    const e = await rejection(idp.sendTestPush(target.p, target.d.id, ctx));
    expect(e.code).toBe('refused');
    expect(e.details).toMatchObject({ idpCode: 'device-state' });
  });

  it('assigns a free hardware token, refuses it to a second person, and releases it to the pool', async () => {
    const free = await idp.listHardwareTokens({ status: 'free', limit: 5 });
    expect(free.items.length).toBeGreaterThan(0);
    const serial = free.items[0]!.serialNumber;
    // One token by its serial number: free before, Peter's after; an unknown serial is null, not an error.
    expect(await idp.getHardwareToken(serial)).toMatchObject({ serialNumber: serial, assignedTo: null });
    expect(await idp.getHardwareToken('KV-000000')).toBeNull();
    const device = await idp.assignHardwareToken(peter, serial, ctx);
    expect(await idp.getHardwareToken(serial)).toMatchObject({ assignedTo: peter, deviceId: device.id });
    expect(device).toMatchObject({ type: 'hardware-token', serialNumber: serial });
    expect((await idp.listDevices(peter)).items.map((d) => d.id)).toContain(device.id);
    const again = await idp.assignHardwareToken(peter, serial, ctx);
    expect(again.id).toBe(device.id);
    const e = await rejection(idp.assignHardwareToken(anne, serial, ctx));
    expect(e.code).toBe('conflict');
    const assigned = await idp.listHardwareTokens({ status: 'assigned', limit: 1000 });
    expect(assigned.items.find((t) => t.serialNumber === serial)?.assignedTo).toEqual(peter);
    await idp.releaseHardwareToken(peter, serial, ctx);
    expect((await idp.listDevices(peter)).items.map((d) => d.id)).not.toContain(device.id);
    const freeAgain = await idp.listHardwareTokens({ status: 'free', limit: 1000 });
    expect(freeAgain.items.map((t) => t.serialNumber)).toContain(serial);
    expect((await rejection(idp.assignHardwareToken(peter, 'KV-FINDES-IKKE', ctx))).code).toBe('not-found');
  });

  it('locks and unlocks the whole identity with a reason', async () => {
    const before = await idp.getPerson(peter);
    const locked = await idp.lockIdentity(peter, ctx);
    expect(locked.nsisStatus).toBe('LOCKED_BY_MUNICIPALITY');
    expect(locked.locked).toMatchObject({ by: 'hd.lise', reason: ctx.reason });
    const unlocked = await idp.unlockIdentity(peter, { ...ctx, reason: 'Identitet verificeret igen' });
    expect(unlocked.locked).toBeNull();
    expect(unlocked.nsisStatus).toBe(before.nsisStatus);
    expect((await rejection(idp.getPerson({ domain: 'kommune.dk', username: 'findesikke' }))).code).toBe('not-found');
  });
});

describe('audit log', () => {
  const event = (over: Partial<AuditEventWrite> = {}): AuditEventWrite => ({
    eventId: randomUUID(),
    time: new Date().toISOString(),
    action: 'CONSOLE_UNLOCK_AD_ACCOUNT',
    message: 'AD-konto låst op fra konsollen.',
    performer: ctx.actor,
    person: anne,
    correlationId: randomUUID(),
    reason: ctx.reason,
    details: null,
    ...over,
  });

  it('writes an event once; a repeat is acknowledged without a duplicate; other content under the same id is a conflict', async () => {
    const ev = event();
    const head = await idp.auditHead();
    const first = await idp.writeAuditEvent(ev);
    expect(first.created).toBe(true);
    const second = await idp.writeAuditEvent(ev);
    expect(second).toEqual({ ...first, created: false });
    expect(await idp.auditHead()).toBe(first.id);
    const { items } = await idp.readAudit(head);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: first.id, eventId: ev.eventId, source: 'console', action: ev.action, person: { username: 'anhe', displayName: 'Anne Hansen' } });
    expect((await rejection(idp.writeAuditEvent({ ...ev, message: 'noget andet' }))).code).toBe('conflict');
  });

  it('retries an audit write whose response was dropped, and the event exists once', async () => {
    const ev = event();
    const head = await idp.auditHead();
    sim.faults.dropNextWrites = 1;
    const before = sim.requestCount();
    const r = await idp.writeAuditEvent(ev);
    expect(sim.requestCount() - before).toBe(2);
    expect(r.created).toBe(false);
    const { items } = await idp.readAudit(head);
    expect(items.filter((e) => e.eventId === ev.eventId)).toHaveLength(1);
    expect(items).toHaveLength(1);
  });

  it('does not retry a non-idempotent write whose response was dropped; the change is applied', async () => {
    const cur = await idp.getPasswordPolicy('elever.kommune.dk');
    sim.faults.dropNextWrites = 1;
    const before = sim.requestCount();
    const e = await rejection(idp.updatePasswordPolicy('elever.kommune.dk', { basedOnVersion: cur.version, settings: { ...cur.settings, minLength: 9 }, ...ctx }));
    expect(e.code).toBe('unavailable-idp');
    expect(sim.requestCount() - before).toBe(1);
    expect((await idp.getPasswordPolicy('elever.kommune.dk')).version).toBe(cur.version + 1);
  });

  it('reads a bounded page after an id', async () => {
    const page = await idp.readAudit(0, 10);
    expect(page.items).toHaveLength(10);
    expect(page.hasMore).toBe(true);
    expect(page.next).toBe(page.items[9]!.id);
    expect((await idp.readAudit(page.next, 5)).items[0]!.id).toBeGreaterThan(page.next);
    const head = await idp.auditHead();
    expect(await idp.readAudit(head)).toEqual({ items: [], next: head, hasMore: false });
    expect((await rejection(idp.readAudit(0, 5000))).code).toBe('validation');
  });
});

describe('faults', () => {
  it('retries an idempotent read on 503 and then names the IdP', async () => {
    sim.faults.unavailableRate = 1;
    const before = sim.requestCount();
    const e = await rejection(idp.getPasswordPolicy('kommune.dk'));
    expect(e.code).toBe('unavailable-idp');
    expect(e.message).toBe('Lokal IdP svarer ikke (503)');
    expect(sim.requestCount() - before).toBe(3);
  });

  it('does not retry a write on 503', async () => {
    sim.faults.unavailableRate = 1;
    const before = sim.requestCount();
    const e = await rejection(idp.lockIdentity(peter, ctx));
    expect(e.code).toBe('unavailable-idp');
    expect(sim.requestCount() - before).toBe(1);
    sim.faults.reset();
    expect((await idp.getPerson(peter)).locked).toBeNull();
  });

  it('recovers when the IdP comes back between retries', async () => {
    sim.faults.unavailableRate = 1;
    setTimeout(() => sim.faults.reset(), 5);
    const slow = createIdpClient({ baseUrl: sim.url, auth: { kind: 'api-key', apiKey: sim.apiKey }, retries: 3, retryDelayMs: 60 });
    try {
      expect((await slow.getPasswordPolicy('kommune.dk')).domain).toBe('kommune.dk');
    } finally {
      slow.close();
    }
  });

  it('reports a 500 as the IdP failing', async () => {
    sim.faults.serverErrorRate = 1;
    const e = await rejection(idp.getNsisTerms());
    expect(e).toMatchObject({ code: 'unavailable-idp', message: 'Lokal IdP fejlede (500)' });
  });

  it('times out on latency and says so', async () => {
    sim.faults.latencyMs = { min: 400, max: 400 };
    const impatient = createIdpClient({ baseUrl: sim.url, auth: { kind: 'api-key', apiKey: sim.apiKey }, timeoutMs: 100, retries: 0 });
    try {
      const e = await rejection(impatient.auditHead());
      expect(e.code).toBe('unavailable-idp');
      expect(e.message).toBe('Lokal IdP svarede ikke inden for 0,1 s');
    } finally {
      impatient.close();
    }
  });

  it('names the IdP when nothing listens', async () => {
    const gone = await startIdpSimulator({ people, auditEvents: 10 });
    const url = gone.url;
    await gone.stop();
    const dead = createIdpClient({ baseUrl: url, auth: { kind: 'api-key', apiKey: 'x' }, retries: 0 });
    try {
      const e = await rejection(dead.auditHead());
      expect(e.code).toBe('unavailable-idp');
      expect(e.message).toContain('Lokal IdP');
    } finally {
      dead.close();
    }
  });
});

describe('the simulator enforces the contract itself', () => {
  const raw = (method: string, path: string, body?: unknown, headers: Record<string, string> = { ApiKey: sim.apiKey }) =>
    fetch(`${sim.url}/api/v1${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('answers errors as {code, message}: no key, no reason, unknown path, bad JSON', async () => {
    const noKey = await raw('GET', '/audit/head', undefined, {});
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ code: 'unauthenticated', message: expect.any(String) });
    const noReason = await raw('POST', '/people/kommune.dk/pejo/lock', { actor: { username: 'x' } });
    expect(noReason.status).toBe(400);
    expect(await noReason.json()).toMatchObject({ code: 'validation' });
    expect((await idp.getPerson(peter)).locked).toBeNull();
    const unknown = await raw('GET', '/nothing-here');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'not-found' });
    const badJson = await fetch(`${sim.url}/api/v1/audit/events`, { method: 'POST', headers: { ApiKey: sim.apiKey, 'content-type': 'application/json' }, body: '{' });
    expect(badJson.status).toBe(400);
  });

  it('refuses the Full Service rule server-side with its own error code, whatever the client checks', async () => {
    const cur = await idp.getPasswordPolicy('kommune.dk');
    const res = await raw('PUT', '/password-policies/kommune.dk', { basedOnVersion: cur.version, settings: { ...cur.settings, minLength: 10 }, ...ctx });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'full-service-rule', details: { violations: [{ field: 'minLength' }] } });
    expect((await idp.getPasswordPolicy('kommune.dk')).version).toBe(cur.version);
  });

  it('accepts a bearer token and rejects a wrong one', async () => {
    expect((await raw('GET', '/audit/head', undefined, { Authorization: `Bearer ${sim.bearerToken}` })).status).toBe(200);
    expect((await raw('GET', '/audit/head', undefined, { Authorization: 'Bearer nope' })).status).toBe(401);
  });
});

describe('HTTPS', () => {
  it('talks to the simulator over HTTPS when given its CA, and refuses an unknown certificate', async () => {
    const { cert, key } = selfSignedCert();
    const tlsSim = await startIdpSimulator({ people, auditEvents: 10, tls: { cert, key } });
    const trusted = createIdpClient({ baseUrl: tlsSim.url, auth: { kind: 'api-key', apiKey: tlsSim.apiKey }, ca: cert, retries: 0 });
    const untrusted = createIdpClient({ baseUrl: tlsSim.url, auth: { kind: 'api-key', apiKey: tlsSim.apiKey }, retries: 0 });
    try {
      expect(tlsSim.url.startsWith('https://')).toBe(true);
      expect((await trusted.getPerson(anne)).displayName).toBe('Anne Hansen');
      const e = await rejection(untrusted.getPerson(anne));
      expect(e.code).toBe('unavailable-idp');
      expect(e.message).toContain('certifikat');
    } finally {
      trusted.close();
      untrusted.close();
      await tlsSim.stop();
    }
  });
});

/** A throw-away certificate for 127.0.0.1, made from a node:crypto key (fast) and signed with node-forge. */
function selfSignedCert(): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  c.serialNumber = '01';
  c.validity.notBefore = new Date(Date.now() - 60_000);
  c.validity.notAfter = new Date(Date.now() + 3_600_000);
  const attrs = [{ name: 'commonName', value: 'Lokal IdP-simulator' }];
  c.setSubject(attrs);
  c.setIssuer(attrs);
  c.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  c.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(c), key: keyPem };
}
