import { describe, expect, it } from 'vitest';
import {
  dateToFileTime, decodeAccountFlags, encodeUnicodePwd, fileTimeToIso, guidToBuffer, guidToString, intervalToMinutes, sidToBuffer, sidToString,
} from '../../../src-main/connectors/ad/decode.ts';

describe('objectGUID', () => {
  // The bytes AD sends for the GUID it prints as 251419cf-8563-47cd-aa6c-ed7f3d893257.
  const raw = Buffer.from('cf19142563 85cd47aa6ced7f3d893257'.replace(/ /g, ''), 'hex');
  it('decodes with the first three fields little-endian', () => {
    expect(guidToString(raw)).toBe('251419cf-8563-47cd-aa6c-ed7f3d893257');
  });
  it('round-trips', () => {
    expect(guidToBuffer(guidToString(raw)).equals(raw)).toBe(true);
    expect(guidToBuffer('251419CF-8563-47CD-AA6C-ED7F3D893257').equals(raw)).toBe(true);
  });
  it('refuses wrong lengths and malformed strings', () => {
    expect(() => guidToString(Buffer.alloc(15))).toThrow();
    expect(() => guidToBuffer('*')).toThrow();
    expect(() => guidToBuffer('251419cf-8563-47cd-aa6c-ed7f3d89325')).toThrow();
  });
});

describe('objectSid', () => {
  const domainUsers = Buffer.from('010500000000000515000000' + '5c99ef72' + '8ad15c3f' + '2ce4952b' + '01020000', 'hex');
  it('decodes a domain SID with RID', () => {
    expect(sidToString(domainUsers)).toBe('S-1-5-21-1928304988-1063047562-731243564-513');
  });
  it('decodes a builtin SID', () => {
    expect(sidToString(Buffer.from('01020000000000052000000021020000', 'hex'))).toBe('S-1-5-32-545');
  });
  it('round-trips', () => {
    expect(sidToBuffer('S-1-5-21-1928304988-1063047562-731243564-513').equals(domainUsers)).toBe(true);
  });
  it('rejects truncated input', () => {
    expect(() => sidToString(domainUsers.subarray(0, 20))).toThrow();
    expect(() => sidToBuffer('S-1-x')).toThrow();
  });
});

describe('FILETIME', () => {
  it('converts to ISO', () => {
    expect(fileTimeToIso('133000000000000000')).toBe('2022-06-18T04:26:40.000Z') // checked with Python's datetime(1601,1,1)+timedelta;
    expect(fileTimeToIso(dateToFileTime(new Date('2024-06-30T22:00:00Z')))).toBe('2024-06-30T22:00:00.000Z');
  });
  it.each([['0'], ['9223372036854775807'], [''], ['abc'], [null], [undefined], ['-1'], ['999999999999999999999']])('treats %j as "not set"', (v) => {
    expect(fileTimeToIso(v)).toBeNull();
  });
});

describe('intervals', () => {
  it('turns negative 100-ns counts into minutes', () => {
    expect(intervalToMinutes('-18000000000')).toBe(30);
    expect(intervalToMinutes('-864000000000')).toBe(1440);
    expect(intervalToMinutes('0')).toBe(0);
  });
  it('returns null for "never" and garbage', () => {
    expect(intervalToMinutes('-9223372036854775808')).toBeNull();
    expect(intervalToMinutes(null)).toBeNull();
    expect(intervalToMinutes('x')).toBeNull();
  });
});

describe('account flags', () => {
  it('decodes userAccountControl bits', () => {
    const f = decodeAccountFlags('66050', '0'); // NORMAL | DISABLED | DONT_EXPIRE
    expect(f).toMatchObject({ disabled: true, passwordNeverExpires: true, normalAccount: true, lockedOut: false, computerAccount: false });
  });
  it('takes lockout and password expiry from the computed attribute, not the stored bits', () => {
    expect(decodeAccountFlags('528', '0').lockedOut).toBe(false); // stale LOCKOUT bit in UAC is ignored
    expect(decodeAccountFlags('512', '16').lockedOut).toBe(true);
    expect(decodeAccountFlags('512', '8388608').passwordExpired).toBe(true);
  });
  it('handles values AD prints as negative signed integers', () => {
    expect(decodeAccountFlags(String(0x80000000 | 0x202 | 0), null).disabled).toBe(true);
  });
  it('treats missing values as no flags', () => {
    expect(Object.values(decodeAccountFlags(undefined, undefined)).every((v) => v === false)).toBe(true);
  });
});

describe('unicodePwd', () => {
  it('is the quoted password in UTF-16LE', () => {
    expect(encodeUnicodePwd('Æb1!')).toEqual(Buffer.from('"Æb1!"', 'utf16le'));
    expect(encodeUnicodePwd('x').length).toBe(6);
  });
});
