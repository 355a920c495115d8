import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import da from './locales/da.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import { inBackground } from './background.ts';
import { setZodLanguage } from '../../shared/validation-text.ts';

export const languages = ['da', 'en'] as const;
export type Language = (typeof languages)[number];
const KEY = 'lia.language';

function initialLanguage(): Language {
  const saved = localStorage.getItem(KEY);
  return saved === 'en' ? 'en' : 'da';
}

// The texts are bundled, so i18next is ready before the promise settles; nothing needs to wait for it.
inBackground(
  i18n.use(initReactI18next).init({
    resources: { da: { translation: da }, en: { translation: en } },
    lng: initialLanguage(),
    fallbackLng: 'da',
    interpolation: { escapeValue: false }, // React escapes already
  }),
  'i18n',
);

export function setLanguage(lng: Language): void {
  localStorage.setItem(KEY, lng);
  document.documentElement.lang = lng;
  setZodLanguage(lng); // the renderer's own forms (saved views, CSV) word zod's messages in the same language
  inBackground(i18n.changeLanguage(lng), 'i18n'); // bundled texts: the switch is immediate
}

document.documentElement.lang = i18n.language;
setZodLanguage(i18n.language);
export default i18n;
