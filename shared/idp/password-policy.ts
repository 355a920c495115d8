import { z } from 'zod';
import { Actor, Timestamp, WriteReason } from './common.ts';

/** Full Service IdP floor on NSIS domains (OS2faktor clamps to exactly these; stricter values are allowed here). */
export const FULL_SERVICE_MIN_LENGTH = 15;
export const FULL_SERVICE_MAX_TRIES_BEFORE_LOCK = 5;
export const FULL_SERVICE_MIN_LOCKED_MINUTES = 5;

export const domainKinds = ['domain', 'sub-domain', 'pseudo-domain'] as const;
export const DomainKind = z.enum(domainKinds);

/** The editable fields of one domain's password policy (OS2faktor's PasswordSetting plus the NSIS flag). */
export const PasswordPolicySettings = z
  .object({
    nsis: z.boolean().describe('The domain is used for NSIS logins: the Full Service IdP rule applies.'),
    minLength: z.number().int().min(4).max(64),
    maxLength: z.number().int().min(4).max(64),
    requireComplexPassword: z.boolean().describe('3 of 4 character classes and no name/username.'),
    requireLowercase: z.boolean(),
    requireUppercase: z.boolean(),
    requireDigits: z.boolean(),
    requireSpecialCharacters: z.boolean(),
    disallowNameAndUsername: z.boolean().describe('Name parts longer than 2 characters and the sAMAccountName, case-insensitive.'),
    disallowDanishCharacters: z.boolean(),
    allowedSpecialCharacters: z.string().max(100).nullable().describe('Allow-list of special characters; null = any.'),
    preventBadPasswords: z.boolean().describe('Substring match against `bannedWords`, case-insensitive.'),
    bannedWords: z.array(z.string().trim().min(1).max(100)).max(10_000),
    checkLeakedPasswords: z.boolean().describe('HIBP k-anonymity range query (first 5 hex characters of SHA-1).'),
    forceChangePassword: z.boolean(),
    forceChangePasswordIntervalDays: z.number().int().min(1).max(3650),
    forceChangeReminderDays: z.number().int().min(0).max(365),
    passwordHistoryEnabled: z.boolean(),
    passwordHistoryCount: z.number().int().min(1).max(50),
    triesBeforeLock: z.number().int().min(1).max(100),
    lockedMinutes: z.number().int().min(1).max(1440),
    maxPasswordChangesPerDayEnabled: z.boolean(),
    maxPasswordChangesPerDay: z.number().int().min(1).max(100),
    canNotChangePasswordGroup: z.string().trim().min(1).max(256).nullable().describe('AD group (sAMAccountName) whose members may not change their password; null = none.'),
  })
  .strict()
  .refine((s) => s.minLength <= s.maxLength, { message: 'Minimumslængden må ikke være større end maksimumslængden', path: ['minLength'] })
  .refine((s) => s.forceChangeReminderDays < s.forceChangePasswordIntervalDays, {
    message: 'Påmindelsen skal komme før udløb',
    path: ['forceChangeReminderDays'],
  });
export type PasswordPolicySettings = z.infer<typeof PasswordPolicySettings>;

export const PasswordPolicy = z.object({
  domain: z.string().min(1).max(253).describe('The domain (or sub-/pseudo-domain) name; the policy\'s key.'),
  displayName: z.string(),
  kind: DomainKind,
  parentDomain: z.string().nullable().describe('Parent domain of a sub-domain; null otherwise.'),
  version: z.number().int().min(1).describe('Increases by one on every save; updates must name the version they were based on.'),
  updatedAt: Timestamp,
  updatedBy: z.string().nullable(),
  settings: PasswordPolicySettings,
});
export type PasswordPolicy = z.infer<typeof PasswordPolicy>;

export const PasswordPolicyUpdate = z
  .object({
    basedOnVersion: z.number().int().min(1),
    settings: PasswordPolicySettings,
    actor: Actor,
    reason: WriteReason,
  })
  .strict();
export type PasswordPolicyUpdate = z.infer<typeof PasswordPolicyUpdate>;

export interface RuleViolation {
  field: keyof PasswordPolicySettings;
  message: string;
}

/** The Full Service IdP rule. Empty = compliant (always for non-NSIS domains). */
export function fullServiceViolations(s: PasswordPolicySettings): RuleViolation[] {
  if (!s.nsis) return [];
  const out: RuleViolation[] = [];
  if (s.minLength < FULL_SERVICE_MIN_LENGTH) {
    out.push({ field: 'minLength', message: `NSIS-domæner kræver en minimumslængde på mindst ${FULL_SERVICE_MIN_LENGTH} tegn` });
  }
  if (s.triesBeforeLock > FULL_SERVICE_MAX_TRIES_BEFORE_LOCK) {
    out.push({ field: 'triesBeforeLock', message: `NSIS-domæner må højst tillade ${FULL_SERVICE_MAX_TRIES_BEFORE_LOCK} forkerte forsøg før spærring` });
  }
  if (s.lockedMinutes < FULL_SERVICE_MIN_LOCKED_MINUTES) {
    out.push({ field: 'lockedMinutes', message: `NSIS-domæner skal spærre i mindst ${FULL_SERVICE_MIN_LOCKED_MINUTES} minutter` });
  }
  return out;
}

/** OS2faktor's defaults (Full Service IdP mode raises minLength to 15). */
export function defaultPolicySettings(nsis: boolean): PasswordPolicySettings {
  return {
    nsis,
    minLength: nsis ? FULL_SERVICE_MIN_LENGTH : 10,
    maxLength: 64,
    requireComplexPassword: false,
    requireLowercase: false,
    requireUppercase: false,
    requireDigits: false,
    requireSpecialCharacters: false,
    disallowNameAndUsername: false,
    disallowDanishCharacters: false,
    allowedSpecialCharacters: null,
    preventBadPasswords: true,
    bannedWords: [],
    checkLeakedPasswords: false,
    forceChangePassword: false,
    forceChangePasswordIntervalDays: 365,
    forceChangeReminderDays: 7,
    passwordHistoryEnabled: false,
    passwordHistoryCount: 8,
    triesBeforeLock: 5,
    lockedMinutes: 5,
    maxPasswordChangesPerDayEnabled: false,
    maxPasswordChangesPerDay: 1,
    canNotChangePasswordGroup: null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Password validation rules (the peer's result codes), pure so the console can pre-check a password
// before it is sent anywhere. The leaked-password lookup needs the network; its answer is passed in.

export const passwordResults = [
  'TOO_SHORT',
  'TOO_LONG',
  'NOT_COMPLEX',
  'NO_LOWERCASE',
  'NO_UPPERCASE',
  'NO_DIGITS',
  'NO_SPECIAL_CHARACTERS',
  'DANISH_CHARACTERS_NOT_ALLOWED',
  'CONTAINS_NAME',
  'OLD_PASSWORD',
  'BAD_PASSWORD',
  'WRONG_SPECIAL_CHARACTERS',
  'LEAKED_PASSWORD',
] as const;
export type PasswordResult = (typeof passwordResults)[number];

export const passwordResultMessages: Record<PasswordResult, string> = {
  TOO_SHORT: 'Kodeordet er for kort',
  TOO_LONG: 'Kodeordet er for langt',
  NOT_COMPLEX: 'Kodeordet skal indeholde mindst 3 af 4 tegntyper (små og store bogstaver, tal, specialtegn)',
  NO_LOWERCASE: 'Kodeordet skal indeholde et lille bogstav',
  NO_UPPERCASE: 'Kodeordet skal indeholde et stort bogstav',
  NO_DIGITS: 'Kodeordet skal indeholde et tal',
  NO_SPECIAL_CHARACTERS: 'Kodeordet skal indeholde et specialtegn',
  DANISH_CHARACTERS_NOT_ALLOWED: 'Kodeordet må ikke indeholde Æ, Ø eller Å',
  CONTAINS_NAME: 'Kodeordet må ikke indeholde dit navn eller brugernavn',
  OLD_PASSWORD: 'Kodeordet har været brugt før',
  BAD_PASSWORD: 'Kodeordet indeholder et forbudt ord',
  WRONG_SPECIAL_CHARACTERS: 'Kodeordet indeholder et specialtegn, der ikke er tilladt',
  LEAKED_PASSWORD: 'Kodeordet er kendt fra et datalæk',
};

export interface PasswordContext {
  username?: string;
  /** Full name; parts longer than 2 characters count. */
  displayName?: string;
  /** True when the password equals one of the remembered ones (the history check itself needs the hashes). */
  matchesHistory?: boolean;
  /** Result of the leaked-password lookup, if one was made. */
  leaked?: boolean;
}

const isLower = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase();
const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
const isDigit = (c: string) => c >= '0' && c <= '9';
/** Letters (incl. Æ Ø Å) and digits are not special; everything else printable is. */
const isSpecial = (c: string) => !isLower(c) && !isUpper(c) && !isDigit(c) && c.trim() !== '';

/** Every rule the password breaks under `s`, in the peer's order; empty = accepted. */
export function validatePassword(password: string, s: PasswordPolicySettings, ctx: PasswordContext = {}): PasswordResult[] {
  const out: PasswordResult[] = [];
  const chars = Array.from(password);
  if (chars.length < s.minLength) out.push('TOO_SHORT');
  if (chars.length > s.maxLength) out.push('TOO_LONG');
  const hasLower = chars.some(isLower);
  const hasUpper = chars.some(isUpper);
  const hasDigit = chars.some(isDigit);
  const specials = chars.filter(isSpecial);
  const lowerPw = password.toLocaleLowerCase('da-DK');
  const nameParts = [ctx.username ?? '', ...(ctx.displayName ?? '').split(/\s+/)]
    .map((p) => p.toLocaleLowerCase('da-DK'))
    .filter((p) => p.length > 2);
  const containsName = nameParts.some((p) => lowerPw.includes(p));
  if (s.requireComplexPassword) {
    const classes = [hasLower, hasUpper, hasDigit, specials.length > 0].filter(Boolean).length;
    if (classes < 3) out.push('NOT_COMPLEX');
  }
  if (s.requireLowercase && !hasLower) out.push('NO_LOWERCASE');
  if (s.requireUppercase && !hasUpper) out.push('NO_UPPERCASE');
  if (s.requireDigits && !hasDigit) out.push('NO_DIGITS');
  if (s.requireSpecialCharacters && specials.length === 0) out.push('NO_SPECIAL_CHARACTERS');
  if (s.disallowDanishCharacters && /[æøåÆØÅ]/.test(password)) out.push('DANISH_CHARACTERS_NOT_ALLOWED');
  if ((s.disallowNameAndUsername || s.requireComplexPassword) && containsName) out.push('CONTAINS_NAME');
  if (ctx.matchesHistory && s.passwordHistoryEnabled) out.push('OLD_PASSWORD');
  if (s.preventBadPasswords && s.bannedWords.some((w) => lowerPw.includes(w.toLocaleLowerCase('da-DK')))) out.push('BAD_PASSWORD');
  if (s.allowedSpecialCharacters !== null && specials.some((c) => !s.allowedSpecialCharacters!.includes(c))) {
    out.push('WRONG_SPECIAL_CHARACTERS');
  }
  if (ctx.leaked && s.checkLeakedPasswords) out.push('LEAKED_PASSWORD');
  return out;
}
