import { urlProblems } from '../../shared/domain/settings.ts';
import { mitidCalls } from '../../shared/mitid/domain.ts';
import { issueText, type PortableIssue } from '../../shared/validation-text.ts';

/**
 * How an error from main reads on screen. Errors cross as `{ code, message, key?, params?, details? }`:
 * `message` is Danish, written by main for the case at hand, and is what Danish mode shows. Any other
 * language shows the message by its key (`errors.messages.<key>` with `params`) when main named one,
 * else the code's own text from the locale table (`errors.codes`), refined by `details.reason` (why access
 * was refused) and naming the fields of a validation error; a field's text is zod's own message in the
 * language (from the portable issue main sends) or the field's hint. Never main's Danish text.
 * Pure: the caller passes the language and `t`.
 */

export interface ErrorLike {
  code: string;
  message: string;
  key?: string | undefined;
  params?: Record<string, string | number> | undefined;
  details?: Record<string, unknown> | undefined;
}

/** Only what is needed of i18next's `t`: a key, a default value and interpolation values. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;
export interface Texts {
  language: string;
  t: Translate;
}

export function isErrorLike(e: unknown): e is ErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as ErrorLike).code === 'string' && typeof (e as ErrorLike).message === 'string';
}

const danish = (language: string) => language === 'da' || language.startsWith('da-');

function fieldsOf(e: ErrorLike): Record<string, string> {
  const f = e.details?.fields;
  if (typeof f !== 'object' || f === null) return {};
  return Object.fromEntries(Object.entries(f as Record<string, unknown>).filter((kv): kv is [string, string] => typeof kv[1] === 'string'));
}

/** A field path as main names it ("settings.ad.urls.0") → the key its text is kept under ("urls"). */
function fieldKey(path: string): string {
  const parts = path.split('.').filter((p) => p !== '' && !/^\d+$/.test(p));
  return parts.at(-1) ?? path;
}

/**
 * A scope refusal that names the operator's units (main sends them as `details.units`) says which; a
 * domain refusal names the operator's domain (`details.domain`).
 */
function reasonKey(e: ErrorLike): string {
  const reason = String(e.details?.reason);
  if (reason === 'domain') return e.details?.noAccount === true ? 'domainNoAccount' : 'domain';
  if (reason !== 'scope' || !Array.isArray(e.details?.units) || e.details.units.length === 0) return reason;
  return e.details.noAccount === true ? 'scopeNoAccount' : 'scopeUnits';
}

function reasonParams(e: ErrorLike): Record<string, string> {
  const units = e.details?.units;
  const domain = e.details?.domain;
  return {
    ...(Array.isArray(units) ? { units: units.filter((u): u is string => typeof u === 'string').join(', ') } : {}),
    ...(typeof domain === 'string' ? { domain } : {}),
  };
}

/**
 * The systems main names in an error's values (`params.system`), as it names them in Danish, and the
 * code their name is kept under in the locale tables (`systems.<code>`): "Lokal IdP" reads "Local IdP".
 */
export const systemNameCodes: Readonly<Record<string, string>> = { 'Lokal IdP': 'idp', 'MitID Erhverv': 'mitid', 'Active Directory': 'ad' };

/** An error's values in the operator's language: a system's name, an address's problem and a MitID Erhverv call by their codes, seconds ("2,5") in its figures. */
function paramsIn(params: Record<string, string | number>, language: string, t: Translate): Record<string, string | number> {
  const out = { ...params };
  const system = typeof params.system === 'string' ? systemNameCodes[params.system] : undefined;
  if (system) out.system = t(`systems.${system}`, { defaultValue: params.system });
  // What is wrong with an address (httpAddressRefused) arrives as main's Danish words: word it by their code.
  const problem = Object.entries(urlProblems).find(([, da]) => da === params.problem)?.[0];
  if (problem) out.problem = t(`errors.urlProblems.${problem}`, { defaultValue: params.problem });
  // Which call to MitID Erhverv was refused (mitidBadRequest and its kin), named in Danish: word it by its code.
  const call = Object.entries(mitidCalls).find(([, da]) => da === params.what)?.[0];
  if (call) out.what = t(`errors.mitidCalls.${call}`, { defaultValue: params.what });
  if (typeof params.seconds === 'string' && /^\d+,\d+$/.test(params.seconds)) out.seconds = Number(params.seconds.replace(',', '.')).toLocaleString(language);
  return out;
}

/** The error as one line for the operator. */
export function translateError(error: unknown, { language, t }: Texts): string {
  if (!isErrorLike(error)) return error instanceof Error ? error.message : String(error);
  const code = t(`errors.codes.${error.code}`, { defaultValue: '' });
  if (danish(language) || code === '') return error.message || code;
  const keyed = error.key ? t(`errors.messages.${error.key}`, { defaultValue: '', ...paramsIn(error.params ?? {}, language, t) }) : '';
  if (keyed) return keyed;
  const reason = typeof error.details?.reason === 'string' ? t(`errors.reasons.${reasonKey(error)}`, { defaultValue: '', ...reasonParams(error) }) : '';
  const fields = Object.keys(fieldsOf(error));
  if (fields.length === 0) return reason || code;
  const names = fields.map((f) => t(`errors.fieldNames.${fieldKey(f)}`, { defaultValue: f }));
  return `${code} ${t('errors.checkFields', { fields: [...new Set(names)].join(', ') })}`;
}

/** Field path → text to show beside the field; empty when the error names no fields. */
export function translateFields(error: unknown, { language, t }: Texts): Record<string, string> {
  if (!isErrorLike(error)) return {};
  const fields = fieldsOf(error);
  if (danish(language)) return fields;
  const issues = (typeof error.details?.issues === 'object' && error.details.issues !== null ? error.details.issues : {}) as Record<string, PortableIssue | undefined>;
  const hint = (f: string) => t(`errors.fieldHints.${fieldKey(f)}`, { defaultValue: '' });
  const fieldRefs = (error.details?.fieldKeys ?? {}) as Record<string, { key?: unknown; params?: unknown } | undefined>;
  return Object.fromEntries(
    Object.keys(fields).map((f) => {
      const ref = fieldRefs[f];
      const keyed = typeof ref?.key === 'string' ? t(ref.key, { defaultValue: '', ...((ref.params as Record<string, unknown> | undefined) ?? {}) }) : '';
      const issue = issues[f];
      const zodText = issue && typeof issue.code === 'string' ? issueText(issue, language) : null;
      return [f, keyed || hint(f) || zodText || t('errors.fieldInvalid')];
    }),
  );
}
