import { z } from 'zod';
import daLocale from 'zod/v4/locales/da.js';
import enLocale from 'zod/v4/locales/en.js';

/**
 * zod's own messages in the operator's language. Chosen deliberately over a custom error map: zod ships
 * Danish and English locales that cover every issue code, so a schema added tomorrow is worded in both
 * without a table to keep up. Main words validation errors in Danish (the journal and a Danish UI) and
 * also sends each issue as code + values (`PortableIssue`, never the input itself), and the renderer words
 * them again in its own language with the same locale. A message a schema wrote itself (`.min(1, '…')`)
 * is Danish only; such an issue is sent as `custom` and an English UI shows its field hint instead.
 */
const locales = { da: daLocale, en: enLocale } as const;
export type ValidationLanguage = keyof typeof locales;

const languageOf = (l: string): ValidationLanguage => (l.startsWith('en') ? 'en' : 'da');

/** Set zod's messages for this process (main: Danish; the renderer: the operator's language). */
export function setZodLanguage(language: string): void {
  z.config(locales[languageOf(language)]());
}

/** An issue without the input: code, path and the figures zod's locales need, plus a type stand-in. */
export type PortableIssue = Record<string, unknown> & { code: string; path: string; custom?: boolean };

// The input is never sent (it may be a password); a value of the same type keeps "expected X, got Y" true.
function standIn(input: unknown): unknown {
  if (input === null || input === undefined) return input;
  if (Array.isArray(input)) return [];
  switch (typeof input) {
    case 'string': return '';
    case 'number': return Number.isNaN(input) ? Number.NaN : 0;
    case 'boolean': return false;
    case 'bigint': return 0n;
    case 'object': return input instanceof Date ? new Date(0) : {};
    default: return undefined;
  }
}

const KEEP = ['expected', 'values', 'origin', 'minimum', 'maximum', 'inclusive', 'exact', 'format', 'prefix', 'suffix', 'includes', 'pattern', 'divisor', 'keys'] as const;

function localeMessage(issue: Record<string, unknown>, language: ValidationLanguage): string {
  const r = locales[language]().localeError(issue as never);
  return typeof r === 'string' ? r : (r?.message ?? '');
}

/**
 * The issues of a failed parse, worded in Danish, and each as a portable issue. Parse with
 * `{ reportInput: true }` so the type of a wrong value is known; it is replaced by a stand-in here.
 */
export function portableIssues(err: z.ZodError): { fields: Record<string, string>; issues: Record<string, PortableIssue> } {
  const fields: Record<string, string> = {};
  const issues: Record<string, PortableIssue> = {};
  for (const raw of err.issues) {
    const path = raw.path.length ? raw.path.map(String).join('.') : '(input)';
    if (path in fields) continue;
    const src = raw as unknown as Record<string, unknown>;
    const portable: PortableIssue = { code: raw.code, path };
    for (const k of KEEP) if (src[k] !== undefined) portable[k] = typeof src[k] === 'bigint' ? Number(src[k]) : src[k];
    if ('input' in src) portable.input = standIn(src.input);
    const standard = localeMessage({ ...portable, input: src.input }, 'da');
    // A schema's own message differs from the locale's: say so, rather than guess its English.
    if (raw.code === 'custom' || raw.message !== standard) portable.custom = true;
    fields[path] = raw.message;
    issues[path] = portable;
  }
  return { fields, issues };
}

/** A portable issue in the given language; null for a schema's own (Danish-only) message. */
export function issueText(issue: PortableIssue, language: string): string | null {
  if (issue.custom) return null;
  return localeMessage(issue, languageOf(language));
}
