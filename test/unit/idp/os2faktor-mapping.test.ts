import { describe, expect, it } from 'vitest';
import { mapOs2faktorRow, os2faktorTimeToIso } from '../../../src-main/connectors/idp/os2faktor-audit-log.ts';
import { AuditEvent } from '../../../shared/idp/audit.ts';

describe('os2faktorTimeToIso', () => {
  it('reads Danish wall-clock time in winter (UTC+1) and summer (UTC+2)', () => {
    expect(os2faktorTimeToIso('2026-01-15T10:00:00')).toBe('2026-01-15T09:00:00.000Z');
    expect(os2faktorTimeToIso('2026-07-15T10:00:00.5')).toBe('2026-07-15T08:00:00.500Z');
    expect(os2faktorTimeToIso('2026-07-15 10:00')).toBe('2026-07-15T08:00:00.000Z');
  });

  it('reads the array encoding and times that carry an offset', () => {
    expect(os2faktorTimeToIso([2026, 3, 29, 12, 30, 0, 250_000_000])).toBe('2026-03-29T10:30:00.250Z');
    expect(os2faktorTimeToIso('2026-01-15T10:00:00Z')).toBe('2026-01-15T10:00:00.000Z');
    expect(os2faktorTimeToIso('2026-01-15T10:00:00+01:00')).toBe('2026-01-15T09:00:00.000Z');
  });

  it('is right on both sides of the autumn switch', () => {
    expect(os2faktorTimeToIso('2026-10-25T01:30:00')).toBe('2026-10-24T23:30:00.000Z');
    expect(os2faktorTimeToIso('2026-10-25T04:00:00')).toBe('2026-10-25T03:00:00.000Z');
  });

  it('rejects what is not a time', () => {
    expect(() => os2faktorTimeToIso('i går')).toThrow();
  });
});

describe('mapOs2faktorRow', () => {
  it('produces a contract AuditEvent without the full CPR and keeps unknown actions', () => {
    const ev = mapOs2faktorRow({
      id: 5,
      tts: '2026-02-01T12:00:00',
      cpr: '010180-1234',
      logAction: 'SOMETHING_NEW',
      personName: 'Anne Hansen',
      samaccountName: 'anhe',
      personDomain: 'kommune.dk',
      detailContent: 'a',
      detailSupplement: 'b',
    });
    expect(AuditEvent.parse(ev)).toEqual(ev);
    expect(ev).toMatchObject({ action: 'SOMETHING_NEW', cprMasked: '010180-XXXX', details: 'a\n\nb', message: '', performer: null });
    expect(JSON.stringify(ev)).not.toContain('1234');
  });

  it('leaves person empty for system events', () => {
    expect(mapOs2faktorRow({ id: 1, tts: '2026-02-01T12:00:00', logAction: null }).person).toBeNull();
  });
});

describe('client factories', () => {
  it('refuse an address that is not http(s) with a validation error', async () => {
    const { createIdpClient } = await import('../../../src-main/connectors/idp/client.ts');
    const { createOs2faktorAuditLog } = await import('../../../src-main/connectors/idp/os2faktor-audit-log.ts');
    expect(() => createIdpClient({ baseUrl: 'ftp://idp.kommune.dk', auth: { kind: 'api-key', apiKey: 'k' } })).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(() => createOs2faktorAuditLog({ baseUrl: 'ikke en adresse', apiKey: 'k' })).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});

describe('idpClientOptionsFromProfile', () => {
  it('picks the auth kind from the profile', async () => {
    const { idpClientOptionsFromProfile } = await import('../../../src-main/connectors/idp/client.ts');
    const base = { baseUrl: 'https://idp.kommune.dk', caFile: '', timeoutMs: 5000 };
    expect(idpClientOptionsFromProfile({ ...base, auth: 'bearer' }, 's')).toEqual({ baseUrl: base.baseUrl, auth: { kind: 'bearer', token: 's' }, timeoutMs: 5000 });
    expect(idpClientOptionsFromProfile({ ...base, auth: 'api-key' }, 's', 'PEM').auth).toEqual({ kind: 'api-key', apiKey: 's' });
  });
});
