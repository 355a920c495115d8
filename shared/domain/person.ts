import { z } from 'zod';

/** What the directory says about one person, in the shape every directory adapter returns. */
export const PersonSummary = z.object({
  /** objectGUID as a lower-case UUID string: stable across renames and moves. */
  id: z.string(),
  dn: z.string(),
  username: z.string(),
  displayName: z.string(),
  givenName: z.string().nullable(),
  surname: z.string().nullable(),
  email: z.string().nullable(),
  employeeId: z.string().nullable(),
  /** Human path of the OU, outermost first, e.g. "Skoler / Elever". */
  ouPath: z.string(),
  enabled: z.boolean(),
  locked: z.boolean(),
  passwordLastSet: z.string().nullable(),
  accountExpires: z.string().nullable(),
  mustChangePassword: z.boolean(),
  passwordNeverExpires: z.boolean(),
});
export type PersonSummary = z.infer<typeof PersonSummary>;

export const Person = PersonSummary.extend({
  title: z.string().nullable(),
  department: z.string().nullable(),
  groups: z.array(z.string()),
  lastLogon: z.string().nullable(),
  badPasswordCount: z.number().int().nullable(),
  lockoutTime: z.string().nullable(),
});
export type Person = z.infer<typeof Person>;

/**
 * Characters a reason may not hold: control characters other than tab and line breaks (NUL included),
 * bidirectional overrides and isolates (they make text read differently than it is stored), and unpaired
 * surrogates (not text at all; they cannot be stored as UTF-8 unchanged).
 */
// eslint-disable-next-line no-control-regex
const unsafeReasonChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
export const isSafeReasonText = (s: string): boolean => !unsafeReasonChars.test(s) && s.isWellFormed();

/** A reason is required on every write that touches a person (NSIS: who did what, and why). */
export const Reason = z
  .string()
  .trim()
  .min(5, 'Angiv en begrundelse på mindst 5 tegn')
  .max(500, 'Begrundelsen må højst være 500 tegn')
  .refine(isSafeReasonText, 'Begrundelsen indeholder usynlige styretegn eller ufuldstændige tegn. Skriv den igen med almindelig tekst.');
