import { z } from 'zod';
import {
  FULL_SERVICE_MAX_TRIES_BEFORE_LOCK,
  FULL_SERVICE_MIN_LENGTH,
  FULL_SERVICE_MIN_LOCKED_MINUTES,
  passwordResultMessages,
  passwordResults,
  validatePassword,
  type PasswordContext,
  type PasswordPolicySettings,
  type PasswordResult,
} from '../idp/password-policy.ts';

// The policies feature's own shared pieces: field groups and labels, the diff, the one password
// validator (the IdP contract's rule checker plus æøå-aware name matching), the safe Markdown subset of
// the terms addendum, a line diff, and the acceptance status rule. No Node, no DOM.

export type PolicyField = keyof PasswordPolicySettings;

/** The groups an administrator thinks in, in the order the editor shows them. */
export const policyGroups: readonly { id: string; fields: readonly PolicyField[] }[] = [
  { id: 'length', fields: ['nsis', 'minLength', 'maxLength'] },
  { id: 'composition', fields: ['requireComplexPassword', 'requireLowercase', 'requireUppercase', 'requireDigits', 'requireSpecialCharacters', 'allowedSpecialCharacters', 'disallowDanishCharacters'] },
  { id: 'forbidden', fields: ['disallowNameAndUsername', 'preventBadPasswords', 'bannedWords', 'checkLeakedPasswords'] },
  { id: 'expiry', fields: ['forceChangePassword', 'forceChangePasswordIntervalDays', 'forceChangeReminderDays', 'passwordHistoryEnabled', 'passwordHistoryCount', 'maxPasswordChangesPerDayEnabled', 'maxPasswordChangesPerDay', 'canNotChangePasswordGroup'] },
  { id: 'lockout', fields: ['triesBeforeLock', 'lockedMinutes'] },
];

/** Danish labels, used in the diff that main computes and in the journal. The UI has its own (da/en). */
export const policyFieldLabels: Record<PolicyField, string> = {
  nsis: 'NSIS-domæne',
  minLength: 'Mindste længde',
  maxLength: 'Største længde',
  requireComplexPassword: 'Kompleks adgangskode (3 af 4 tegntyper)',
  requireLowercase: 'Kræv lille bogstav',
  requireUppercase: 'Kræv stort bogstav',
  requireDigits: 'Kræv tal',
  requireSpecialCharacters: 'Kræv specialtegn',
  disallowNameAndUsername: 'Forbyd navn og brugernavn',
  disallowDanishCharacters: 'Forbyd Æ, Ø og Å',
  allowedSpecialCharacters: 'Tilladte specialtegn',
  preventBadPasswords: 'Forbyd ord fra listen',
  bannedWords: 'Forbudte ord',
  checkLeakedPasswords: 'Afvis lækkede adgangskoder',
  forceChangePassword: 'Tving skift af adgangskode',
  forceChangePasswordIntervalDays: 'Skift hver (dage)',
  forceChangeReminderDays: 'Påmindelse før udløb (dage)',
  passwordHistoryEnabled: 'Husk tidligere adgangskoder',
  passwordHistoryCount: 'Antal huskede adgangskoder',
  triesBeforeLock: 'Forkerte forsøg før spærring',
  lockedMinutes: 'Spærretid (minutter)',
  maxPasswordChangesPerDayEnabled: 'Begræns skift pr. døgn',
  maxPasswordChangesPerDay: 'Højst antal skift pr. døgn',
  canNotChangePasswordGroup: 'Gruppe, der ikke må skifte adgangskode',
};

export const PolicyDiffRow = z.object({
  field: z.string(),
  label: z.string(),
  from: z.unknown(),
  to: z.unknown(),
  /** For word lists: what was added and removed, so a long list reads as a short change. */
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
});
export type PolicyDiffRow = z.infer<typeof PolicyDiffRow>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every field that differs between the policy in force (`from`) and a draft (`to`), in editor order. */
export function diffPolicySettings(from: PasswordPolicySettings, to: PasswordPolicySettings): PolicyDiffRow[] {
  const rows: PolicyDiffRow[] = [];
  for (const g of policyGroups) {
    for (const f of g.fields) {
      if (same(from[f], to[f])) continue;
      if (f === 'bannedWords') {
        const a = new Set(from.bannedWords.map((w) => w.toLocaleLowerCase('da-DK')));
        const b = new Set(to.bannedWords.map((w) => w.toLocaleLowerCase('da-DK')));
        const added = [...b].filter((w) => !a.has(w));
        const removed = [...a].filter((w) => !b.has(w));
        if (added.length === 0 && removed.length === 0) continue;
        rows.push({ field: f, label: policyFieldLabels[f], from: from.bannedWords.length, to: to.bannedWords.length, added, removed });
      } else {
        rows.push({ field: f, label: policyFieldLabels[f], from: from[f], to: to[f] });
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Two administrators saved the same policy: compare three ways and lay my edits on top of theirs.

/** One setting as the three parties see it: where both began, what they saved, what I have. */
export interface ConflictRow { field: PolicyField; base: unknown; theirs: unknown; mine: unknown; clash: boolean }

export function conflictRows(base: PasswordPolicySettings, theirs: PasswordPolicySettings, mine: PasswordPolicySettings): ConflictRow[] {
  const rows: ConflictRow[] = [];
  for (const g of policyGroups) {
    for (const f of g.fields) {
      const byThem = !same(base[f], theirs[f]);
      const byMe = !same(base[f], mine[f]);
      if (byThem || byMe) rows.push({ field: f, base: base[f], theirs: theirs[f], mine: mine[f], clash: byThem && byMe && !same(theirs[f], mine[f]) });
    }
  }
  return rows;
}

/** Their saved policy with only the fields I changed taken from mine: what "keep my changes" means. */
export function mergeMine(base: PasswordPolicySettings, theirs: PasswordPolicySettings, mine: PasswordPolicySettings): PasswordPolicySettings {
  const out: Record<string, unknown> = { ...theirs };
  for (const g of policyGroups) for (const f of g.fields) if (!same(base[f], mine[f])) out[f] = mine[f];
  return out as PasswordPolicySettings;
}

/**
 * Common weak Danish passwords and their parts, for seeding a banned-word list (the peer ships ~113).
 * Words are matched as substrings, so nothing shorter than 3 letters belongs here.
 */
export const DANISH_WEAK_WORDS: readonly string[] = [
  'kodeord', 'adgangskode', 'password', 'passw0rd', 'qwerty', 'qwertz', 'asdfgh', 'zxcvbn', '123456', '654321', '112233', 'abc123', 'abcdef',
  'sommer', 'vinter', 'forår', 'efterår', 'januar', 'februar', 'marts', 'april', 'juni', 'juli', 'august', 'september', 'oktober',
  'november', 'december', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag', 'velkommen', 'hemmelig', 'hemmeligt',
  'kommune', 'danmark', 'dannebrog', 'københavn', 'aarhus', 'odense', 'aalborg', 'hygge', 'kærlighed', 'elsker', 'jegelskerdig', 'skat',
  'skatter', 'mormor', 'morfar', 'farmor', 'farfar', 'fodbold', 'håndbold', 'brøndby', 'fck', 'agf', 'superliga', 'carlsberg', 'tuborg',
  'julemand', 'nytår', 'påske', 'fødselsdag', 'test', 'admin', 'administrator', 'bruger', 'login', 'letmein', 'iloveyou', 'monkey',
  'dragon', 'football', 'sunshine', 'princess', 'welcome', 'master', 'changeme', 'skiftmig', 'start',
];

export const NSIS_RULE_TEXT = `På NSIS-domæner kræver Full Service IdP-reglen mindst ${FULL_SERVICE_MIN_LENGTH} tegn, højst ${FULL_SERVICE_MAX_TRIES_BEFORE_LOCK} forkerte forsøg før spærring og mindst ${FULL_SERVICE_MIN_LOCKED_MINUTES} minutters spærring.`;

// ---------------------------------------------------------------------------------------------------
// The one validator: the policy preview's "try a password" and the helpdesk password reset both use it.

export const PasswordCheck = z.object({
  code: z.enum(passwordResults),
  message: z.string(),
  /** The figures the message names (min, max, allowed), so the renderer can say it in another language. */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type PasswordCheck = z.infer<typeof PasswordCheck>;

/** Danish letters folded the two ways people write them without æøå (Søren → soeren / soren). */
export function danishFoldings(s: string): string[] {
  const lower = s.toLocaleLowerCase('da-DK');
  const long = lower.replace(/æ/g, 'ae').replace(/ø/g, 'oe').replace(/å/g, 'aa');
  const short = lower.replace(/æ/g, 'a').replace(/ø/g, 'o').replace(/å/g, 'a');
  return [...new Set([lower, long, short])];
}

/**
 * True when the password holds the username or a name part longer than 2 characters, case-insensitively,
 * also when the person wrote æ/ø/å as ae/oe/aa (or a/o/a), or the password used æøå for a folded name.
 */
export function containsNamePart(password: string, ctx: Pick<PasswordContext, 'username' | 'displayName'>): boolean {
  const pw = danishFoldings(password);
  const parts = [ctx.username ?? '', ...(ctx.displayName ?? '').split(/[\s-]+/)].filter((p) => Array.from(p).length > 2);
  return parts.some((p) => danishFoldings(p).some((variant) => pw.some((x) => x.includes(variant))));
}

/**
 * Every rule `password` breaks, with the peer's codes and Danish messages. The IdP contract's checker does
 * the rules; name matching is widened to æøå spellings (the peer only compares literally).
 */
export function checkPassword(password: string, s: PasswordPolicySettings, ctx: PasswordContext = {}): PasswordCheck[] {
  const codes = validatePassword(password, s, ctx);
  if ((s.disallowNameAndUsername || s.requireComplexPassword) && !codes.includes('CONTAINS_NAME') && containsNamePart(password, ctx)) {
    codes.push('CONTAINS_NAME');
  }
  const order = new Map(passwordResults.map((c, i) => [c, i]));
  codes.sort((a, b) => order.get(a)! - order.get(b)!);
  return codes.map((code) => {
    const params = paramsFor(code, s);
    return params ? { code, message: messageFor(code, s), params } : { code, message: messageFor(code, s) };
  });
}

function paramsFor(code: PasswordResult, s: PasswordPolicySettings): Record<string, string | number> | undefined {
  if (code === 'TOO_SHORT') return { min: s.minLength };
  if (code === 'TOO_LONG') return { max: s.maxLength };
  if (code === 'WRONG_SPECIAL_CHARACTERS') return { allowed: s.allowedSpecialCharacters ?? '' };
  return undefined;
}

function messageFor(code: PasswordResult, s: PasswordPolicySettings): string {
  switch (code) {
    case 'TOO_SHORT':
      return `Adgangskoden er for kort – den skal have mindst ${s.minLength} tegn`;
    case 'TOO_LONG':
      return `Adgangskoden er for lang – den må højst have ${s.maxLength} tegn`;
    case 'WRONG_SPECIAL_CHARACTERS':
      return `Adgangskoden indeholder et specialtegn, der ikke er tilladt (tilladt: ${s.allowedSpecialCharacters ?? ''})`;
    default:
      return passwordResultMessages[code].replace(/^Kodeordet/, 'Adgangskoden');
  }
}

/** Outcome of the leaked-password lookup. */
/**
 * Active Directory's own complexity rule ("Password must meet complexity requirements"), as Windows
 * documents it, defined once for every place the console predicts what AD will say:
 * - 3 of 5 kinds of character: upper case, lower case (both in any alphabet), digits 0–9, characters that
 *   are neither letters nor digits, and letters without case;
 * - not the account name, when it is 3 characters or longer (case-insensitive);
 * - no token of the display name of 3 characters or more (split at , . - _ # space and tab).
 * Returns the codes it fails ('NOT_COMPLEX', 'CONTAINS_NAME'); empty when AD would accept it.
 */
export function adComplexityProblems(password: string, account: { username: string; displayName?: string | null }): Array<'NOT_COMPLEX' | 'CONTAINS_NAME'> {
  const out: Array<'NOT_COMPLEX' | 'CONTAINS_NAME'> = [];
  const kinds = [/\p{Lu}/u, /\p{Ll}/u, /[0-9]/, /[^\p{L}\p{N}]/u, /[\p{Lo}\p{Lm}\p{Lt}]/u].filter((r) => r.test(password)).length;
  if (kinds < 3) out.push('NOT_COMPLEX');
  const lower = password.toLowerCase();
  const user = account.username.toLowerCase();
  const tokens = (account.displayName ?? '').toLowerCase().split(/[,.\-_#\s]+/).filter((t) => t.length >= 3);
  if ((user.length >= 3 && lower.includes(user)) || tokens.some((t) => lower.includes(t))) out.push('CONTAINS_NAME');
  return out;
}

/**
 * One way AD's copy of a password policy is weaker than the IdP's, by code and figures; worded from the
 * readiness text table (weaknessText) in the operator's language.
 */
export const AdWeakness = z.discriminatedUnion('code', [
  z.object({ code: z.enum(['minLength', 'history', 'lockout']), ad: z.number(), idp: z.number() }),
  /** `ad` null: passwords never expire in AD. */
  z.object({ code: z.literal('maxAge'), ad: z.number().nullable(), idp: z.number() }),
  z.object({ code: z.enum(['complexity', 'neverLocks', 'notMirrored']) }),
]);
export type AdWeakness = z.infer<typeof AdWeakness>;

export const LeakCheck = z.object({
  state: z.enum(['not-leaked', 'leaked', 'unavailable', 'off']),
  message: z.string(),
  /** How many times the range API has seen it (only when leaked). */
  count: z.number().int().nullable(),
});
export type LeakCheck = z.infer<typeof LeakCheck>;

/** One line of a k-anonymity range answer is `SUFFIX:COUNT`; returns the count for `suffix`, 0 when absent. */
export function countInRange(body: string, suffix: string): number {
  const want = suffix.toUpperCase();
  for (const line of body.split(/\r?\n/)) {
    const [s, n] = line.trim().split(':');
    if (s?.toUpperCase() === want) {
      const count = Number(n);
      // Padding entries (count 0) are decoys, not hits.
      return Number.isFinite(count) ? count : 0;
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// The terms addendum: Markdown, but only a safe subset. Nothing is ever rendered as HTML: the preview
// builds elements from this tree, and publishing refuses raw HTML and unsafe links outright.

export type Inline =
  | { t: 'text'; text: string }
  | { t: 'strong'; text: string }
  | { t: 'em'; text: string }
  | { t: 'code'; text: string }
  | { t: 'link'; text: string; href: string };
export type Block =
  | { t: 'heading'; level: 1 | 2 | 3; inline: Inline[] }
  | { t: 'paragraph'; inline: Inline[] }
  | { t: 'list'; ordered: boolean; items: Inline[][] };

const SAFE_HREF = /^(https:\/\/|mailto:|tel:)/i;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const re = /\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ t: 'text', text: text.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ t: 'strong', text: m[1] });
    else if (m[2] !== undefined) out.push({ t: 'em', text: m[2] });
    else if (m[3] !== undefined) out.push({ t: 'em', text: m[3] });
    else if (m[4] !== undefined) out.push({ t: 'code', text: m[4] });
    else if (SAFE_HREF.test(m[6]!)) out.push({ t: 'link', text: m[5]!, href: m[6]! });
    // An unsafe link keeps only its text.
    else out.push({ t: 'text', text: m[5]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ t: 'text', text: text.slice(last) });
  return out;
}

/** Headings (#, ##, ###), paragraphs, bullet and numbered lists, **bold**, *italic*, `code`, [links](https://…). */
export function parseAddendum(md: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: Inline[][] } | null = null;
  const flush = () => {
    if (para.length) blocks.push({ t: 'paragraph', inline: parseInline(para.join(' ')) });
    para = [];
    if (list) blocks.push({ t: 'list', ...list });
    list = null;
  };
  for (const raw of md.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const num = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      flush();
    } else if (h) {
      flush();
      blocks.push({ t: 'heading', level: h[1]!.length as 1 | 2 | 3, inline: parseInline(h[2]!) });
    } else if (bullet || num) {
      const ordered = Boolean(num);
      if (para.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(parseInline((bullet ?? num)![1]!));
    } else {
      if (list) flush();
      para.push(line.trim());
    }
  }
  flush();
  return blocks;
}

/** Why an addendum may not be published as is (Danish); empty = safe. */
export function addendumProblems(md: string): string[] {
  const out: string[] = [];
  if (/<\s*\/?\s*[a-z!][^>]*>/i.test(md)) out.push('Tillægget indeholder HTML-kode (fx <script>). Brug kun Markdown – HTML sendes aldrig videre til IdP’en.');
  if (/\]\(\s*(javascript|data|vbscript):/i.test(md) || /(^|\s)(javascript|vbscript):/i.test(md)) {
    out.push('Tillægget indeholder et link, der kan køre kode (javascript:/data:). Brug https://, mailto: eller tel:.');
  }
  const bad = [...md.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((h) => !SAFE_HREF.test(h) && !/^(javascript|data|vbscript):/i.test(h));
  if (bad.length) out.push(`Links skal begynde med https://, mailto: eller tel: (${bad.slice(0, 3).join(', ')})`);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Side-by-side line diff (LCS). Addenda are short, so the quadratic table is fine; larger texts fall
// back to a plain "everything changed" view rather than burning memory.

export const DiffLine = z.object({
  kind: z.enum(['same', 'removed', 'added', 'changed']),
  left: z.string().nullable(),
  right: z.string().nullable(),
  leftNo: z.number().int().nullable(),
  rightNo: z.number().int().nullable(),
});
export type DiffLine = z.infer<typeof DiffLine>;

export function lineDiff(leftText: string, rightText: string): DiffLine[] {
  const a = leftText.replace(/\r\n?/g, '\n').split('\n');
  const b = rightText.replace(/\r\n?/g, '\n').split('\n');
  if (a.length * b.length > 4_000_000) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, i) => ({ kind: 'changed' as const, left: a[i] ?? null, right: b[i] ?? null, leftNo: i < a.length ? i + 1 : null, rightNo: i < b.length ? i + 1 : null }));
  }
  const m = a.length;
  const n = b.length;
  const dp: Uint32Array[] = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const raw: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < m || j < n) {
    if (i < m && j < n && a[i] === b[j]) {
      raw.push({ kind: 'same', left: a[i]!, right: b[j]!, leftNo: i + 1, rightNo: j + 1 });
      i++;
      j++;
    } else if (j < n && (i >= m || dp[i]![j + 1]! >= dp[i + 1]![j]!)) {
      raw.push({ kind: 'added', left: null, right: b[j]!, leftNo: null, rightNo: j + 1 });
      j++;
    } else {
      raw.push({ kind: 'removed', left: a[i]!, right: null, leftNo: i + 1, rightNo: null });
      i++;
    }
  }
  // Pair a run of removals with the additions right after it, so an edited line sits beside its old self.
  const out: DiffLine[] = [];
  for (let k = 0; k < raw.length; ) {
    if (raw[k]!.kind !== 'removed' && raw[k]!.kind !== 'added') {
      out.push(raw[k++]!);
      continue;
    }
    const removed: DiffLine[] = [];
    const added: DiffLine[] = [];
    while (k < raw.length && (raw[k]!.kind === 'removed' || raw[k]!.kind === 'added')) (raw[k]!.kind === 'removed' ? removed : added).push(raw[k++]!);
    for (let x = 0; x < Math.max(removed.length, added.length); x++) {
      const r = removed[x];
      const ad = added[x];
      if (r && ad) out.push({ kind: 'changed', left: r.left, right: ad.right, leftNo: r.leftNo, rightNo: ad.rightNo });
      else out.push((r ?? ad)!);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Acceptance status of one person against a chosen addendum version.

export const acceptanceStates = ['accepted', 'accepted-newer', 'accepted-older-valid', 'stale', 'none'] as const;
export type AcceptanceState = (typeof acceptanceStates)[number];

export const acceptanceStateLabels: Record<AcceptanceState, string> = {
  accepted: 'Accepteret',
  'accepted-newer': 'Har accepteret en nyere version',
  'accepted-older-valid': 'Ældre accept gælder stadig',
  stale: 'Skal acceptere igen',
  none: 'Har ikke accepteret',
};

/**
 * `versions` ascending. A person's newest accepted version counts against `version`: an older acceptance
 * still holds unless `version` or a version between them required everyone to accept again.
 */
export function acceptanceState(newestAccepted: number | null, version: number, versions: readonly { version: number; requiresReacceptance: boolean }[]): AcceptanceState {
  if (newestAccepted === null) return 'none';
  if (newestAccepted === version) return 'accepted';
  if (newestAccepted > version) return 'accepted-newer';
  const forced = versions.some((v) => v.version > newestAccepted && v.version <= version && v.requiresReacceptance);
  return forced ? 'stale' : 'accepted-older-valid';
}
