import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import da from './locales/da.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const languages = ['da', 'en'] as const;
export type Language = (typeof languages)[number];
const KEY = 'lia.language';

function initialLanguage(): Language {
  const saved = localStorage.getItem(KEY);
  return saved === 'en' ? 'en' : 'da';
}

void i18n.use(initReactI18next).init({
  resources: { da: { translation: da }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'da',
  interpolation: { escapeValue: false }, // React escapes already
});

export function setLanguage(lng: Language): void {
  localStorage.setItem(KEY, lng);
  document.documentElement.lang = lng;
  void i18n.changeLanguage(lng);
}

document.documentElement.lang = i18n.language;
export default i18n;
