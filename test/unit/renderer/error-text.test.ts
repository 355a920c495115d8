import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../shared/errors.ts';
import da from '../../../src-renderer/app/locales/da.json' with { type: 'json' };
import en from '../../../src-renderer/app/locales/en.json' with { type: 'json' };
import { systemNameCodes, translateError, translateFields } from '../../../src-renderer/app/error-text.ts';
import { cancelled, timedOut, unavailableAnswer, unexpectedAnswer } from '../../../src-main/connectors/http/errors.ts';
import { assertSecureBaseUrl } from '../../../src-main/connectors/http/client.ts';
import type { ConsoleError } from '../../../shared/errors.ts';
import { IDP } from '../../../src-main/connectors/idp/http.ts';
import { MITID, unexpectedStatus } from '../../../src-main/connectors/mitid-erhverv/transport.ts';
import { mitidCalls } from '../../../shared/mitid/domain.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

  it('in English names the operator’s domain when the person is in another', () => {
    const refusedDomain = { code: 'forbidden', message: 'Personen hører ikke til domænet Skolerne, som du er logget ind i.', details: { operation: 'people.get', reason: 'domain', domain: 'Skolerne', noAccount: false } };
    expect(translateError(refusedDomain, texts('en'))).toBe("The person is not in the domain Skolerne you are signed in to. Sign in with an account in the person's domain.");
    expect(translateError({ ...refusedDomain, details: { ...refusedDomain.details, noAccount: true } }, texts('en'))).toBe('The person has no AD account in the domain Skolerne you are signed in to.');
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

  it('in English says main\'s keyed message in English, with its values', () => {
    const refused = { code: 'refused', message: 'Active Directory afviste adgangskoden: den er for kort. Den skal være mindst 12 tegn.', key: 'adPasswordTooShortMin', params: { min: 12 } };
    expect(translateError(refused, texts('en'))).toBe('Active Directory refused the password: it is too short. It must have at least 12 characters.');
    expect(translateError(refused, texts('da'))).toBe(refused.message);
    // A key the tables do not know falls back to the code's text, never to the Danish message.
    expect(translateError({ ...refused, key: 'noSuchKey' }, texts('en'))).toBe('The system refused the change.');
  });

  it('in English words a field by its password-rule code, or by zod\'s English locale from the portable issue', () => {
    const policy = {
      code: 'validation',
      message: 'Adgangskoden opfylder ikke personens politik: Adgangskoden er for kort – AD kræver mindst 14 tegn.',
      key: 'passwordNotAccepted',
      details: { fields: { password: 'Adgangskoden er for kort – AD kræver mindst 14 tegn' }, fieldKeys: { password: { key: 'codes.password.TOO_SHORT', params: { min: 14 } } } },
    };
    expect(translateError(policy, texts('en'))).toBe("The password does not meet the person's password policy.");
    expect(translateFields(policy, texts('en'))).toEqual({ password: 'The password is too short – it must have at least 14 characters' });
    const tooBig = {
      code: 'validation',
      message: 'Ugyldige oplysninger – limit: For stor: forventede tal havde <= 1000',
      details: { fields: { limit: 'For stor: forventede tal havde <= 1000' }, issues: { limit: { code: 'too_big', path: 'limit', origin: 'number', maximum: 1000, inclusive: true, input: 0 } } },
    };
    expect(translateFields(tooBig, texts('en'))).toEqual({ limit: 'Too big: expected number to be <=1000' });
    // A schema's own (Danish-only) message is marked custom: English shows the field's hint or the generic one.
    const custom = { ...tooBig, details: { ...tooBig.details, issues: { limit: { ...tooBig.details.issues.limit, custom: true } } } };
    expect(translateFields(custom, texts('en'))).toEqual({ limit: 'Not valid – correct the field.' });
  });
});

describe('a refused action whose precondition failed', () => {
  it('reads in English with the same words as the disabled button (the people feature\'s blocker text)', async () => {
    const peopleDa = (await import('../../../src-renderer/features/people/locales/da.json', { with: { type: 'json' } })).default;
    const peopleEn = (await import('../../../src-renderer/features/people/locales/en.json', { with: { type: 'json' } })).default;
    const withPeople = createInstance();
    await withPeople.init({ resources: { da: { translation: da }, en: { translation: en } }, lng: 'da', fallbackLng: 'da', interpolation: { escapeValue: false } });
    withPeople.addResourceBundle('da', 'translation', peopleDa, true, true);
    withPeople.addResourceBundle('en', 'translation', peopleEn, true, true);
    const t = (language: string) => ({ language, t: (k: string, o?: Record<string, unknown>) => withPeople.getFixedT(language)(k, o ?? {}) });
    const refused = { code: 'refused', message: 'AD-kontoen er udløbet.', key: 'actionBlocked', params: { blocker: 'account-expired' } };
    expect(translateError(refused, t('en'))).toBe('The AD account has expired.');
    expect(translateError({ ...refused, params: { blocker: 'no-email' } }, t('en'))).toBe('No e-mail address in AD (MitID Erhverv requires one).');
    expect(translateError(refused, t('da'))).toBe('AD-kontoen er udløbet.');
  });
});

describe('an HTTP system\'s error, which names the system in its values', () => {
  // Main names the system as the Danish operator knows it ("Lokal IdP"); English words it by its code.
  const DANISH = /\b(svarer|ikke|inden|kan|nås|blev|fejlede|Lokal)\b|[æøå]/i;

  it('every system main\'s HTTP stack names has a code, so no Danish name reaches an English error', () => {
    for (const system of [IDP, MITID]) expect(systemNameCodes[system.name], system.name).toBeDefined();
  });

  it('reads in English with the system\'s English name and English figures, in Danish as main words it', () => {
    const timeout = timedOut(IDP, 2500).toPayload();
    expect(translateError(timeout, texts('da'))).toBe(timeout.message);
    expect(translateError(timeout, texts('en'))).toBe('Local IdP does not answer (no answer within 2.5 s).');
    expect(translateError(timedOut(MITID, 30000).toPayload(), texts('en'))).toBe('MitID Erhverv does not answer (no answer within 30 s).');
    for (const e of [cancelled(IDP), unavailableAnswer(IDP, 503), unexpectedAnswer(IDP, 500), unexpectedAnswer(IDP, 418), timedOut(IDP, 100)]) {
      const text = translateError(e.toPayload(), texts('en'));
      expect(text).toContain('Local IdP');
      expect(text).not.toMatch(DANISH);
    }
  });

  it('an address refused: what is wrong with it reads in English too', () => {
    for (const url of ['http://idp.fjordby.dk', 'https://bo:hemmelig@idp.fjordby.dk', 'ikke en adresse']) {
      const e = (() => {
        try {
          assertSecureBaseUrl(IDP, url);
        } catch (x) {
          return x as ConsoleError;
        }
        throw new Error(`${url} was accepted`);
      })();
      expect(translateError(e.toPayload(), texts('da'))).toBe(e.message);
      const text = translateError(e.toPayload(), texts('en'));
      expect(text, url).toMatch(/^The Local IdP address was refused: \S/);
      expect(text, url).not.toMatch(DANISH);
    }
  });

  it('a refused call to MitID Erhverv names the call in English', () => {
    // Every call name the MitID Erhverv connector passes as a literal is in the table (a scan of its source).
    const dir = join(import.meta.dirname, '../../../src-main/connectors/mitid-erhverv');
    const named = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        if (!/\b(read|write|expectStatus|unexpectedStatus|rightsFailure)\(/.test(line) || /function /.test(line)) continue;
        for (const m of line.matchAll(/'([^'/]+)'/g)) if (!/^(GET|PUT|POST|DELETE)$/.test(m[1]!)) named.add(m[1]!);
      }
    }
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((w) => !(Object.values(mitidCalls) as string[]).includes(w))).toEqual([]);
    for (const status of [400, 403, 409, 429]) {
      for (const what of Object.values(mitidCalls)) {
        const e = unexpectedStatus({ status, text: '', headers: {} } as unknown as Parameters<typeof unexpectedStatus>[0], what).toPayload();
        expect(translateError(e, texts('da'))).toBe(e.message);
        expect(translateError(e, texts('en')), `${status} ${what}`).not.toMatch(/\b(spær|kald|søgning|numre|ind|identitet|loginmiddel|rettigheder|signering)\b|[æøå]/i);
      }
    }
    expect(translateError(unexpectedStatus({ status: 400, text: '' } as unknown as Parameters<typeof unexpectedStatus>[0], 'opret identitet').toPayload(), texts('en'))).toBe(
      'MitID Erhverv refused the request (400, creating the identity).',
    );
  });

  it('a name it does not know passes as main sent it', () => {
    expect(translateError({ code: 'unavailable-idp', message: 'x', key: 'httpRefused', params: { system: 'Skoleportalen' } }, texts('en'))).toBe('Skoleportalen cannot be reached (the connection was refused).');
  });
});
