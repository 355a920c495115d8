import type { PasswordPolicy, PasswordPolicySettings } from '../../../shared/idp/password-policy.ts';
import { defaultPolicySettings } from '../../../shared/idp/password-policy.ts';
import type { DeviceType, NsisLevel } from '../../../shared/idp/people.ts';
import type { TermsAcceptance, TermsVersion } from '../../../shared/idp/terms.ts';
import type { AuditEvent } from '../../../shared/idp/audit.ts';
import type { SimDevice, SimPerson } from './state.ts';
import { IdpState, personKeyOf, sha256Hex } from './state.ts';
import { prng } from '../prng.ts';
import { can } from '../../../shared/access.ts';
import type { OpName } from '../../../shared/operations/index.ts';
import type { Operator, Role } from '../../../shared/roles.ts';

/** One person of the training directory, as the lead feeds it to the simulator. */
export interface SeedPerson {
  username: string;
  domain: string;
  displayName: string;
  /** A pupil: weaker pupils' policy, no NSIS identity. Default: the domain's name looks like a school's. */
  pupil?: boolean;
  /** Governed by the "Betroede medarbejdere" pseudo-domain's stricter policy. */
  trusted?: boolean;
  /**
   * Appears as a performing operator in the seeded audit log. Without `operator` such a person is taken
   * to be an administrator (a stand-in directory that knows no roles).
   */
  admin?: boolean;
  /** The person's AD DN: what the access decision checks a helpdesk's OU limit against (null/absent: none known). */
  dn?: string | null;
  /** A console operator, with the roles and OU limit the console grants them: performs the seeded admin actions. */
  operator?: { roles: readonly Role[]; helpdeskOus: readonly string[] | null };
}

export interface IdpSeedOptions {
  /** Defaults to a few hundred generated people in kommune.dk and elever.kommune.dk. */
  people?: readonly SeedPerson[];
  /** PRNG seed; the same seed and people give the same state. */
  seed?: number;
  /** The seed's "now" (epoch ms); the audit log ends here and reaches 13 months back. */
  now?: number;
  /** At least this many audit events (default 100,000). */
  auditEvents?: number;
  /** Clock used after seeding (defaults to the real one). */
  clock?: () => number;
  /** Other AD domains' people (the schools'), each domain with its own policies; not in the seeded history. */
  otherDomains?: readonly SeedOtherDomain[];
}

/** Another AD domain's IdP domain: an NSIS domain of its own, and a weaker pupils' sub-domain under it. */
export interface SeedOtherDomain {
  domain: string;
  displayName: string;
  people: readonly SeedPerson[];
}

const DAY = 86_400_000;
/** The training municipality switched its IdP to Full Service mode this many days before the seed's now. */
export const FULL_SERVICE_MIGRATED_DAYS_AGO = 30;


const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const FIRST = ['Anne', 'Mette', 'Hanne', 'Susanne', 'Lene', 'Maria', 'Karen', 'Camilla', 'Louise', 'Sofie', 'Peter', 'Jens', 'Lars', 'Michael', 'Henrik', 'Søren', 'Thomas', 'Jesper', 'Niels', 'Rasmus', 'Mads', 'Anders', 'Frederik', 'Emma', 'Ida', 'Freja', 'Åse', 'Bjørn', 'Jørgen', 'Ærø'];
const LAST = ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen', 'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen', 'Poulsen', 'Johansen', 'Møller', 'Mortensen', 'Østergaard', 'Bøgh', 'Lauridsen'];

/** A deterministic stand-in for the training directory when none is given. */
export function defaultSeedPeople(count = 400, seed = 7): SeedPerson[] {
  const r = prng(seed);
  const out: SeedPerson[] = [];
  for (let i = 0; i < count; i++) {
    const pupil = i % 5 === 4;
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    out.push({
      username: pupil ? `elev${String(i).padStart(4, '0')}` : `${first.slice(0, 2)}${last.slice(0, 2)}${i}`.toLowerCase().replace(/[^a-z0-9]/g, 'x'),
      domain: pupil ? 'elever.kommune.dk' : 'kommune.dk',
      displayName: `${first} ${last}`,
    });
  }
  return out;
}

/**
 * The fixed NSIS terms, in the simulator's own words: the obligations an account holder accepts under NSIS
 * and OS2faktor's fixed Full Service text covers (personal use, safekeeping, own devices, approving only
 * one's own logins, reporting at once, the municipality's right to lock, logging). Not OS2faktor's wording.
 */
export const NSIS_TERMS_TEXT = `Vilkår for brug af erhvervsidentitet (NSIS)

1. Erhvervsidentiteten er personlig. Den må kun bruges af dig og kun i forbindelse med dit arbejde for kommunen.
2. Du skal opbevare dit kodeord, så andre ikke kan få adgang til det. Du må ikke skrive det ned sammen med dit brugernavn eller bruge det samme kodeord andre steder.
3. Du må kun registrere og bruge MFA-enheder, som du selv har fuld kontrol over, og du må ikke overlade dem til andre.
4. Du må kun godkende et login, som du selv har startet. Afvis en anmodning, du ikke kender.
5. Du skal straks give kommunen besked, hvis du har mistanke om, at andre kender dit kodeord eller har adgang til en af dine MFA-enheder, eller hvis du mister en MFA-enhed.
6. Du skal give besked, hvis dine oplysninger ændrer sig.
7. Kommunen kan spærre din erhvervsidentitet ved mistanke om misbrug, og når dit arbejde for kommunen ophører.
8. Dine handlinger med erhvervsidentiteten logges og opbevares, så de kan kontrolleres efter NSIS-kravene.
9. Du accepterer vilkårene, når du aktiverer erhvervsidentiteten, og igen, når de ændres.`;

const ADDENDUM_V1 = `Kommunens tillæg til vilkårene

Din erhvervsidentitet må kun bruges i forbindelse med dit arbejde for kommunen.
Henvend dig til IT-supporten på telefon 7000 0000, hvis du har spørgsmål.`;

const ADDENDUM_V2 = `${ADDENDUM_V1}

Fra og med denne version gælder desuden: Du må kun registrere MFA-enheder, som du selv har fuld kontrol over, og du skal fjerne en enhed, du ikke længere bruger.`;

const BANNED_WORDS = [
  'kommune', 'kodeord', 'password', 'qwerty', 'asdfgh', 'sommer', 'vinter', 'efterår', 'forår', 'januar', 'februar',
  'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december', 'mandag', 'tirsdag',
  'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag', 'velkommen', 'hemmelig', 'test', 'admin', 'danmark', 'københavn',
  'aarhus', 'odense', 'aalborg', 'esbjerg', 'randers', 'kolding', 'horsens', 'vejle', 'roskilde', 'herning', 'silkeborg',
  'næstved', 'fredericia', 'viborg', 'køge', 'holstebro', 'taastrup', 'slagelse', 'hillerød', 'sønderborg', 'svendborg',
  'hjørring', 'frederikshavn', 'nørresundby', 'ringsted', 'haderslev', 'skive', 'fcm', 'brøndby', 'fck', 'agf', 'ob',
  '123456', '654321', 'abc123', 'letmein', 'iloveyou', 'monkey', 'dragon', 'football', 'fodbold', 'håndbold',
];

/** Whom an administrative action can be about: anyone, staff with a business identity, someone with an MFA device or a hardware token. */
export type SeedTargetKind = 'anyone' | 'staff' | 'device' | 'token';

/**
 * Every administrative action of the seeded log: the console operation an operator would have used for it
 * (so the access decision can be asked who may have done it), whom it can be about, and reasons an operator
 * would actually give for it.
 */
export const SEEDED_ADMIN_ACTIONS: Readonly<Record<string, { operation: OpName; target: SeedTargetKind; reasons: readonly string[] }>> = {
  DEACTIVATE_BY_ADMIN: {
    operation: 'people.setIdentityLock',
    target: 'staff',
    reasons: ['Medarbejder fratrådt', 'Leder har anmodet om spærring', 'Mistanke om misbrug af erhvervsidentiteten', 'Medarbejder på orlov', 'Mistanke om kompromitteret kodeord'],
  },
  REACTIVATE_BY_ADMIN: {
    operation: 'people.setIdentityLock',
    target: 'staff',
    reasons: ['Tilbage efter orlov', 'Fejlagtig spærring ophævet efter kontrol', 'Leder har bekræftet, at spærringen kan ophæves'],
  },
  RANDOM_PASSWORD_SET_BY_ADMIN: {
    operation: 'people.resetPassword',
    target: 'anyone',
    reasons: ['Glemt kodeord, identitet bekræftet ved opkald', 'Mistanke om kompromitteret kodeord', 'Henvendelse til servicedesk, identitet verificeret'],
  },
  UNLOCK_ACCOUNT: {
    operation: 'people.unlockAccount',
    target: 'anyone',
    reasons: ['Kontoen låst efter forkerte forsøg, identitet bekræftet', 'Henvendelse til servicedesk, identitet verificeret', 'Ringede selv efter weekenden, identitet bekræftet'],
  },
  DELETED_MFA_DEVICE: {
    operation: 'people.deviceAction',
    target: 'device',
    reasons: ['Telefon bortkommet', 'Ny telefon, gammel enhed skal fjernes', 'Enheden bruges ikke længere'],
  },
  ADMIN_MFA_TEST: {
    operation: 'people.deviceAction',
    target: 'device',
    reasons: ['Brugeren får ingen godkendelser; test sammen med brugeren', 'Kontrol af ny enhed sammen med brugeren'],
  },
  KODEVISER_RESET: {
    operation: 'people.deviceAction',
    target: 'token',
    reasons: ['Kodeviser ude af takt', 'Kodeviser defekt, ny udleveret'],
  },
  ADDED_ROLE_BY_ADMIN: {
    operation: 'people.assignLocalAuthenticator',
    target: 'staff',
    reasons: ['Ny medarbejder skal bruge erhvervsidentitet i fagsystemet', 'Ny funktion efter aftale med leder'],
  },
  CHANGED_ALLOW_QUALIFIED_SIGNATURE: {
    operation: 'people.setSigning',
    target: 'staff',
    reasons: ['Skal underskrive kontrakter for afdelingen', 'Funktionen med underskriftsret er ophørt'],
  },
  CHANGED_TRANSFER_TO_NEMLOGIN: {
    operation: 'people.assignLocalAuthenticator',
    target: 'staff',
    reasons: ['Lokalt loginmiddel tildelt efter aftale med leder', 'Overgang til kommunens lokale IdP'],
  },
  MITID_ERVHERV_ACTION: {
    operation: 'people.assignLocalAuthenticator',
    target: 'staff',
    reasons: ['Erhvervsidentitet oprettet til ny medarbejder', 'Oplysninger rettet efter navneændring'],
  },
};

/** Policy and terms changes in the seeded log, and the operations behind them. */
const SEEDED_POLICY_OPERATIONS = { CHANGE_PASSWORD_SETTINGS: 'policy.update', CHANGE_TERMS_AND_CONDITIONS: 'terms.publish' } as const satisfies Record<string, OpName>;

/** Why a device is locked indefinitely (an operator did it). */
const DEVICE_LOCK_REASONS = ['Telefon bortkommet', 'Mistanke om at andre har adgang til enheden', 'Enheden er sendt til reparation'];

const DEVICE_NAMES: Record<DeviceType, readonly string[]> = {
  app: ['iPhone', 'Android-telefon', 'Arbejdstelefon', 'Windows-PC'],
  'browser-extension': ['Chrome-udvidelse', 'Edge-udvidelse'],
  fido2: ['YubiKey 5 NFC', 'YubiKey 5C', 'Sikkerhedsnøgle'],
  totp: ['Authenticator-app', 'Microsoft Authenticator', 'Google Authenticator'],
  'hardware-token': ['Kodeviser'],
};

/** Action mix of the seeded log (relative weights), modelled on a municipality's working day. */
const ACTION_MIX: readonly (readonly [string, number])[] = [
  ['LOGIN', 450],
  ['ACCEPT_MFA', 250],
  ['WRONG_PASSWORD', 100],
  ['REJECT_MFA', 20],
  ['TOO_MANY_ATTEMPTS', 6],
  ['CHANGE_PASSWORD', 30],
  ['ACCEPTED_TERMS', 15],
  ['ACTIVATE', 8],
  ['ASSOCIATE_MFA', 12],
  ['DEACTIVATE_BY_ADMIN', 3],
  ['REACTIVATE_BY_ADMIN', 3],
  ['RANDOM_PASSWORD_SET_BY_ADMIN', 6],
  ['UNLOCK_ACCOUNT', 6],
  ['DELETED_MFA_DEVICE', 4],
  ['ADMIN_MFA_TEST', 4],
  ['KODEVISER_RESET', 1],
  ['ADDED_ROLE_BY_ADMIN', 1],
  ['CHANGED_ALLOW_QUALIFIED_SIGNATURE', 2],
  ['CHANGED_TRANSFER_TO_NEMLOGIN', 2],
  ['MITID_ERVHERV_ACTION', 5],
];
const MESSAGES: Record<string, string> = {
  LOGIN: 'Login gennemført',
  ACCEPT_MFA: 'MFA-godkendelse accepteret',
  WRONG_PASSWORD: 'Forkert kodeord',
  REJECT_MFA: 'MFA-godkendelse afvist',
  TOO_MANY_ATTEMPTS: 'For mange forkerte forsøg – kontoen er midlertidigt spærret',
  CHANGE_PASSWORD: 'Kodeord skiftet',
  ACCEPTED_TERMS: 'Vilkår accepteret',
  ACTIVATE: 'Erhvervsidentitet aktiveret',
  ASSOCIATE_MFA: 'MFA-enhed tilknyttet',
  DEACTIVATE_BY_ADMIN: 'Identiteten er spærret af kommunen',
  REACTIVATE_BY_ADMIN: 'Spærringen af identiteten er ophævet',
  RANDOM_PASSWORD_SET_BY_ADMIN: 'Tilfældigt kodeord sat af administrator',
  UNLOCK_ACCOUNT: 'Konto låst op af administrator',
  DELETED_MFA_DEVICE: 'MFA-enhed fjernet',
  ADMIN_MFA_TEST: 'Test-push sendt af administrator',
  KODEVISER_RESET: 'Kodeviser nulstillet',
  ADDED_ROLE_BY_ADMIN: 'Rolle tildelt af administrator',
  CHANGED_ALLOW_QUALIFIED_SIGNATURE: 'Ret til kvalificeret signatur ændret',
  CHANGED_TRANSFER_TO_NEMLOGIN: 'Overførsel til MitID Erhverv ændret',
  MITID_ERVHERV_ACTION: 'Ordre sendt til MitID Erhverv',
};

function hex(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
}

function cprMaskFor(r: () => number): string {
  const day = 1 + Math.floor(r() * 28);
  const month = 1 + Math.floor(r() * 12);
  const year = 50 + Math.floor(r() * 55);
  return `${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year % 100).padStart(2, '0')}-XXXX`;
}

function policy(domain: string, displayName: string, kind: PasswordPolicy['kind'], parent: string | null, settings: PasswordPolicySettings, at: string): PasswordPolicy {
  return { domain, displayName, kind, parentDomain: parent, version: 1, updatedAt: at, updatedBy: null, settings };
}

/**
 * Builds the training IdP: policies per domain, two terms versions with acceptances, MFA devices of every
 * type (some locked), a hardware-token pool, and a 13-month audit log. Deterministic for the same input.
 */
export function seedIdpState(opts: IdpSeedOptions = {}): IdpState {
  const now = opts.now ?? Date.now();
  const r = prng(opts.seed ?? 20261123);
  const people = opts.people && opts.people.length > 0 ? opts.people : defaultSeedPeople();
  // The fixed NSIS text came into force with the switch to Full Service mode, a month ago; the addendum
  // (the municipality's old terms) has not been reviewed since — one of the readiness findings.
  const nsisTermsAt = new Date(now - FULL_SERVICE_MIGRATED_DAYS_AGO * DAY).toISOString();
  const state = new IdpState(
    { label: 'NSIS-vilkår for erhvervsidentiteter', content: NSIS_TERMS_TEXT, contentHash: sha256Hex(NSIS_TERMS_TEXT), updatedAt: nsisTermsAt },
    opts.clock,
  );

  // Domains: the most common one is the NSIS domain; pupils' domains are weaker sub-domains.
  const counts = new Map<string, { name: string; n: number }>();
  for (const p of people) {
    const k = p.domain.toLowerCase();
    counts.set(k, { name: counts.get(k)?.name ?? p.domain, n: (counts.get(k)?.n ?? 0) + 1 });
  }
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));
  const main = ranked[0]?.name ?? 'kommune.dk';
  const isPupils = (d: string) => /elev|skole|pupil|student/i.test(d);
  const at = new Date(now - 200 * DAY).toISOString();
  const mainSettings: PasswordPolicySettings = {
    ...defaultPolicySettings(true),
    requireComplexPassword: true,
    disallowNameAndUsername: true,
    bannedWords: BANNED_WORDS,
    checkLeakedPasswords: true,
    passwordHistoryEnabled: true,
  };
  const pupilSettings: PasswordPolicySettings = {
    ...defaultPolicySettings(false),
    minLength: 8,
    bannedWords: BANNED_WORDS.slice(0, 20),
    triesBeforeLock: 10,
    lockedMinutes: 2,
  };
  state.policies.set(main.toLowerCase(), policy(main, `${main} (NSIS)`, 'domain', null, mainSettings, at));
  let pupilDomain: string | null = null;
  for (const d of ranked.slice(1)) {
    if (isPupils(d.name)) {
      pupilDomain ??= d.name;
      state.policies.set(d.name.toLowerCase(), policy(d.name, `Elever (${d.name})`, 'sub-domain', main, pupilSettings, at));
    } else {
      state.policies.set(d.name.toLowerCase(), policy(d.name, d.name, 'domain', null, defaultPolicySettings(false), at));
    }
  }
  if (pupilDomain === null) {
    pupilDomain = `elever.${main}`;
    state.policies.set(pupilDomain.toLowerCase(), policy(pupilDomain, `Elever (${pupilDomain})`, 'sub-domain', main, pupilSettings, at));
  }
  const trusted = 'betroede-medarbejdere';
  state.policies.set(
    trusted,
    policy(trusted, 'Betroede medarbejdere', 'pseudo-domain', main, {
      ...mainSettings,
      minLength: 18,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSpecialCharacters: true,
      triesBeforeLock: 3,
      lockedMinutes: 30,
      passwordHistoryCount: 12,
      forceChangePassword: true,
      forceChangePasswordIntervalDays: 180,
      maxPasswordChangesPerDayEnabled: true,
    }, at),
  );

  // Temporary staff: an NSIS sub-domain still at the municipality's old 12 characters, from before the
  // Full Service rule (seeded as it stood; the simulator refuses to save it like this today).
  const temps = `vikarer.${main}`;
  state.policies.set(temps.toLowerCase(), policy(temps, `Vikarer (${temps})`, 'sub-domain', main, { ...mainSettings, minLength: 12, triesBeforeLock: 10 }, at));

  // Terms: v1 thirteen months ago, v2 two months ago requiring re-acceptance.
  const v1At = now - 395 * DAY;
  const v2At = now - 60 * DAY;
  const mkVersion = (version: number, content: string, t: number, reason: string): TermsVersion => ({
    version,
    content,
    contentHash: sha256Hex(content),
    author: 'Kommunens IT-sikkerhed',
    createdAt: new Date(t).toISOString(),
    requiresReacceptance: true,
    effectiveFrom: new Date(t).toISOString(),
    reason,
  });
  const v1 = mkVersion(1, ADDENDUM_V1, v1At, 'Første udgave af kommunens tillæg');
  const v2 = mkVersion(2, ADDENDUM_V2, v2At, 'Krav om egen kontrol med MFA-enheder');
  state.termsVersions.push(v1, v2);

  // Hardware-token pool.
  const serials: string[] = [];
  for (let i = 1; i <= 60; i++) {
    const s = `KV-${String(100_000 + i * 37)}`;
    serials.push(s);
    state.hardwareTokens.set(s, { serialNumber: s, assignedTo: null, deviceId: null });
  }
  let nextSerial = 0;

  // The operators who act in the seeded history, with the roles the console grants them. A stand-in
  // directory without roles gets a few administrators, so the log still has someone who acted.
  const marked = people.filter((sp) => sp.operator || sp.admin);
  const performers: Performer[] = (marked.length > 0 ? marked : people.filter((sp) => !(sp.pupil ?? isPupils(sp.domain))).slice(0, 6)).map((sp) => {
    const operator: Operator = {
      username: sp.username,
      displayName: sp.displayName,
      dn: sp.dn ?? '',
      roles: sp.operator ? [...sp.operator.roles] : ['administrator'],
      helpdeskOus: sp.operator?.helpdeskOus ? [...sp.operator.helpdeskOus] : null,
    };
    return { operator, weight: performerWeight(operator) };
  });

  const simPeople: SimPerson[] = [];
  const targets: SeedTarget[] = [];
  const types: readonly DeviceType[] = ['app', 'browser-extension', 'fido2', 'totp', 'hardware-token'];
  /** One person: their IdP record, devices and acceptances. `how.pupils`: their domain's own pupils' policy. */
  const seedPerson = (sp: SeedPerson, i: number, r: () => number, how: { pupils: string | null; lockers: readonly Performer[] }): SeedTarget => {
    const pupil = sp.pupil ?? isPupils(sp.domain);
    const roll = r();
    const p: SimPerson = {
      domain: sp.domain,
      username: sp.username,
      displayName: sp.displayName,
      policyDomain: sp.trusted ? trusted : pupil ? (how.pupils ?? (isPupils(sp.domain) ? sp.domain : pupilDomain)) : sp.domain,
      nsisStatus: pupil ? 'NOT_ISSUED' : roll < 0.08 ? 'NOT_ACTIVATED' : roll < 0.09 ? 'LOCKED_BY_SELF' : 'ACTIVE',
      statusBeforeLock: null,
      locked: null,
      cprMasked: cprMaskFor(r),
    };
    if (!pupil && r() < 0.02) {
      const at = new Date(now - Math.floor(r() * 90) * DAY).toISOString();
      const reason = pick(r, SEEDED_ADMIN_ACTIONS.DEACTIVATE_BY_ADMIN!.reasons);
      // Locked by an operator the console lets lock this person's identity (picked without the PRNG, so
      // the rest of the municipality stays as it was); nobody may: the person stays unlocked.
      const allowed = eligible(how.lockers, 'people.setIdentityLock', sp);
      if (allowed.length > 0) {
        p.statusBeforeLock = p.nsisStatus;
        p.nsisStatus = 'LOCKED_BY_MUNICIPALITY';
        p.locked = { by: allowed[i % allowed.length]!.operator.username, at, reason };
      }
    }
    state.addPerson(p);
    simPeople.push(p);
    const target: SeedTarget = { person: p, seed: sp, staff: !pupil, device: false, token: false };
    const key = personKeyOf(p.domain, p.username);

    // Devices: the first few people carry one of every type so every type exists whatever the input.
    const mine: SimDevice[] = [];
    const wanted = i < 5 ? [types[i]!] : types.filter((t) => r() < ({ app: 0.7, 'browser-extension': 0.2, fido2: 0.12, totp: 0.15, 'hardware-token': 0.04 } as const)[t]);
    if (pupil) wanted.length = Math.min(wanted.length, 1);
    for (const type of wanted) {
      let serial: string | null = null;
      if (type === 'hardware-token') {
        if (nextSerial >= serials.length - 10) continue; // keep some tokens free in the pool
        serial = serials[nextSerial++]!;
      }
      const registeredMs = now - Math.floor(r() * 700 * DAY) - DAY;
      const lockRoll = r();
      const d: SimDevice = {
        id: state.newDeviceId(),
        type,
        name: serial ? `Kodeviser ${serial}` : pick(r, DEVICE_NAMES[type]),
        nsisLevel: (type === 'totp' ? 'low' : type === 'browser-extension' ? pick(r, ['low', 'substantial'] as const) : r() < 0.05 ? 'none' : 'substantial') as NsisLevel,
        lockedUntilMs: lockRoll < 0.02 ? now + 5 * 60_000 : null,
        lockedIndefinitely: lockRoll >= 0.02 && lockRoll < 0.05,
        lockedReason: lockRoll < 0.02 ? '5 forkerte koder' : lockRoll < 0.05 ? pick(r, DEVICE_LOCK_REASONS) : null,
        lastUsed: r() < 0.9 ? new Date(now - Math.floor(r() * 30 * DAY)).toISOString() : null,
        registered: new Date(registeredMs).toISOString(),
        serialNumber: serial,
      };
      if (serial) {
        const t = state.hardwareTokens.get(serial)!;
        t.assignedTo = { domain: p.domain, username: p.username };
        t.deviceId = d.id;
      }
      mine.push(d);
    }
    if (i === 0 && mine[0]) {
      // Guarantee at least one admin-locked and one auto-locked device for the training scenarios.
      mine[0].lockedIndefinitely = true;
      mine[0].lockedReason = 'Telefon bortkommet';
    }
    if (i === 1 && mine[0]) {
      mine[0].lockedUntilMs = now + 5 * 60_000;
      mine[0].lockedReason = '5 forkerte koder';
    }
    state.devices.set(key, mine);
    target.device = mine.length > 0;
    target.token = mine.some((d) => d.type === 'hardware-token');

    // Acceptances spread: most accepted both versions, some only v1 (must re-accept), some new, some none.
    const a = r();
    const acc: TermsAcceptance[] = [];
    const accept = (v: TermsVersion, from: number, to: number) =>
      acc.push({
        domain: p.domain,
        username: p.username,
        version: v.version,
        contentHash: v.contentHash,
        nsisContentHash: state.nsisTerms.contentHash,
        acceptedAt: new Date(from + Math.floor(r() * (to - from))).toISOString(),
      });
    if (!pupil) {
      if (a < 0.6) {
        accept(v1, v1At, v2At);
        accept(v2, v2At, now);
      } else if (a < 0.85) accept(v1, v1At, v2At);
      else if (a < 0.95) accept(v2, v2At, now);
    }
    state.acceptances.set(key, acc);
    return target;
  };
  people.forEach((sp, i) => targets.push(seedPerson(sp, i, r, { pupils: null, lockers: performers })));

  // Other AD domains (the schools'): their own NSIS domain and weaker pupils' sub-domain, their people made
  // by their own PRNG after the municipality's, so its people, devices and history stay as they were.
  for (const other of opts.otherDomains ?? []) {
    const pupils = `elever.${other.domain}`;
    state.policies.set(other.domain.toLowerCase(), policy(other.domain, `${other.displayName} (NSIS)`, 'domain', null, mainSettings, at));
    state.policies.set(pupils.toLowerCase(), policy(pupils, `Elever (${other.displayName})`, 'sub-domain', other.domain, pupilSettings, at));
    const rOther = prng((opts.seed ?? 20261123) + other.domain.length * 7919);
    // Nobody of the municipality's history acts on them; index after the municipality's (no guaranteed locks).
    other.people.forEach((sp, i) => seedPerson(sp, people.length + i, rOther, { pupils, lockers: [] }));
  }

  seedAudit(state, targets, performers, r, now, opts.auditEvents ?? 100_000, v1, v2);
  return state;
}

/** A console operator of the seeded history, and how often they act compared with the others. */
interface Performer {
  operator: Operator;
  weight: number;
}

/** A person of the seed as the target of an administrative action. */
interface SeedTarget {
  person: SimPerson;
  seed: SeedPerson;
  staff: boolean;
  device: boolean;
  token: boolean;
}

/** Helpdesk staff do most of the day's writes, user administrators the identities, administrators little. */
function performerWeight(o: Operator): number {
  if (o.roles.includes('helpdesk') && !o.roles.includes('administrator') && !o.roles.includes('useradmin')) return 4;
  if (o.roles.includes('useradmin')) return 3;
  return o.roles.includes('administrator') ? 1 : 0;
}

/** The operators the console's own access decision lets perform `operation` on this person (never on themselves). */
function eligible(performers: readonly Performer[], operation: OpName, person: SeedPerson | null): Performer[] {
  return performers.filter(
    (p) => p.weight > 0 && p.operator.username !== person?.username && can(p.operator, operation, person ? { dn: person.dn ?? null } : undefined).allowed,
  );
}

function pickWeighted(r: () => number, xs: readonly Performer[]): Performer {
  let x = r() * xs.reduce((s, p) => s + p.weight, 0);
  for (const p of xs) if ((x -= p.weight) < 0) return p;
  return xs[xs.length - 1]!;
}

/** Working-hours weight of an hour, so the log looks like a municipality's week. */
function hourWeight(ms: number): number {
  const d = new Date(ms);
  const dow = d.getUTCDay();
  const h = (d.getUTCHours() + 1) % 24; // roughly Danish time
  const weekend = dow === 0 || dow === 6;
  const base = h >= 7 && h < 17 ? 10 : h >= 6 && h < 22 ? 2 : 0.3;
  return weekend ? base * 0.1 : base;
}

function seedAudit(state: IdpState, targets: readonly SeedTarget[], performers: readonly Performer[], r: () => number, now: number, total: number, v1: TermsVersion, v2: TermsVersion): void {
  const people = targets.map((t) => t.person);
  const pools: Record<SeedTargetKind, readonly SeedTarget[]> = {
    anyone: targets,
    staff: targets.filter((t) => t.staff),
    device: targets.filter((t) => t.device),
    token: targets.filter((t) => t.token),
  };
  // The same performers for every policy or terms change: whoever may make it, in the directory's order.
  const policyPerformer = (action: keyof typeof SEEDED_POLICY_OPERATIONS) => eligible(performers, SEEDED_POLICY_OPERATIONS[action], null)[0]?.operator ?? null;
  const start = now - 395 * DAY;
  const hours = Math.ceil((now - start) / 3_600_000);
  const weights = new Float64Array(hours);
  let sum = 0;
  for (let i = 0; i < hours; i++) sum += weights[i] = hourWeight(start + i * 3_600_000);
  const mixTotal = ACTION_MIX.reduce((s, [, w]) => s + w, 0);
  const specials = [
    { t: Date.parse(v1.createdAt), action: 'CHANGE_TERMS_AND_CONDITIONS' as const, message: 'Vilkårstillæg version 1 er udgivet (kræver ny accept)', details: `sha256:${v1.contentHash}` },
    { t: Date.parse(v2.createdAt), action: 'CHANGE_TERMS_AND_CONDITIONS' as const, message: 'Vilkårstillæg version 2 er udgivet (kræver ny accept)', details: `sha256:${v2.contentHash}` },
    { t: now - 200 * DAY, action: 'CHANGE_PASSWORD_SETTINGS' as const, message: 'Password-politikken er ændret', details: null },
  ].sort((a, b) => a.t - b.t);
  let id = 0;
  let carry = 0;
  let lastLogin: { person: SimPerson; corr: string } | null = null;
  const events = state.audit;
  const budget = total - specials.length;
  for (let h = 0; h < hours; h++) {
    const exact = (budget * weights[h]!) / sum + carry;
    const n = Math.floor(exact);
    carry = exact - n;
    if (n === 0) continue;
    const hourStart = start + h * 3_600_000;
    const offsets: number[] = [];
    for (let k = 0; k < n; k++) offsets.push(Math.floor(r() * 3_600_000));
    offsets.sort((a, b) => a - b);
    for (const off of offsets) {
      const t = hourStart + off;
      while (specials.length > 0 && specials[0]!.t <= t) {
        const s = specials.shift()!;
        const admin = policyPerformer(s.action);
        events.push({
          id: (id += 1),
          time: new Date(s.t).toISOString(),
          action: s.action,
          message: `${s.message}. Begrundelse: Godkendt af informationssikkerhedsudvalget`,
          ipAddress: '10.20.1.15',
          correlationId: hex(r, 32),
          person: null,
          performer: admin ? { username: admin.username, displayName: admin.displayName } : null,
          details: s.details,
          cprMasked: null,
          source: 'idp',
          eventId: null,
        });
      }
      let x = r() * mixTotal;
      let action = ACTION_MIX[0]![0];
      for (const [a, w] of ACTION_MIX) {
        if ((x -= w) < 0) {
          action = a;
          break;
        }
      }
      const rule = SEEDED_ADMIN_ACTIONS[action];
      let person: SimPerson;
      let performer: Operator | null = null;
      let reason: string | null = null;
      if (rule) {
        // An administrative action: a person it can be about, then one of the operators the console's own
        // access decision lets do it to them (a scoped helpdesk only inside its OUs, an auditor never).
        const pool = pools[rule.target].length > 0 ? pools[rule.target] : targets;
        let target = pool[Math.floor(r() * pool.length)]!;
        let allowed = eligible(performers, rule.operation, target.seed);
        for (let tries = 0; allowed.length === 0 && tries < 5; tries++) {
          target = pool[Math.floor(r() * pool.length)]!;
          allowed = eligible(performers, rule.operation, target.seed);
        }
        person = target.person;
        if (allowed.length > 0) {
          performer = pickWeighted(r, allowed).operator;
          reason = pick(r, rule.reasons);
        } else action = 'LOGIN'; // nobody may do it to anyone: the hour gets an ordinary login instead
      } else {
        person = (action === 'ACCEPT_MFA' || action === 'REJECT_MFA') && lastLogin && r() < 0.8 ? lastLogin.person : people[Math.floor(r() * people.length)]!;
      }
      const admin = performer !== null;
      const corr: string = (action === 'ACCEPT_MFA' || action === 'REJECT_MFA') && lastLogin && lastLogin.person === person ? lastLogin.corr : hex(r, 32);
      if (action === 'LOGIN') lastLogin = { person, corr };
      const ev: AuditEvent = {
        id: (id += r() < 0.02 ? 2 + Math.floor(r() * 3) : 1), // ids may skip, as in the peer
        time: new Date(t).toISOString(),
        action,
        message: reason ? `${MESSAGES[action]}. Begrundelse: ${reason}` : MESSAGES[action]!,
        ipAddress: admin ? `10.20.1.${10 + Math.floor(r() * 20)}` : r() < 0.7 ? `10.${20 + Math.floor(r() * 10)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}` : `87.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
        correlationId: corr,
        person: { domain: person.domain, username: person.username, displayName: person.displayName },
        performer: performer ? { username: performer.username, displayName: performer.displayName } : null,
        details: action === 'ACCEPT_MFA' || action === 'REJECT_MFA' || action === 'ASSOCIATE_MFA' ? `Enhedstype: ${pick(r, ['OS2faktor app', 'Browserudvidelse', 'Sikkerhedsnøgle', 'Authenticator', 'Kodeviser'])}` : null,
        cprMasked: person.cprMasked,
        source: 'idp',
        eventId: null,
      };
      events.push(ev);
    }
  }
  // Rounding or late specials: top up at the end so the log always holds at least `total` events.
  for (const s of specials) {
    events.push({ id: (id += 1), time: new Date(Math.min(s.t, now)).toISOString(), action: s.action, message: s.message, ipAddress: null, correlationId: null, person: null, performer: null, details: s.details, cprMasked: null, source: 'idp', eventId: null });
  }
  while (events.length < total) {
    const p = people[events.length % people.length]!;
    events.push({ id: (id += 1), time: new Date(now).toISOString(), action: 'LOGIN', message: MESSAGES.LOGIN!, ipAddress: null, correlationId: hex(r, 32), person: { domain: p.domain, username: p.username, displayName: p.displayName }, performer: null, details: null, cprMasked: p.cprMasked, source: 'idp', eventId: null });
  }
}
