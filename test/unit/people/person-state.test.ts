import { describe, expect, it } from 'vitest';
import { blockers, personStates } from '../../../shared/domain/person-state.ts';

const now = Date.parse('2026-12-01T12:00:00Z');
const ad = (over: Partial<{ enabled: boolean; locked: boolean; accountExpires: string | null }> = {}) => ({ enabled: true, locked: false, accountExpires: null, ...over });
const mitid = (status: string | null, allowSigning: boolean | null = false, privateMitIdActive: boolean | null = false) => ({ status, allowSigning, privateMitIdActive });

describe('one state model per person', () => {
  it('an account past its end date is expired, never active — even when enabled', () => {
    expect(personStates({ ad: ad({ accountExpires: '2026-11-01T00:00:00Z' }), mitid: null }, now).account).toBe('expired');
    expect(personStates({ ad: ad({ accountExpires: '2027-11-01T00:00:00Z' }), mitid: null }, now).account).toBe('active');
    expect(personStates({ ad: ad({ enabled: false }), mitid: null }, now).account).toBe('disabled');
    expect(personStates({ ad: ad({ locked: true }), mitid: null }, now).account).toBe('locked');
  });

  it('signing allowed without an active private MitID waits for the person; with one it is active', () => {
    expect(personStates({ ad: ad(), mitid: mitid('Active', true, false) }, now).signing).toBe('waiting-for-person');
    expect(personStates({ ad: ad(), mitid: mitid('Active', true, true) }, now).signing).toBe('active');
    expect(personStates({ ad: ad(), mitid: mitid('Active', true, null) }, now).signing).toBe('unknown');
    expect(personStates({ ad: ad(), mitid: mitid('Active', false) }, now).signing).toBe('none');
  });

  it('names identities awaiting validation, suspended, missing and not yet read', () => {
    expect(personStates({ ad: ad(), mitid: mitid('Pending') }, now).identity).toBe('pending-validation');
    expect(personStates({ ad: ad(), mitid: mitid('Suspended') }, now).identity).toBe('suspended');
    expect(personStates({ ad: ad(), mitid: mitid(null) }, now).identity).toBe('none');
    expect(personStates({ ad: ad(), mitid: { ...mitid(null), pendingCreate: true } }, now).identity).toBe('pending-create');
    expect(personStates({ ad: ad(), mitid: null }, now).identity).toBe('unknown');
  });
});

describe('preconditions before the reason', () => {
  it('no signing upgrade for a suspended identity, one awaiting validation, or an expired account', () => {
    const s = (m: ReturnType<typeof mitid>, a = ad()) => personStates({ ad: a, mitid: m }, now);
    expect(blockers('allow-signing', { states: s(mitid('Suspended')), email: 'a@b.dk' })).toEqual(['identity-suspended']);
    expect(blockers('allow-signing', { states: s(mitid('Pending')), email: 'a@b.dk' })).toEqual(['identity-pending-validation']);
    expect(blockers('allow-signing', { states: s(mitid('Active'), ad({ accountExpires: '2026-01-01T00:00:00Z' })), email: 'a@b.dk' })).toEqual(['account-expired']);
    expect(blockers('allow-signing', { states: s(mitid('Active', true, false)), email: 'a@b.dk' })).toEqual(['already-signing']);
    expect(blockers('allow-signing', { states: s(mitid('Active')), email: 'a@b.dk' })).toEqual([]);
  });

  it('a local authenticator for someone without an identity needs an e-mail address and a name', () => {
    const states = personStates({ ad: ad(), mitid: mitid(null) }, now);
    expect(blockers('assign-local', { states, email: null, givenName: 'Anna', surname: 'Berg' })).toEqual(['no-email']);
    expect(blockers('assign-local', { states, email: '  ', givenName: '', surname: 'Berg' })).toEqual(['no-email', 'missing-name']);
    expect(blockers('assign-local', { states, email: 'anna@fjordby.dk', givenName: 'Anna', surname: 'Berg' })).toEqual([]);
    // An existing identity gets the credential without a new e-mail.
    const has = personStates({ ad: ad(), mitid: mitid('Active') }, now);
    expect(blockers('assign-local', { states: has, email: null })).toEqual([]);
  });
});
