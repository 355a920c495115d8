import { describe, expect, it } from 'vitest';
import { formatterFor } from '../../../src-renderer/app/format.ts';

// One formatter per language: numbers, dates and times written one way in Danish and one way in English.
const da = formatterFor('da');
const en = formatterFor('en');
const at = new Date(2026, 11, 5, 14, 5, 9); // local time: 5 December 2026 14:05:09

describe('the one formatter', () => {
  it('writes numbers with the language\'s grouping', () => {
    expect(da.number(2406)).toBe('2.406');
    expect(da.number(100552)).toBe('100.552');
    expect(en.number(100552)).toBe('100,552');
    expect(da.number(null)).toBe('');
  });

  it('writes dates day first: dd.mm.yyyy in Danish, dd/mm/yyyy in English', () => {
    expect(da.date(at)).toBe('05.12.2026');
    expect(en.date(at)).toBe('05/12/2026');
    expect(da.date(at.toISOString())).toBe('05.12.2026');
    expect(da.date(null)).toBe('');
    expect(da.date('not a date')).toBe('');
  });

  it('writes times and date-times, with seconds and the zone on request', () => {
    expect(da.time(at)).toBe('14.05');
    expect(en.time(at)).toBe('14:05');
    expect(da.dateTime(at)).toBe('05.12.2026 14.05');
    expect(en.dateTime(at)).toBe('05/12/2026 14:05');
    expect(da.dateTime(at, { seconds: true })).toBe('05.12.2026 14.05.09');
    expect(en.dateTime(at, { zone: true })).toMatch(/^05\/12\/2026 14:05 \S+$/);
  });

  it('writes today as its time and another day with its date', () => {
    const now = new Date(2026, 11, 5, 18, 0);
    expect(da.short(at, now)).toBe('14.05');
    expect(da.short(new Date(2026, 11, 4, 9, 30), now)).toBe('4.12 09.30');
    expect(en.short(new Date(2026, 11, 4, 9, 30), now)).toBe('04/12 09:30');
  });

  it('writes relative times in the language', () => {
    const now = new Date(2026, 11, 5, 14, 8, 9);
    expect(da.relative(at, now)).toBe('for 3 minutter siden');
    expect(en.relative(at, now)).toBe('3 minutes ago');
    expect(en.relative(new Date(2026, 11, 7, 14, 8, 9), now)).toBe('in 2 days');
    expect(da.relative(new Date(2026, 11, 4, 14, 8, 9), now)).toBe('i går');
  });

  it('reads typed dates day first in both languages and refuses impossible ones', () => {
    expect(da.parseDate('23.11.2026')).toEqual(new Date(2026, 10, 23));
    expect(da.parseDate('23-11-2026')).toEqual(new Date(2026, 10, 23));
    expect(en.parseDate('23/11/2026')).toEqual(new Date(2026, 10, 23));
    expect(en.parseDate('2026-11-23')).toEqual(new Date(2026, 10, 23));
    expect(da.parseDate('31.02.2026')).toBeNull();
    expect(da.parseDate('11/23/2026')).toBeNull();
    expect(da.parseDateTime('23.11.2026 14.05')).toEqual(new Date(2026, 10, 23, 14, 5));
    expect(en.parseDateTime('23/11/2026 14:05')).toEqual(new Date(2026, 10, 23, 14, 5));
    expect(da.parseDateTime('23.11.2026')).toEqual(new Date(2026, 10, 23));
    expect(da.parseDateTime('23.11.2026 25.00')).toBeNull();
    expect(da.dateInputFormat).toBe('DD.MM.YYYY');
    expect(en.dateInputFormat).toBe('DD/MM/YYYY');
  });
});
