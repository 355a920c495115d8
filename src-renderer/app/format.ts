import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The one formatter for numbers, dates, times and relative times in the renderer. Everything the
 * console shows goes through it, in the operator's language: Danish as Danes write it (2.406; 05.12.2026;
 * 14.05), English in the British order a Danish colleague reads without doubt (2,406; 05/12/2026; 14:05).
 * Built on Intl (the browser's CLDR data), so no locale tables of our own; dayjs is only used by Mantine's
 * date inputs, which get their display format and parser from here too. Times are the machine's local
 * time; `zone: true` adds the zone where evidence needs it.
 */

export type FormatLanguage = 'da' | 'en';
const languageOf = (l: string): FormatLanguage => (l.startsWith('en') ? 'en' : 'da');
const LOCALE: Record<FormatLanguage, string> = { da: 'da-DK', en: 'en-GB' };

type When = string | number | Date | null | undefined;
const toDate = (w: When): Date | null => {
  if (w === null || w === undefined || w === '') return null;
  const d = w instanceof Date ? w : new Date(w);
  return Number.isNaN(d.getTime()) ? null : d;
};

export interface Formatter {
  language: FormatLanguage;
  /** The BCP 47 locale Intl uses (da-DK or en-GB). */
  locale: string;
  /** 2.406 / 2,406; '' for null. */
  number(n: number | null | undefined): string;
  /** 05.12.2026 / 05/12/2026. */
  date(w: When): string;
  /** 05.12.2026 14.05 / 05/12/2026 14:05 — `seconds` for a journal line, `zone` for evidence. */
  dateTime(w: When, opts?: { seconds?: boolean; zone?: boolean }): string;
  /** 14.05 / 14:05. */
  time(w: When): string;
  /** Today as its time, another day with its day and month too (so yesterday's cache does not look fresh). */
  short(w: When, now?: Date): string;
  /** "for 3 minutter siden" / "3 minutes ago"; "om 2 dage" / "in 2 days". */
  relative(w: When, now?: Date): string;
  /** The display format for Mantine's date inputs (dayjs tokens): DD.MM.YYYY / DD/MM/YYYY. */
  dateInputFormat: string;
  /** The same with the time, for a date-time input. */
  dateTimeInputFormat: string;
  /** A placeholder that shows the order: dd.mm.åååå / dd/mm/yyyy. */
  datePlaceholder: string;
  /**
   * A typed date in the language's order (day first in both: 23.11.2026, 23-11-2026, 23/11/2026), or
   * ISO yyyy-mm-dd; null when it is not a real date.
   */
  parseDate(text: string): Date | null;
  /** A typed date with an optional time (23.11.2026 14.05, 23/11/2026 14:05); midnight without one. */
  parseDateTime(text: string): Date | null;
  /** A placeholder for a date with time: dd.mm.åååå tt.mm / dd/mm/yyyy hh:mm. */
  dateTimePlaceholder: string;
}

const cache = new Map<FormatLanguage, Formatter>();

export function formatterFor(language: string): Formatter {
  const lang = languageOf(language);
  const hit = cache.get(lang);
  if (hit) return hit;
  const locale = LOCALE[lang];
  const num = new Intl.NumberFormat(locale);
  const day = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' });
  const hm = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const dayMonth = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'numeric' });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const hms = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const zoneName = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' });
  // Date and time side by side, the same in both languages (Intl would put "," between them in Danish too).
  const dateTime = (d: Date, seconds: boolean, zone: boolean) => {
    const z = zone ? zoneName.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value : undefined;
    return [day.format(d), (seconds ? hms : hm).format(d), z].filter(Boolean).join(' ');
  };

  const f: Formatter = {
    language: lang,
    locale,
    number: (n) => (n === null || n === undefined || Number.isNaN(n) ? '' : num.format(n)),
    date: (w) => { const d = toDate(w); return d ? day.format(d) : ''; },
    dateTime: (w, o = {}) => { const d = toDate(w); return d ? dateTime(d, o.seconds === true, o.zone === true) : ''; },
    time: (w) => { const d = toDate(w); return d ? hm.format(d) : ''; },
    short: (w, now = new Date()) => {
      const d = toDate(w);
      if (!d) return '';
      return d.toDateString() === now.toDateString() ? hm.format(d) : `${dayMonth.format(d)} ${hm.format(d)}`;
    },
    relative: (w, now = new Date()) => {
      const d = toDate(w);
      if (!d) return '';
      const s = (d.getTime() - now.getTime()) / 1000;
      const a = Math.abs(s);
      if (a < 45) return rel.format(Math.round(s), 'second');
      if (a < 45 * 60) return rel.format(Math.round(s / 60), 'minute');
      if (a < 22 * 3600) return rel.format(Math.round(s / 3600), 'hour');
      if (a < 26 * 86400) return rel.format(Math.round(s / 86400), 'day');
      if (a < 320 * 86400) return rel.format(Math.round(s / (30 * 86400)), 'month');
      return rel.format(Math.round(s / (365 * 86400)), 'year');
    },
    dateInputFormat: lang === 'da' ? 'DD.MM.YYYY' : 'DD/MM/YYYY',
    dateTimeInputFormat: lang === 'da' ? 'DD.MM.YYYY HH:mm' : 'DD/MM/YYYY HH:mm',
    datePlaceholder: lang === 'da' ? 'dd.mm.åååå' : 'dd/mm/yyyy',
    parseDateTime: (text) => {
      const m = /^(\S+)(?:\s+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2}))?$/.exec(text.trim());
      const d = m ? f.parseDate(m[1]!) : null;
      if (!d || !m) return null;
      if (m[2] === undefined) return d;
      const [h, min] = [Number(m[2]), Number(m[3])];
      if (h > 23 || min > 59) return null;
      d.setHours(h, min);
      return d;
    },
    dateTimePlaceholder: lang === 'da' ? 'dd.mm.åååå tt.mm' : 'dd/mm/yyyy hh:mm',
    parseDate: (text) => {
      const s = text.trim();
      const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
      const m = iso ? ([iso[0], iso[3], iso[2], iso[1]] as const) : /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$/.exec(s);
      if (!m) return null;
      const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const date = new Date(y, mo - 1, d);
      return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d ? date : null;
    },
  };
  cache.set(lang, f);
  return f;
}

/** The formatter in the current language; re-renders the component when the language changes. */
export function useFormat(): Formatter {
  const { i18n } = useTranslation();
  return useMemo(() => formatterFor(i18n.language), [i18n.language]);
}
