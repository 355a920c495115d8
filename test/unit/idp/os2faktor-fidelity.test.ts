// Where the IdP simulator meets OS2faktor Login, it behaves as OS2faktor's code does: action names, the
// empty audit log's head, retention, and the automatic device lock. Our own actions carry LIA_.
import { describe, expect, it } from 'vitest';
import { IdpState, DEVICE_LOCK_MINUTES } from '../../../src-main/training/idp-sim/state.ts';
import { seedIdpState, NSIS_TERMS_TEXT } from '../../../src-main/training/idp-sim/seed.ts';
import { knownAuditActions, ownActions } from '../../../shared/idp/audit.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const people = Array.from({ length: 60 }, (_, i) => ({ username: `medarb${i}`, domain: 'kommune.dk', displayName: `Person ${i}` }));
const actor = { actor: { username: 'admin' }, reason: 'Test af simulatoren' };

describe('IdP simulator fidelity to OS2faktor', () => {
  it('logs a released hardware token as KODEVISER_RESET, not as a deleted device', () => {
    let t = NOW;
    const s = seedIdpState({ people, now: NOW, auditEvents: 500, clock: () => t });
    const free = [...s.hardwareTokens.values()].find((x) => x.assignedTo === null)!;
    const key = { domain: 'kommune.dk', username: 'medarb1' };
    s.assignHardwareToken(key, { ...actor, serialNumber: free.serialNumber });
    t += 1000;
    s.releaseHardwareToken(key, free.serialNumber, actor);
    expect(s.audit.at(-1)!.action).toBe('KODEVISER_RESET');
    expect(s.audit.at(-2)!.action).toBe(ownActions.assignToken);
  });

  it('names every action OS2faktor does not have with the LIA_ prefix', () => {
    for (const a of Object.values(ownActions)) expect(a).toMatch(/^LIA_/);
    expect(knownAuditActions).not.toContain('LOCK_MFA_DEVICE');
    expect(knownAuditActions).not.toContain('EVIDENCE_ATTESTED');
  });

  it('answers head null on an empty log, as OS2faktor (MAX(id) over no rows)', () => {
    const s = new IdpState({ label: 'x', content: 'x', contentHash: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881', updatedAt: new Date(NOW).toISOString() }, () => NOW);
    expect(s.auditHeadAnswer()).toBeNull();
    expect(s.readAudit(0, 100)).toEqual({ items: [], next: 0, hasMore: false });
  });

  it('keeps events 13 months and logins 3 months, and never reuses an id', () => {
    const s = seedIdpState({ people, now: NOW, auditEvents: 3000 });
    const head = s.auditHead();
    const removed = s.applyRetention(NOW);
    expect(removed).toBeGreaterThan(0);
    const threeMonths = Date.parse('2026-08-23T12:00:00Z');
    const thirteen = Date.parse('2025-10-23T12:00:00Z');
    expect(s.audit.every((e) => Date.parse(e.time) >= thirteen)).toBe(true);
    expect(s.audit.filter((e) => e.action === 'LOGIN').every((e) => Date.parse(e.time) >= threeMonths)).toBe(true);
    expect(s.audit.some((e) => e.action !== 'LOGIN' && Date.parse(e.time) < threeMonths)).toBe(true);
    const ev = s.appendEvent({ action: 'LOGIN', message: 'x', person: null, performer: null, details: null });
    expect(ev.id).toBe(head + 1);
  });

  it('locks a device for 5 minutes after 5 wrong codes, by itself', () => {
    let t = NOW;
    const s = seedIdpState({ people, now: NOW, auditEvents: 200, clock: () => t });
    const key = { domain: 'kommune.dk', username: 'medarb2' };
    const dev = s.listDevices(key, undefined, 10).items.find((d) => !d.locked);
    if (!dev) return;
    for (let i = 0; i < 4; i++) expect(s.wrongCode(key, dev.id).locked).toBe(false);
    const locked = s.wrongCode(key, dev.id);
    expect(locked.locked).toBe(true);
    expect(Date.parse(locked.lockedUntil!) - t).toBe(DEVICE_LOCK_MINUTES * 60_000);
    expect(s.audit.at(-1)!.action).toBe(ownActions.deviceLockedByWrongCodes);
    t += DEVICE_LOCK_MINUTES * 60_000 + 1;
    expect(s.listDevices(key, undefined, 10).items.find((d) => d.id === dev.id)!.locked).toBe(false);
  });

  it('has fixed NSIS terms with the obligations a user accepts', () => {
    for (const word of ['personlig', 'MFA', 'straks', 'spærre', 'logges', 'arbejde', 'godkend']) expect(NSIS_TERMS_TEXT.toLowerCase()).toContain(word.toLowerCase());
  });
});
