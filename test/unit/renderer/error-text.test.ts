import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../shared/errors.ts';
import da from '../../../src-renderer/app/locales/da.json' with { type: 'json' };
import en from '../../../src-renderer/app/locales/en.json' with { type: 'json' };
import { translateError, translateFields } from '../../../src-renderer/app/error-text.ts';

// Errors cross from main as { code, message, details? } with a Danish message. Danish mode shows main's
// own (more specific) text; English mode must not show Danish: the code's text from the locale table.
const i18n = createInstance();
await i18n.init({ resources: { da: { translation: da }, en: { translation: en } }, lng: 'da', fallbackLng: 'da', interpolation: { escapeValue: false } });
const texts = (language: 'da' | 'en') => ({ language, t: (k: string, o?: Record<string, unknown>) => i18n.getFixedT(language)(k, o ?? {}) });

const refusedScope = { code: 'forbidden', message: 'Personen ligger uden for dine enheder: Skoler.', details: { operation: 'people.get', reason: 'scope' } };
const noReason = {
  code: 'validation',
  message: 'Ugyldige oplysninger – reason: Angiv en begrundelse på mindst 5 tegn',
  details: { fields: { reason: 'Angiv en begrundelse på mindst 5 tegn' } },
};

describe('an error from main, as the operator reads it', () => {
  it('in Danish is main\'s own message', () => {
    expect(translateError(refusedScope, texts('da'))).toBe('Personen ligger uden for dine enheder: Skoler.');
    expect(translateFields(noReason, texts('da'))).toEqual({ reason: 'Angiv en begrundelse på mindst 5 tegn' });
  });

  it('in English is the code\'s English text, refined by why access was refused', () => {
    expect(translateError(refusedScope, texts('en'))).toBe('The person is outside your units.');
    expect(translateError({ code: 'forbidden', message: 'Din rolle giver ikke adgang til: Lås AD-konto op.', details: { reason: 'role' } }, texts('en'))).toBe(
      'Your role does not give access to this.',
    );
    // With the units main names (details.units), English names them too.
    const scoped = { ...refusedScope, details: { ...refusedScope.details, units: ['Skoler', 'Skoler / Elever'], noAccount: false } };
    expect(translateError(scoped, texts('en'))).toBe('The person is outside your units: Skoler, Skoler / Elever.');
    expect(translateError({ ...scoped, details: { ...scoped.details, noAccount: true } }, texts('en'))).toBe('The person has no AD account in your units: Skoler, Skoler / Elever.');
    expect(translateError({ code: 'unavailable-ad', message: 'Active Directory svarer ikke (timeout).' }, texts('en'))).toBe('Active Directory is not responding. Try again shortly.');
  });

  it('in English names the fields of a validation error, and gives each field an English hint', () => {
    const text = translateError(noReason, texts('en'));
    expect(text).toBe('Some of the information is not valid. Correct: reason.');
    expect(translateFields(noReason, texts('en'))).toEqual({ reason: expect.stringContaining('Give a reason') });
    const settings = { code: 'validation', message: 'Ugyldige oplysninger', details: { fields: { 'settings.ad.urls.0': 'Skal være en ldaps:// eller ldap:// adresse' } } };
    expect(translateError(settings, texts('en'))).toBe('Some of the information is not valid. Correct: domain controllers.');
    expect(translateFields(settings, texts('en'))).toEqual({ 'settings.ad.urls.0': 'Not valid – correct the field.' });
  });

  it('never shows a Danish message in English for any code of the closed set', () => {
    for (const code of errorCodes) {
      const text = translateError({ code, message: 'Dansk besked fra main' }, texts('en'));
      expect(text, code).not.toContain('Dansk');
      expect(text, code).not.toBe('');
    }
  });

  it('falls back to main\'s message for a code the table does not know, and to the text of anything else', () => {
    expect(translateError({ code: 'something-new', message: 'Noget nyt' }, texts('en'))).toBe('Noget nyt');
    expect(translateError(new Error('boom'), texts('en'))).toBe('boom');
    expect(translateFields(new Error('boom'), texts('en'))).toEqual({});
  });

  it('has the same keys in Danish and English', () => {
    const keys = (o: unknown, p = ''): string[] =>
      typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => keys(v, `${p}${k}.`)) : [p];
    expect(keys(en.errors).sort()).toEqual(keys(da.errors).sort());
  });
});
