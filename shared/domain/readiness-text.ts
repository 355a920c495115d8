import type { ReadinessItem, ReadinessStatus } from '../operations/fullservice.ts';
import type { AdWeakness } from './policies.ts';

// "Klar til Full Service" in words: one table per language, the one source of every sentence the readiness
// check writes — the screen's item titles and reasons, the facts under each item, the PDF for the audit file
// and the CSV of people who must change their password. Main and the renderer read the same table, so the
// PDF cannot say something else than the screen. A missing entry in either language is a type error.

export type ReadinessLanguage = 'da' | 'en';
type Params = ReadinessItem['params'];

/** The title key of an item: two kinds read differently when they pass or cannot be known. */
export type ReadinessTextKey = ReadinessItem['kind'] | 'mail-ok' | 'forced-unknown';
export const readinessTextKey = (i: Pick<ReadinessItem, 'kind' | 'status'>): ReadinessTextKey =>
  i.kind === 'mail-duplicates' && i.status === 'ok' ? 'mail-ok' : i.kind === 'forced-change' && i.status === 'unknown' ? 'forced-unknown' : i.kind;

/** Numbers and dates in the language (the renderer's format.ts writes them the same way): 2.406 / 2,406; 05.12.2026 / 05/12/2026. */
export interface ReadinessFormat {
  locale: string;
  number(n: number): string;
  /** A day from an ISO time, as the municipality's clock reads it; '?' for none. */
  date(iso: string | null | undefined): string;
  /** A moment with its time and zone (the PDF's "checked"). */
  dateTime(iso: string): string;
}

function formatFor(locale: string): ReadinessFormat {
  const num = new Intl.NumberFormat(locale);
  const day = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Copenhagen' });
  const hm = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Copenhagen', timeZoneName: 'short' });
  const valid = (iso: string | null | undefined): Date | null => {
    if (!iso) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  return {
    locale,
    number: (n) => num.format(n),
    date: (iso) => {
      const d = valid(iso);
      return d ? day.format(d) : '?';
    },
    dateTime: (iso) => {
      const d = valid(iso);
      return d ? `${day.format(d)} ${hm.format(d)}` : '?';
    },
  };
}

export interface ReadinessText {
  format: ReadinessFormat;
  /** The badge and the PDF's status word. */
  status: Record<ReadinessStatus, string>;
  /** The PDF's words for the status, in capitals as an audit file reads them. */
  pdfStatus: Record<ReadinessStatus, string>;
  items: Record<ReadinessTextKey, { title(p: Params): string; why: string }>;
  /** The facts under each item. */
  details: {
    policyLength(version: number, minLength: number): string;
    lockout(tries: number, minutes: number): string;
    adUnreadable(error: string): string;
    domainPolicy(minLength: number | null, lockoutThreshold: number | null): string;
    domainPolicyUnreadable: string;
    noGroups: string;
    psoMissing: string;
    psoUnreadable(name: string): string;
    pso(name: string, precedence: number | null, minLength: number | null, lockoutThreshold: number | null): string;
    psoNotFor(groups: readonly string[]): string;
    psoWinner(name: string, precedence: number | null): string;
    forcedBeforeRule(count: number): string;
    forcedSince(count: number, since: string): string;
    forcedAdUnreadable(error: string): string;
    forcedScopeUnknown: string;
    forcedNotRead: string;
    nsisTerms(label: string, since: string, hash: string): string;
    noNsisTerms: string;
    addendum(version: number, createdAt: string, since: string | null): string;
    noAddendum: string;
    mailOk: string;
    mailDuplicate(type: string, subject: string, fixed: string): string;
    /** A domain outside the NSIS rule whose people hold identities: what it is, and what to do. */
    floorIdentities(outside: 'not-nsis' | 'below-floor', withIdentity: number, inScope: number): string;
  };
  /** Where AD is weaker than the IdP, one line per setting (the policies screen shows them too). */
  weaker: {
    minLength(ad: number, idp: number): string;
    history(ad: number, idp: number): string;
    complexity: string;
    maxAge(ad: number | null, idp: number): string;
    neverLocks: string;
    lockout(ad: number, idp: number): string;
    notMirrored: string;
  };
  pdf: {
    title: string;
    checkedAt(at: string): string;
    producer(who: string): string;
    verdict(ready: boolean): string;
    domains(list: readonly string[]): string;
    exempt(list: readonly string[]): string;
    wholeIdp: string;
    why(text: string): string;
    filename(day: string): string;
  };
  csv: {
    headers(since: string | null): string[];
    never: string;
    filename(domain: string, day: string): string;
  };
}

const da: ReadinessText = {
  format: formatFor('da-DK'),
  status: { ok: 'OK', fail: 'Ikke klar', unknown: 'Ukendt' },
  pdfStatus: { ok: 'OK', fail: 'IKKE KLAR', unknown: 'UKENDT' },
  items: {
    'policy-length': {
      title: (p) => `Mindste længde: ${p['minLength']} tegn (krav: mindst ${p['required'] ?? 15})`,
      why: 'Full Service IdP kræver mindst 15 tegn på alle NSIS-domæner.',
    },
    'policy-lockout': {
      title: (p) => `Spærring efter ${p['tries']} forsøg i ${p['minutes']} minutter (krav: højst ${p['maxTries'] ?? 5} forsøg, mindst ${p['minMinutes'] ?? 5} minutter)`,
      why: 'NSIS fastlægger spærring efter højst 5 forkerte forsøg i mindst 5 minutter.',
    },
    'ad-policy': {
      title: () => 'AD\'s adgangskodepolitik (domæne og PSO) svarer til IdP\'ens',
      why: 'Ellers kan en adgangskode sættes i AD, som IdP\'en afviser.',
    },
    'forced-change': {
      title: (p) => `Personer, der skal skifte adgangskode ved næste login: ${p['count'] ?? '?'}`,
      why: 'Personer med kortere adgangskoder tvinges til at skifte; giv dem besked i god tid.',
    },
    'terms-addendum': {
      title: (p) => `Kommunens tillæg (version ${p['version']}) er gennemgået efter skiftet`,
      why: 'Kommunens gamle vilkår er flyttet til et tillæg, der skal gennemgås og ryddes op.',
    },
    'terms-nsis': {
      title: () => 'De faste NSIS-vilkår gælder',
      why: 'De faste NSIS-vilkår vedligeholdes af leverandøren og kan ikke ændres.',
    },
    'mail-duplicates': {
      title: (p) => `Mailskabelonen ${p['type']} er slået til og gentager ${p['fixed']}`,
      why: 'De faste skabeloner sendes altid; en kommunal skabelon, der siger det samme, giver dobbelte mails.',
    },
    'mail-ok': {
      title: () => 'Ingen kommunale mailskabeloner gentager de faste',
      why: 'De faste skabeloner sendes altid; en kommunal skabelon, der siger det samme, giver dobbelte mails.',
    },
    'forced-unknown': {
      title: () => 'Personer, der skal skifte adgangskode ved næste login: kan ikke opgøres',
      why: 'Personer med kortere adgangskoder tvinges til at skifte; giv dem besked i god tid.',
    },
    'policy-identities': {
      title: (p) => `${da.format.number(Number(p['count'] ?? 0))} ${p['count'] === 1 ? 'person' : 'personer'} i ${p['domain'] ?? '?'} har en MitID Erhverv-identitet, men domænets politik er svagere end NSIS-kravet`,
      why: 'Et domæne må kun være svagere end NSIS-kravet, så længe ingen af dets personer har en erhvervsidentitet.',
    },
  },
  details: {
    policyLength: (v, n) => `IdP'ens politik (version ${v}): mindst ${n} tegn.`,
    lockout: (tries, minutes) => `Spærring efter ${tries} forkerte forsøg i ${minutes} minutter.`,
    adUnreadable: (e) => `AD kunne ikke læses: ${e}`,
    domainPolicy: (min, lock) => `Domænets standardpolitik i AD: mindst ${min ?? '?'} tegn, spærring efter ${lock === 0 ? 'aldrig' : (lock ?? '?')} forsøg.`,
    domainPolicyUnreadable: 'Domænets standardpolitik kan ikke læses med din konto.',
    noGroups: 'Ingen AD-grupper er knyttet til domænet, så AD\'s standardpolitik gælder for dets personer.',
    psoMissing: 'Politikken er ikke skrevet til AD som PSO endnu.',
    psoUnreadable: (name) => `PSO'en ${name} findes, men din konto må ikke læse dens indstillinger.`,
    pso: (name, prec, min, lock) => `PSO ${name} (forrang ${prec ?? '?'}): mindst ${min ?? '?'} tegn, spærring efter ${lock ?? '?'} forsøg.`,
    psoNotFor: (groups) => `PSO'en gælder ikke for: ${groups.join('; ')}.`,
    psoWinner: (name, prec) => `PSO'en ${name} (forrang ${prec ?? '?'}) gælder for de samme grupper og går forud, men er svagere.`,
    forcedBeforeRule: (n) => `${da.format.number(n)} personer med erhvervsidentitet har en adgangskode fra før 15-tegnsreglen (reglen gælder ikke endnu).`,
    forcedSince: (n, since) => `${da.format.number(n)} personer med erhvervsidentitet satte deres adgangskode før ${da.format.date(since)}, da politikken senest blev gemt med mindst 15 tegn.`,
    forcedAdUnreadable: (e) => `AD kunne ikke læses: ${e}`,
    forcedScopeUnknown: 'Konsollen ved ikke, hvilke personer domænet omfatter (angiv domænets OU\'er under Politikker › Opsætning).',
    forcedNotRead: 'Personlisten har endnu ikke læst MitID Erhverv og IdP\'en; prøv igen om lidt.',
    nsisTerms: (label, since, hash) => `${label}, gældende fra ${da.format.date(since)}, SHA-256 ${hash}…`,
    noNsisTerms: 'IdP\'en har ingen faste NSIS-vilkår.',
    addendum: (v, created, since) => `Tillæg version ${v} er fra ${da.format.date(created)}; de faste NSIS-vilkår gælder fra ${da.format.date(since)}.`,
    noAddendum: 'Kommunen har intet tillæg; kun de faste NSIS-vilkår gælder.',
    mailOk: 'Ingen aktive kommunale skabeloner gentager de faste Full Service-skabeloner.',
    mailDuplicate: (type, subject, fixed) => `${type} ("${subject}") er slået til og siger det samme som den faste ${fixed}.`,
    floorIdentities: (outside, n, total) =>
      outside === 'not-nsis'
        ? `${da.format.number(n)} af domænets ${da.format.number(total)} personer har en identitet, men domænet er ikke et NSIS-domæne. En administrator skal gøre det til et NSIS-domæne under Politikker (eller identiteterne skal fjernes); indtil da giver konsollen ingen flere identiteter i domænet.`
        : `${da.format.number(n)} af domænets ${da.format.number(total)} personer har en identitet, men politikken er under NSIS-kravet (mindst 15 tegn, spærring efter højst 5 forsøg i mindst 5 minutter). Hæv politikken under Politikker.`,
  },
  weaker: {
    minLength: (ad, idp) => `AD kræver kun ${ad} tegn (IdP: ${idp}).`,
    history: (ad, idp) => `AD husker kun ${ad} adgangskoder (IdP: ${idp}).`,
    complexity: 'AD kræver ikke kompleksitet (IdP gør).',
    maxAge: (ad, idp) => `Adgangskoder udløber ${ad === null ? 'aldrig' : `først efter ${ad} dage`} i AD (IdP: ${idp} dage).`,
    neverLocks: 'AD spærrer aldrig konti ved forkerte forsøg.',
    lockout: (ad, idp) => `AD spærrer først efter ${ad} forsøg (IdP: ${idp}).`,
    notMirrored: 'Politikken er ikke skrevet til AD endnu.',
  },
  pdf: {
    title: 'Klar til Full Service IdP',
    checkedAt: (at) => `Kontrolleret: ${at}`,
    producer: (who) => `Udarbejdet af: ${who}`,
    verdict: (ready) => `Samlet vurdering: ${ready ? 'Kommunen er klar til skiftet.' : 'Kommunen er IKKE klar til skiftet endnu.'}`,
    domains: (list) => `Kontrollerede domæner: ${list.join(', ') || 'ingen'}`,
    exempt: (list) => `Ikke NSIS (undtaget): ${list.join(', ')}`,
    wholeIdp: 'Hele IdP\'en',
    why: (text) => `Hvorfor: ${text}`,
    filename: (day) => `klar-til-full-service-${day}.pdf`,
  },
  csv: {
    headers: (since) => ['Navn', 'Brugernavn', 'E-mail', 'Enhed', since ? `Adgangskode sat (før ${da.format.date(since)})` : 'Adgangskode sat', 'Domæne'],
    never: 'aldrig',
    filename: (domain, day) => `skal-skifte-adgangskode-${domain}-${day}.csv`,
  },
};

const en: ReadinessText = {
  format: formatFor('en-GB'),
  status: { ok: 'OK', fail: 'Not ready', unknown: 'Unknown' },
  pdfStatus: { ok: 'OK', fail: 'NOT READY', unknown: 'UNKNOWN' },
  items: {
    'policy-length': {
      title: (p) => `Minimum length: ${p['minLength']} characters (required: at least ${p['required'] ?? 15})`,
      why: 'Full Service IdP requires at least 15 characters on every NSIS domain.',
    },
    'policy-lockout': {
      title: (p) => `Lockout after ${p['tries']} attempts for ${p['minutes']} minutes (required: at most ${p['maxTries'] ?? 5} attempts, at least ${p['minMinutes'] ?? 5} minutes)`,
      why: 'NSIS sets lockout after at most 5 wrong attempts for at least 5 minutes.',
    },
    'ad-policy': {
      title: () => 'AD\'s password policy (domain and PSO) matches the IdP\'s',
      why: 'Otherwise AD accepts a password the IdP refuses.',
    },
    'forced-change': {
      title: (p) => `People who must change their password at next login: ${p['count'] ?? '?'}`,
      why: 'People with shorter passwords are forced to change; tell them in good time.',
    },
    'terms-addendum': {
      title: (p) => `The municipality's addendum (version ${p['version']}) reviewed since the switch`,
      why: 'The municipality\'s old terms became an addendum that must be reviewed and cleaned up.',
    },
    'terms-nsis': {
      title: () => 'The fixed NSIS terms are in force',
      why: 'The fixed NSIS terms are maintained by the vendor and cannot be changed.',
    },
    'mail-duplicates': {
      title: (p) => `Mail template ${p['type']} is enabled and repeats ${p['fixed']}`,
      why: 'The fixed templates are always sent; a municipal template saying the same means two mails.',
    },
    'mail-ok': {
      title: () => 'No municipal mail template repeats the fixed ones',
      why: 'The fixed templates are always sent; a municipal template saying the same means two mails.',
    },
    'forced-unknown': {
      title: () => 'People who must change their password at next login: cannot be counted',
      why: 'People with shorter passwords are forced to change; tell them in good time.',
    },
    'policy-identities': {
      title: (p) => `${en.format.number(Number(p['count'] ?? 0))} ${p['count'] === 1 ? 'person' : 'people'} in ${p['domain'] ?? '?'} ${p['count'] === 1 ? 'holds' : 'hold'} a MitID Erhverv identity, but the domain's policy is weaker than the NSIS floor`,
      why: 'A domain may be weaker than the NSIS floor only while none of its people hold a business identity.',
    },
  },
  details: {
    policyLength: (v, n) => `The IdP's policy (version ${v}): at least ${n} characters.`,
    lockout: (tries, minutes) => `Lockout after ${tries} wrong attempts for ${minutes} minutes.`,
    adUnreadable: (e) => `AD could not be read: ${e}`,
    domainPolicy: (min, lock) => `The domain's default policy in AD: at least ${min ?? '?'} characters, ${lock === 0 ? 'no lockout' : `lockout after ${lock ?? '?'} attempts`}.`,
    domainPolicyUnreadable: 'Your account cannot read the domain\'s default policy.',
    noGroups: 'No AD groups are mapped to the domain, so AD\'s default policy applies to its people.',
    psoMissing: 'The policy has not been written to AD as a PSO yet.',
    psoUnreadable: (name) => `The PSO ${name} exists, but your account may not read its settings.`,
    pso: (name, prec, min, lock) => `PSO ${name} (precedence ${prec ?? '?'}): at least ${min ?? '?'} characters, lockout after ${lock ?? '?'} attempts.`,
    psoNotFor: (groups) => `The PSO does not apply to: ${groups.join('; ')}.`,
    psoWinner: (name, prec) => `The PSO ${name} (precedence ${prec ?? '?'}) applies to the same groups and takes precedence, but is weaker.`,
    forcedBeforeRule: (n) => `${en.format.number(n)} people with a MitID Erhverv identity have a password from before the 15-character rule (the rule does not apply yet).`,
    forcedSince: (n, since) => `${en.format.number(n)} people with a MitID Erhverv identity set their password before ${en.format.date(since)}, when the policy was last saved with at least 15 characters.`,
    forcedAdUnreadable: (e) => `AD could not be read: ${e}`,
    forcedScopeUnknown: 'The console does not know which people the domain covers (set the domain\'s OUs under Policies › Setup).',
    forcedNotRead: 'The people list has not read MitID Erhverv and the IdP yet; try again shortly.',
    nsisTerms: (label, since, hash) => `${label}, in force from ${en.format.date(since)}, SHA-256 ${hash}…`,
    noNsisTerms: 'The IdP has no fixed NSIS terms.',
    addendum: (v, created, since) => `Addendum version ${v} is from ${en.format.date(created)}; the fixed NSIS terms apply from ${en.format.date(since)}.`,
    noAddendum: 'The municipality has no addendum; only the fixed NSIS terms apply.',
    mailOk: 'No enabled municipal template repeats the fixed Full Service templates.',
    mailDuplicate: (type, subject, fixed) => `${type} ("${subject}") is enabled and says the same as the fixed ${fixed}.`,
    floorIdentities: (outside, n, total) =>
      outside === 'not-nsis'
        ? `${en.format.number(n)} of the domain's ${en.format.number(total)} people hold an identity, but the domain is not an NSIS domain. An administrator must make it an NSIS domain under Policies (or the identities must be removed); until then the console gives no more identities in the domain.`
        : `${en.format.number(n)} of the domain's ${en.format.number(total)} people hold an identity, but the policy is below the NSIS floor (at least 15 characters, lockout after at most 5 attempts for at least 5 minutes). Raise the policy under Policies.`,
  },
  weaker: {
    minLength: (ad, idp) => `AD requires only ${ad} characters (IdP: ${idp}).`,
    history: (ad, idp) => `AD remembers only ${ad} passwords (IdP: ${idp}).`,
    complexity: 'AD does not require complexity (the IdP does).',
    maxAge: (ad, idp) => (ad === null ? `Passwords never expire in AD (IdP: ${idp} days).` : `Passwords expire only after ${ad} days in AD (IdP: ${idp} days).`),
    neverLocks: 'AD never locks accounts after wrong attempts.',
    lockout: (ad, idp) => `AD locks only after ${ad} attempts (IdP: ${idp}).`,
    notMirrored: 'The policy has not been written to AD yet.',
  },
  pdf: {
    title: 'Ready for Full Service IdP',
    checkedAt: (at) => `Checked: ${at}`,
    producer: (who) => `Produced by: ${who}`,
    verdict: (ready) => `Overall: ${ready ? 'The municipality is ready for the switch.' : 'The municipality is NOT ready for the switch yet.'}`,
    domains: (list) => `Domains checked: ${list.join(', ') || 'none'}`,
    exempt: (list) => `Not NSIS (exempt): ${list.join(', ')}`,
    wholeIdp: 'The whole IdP',
    why: (text) => `Why: ${text}`,
    filename: (day) => `ready-for-full-service-${day}.pdf`,
  },
  csv: {
    headers: (since) => ['Name', 'Username', 'Email', 'Unit', since ? `Password set (before ${en.format.date(since)})` : 'Password set', 'Domain'],
    never: 'never',
    filename: (domain, day) => `must-change-password-${domain}-${day}.csv`,
  },
};

const tables: Record<ReadinessLanguage, ReadinessText> = { da, en };

/** The table for a language; anything but English reads Danish (the console's default). */
export function readinessText(language: string | null | undefined): ReadinessText {
  return language?.startsWith('en') ? tables.en : tables.da;
}

/** One way AD is weaker than the IdP, as a line in the language (the policies screen, the readiness facts). */
export function weaknessText(w: AdWeakness, language: string | null | undefined): string {
  const x = readinessText(language).weaker;
  switch (w.code) {
    case 'minLength':
      return x.minLength(w.ad, w.idp);
    case 'history':
      return x.history(w.ad, w.idp);
    case 'lockout':
      return x.lockout(w.ad, w.idp);
    case 'maxAge':
      return x.maxAge(w.ad, w.idp);
    case 'complexity':
    case 'neverLocks':
    case 'notMirrored':
      return x[w.code];
  }
}
