import i18n from '../../app/i18n.ts';
import da from './locales/da.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

// The feature brings its own texts, merged into the shared namespace (deep, overwriting only its keys).
i18n.addResourceBundle('da', 'translation', da, true, true);
i18n.addResourceBundle('en', 'translation', en, true, true);
