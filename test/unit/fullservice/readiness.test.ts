import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readinessText, readinessTextKey } from '../../../shared/domain/readiness-text.ts';
import { readinessItemKinds, type ReadinessItem } from '../../../shared/operations/fullservice.ts';
import { weakerInAd } from '../../../src-main/connectors/ad/pso.ts';
import { adItem, floorItem, forcedChange, forcedItem, mailItems, policyItems, termsItems } from '../../../src-main/services/fullservice/readiness.ts';
import { pdfSafe, readinessPdf } from '../../../src-main/services/fullservice/readiness-pdf.ts';
import { defaultPolicySettings, type PasswordPolicy } from '../../../shared/idp/password-policy.ts';
import type { AdPasswordPolicies, PasswordPolicy as AdPolicy } from '../../../src-main/connectors/directory-port.ts';
import type { PersonSummary } from '../../../shared/domain/person.ts';

const policy = (minLength: number, tries = 5, minutes = 5, updatedAt = '2026-06-01T00:00:00.000Z'): PasswordPolicy => ({
  domain: 'kommune.dk', displayName: 'kommune.dk', kind: 'domain', parentDomain: null, version: 3, updatedAt, updatedBy: null,
  settings: { ...defaultPolicySettings(true), minLength, triesBeforeLock: tries, lockedMinutes: minutes },
});
const adPolicy = (over: Partial<AdPolicy>): AdPolicy => ({
  source: 'domain', name: 'Domænets standardpolitik', dn: 'DC=kommune,DC=dk', readable: true, minLength: 7, historyLength: 24, complexity: true,
  maxAgeDays: null, minAgeDays: 0, lockoutThreshold: 0, lockoutDurationMinutes: 30, lockoutWindowMinutes: 30, ...over,
});
const pso = (name: string, precedence: number, minLength: number, appliesTo: string[]) => ({
  ...adPolicy({ source: 'pso', name, dn: `CN=${name}`, minLength, lockoutThreshold: 5, lockoutDurationMinutes: 5, historyLength: 24 }),
  source: 'pso' as const, precedence, appliesTo,
});
const G = 'CN=Ansatte,OU=Grupper,DC=kommune,DC=dk';

describe('readiness rules', () => {
  it('flags a policy under 15 characters and a lockout looser than NSIS, with the fix', () => {
    const [len, lock] = policyItems(policy(12, 10, 2));
    expect(len).toMatchObject({ status: 'fail', fix: { kind: 'raise-policy' } });
    expect(lock).toMatchObject({ status: 'fail' });
    expect(policyItems(policy(15)).every((i) => i.status === 'ok' && i.fix === null)).toBe(true);
  });

  it('compares AD: the domain policy without groups, the own PSO with them, and a weaker PSO that wins', () => {
    const p = policy(15);
    expect(adItem(p, [], { domain: adPolicy({}), psos: [] })).toMatchObject({ status: 'fail', params: { source: 'domain' } });
    const none: AdPasswordPolicies = { domain: adPolicy({}), psos: [] };
    expect(adItem(p, [G], none)).toMatchObject({ status: 'fail', fix: { kind: 'mirror-ad' } });
    const own = pso('LIA-kommune.dk', 5, 15, [G]);
    expect(adItem(p, [G], { domain: adPolicy({}), psos: [own] }).status).toBe('ok');
    const old = pso('Gammel', 1, 8, [G]);
    const r = adItem(p, [G], { domain: adPolicy({}), psos: [old, own] });
    expect(r.status).toBe('fail');
    expect(r.details.join(' ')).toContain("PSO'en Gammel (forrang 1)");
    expect(adItem(p, [G], { error: 'nede' }).status).toBe('unknown');
  });

  it('counts people with an identity whose password predates the 15-character rule', () => {
    const person = (id: string, set: string | null, enabled = true) => ({ id, dn: `CN=${id}`, enabled, passwordLastSet: set }) as unknown as PersonSummary;
    const people = [person('a', '2026-01-01T00:00:00Z'), person('b', '2026-07-01T00:00:00Z'), person('c', null), person('d', '2026-01-01T00:00:00Z', false), person('e', '2026-01-01T00:00:00Z')];
    const has = (p: PersonSummary) => p.id !== 'e';
    expect(forcedChange(policy(15), people, has).people.map((p) => p.id)).toEqual(['a', 'c']);
    expect(forcedChange(policy(12), people, has).people.map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });

  it('wants the addendum reviewed after the fixed NSIS terms came into force', () => {
    const nsis = { label: 'NSIS', content: 'x', contentHash: 'a'.repeat(64), updatedAt: '2026-11-01T00:00:00.000Z' };
    const v = (createdAt: string) => ({ version: 2, content: 'y', contentHash: 'b'.repeat(64), author: 'x', createdAt, requiresReacceptance: false, effectiveFrom: createdAt, reason: null });
    expect(termsItems(nsis, v('2026-10-01T00:00:00.000Z'))[1]).toMatchObject({ status: 'fail', fix: { kind: 'review-addendum', version: 2 } });
    expect(termsItems(nsis, v('2026-11-02T00:00:00.000Z'))[1]!.status).toBe('ok');
    expect(termsItems(null, null)[0]!.status).toBe('fail');
  });

  it('flags enabled municipal templates that repeat a fixed one', () => {
    const t = (type: string, enabled: boolean, fixed = false) => ({ type, label: '', fixed, enabled, subject: 's', body: 'b', channels: ['email'], version: 4, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: null }) as Parameters<typeof mailItems>[0][number];
    expect(mailItems([t('FULL_SERVICE_IDP_ASSIGNED', true, true), t('NSIS_ALLOWED', true), t('PASSWORD_EXPIRES', true)])).toEqual([
      expect.objectContaining({ status: 'fail', fix: { kind: 'disable-template', type: 'NSIS_ALLOWED', version: 4 } }),
    ]);
    expect(mailItems([t('NSIS_ALLOWED', false)])[0]!.status).toBe('ok');
  });

  it('writes a PDF with date and producer, and strips what could mislead in hostile text', async () => {
    expect(pdfSafe('Ann\u202eA\u0007 – “x”')).toBe('AnnA - "x"');
    const pdf = await readinessPdf({ checkedAt: new Date().toISOString(), domains: [], items: policyItems(policy(12)), ready: false }, 'Anne (admin)');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

/** Every item the rules can produce, in one language: each branch of each rule at least once. */
function everyItem(language: 'da' | 'en'): ReadinessItem[] {
  const p = policy(15);
  const person = (id: string, set: string | null) => ({ id, dn: `CN=${id}`, enabled: true, passwordLastSet: set }) as unknown as PersonSummary;
  const people = Array.from({ length: 2406 }, (_, i) => person(`p${i}`, '2026-01-01T00:00:00Z'));
  const own = pso('LIA-kommune.dk', 5, 12, [G]);
  const nsis = { label: 'NSIS', content: 'x', contentHash: 'a'.repeat(64), updatedAt: '2026-11-01T00:00:00.000Z' };
  const v2 = { version: 2, content: 'y', contentHash: 'b'.repeat(64), author: 'x', createdAt: '2026-10-01T00:00:00.000Z', requiresReacceptance: false, effectiveFrom: '2026-10-01T00:00:00.000Z', reason: null };
  const tpl = (type: string, enabled: boolean) => ({ type, label: '', fixed: false, enabled, subject: 'Velkommen', body: 'b', channels: ['email'], version: 4, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: null }) as Parameters<typeof mailItems>[0][number];
  return [
    ...policyItems(policy(12, 10, 2), language),
    adItem(p, [], { domain: adPolicy({ maxAgeDays: null, complexity: false, historyLength: 3 }), psos: [] }, language),
    adItem(p, [], { domain: adPolicy({ readable: false }), psos: [] }, language),
    adItem(p, [G, 'CN=Elever'], { domain: adPolicy({ lockoutThreshold: 50 }), psos: [pso('Gammel', 1, 8, [G]), own] }, language),
    adItem(p, [G], { domain: adPolicy({}), psos: [] }, language),
    adItem(p, [G], { domain: adPolicy({}), psos: [{ ...own, readable: false }] }, language),
    adItem(p, [G], { error: 'timeout' }, language),
    forcedItem(policy(12), forcedChange(policy(12), people, () => true), language),
    forcedItem(p, forcedChange(p, people, () => true), language),
    forcedItem(p, { unknown: readinessText(language).details.forcedNotRead }, language),
    forcedItem(p, { unknown: readinessText(language).details.forcedScopeUnknown }, language),
    ...termsItems(nsis, v2, language),
    ...termsItems(null, null, language),
    ...mailItems([tpl('NSIS_ALLOWED', true)], language),
    ...mailItems([], language),
    floorItem({ domain: 'elever.kommune.dk', displayName: 'Elever', outside: 'not-nsis', withIdentity: 3, peopleInScope: 560 }, language),
    floorItem({ domain: 'vikarer.kommune.dk', displayName: 'Vikarer', outside: 'below-floor', withIdentity: 1, peopleInScope: 1 }, language),
  ];
}

/** Words that only Danish has: one in an English sentence means a Danish text leaked through. */
const danishTelltales = /\b(tegn|forsøg|personer|Hvorfor|adgangskode|spærring|aldrig|domænets|kommunens|tillæg|gælder|ikke|og|efter|mindst|skabelon\w*|vilkår)\b|[æøåÆØÅ]/i;

describe('readiness in the operator\'s language', () => {
  it('covers every kind of item in both languages, Danish by default', () => {
    expect(new Set(everyItem('en').map((i) => i.kind))).toEqual(new Set(readinessItemKinds));
    expect(policyItems(policy(12))[0]!.details).toEqual(policyItems(policy(12), 'da')[0]!.details);
  });

  it('writes every detail line in Danish when asked in Danish', () => {
    const da = everyItem('da');
    for (const i of da) for (const d of i.details) expect(d, `${i.kind}: ${d}`).not.toMatch(/\b(characters|attempts|people|Why|password|never|policy)\b/i);
    const all = da.flatMap((i) => i.details).join('\n');
    expect(all).toContain('mindst 12 tegn');
    expect(all).toContain('2.406 personer med erhvervsidentitet');
    expect(all).toContain('før 01.06.2026');
    expect(all).toContain("PSO'en Gammel (forrang 1)");
  });

  it('writes every detail line, title and reason in English when asked in English, numbers and dates the British way', () => {
    const en = everyItem('en');
    const words = readinessText('en');
    for (const i of en) {
      const w = words.items[readinessTextKey(i)];
      for (const line of [...i.details.map((d) => d.replace('timeout', '')), w.title(i.params), w.why, words.status[i.status]]) {
        expect(line, `${i.kind}: ${line}`).not.toMatch(danishTelltales);
      }
    }
    const all = en.flatMap((i) => i.details).join('\n');
    expect(all).toContain('at least 12 characters');
    expect(all).toContain('2,406 people with a MitID Erhverv identity set their password before 01/06/2026');
    expect(all).toContain('The PSO Gammel (precedence 1) applies to the same groups');
    expect(all).toContain('AD requires only 12 characters (IdP: 15).');
    expect(all).toContain('AD never locks');
    expect(all).toContain('at least 7 characters, no lockout.');
    expect(all).toContain('Addendum version 2 is from 01/10/2026; the fixed NSIS terms apply from 01/11/2026.');
    expect(all).toContain('NSIS_ALLOWED ("Velkommen") is enabled and says the same as the fixed');
  });

  it('has AD\'s weaker settings in English for the policies screen too', () => {
    const settings = { ...defaultPolicySettings(true), minLength: 18 };
    expect(weakerInAd({ minLength: 15 }, settings, 'en')).toEqual(['AD requires only 15 characters (IdP: 18).']);
    expect(weakerInAd({ minLength: 15 }, settings)).toEqual(['AD kræver kun 15 tegn (IdP: 18).']);
    const expiring = { ...settings, forceChangePassword: true, forceChangePasswordIntervalDays: 90 };
    expect(weakerInAd({ maxAgeDays: null }, expiring, 'en')).toEqual(['Passwords never expire in AD (IdP: 90 days).']);
    expect(weakerInAd({ maxAgeDays: 180 }, expiring, 'en')).toEqual(['Passwords expire only after 180 days in AD (IdP: 90 days).']);
  });

  it('writes the PDF in English: title, header lines, status words, "Why", the whole-IdP group, titles and reasons', async () => {
    const report = { checkedAt: '2026-12-05T13:05:00.000Z', domains: [{ domain: 'kommune.dk', displayName: 'kommune.dk', kind: 'domain', nsis: true }, { domain: 'elev.kommune.dk', displayName: 'Elever', kind: 'pupils', nsis: false }], items: everyItem('en'), ready: false };
    const dir = mkdtempSync(join(tmpdir(), 'readiness-pdf-'));
    try {
      const text = async (language: 'da' | 'en') => {
        const file = join(dir, `${language}.pdf`);
        writeFileSync(file, await readinessPdf(report, 'Anne Admin (admin)', language));
        return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      };
      const en = await text('en');
      expect(en).toContain('Ready for Full Service IdP');
      expect(en).toContain('Checked: 05/12/2026 14:05');
      expect(en).toContain('Produced by: Anne Admin (admin)');
      expect(en).toContain('Overall: The municipality is NOT ready for the switch yet.');
      expect(en).toContain('Domains checked: kommune.dk');
      expect(en).toContain('Not NSIS (exempt): elev.kommune.dk');
      expect(en).toContain('The whole IdP');
      expect(en).toContain('[NOT READY] Minimum length: 12 characters (required: at least 15)');
      expect(en).toContain('[UNKNOWN]');
      expect(en).toContain('Why: Full Service IdP requires at least 15 characters on every NSIS domain.');
      expect(en.replace('timeout', '')).not.toMatch(danishTelltales);
      // The same report in Danish says it all in Danish.
      const da = await text('da');
      expect(da).toContain('Klar til Full Service IdP');
      expect(da).toContain('Kontrolleret: 05.12.2026 14.05');
      expect(da).toContain('[IKKE KLAR] Mindste længde: 12 tegn (krav: mindst 15)');
      expect(da).toContain('Hvorfor:');
      expect(da).toContain("Hele IdP'en");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has the PDF, CSV and filenames in both languages', () => {
    expect(readinessText('en').csv.headers('2026-06-01T00:00:00.000Z')).toEqual(['Name', 'Username', 'Email', 'Unit', 'Password set (before 01/06/2026)', 'Domain']);
    expect(readinessText('da').csv.headers(null)).toEqual(['Navn', 'Brugernavn', 'E-mail', 'Enhed', 'Adgangskode sat', 'Domæne']);
    expect(readinessText('en').csv.never).toBe('never');
    expect(readinessText('en').pdf.filename('2026-12-05')).toBe('ready-for-full-service-2026-12-05.pdf');
    expect(readinessText('en-GB')).toBe(readinessText('en'));
    expect(readinessText('xx')).toBe(readinessText('da'));
  });
});

describe('readiness texts', () => {
  const keys = (o: unknown, p = ''): string[] => (typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => keys(v, `${p}${k}.`)) : [p]);
  it('has every Danish text in English too', () => {
    const read = (l: string) => JSON.parse(readFileSync(new URL(`../../../src-renderer/features/fullservice/locales/${l}.json`, import.meta.url), 'utf8')) as unknown;
    expect(keys(read('en')).sort()).toEqual(keys(read('da')).sort());
  });
});
