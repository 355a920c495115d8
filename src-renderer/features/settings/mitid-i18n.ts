import i18n from '../../app/i18n.ts';
import da from './locales/mitid.da.json' with { type: 'json' };
import en from './locales/mitid.en.json' with { type: 'json' };

// The MitID settings fields bring their own texts, merged into the shared namespace under settings.mitidCreate.
i18n.addResourceBundle('da', 'translation', da, true, true);
i18n.addResourceBundle('en', 'translation', en, true, true);
