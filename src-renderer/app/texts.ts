import { useTranslation } from 'react-i18next';
import type { Texts } from './error-text.ts';

/** The operator's language and `t`, as the pure wording functions (error-text, server-text) take them. */
export function useTexts(): Texts {
  const { t, i18n } = useTranslation();
  return { language: i18n.language, t: (k, o) => t(k, o ?? {}) };
}
