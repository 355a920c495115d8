// The renderer's real locale tables for tests that word main's codes: every feature's bundle merged, as
// the app does, with no fallback language (a missing text shows as its key, so a test can see it).
import { createInstance } from 'i18next';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../../src-renderer');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : /(^|[/.])da\.json$/.test(n) ? [join(dir, n)] : []));
const i18n = createInstance();
await i18n.init({ resources: { da: { translation: {} }, en: { translation: {} } }, lng: 'da', fallbackLng: false, interpolation: { escapeValue: false } });
for (const da of walk(ROOT)) {
  i18n.addResourceBundle('da', 'translation', JSON.parse(readFileSync(da, 'utf8')), true, true);
  i18n.addResourceBundle('en', 'translation', JSON.parse(readFileSync(da.replace(/da\.json$/, 'en.json'), 'utf8')), true, true);
}

/** The texts of one language, in the shape the renderer's wording helpers take. */
export const texts = (language: 'da' | 'en') => ({ language, t: (k: string, o?: Record<string, unknown>) => i18n.getFixedT(language)(k, o ?? {}) });
