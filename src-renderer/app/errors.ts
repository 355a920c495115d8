import i18n from './i18n.ts';
import { translateError, translateFields, type Texts } from './error-text.ts';

const current = (): Texts => ({ language: i18n.language, t: (k, o) => i18n.t(k, o ?? {}) });

/** Every place that shows an error from main shows this: in Danish main's own text, in English the code's. */
export function errorText(error: unknown): string {
  return translateError(error, current());
}

/** The per-field texts of a validation error, in the same language rule as `errorText`. */
export function fieldErrors(error: unknown): Record<string, string> {
  return translateFields(error, current());
}
