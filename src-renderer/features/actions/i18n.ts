import i18n from '../../app/i18n.ts';
import da from './locales/da.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

// The everyday actions' texts (history rows, failed transfers, kodeviser, NSIS levels), merged into the shared namespace.
i18n.addResourceBundle('da', 'translation', da, true, true);
i18n.addResourceBundle('en', 'translation', en, true, true);
