import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/composition/core.ts';
import { caller, useTestCore } from '../../support/core.ts';

const t = useTestCore({ beforeEach, afterEach });
let core: Core;
beforeEach(() => {
  core = t.current();
});
const signedIn = t.signIn;

async function lockedPerson(c: ReturnType<typeof caller>, ouFragment: string, text = '') {
  const r = await core.dispatch('people.search', { text, limit: 1000 }, c);
  if (!r.ok) throw new Error(r.error.message);
  const items = (r.data as { items: Array<{ id: string; locked: boolean; ouPath: string }> }).items;
  const p = items.find((i) => i.locked && i.ouPath.includes(ouFragment));
  if (!p) throw new Error(`no locked person in ${ouFragment}`);
  return p;
}

describe('dispatcher', () => {
  it('rejects an unknown operation', async () => {
    const r = await core.dispatch('people.dropTables', {}, caller());
    expect(r).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('names the invalid field in a validation error', async () => {
    const r = await core.dispatch('session.login', { username: '', password: 'x' }, caller());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.message).toContain('username');
    expect(r.error.details?.fields).toMatchObject({ username: 'Angiv brugernavn' });
  });

  it('sends each validation issue as code and values, never the input, so the renderer can word it in English', async () => {
    const r = await core.dispatch('people.search', { text: 'hemmelig-værdi', limit: 'mange' }, caller());
    if (r.ok) throw new Error('expected a validation error');
    // Main words zod's own messages in Danish (zod's Danish locale) …
    expect(r.error.details?.fields).toEqual({ limit: expect.stringMatching(/^Ugyldigt input: forventede tal, fik streng/) });
    // … and sends the issue portably: the wrong value's type survives, the value itself does not.
    expect(r.error.details?.issues).toMatchObject({ limit: { code: 'invalid_type', expected: 'number', path: 'limit', input: '' } });
    expect(JSON.stringify(r.error)).not.toContain('mange');
    expect(JSON.stringify(r.error)).not.toContain('hemmelig');
  });

  it('rejects unknown fields instead of ignoring them', async () => {
    const r = await core.dispatch('people.search', { text: 'a', limit: 5, admin: true }, caller());
    expect(r).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('refuses a signed-in operation without a session', async () => {
    const r = await core.dispatch('people.search', { text: 'a' }, caller());
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const a = await core.dispatch('session.login', { username: 'nobody', password: 'x' }, caller());
    const b = await core.dispatch('session.login', { username: 'admin', password: 'wrong' }, caller());
    expect(a).toEqual(b);
    expect(a).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });

  it('refuses a write by an auditor and journals intent and refusal', async () => {
    const c = await signedIn('revisor');
    const p = await lockedPerson(c, 'Borgerservice');
    const r = await core.dispatch('people.unlockAccount', { personId: p.id, reason: 'revisor prøver' }, c);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Refused on role before any intent: nothing was attempted, so nothing but the login is journaled.
    expect(core.journal.list().map((e) => e.operation)).toEqual(['session.login']);
  });

  it('lets helpdesk unlock with a reason, journaling intent before outcome', async () => {
    const c = await signedIn('helpdesk');
    const p = await lockedPerson(c, 'Sundhed');
    const r = await core.dispatch('people.unlockAccount', { personId: p.id, reason: 'Ringede ind, verificeret' }, c);
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.data as { person: { locked: boolean } }).person.locked).toBe(false);
    const entries = core.journal.list().filter((e) => e.operation === 'people.unlockAccount');
    expect(entries.map((e) => [e.kind, e.outcome])).toEqual([['intent', null], ['outcome', 'success']]);
    expect(entries[0]).toMatchObject({ targetId: p.id, reason: 'Ringede ind, verificeret', operatorUsername: 'helpdesk' });
    expect(entries[1]).toMatchObject({ targetId: p.id, reason: 'Ringede ind, verificeret' });
    expect(entries[0]?.targetLabel).toMatch(/\(.+\)$/);
    expect(entries[0]?.targetOu).toMatch(/^OU=Sundhed og Omsorg,/);
    expect(entries[0]?.correlationId).toBe(entries[1]?.correlationId);
    expect(core.journal.verify()).toMatchObject({ ok: true });
  });

  it('requires a reason on a write', async () => {
    const c = await signedIn('helpdesk');
    const p = await lockedPerson(c, 'Sundhed');
    const r = await core.dispatch('people.unlockAccount', { personId: p.id, reason: ' ' }, c);
    expect(r).toMatchObject({ ok: false, error: { code: 'validation', details: { fields: { reason: expect.any(String) } } } });
  });

  it('keeps a scoped helpdesk inside its OUs on every call', async () => {
    const c = await signedIn('helpdesk.skole');
    // The scoped agent cannot even find someone outside the schools: an administrator finds them.
    const outside = await lockedPerson(await signedIn('admin'), 'Borgerservice');
    const inside = await lockedPerson(c, 'Skoler', 'elev');
    const no = await core.dispatch('people.unlockAccount', { personId: outside.id, reason: 'uden for mit område' }, c);
    expect(no).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const yes = await core.dispatch('people.unlockAccount', { personId: inside.id, reason: 'elev ringede' }, c);
    expect(yes.ok).toBe(true);
    const outcomes = core.journal.list().filter((e) => e.kind === 'outcome').map((e) => e.outcome);
    expect(outcomes).toEqual(['refused', 'success']);
  });

  it('never journals a secret', async () => {
    const c = await signedIn('admin');
    // A secret is bound to the saved address it is for, so the address comes first.
    const idp = { baseUrl: 'https://idp.fjordby.invalid', auth: 'api-key' };
    expect(await core.dispatch('settings.update', { settings: { idp } }, c)).toMatchObject({ ok: true });
    const r = await core.dispatch('settings.setSecret', { key: 'idp.apiKey', value: 'hemmelig-nøgle-123' }, c);
    expect(r.ok).toBe(true);
    const dump = JSON.stringify(core.journal.list());
    expect(dump).not.toContain('hemmelig-nøgle-123');
    expect(dump).toContain('[skjult]');
    const view = await core.dispatch('settings.get', {}, c);
    expect(JSON.stringify(view)).not.toContain('hemmelig-nøgle-123');
    expect(view).toMatchObject({ ok: true, data: { secrets: { 'idp.apiKey': true } } });
  });

  it('signs out and drops the session', async () => {
    const c = await signedIn('helpdesk');
    await core.dispatch('session.logout', {}, c);
    expect(await core.dispatch('session.current', {}, c)).toEqual({ ok: true, data: { operator: null } });
    expect(await core.dispatch('people.search', {}, c)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});
