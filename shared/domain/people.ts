import { z } from 'zod';
import { Blocker, PersonStates } from './person-state.ts';
import { ErrorRef } from '../errors.ts';
import { SyncMethod, SyncPhase } from './sync.ts';
import { FULL_SERVICE_MIN_LENGTH } from '../idp/password-policy.ts';

// The people feature's shared pieces: the merged row (AD + MitID Erhverv + IdP), the list query, drift
// kinds, CPR masking, the search folding and the speakable passphrase. No Node, no DOM.

/** Mismatches between AD and MitID Erhverv, in the order the drift view lists them. */
export const driftKinds = [
  'identity-missing',
  // Expected to have an identity, but one cannot be created until AD is fixed (no e-mail, no name):
  // their own category, with what to fix, instead of a create that would fail after the reason is typed.
  'identity-blocked',
  'suspended-active-ad',
  'active-disabled-ad',
  'credential-missing',
  'subject-mismatch',
  'only-in-mitid',
] as const;
export const DriftKind = z.enum(driftKinds);
export type DriftKind = z.infer<typeof DriftKind>;
/** The drift the console can fix itself; the others are fixed where the row says (e.g. in AD). */
export const FixableDriftKind = DriftKind.exclude(['identity-blocked']);
export type FixableDriftKind = z.infer<typeof FixableDriftKind>;

/** OUs whose people are not expected to have a business identity (pupils). */
export const NO_IDENTITY_OU_PARTS = ['Elever'] as const;

export const MitIdRowState = z.enum(['none', 'Active', 'Suspended', 'other', 'unknown']);
export type MitIdRowState = z.infer<typeof MitIdRowState>;

/** One row of the people list: what each system says about one person, merged in main. */
export const PersonRow = z.object({
  /** AD objectGUID; for a person who exists only in MitID Erhverv: "mitid:<uuid>". */
  id: z.string(),
  source: z.enum(['ad', 'mitid-only']),
  displayName: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  employeeId: z.string().nullable(),
  ouPath: z.string(),
  ad: z
    .object({
      enabled: z.boolean(),
      locked: z.boolean(),
      passwordLastSet: z.string().nullable(),
      /** Whole days since the password was set; null when never set. */
      passwordAgeDays: z.number().int().nullable(),
      /** When the password expires under the domain's maximum age; null = never / unknown. */
      passwordExpires: z.string().nullable(),
      accountExpires: z.string().nullable(),
      mustChangePassword: z.boolean(),
    })
    .nullable(),
  mitid: z.object({
    /** 'unknown' until MitID Erhverv has been read (or when it is not set up). */
    state: MitIdRowState,
    status: z.string().nullable(),
    uuid: z.string().nullable(),
    /** null = not known yet. */
    localCredential: z.boolean().nullable(),
    allowSigning: z.boolean().nullable(),
  }),
  idp: z.object({
    loaded: z.boolean(),
    nsisStatus: z.string().nullable(),
    /** The identity's NSIS assurance level as the IdP says it (none, low, substantial, high). */
    nsisLevel: z.string().nullable().optional(),
    deviceCount: z.number().int().nullable(),
    acceptedTermsVersion: z.number().int().nullable(),
    locked: z.boolean().nullable(),
  }),
  drift: z.array(DriftKind),
  /** With drift 'identity-blocked': what stands in the way of creating the identity (the same decision main makes on a create). */
  identityBlocker: Blocker.optional(),
  /** The person's states (shared/domain/person-state.ts): what every screen shows. */
  states: PersonStates,
  /** With several AD domains: the domain the person lives in (absent with one). */
  domain: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
});
export type PersonRow = z.infer<typeof PersonRow>;

export const sortKeys = [
  'displayName',
  'username',
  'ouPath',
  'adState',
  'passwordAge',
  'accountExpires',
  'mitidState',
  'deviceCount',
  'nsisStatus',
  'terms',
  'drift',
] as const;
export const SortKey = z.enum(sortKeys);
export type SortKey = z.infer<typeof SortKey>;

const tri = z.enum(['any', 'yes', 'no']).default('any');

export const PeopleFilter = z
  .object({
    /** ouPath prefix, e.g. "Skoler" or "Skoler / Elever". */
    ou: z.string().max(500).default(''),
    adEnabled: tri,
    adLocked: tri,
    mustChange: tri,
    passwordExpired: tri,
    mitidState: z.enum(['any', 'none', 'Active', 'Suspended', 'unknown']).default('any'),
    localCredential: tri,
    signing: tri,
    mfa: z.enum(['any', 'none', 'some']).default('any'),
    nsisStatus: z.string().max(50).default(''),
    /** '' = any; 'any-drift' = at least one kind. */
    drift: z.union([z.literal(''), z.literal('any-drift'), DriftKind]).default(''),
    /** '' = every domain; else a domain's id (several AD domains). */
    domain: z.string().max(100).default(''),
  })
  .strict();
export type PeopleFilter = z.infer<typeof PeopleFilter>;
export type PeopleFilterInput = z.input<typeof PeopleFilter>;

export const PeopleQuery = z
  .object({
    text: z.string().max(200).default(''),
    filter: PeopleFilter.default(PeopleFilter.parse({})),
    sort: SortKey.default('displayName'),
    dir: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();
export type PeopleQuery = z.infer<typeof PeopleQuery>;
export type PeopleQueryInput = z.input<typeof PeopleQuery>;

// ---------------------------------------------------------------- saved views

/** Every column the list can show, in display order; the column chooser and the export use the same ids. */
export const peopleColumnIds = [
  'displayName',
  'username',
  'email',
  'employeeId',
  'domain',
  'ouPath',
  'adState',
  'passwordAge',
  'passwordExpires',
  'accountExpires',
  'mitidState',
  'localCredential',
  'signing',
  'deviceCount',
  'nsisStatus',
  'nsisLevel',
  'terms',
  'drift',
] as const;
export const PeopleColumnId = z.enum(peopleColumnIds, { error: 'Ukendt kolonne' });
export type PeopleColumnId = z.infer<typeof PeopleColumnId>;

/** Per operator; enough for every team's habits, small enough to stay a short menu. */
export const MAX_SAVED_VIEWS = 50;

export const ViewName = z
  .string({ error: 'Angiv et navn til visningen' })
  .trim()
  .min(1, 'Angiv et navn til visningen')
  .max(60, 'Navnet må højst være på 60 tegn');

/**
 * What a saved view restores: the list's own query (the same filter and sort schema) and the columns.
 * An empty text means the view leaves the search box as it is.
 */
export const PeopleViewSettings = PeopleQuery.extend({
  columns: z
    .array(PeopleColumnId, { error: 'Vælg kolonnerne' })
    .min(1, 'Vælg mindst én kolonne')
    .max(peopleColumnIds.length)
    // A column chosen twice is the same column: kept once, in the list's order.
    .transform((cols) => peopleColumnIds.filter((id) => cols.includes(id))),
}).strict();
export type PeopleViewSettings = z.infer<typeof PeopleViewSettings>;
export type PeopleViewSettingsInput = z.input<typeof PeopleViewSettings>;

export const SavedPeopleView = z.object({
  name: z.string(),
  settings: PeopleViewSettings,
  /** The page opens with this view; at most one per operator. */
  isDefault: z.boolean(),
  updatedAt: z.string(),
});
export type SavedPeopleView = z.infer<typeof SavedPeopleView>;

export const SourceFreshness = z.object({
  system: z.enum(['ad', 'mitid', 'idp']),
  state: z.enum(['not-loaded', 'loading', 'ok', 'failed', 'not-configured']),
  /** When the last complete read finished. */
  loadedAt: z.string().nullable(),
  /** Progress of a read in progress (people/identities done, of total). */
  done: z.number().int(),
  total: z.number().int(),
  /** Why the last read failed or was cancelled, in main's Danish words. */
  message: z.string().nullable(),
  /** The same by code and key, which the renderer words in the operator's language (absent from an older main). */
  error: ErrorRef.nullable().optional(),
  /** The facts shown are the local cache's from the last run (loadedAt says when); a new read follows. */
  fromCache: z.boolean(),
  /** When the system was last read whole, and last asked only for what changed (null: not yet). */
  lastFullAt: z.string().nullable().optional(),
  lastDeltaAt: z.string().nullable().optional(),
  /** How the last read was done, by the adapter's code and values (the renderer words them). */
  method: SyncMethod.nullable().optional(),
  /** What a read in progress is doing now, by code and values (the renderer words them). */
  phase: SyncPhase.nullable().optional(),
  /** External calls the last read made, per endpoint. */
  calls: z.record(z.string(), z.number()).optional(),
  /** A read is running and can be cancelled (people.cancelRefresh). */
  cancellable: z.boolean().optional(),
});
export type SourceFreshness = z.infer<typeof SourceFreshness>;

export const DriftCounts = z.record(DriftKind, z.number().int());
export type DriftCounts = z.infer<typeof DriftCounts>;

/** One page of the people list, as people.list answers it. */
export const PeoplePage = z.object({
  rows: z.array(PersonRow),
  offset: z.number().int(),
  /** Rows in the whole view (after filters). */
  total: z.number().int(),
  /** People in the index. */
  indexed: z.number().int(),
  /** Changes whenever the index does, so the renderer knows when to fetch again. */
  version: z.number().int(),
  sources: z.array(SourceFreshness),
  drift: DriftCounts,
  ous: z.array(z.string()),
  nsisStatuses: z.array(z.string()),
  /** With several AD domains: each domain with people in the operator's view, and how many (before filters). */
  domains: z.array(z.object({ id: z.string(), name: z.string(), count: z.number().int() })).default([]),
});
export type PeoplePage = z.infer<typeof PeoplePage>;

// ---------------------------------------------------------------- text folding for search


// ---------------------------------------------------------------- CPR

/** `ddmmyy-XXXX`: the birth date stays readable, the serial number never shows unless revealed. */
export function maskCpr(cpr: string | null | undefined): string | null {
  const digits = (cpr ?? '').replace(/\D/g, '');
  if (digits.length !== 10) return null;
  return `${digits.slice(0, 6)}-XXXX`;
}

export function formatCpr(cpr: string): string {
  const d = cpr.replace(/\D/g, '');
  return d.length === 10 ? `${d.slice(0, 6)}-${d.slice(6)}` : cpr;
}

// ---------------------------------------------------------------- passphrases

/** The words a passphrase is drawn from: short Danish words without æøå (keyboards and phones differ), easy to say and spell over the phone. */
export const PASSPHRASE_WORDS = [
  'bil', 'hus', 'kat', 'hund', 'sol', 'mos', 'havn', 'skov', 'fjord', 'bro', 'sko', 'tog', 'bus', 'kage', 'mælk',
  'ost', 'brod', 'fisk', 'hest', 'ko', 'gris', 'lam', 'ugle', 'ravn', 'falk', 'ged', 'mus', 'ris', 'te', 'kaffe',
  'regn', 'sne', 'vind', 'storm', 'sky', 'hav', 'strand', 'sand', 'sten', 'bjerg', 'dal', 'eng', 'mark', 'have',
  'rose', 'tulipan', 'eg', 'bog', 'gran', 'birk', 'pil', 'lind', 'kirke', 'skole', 'torv', 'gade', 'vej', 'sti',
  'lampe', 'stol', 'bord', 'seng', 'dyne', 'pude', 'kop', 'tallerken', 'gaffel', 'kniv', 'ske', 'gryde', 'pande',
  'cykel', 'baad', 'skib', 'anker', 'mast', 'sejl', 'fyr', 'klit', 'bolge', 'tang', 'musling', 'krabbe', 'hummer',
  'tromme', 'fløjte', 'guitar', 'klaver', 'sang', 'dans', 'bold', 'maal', 'hue', 'vante', 'frakke', 'stovle',
].filter((w) => /^[a-z]+$/.test(w));

/**
 * A strong, speakable passphrase: four capitalised words, a two-digit number and a dash between each —
 * e.g. "Fjord-Kage-Mast-Ugle-47". About 4 × 6.5 + 6.6 ≈ 32 bits from the list plus length for AD. Four
 * short words ("Te-Ko-Eg-Te-69") fall below the NSIS minimum of 15 characters: then one more word.
 */
export function generatePassphrase(random: (n: number) => number = cryptoRandom): string {
  const words: string[] = [];
  const number = String(10 + random(90));
  while (words.length < 4 || words.join('-').length + 1 + number.length < FULL_SERVICE_MIN_LENGTH) {
    const w = PASSPHRASE_WORDS[random(PASSPHRASE_WORDS.length)]!;
    words.push(w[0]!.toUpperCase() + w.slice(1));
  }
  return `${words.join('-')}-${number}`;
}

function cryptoRandom(n: number): number {
  // Rejection sampling: no modulo bias.
  const max = Math.floor(0x1_0000_0000 / n) * n;
  const buf = new Uint32Array(1);
  for (;;) {
    globalThis.crypto.getRandomValues(buf);
    if (buf[0]! < max) return buf[0]! % n;
  }
}
