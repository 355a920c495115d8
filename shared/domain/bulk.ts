import { z } from 'zod';

/** What a bulk job does to each person in MitID Erhverv. */
export const bulkActions = ['assign-local', 'allow-signing', 'suspend', 'reactivate'] as const;
export const BulkAction = z.enum(bulkActions);
export type BulkAction = z.infer<typeof BulkAction>;

/** Largest uploaded CSV (characters; the web host takes 1 MiB per call) and largest explicit selection. */
export const BULK_MAX_CSV = 800_000;
export const BULK_MAX_PEOPLE = 20_000;

/** Who a job is for: a selection of people, everyone in an OU (and below), a group's members, or a CSV of usernames. */
export const BulkTarget = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('people'),
    personIds: z.array(z.string().trim().min(1).max(100)).min(1, 'Vælg mindst én person').max(BULK_MAX_PEOPLE, 'For mange personer i én opgave'),
  }),
  z.object({ kind: z.literal('ou'), ou: z.string().trim().min(3, 'Angiv en enhed (OU)').max(1000) }),
  z.object({ kind: z.literal('group'), group: z.string().trim().min(1, 'Angiv en gruppe').max(1000) }),
  z.object({
    kind: z.literal('csv'),
    csv: z.string().min(1, 'Vælg en CSV-fil med brugernavne').max(BULK_MAX_CSV, 'CSV-filen er for stor (højst 800.000 tegn – del den op)'),
    fileName: z.string().trim().max(260).optional(),
  }),
]);
export type BulkTarget = z.infer<typeof BulkTarget>;

/** What the dry run decided for one row. */
export const bulkPlans = ['create', 'request-credential', 'allow-signing', 'suspend', 'reactivate', 'skip'] as const;
export const BulkPlan = z.enum(bulkPlans);
export type BulkPlan = z.infer<typeof BulkPlan>;

/** Why a row is skipped. */
export const bulkSkipReasons = [
  'invalid-username',
  'not-in-directory',
  'duplicate',
  'no-subject-name-id',
  'no-email',
  'missing-name',
  'account-disabled',
  'account-expired',
  'identity-floor',
  'identity-suspended',
  'identity-pending-validation',
  'already-assigned',
  'no-identity',
  'already-signing',
  'already-suspended',
  'already-active',
] as const;
export const BulkSkipReason = z.enum(bulkSkipReasons);
export type BulkSkipReason = z.infer<typeof BulkSkipReason>;

/**
 * A row's life: skipped (by the plan) — or pending → in-flight (stored before the external call) →
 * done | failed (stored after it). A row found in-flight after a crash goes back to pending marked
 * uncertain, and is looked up before anything is sent again. A create whose outcome is unknown is
 * "awaiting" (afventer bekræftelse): looked up again at intervals, never created again until the console
 * is certain it did not land; the job finishes when none is left. Pending and awaiting rows of a
 * cancelled job: cancelled (the person page still shows an unconfirmed create).
 */
export const bulkRowStates = ['skipped', 'pending', 'in-flight', 'awaiting', 'done', 'failed', 'cancelled'] as const;
export const BulkRowState = z.enum(bulkRowStates);
export type BulkRowState = z.infer<typeof BulkRowState>;

export const bulkJobStates = ['planned', 'running', 'pausing', 'paused', 'cancelling', 'cancelled', 'completed'] as const;
export const BulkJobState = z.enum(bulkJobStates);
export type BulkJobState = z.infer<typeof BulkJobState>;

/** Why a job stands paused: the operator, MitID Erhverv being unreachable, or the console stopping mid-run. */
export const BulkPauseCode = z.enum(['operator', 'mitid-unavailable', 'interrupted']);
export type BulkPauseCode = z.infer<typeof BulkPauseCode>;

/**
 * A pause's detail by code and values, for the renderer to word in the operator's language (`bulk.pauseText.*`);
 * the pause's `message` says the same in Danish. The code is the pause's own, except for a job interrupted
 * while pausing, which keeps the detail of why it was pausing.
 */
export const BulkPauseDetail = z.object({ code: BulkPauseCode, params: z.record(z.string(), z.union([z.string(), z.number()])) });
export type BulkPauseDetail = z.infer<typeof BulkPauseDetail>;

export const BulkCounts = z.object({
  total: z.number().int(),
  skipped: z.number().int(),
  pending: z.number().int(),
  inFlight: z.number().int(),
  /** Creates waiting for confirmation ("afventer bekræftelse"). */
  awaiting: z.number().int().default(0),
  done: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});
export type BulkCounts = z.infer<typeof BulkCounts>;

/** A note added to a job after the fact, by whom and when. */
export const BulkJobNote = z.object({ at: z.string(), by: z.string(), text: z.string() });
export type BulkJobNote = z.infer<typeof BulkJobNote>;

export const BulkJobView = z.object({
  id: z.string(),
  action: BulkAction,
  targetLabel: z.string(),
  state: BulkJobState,
  createdAt: z.string(),
  createdBy: z.string(),
  /** Who started (or last resumed) the run: the operator its MitID calls are journaled under. */
  runBy: z.string().nullable(),
  reason: z.string().nullable(),
  concurrency: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** `message` in Danish (as the job's record keeps it); `detail` names it by code (null for a job paused before details were kept). */
  pause: z.object({ code: BulkPauseCode, message: z.string(), detail: BulkPauseDetail.nullable() }).nullable(),
  counts: BulkCounts,
  /** Planned rows per plan kind (skip included), for the dry-run summary. */
  plan: z.record(z.string(), z.number().int()),
  /** Skipped rows per reason. */
  skips: z.record(z.string(), z.number().int()),
  /** The per-row result file, written when the job stops (completed or cancelled). */
  resultFile: z.string().nullable(),
  /** Notes added after the fact (e.g. why a job was paused, once it was). */
  notes: z.array(BulkJobNote),
});
export type BulkJobView = z.infer<typeof BulkJobView>;

export const BulkRowView = z.object({
  seq: z.number().int(),
  personId: z.string().nullable(),
  username: z.string(),
  displayName: z.string().nullable(),
  ou: z.string().nullable(),
  plan: BulkPlan,
  skipReason: BulkSkipReason.nullable(),
  state: BulkRowState,
  /** What actually happened (created, reconciled, credential-requested, …). */
  result: z.string().nullable(),
  uuid: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  updatedAt: z.string(),
});
export type BulkRowView = z.infer<typeof BulkRowView>;

/** Danish texts used in the journal and the result file (the UI has its own, translatable copies). */
export const bulkActionDa: Record<BulkAction, string> = {
  'assign-local': 'Tildel lokalt loginmiddel',
  'allow-signing': 'Opgradér til signering',
  suspend: 'Suspendér identitet',
  reactivate: 'Genaktivér identitet',
};

export const bulkPlanDa: Record<BulkPlan, string> = {
  create: 'Opret identitet med lokalt loginmiddel (gebyr)',
  'request-credential': 'Tilknyt lokalt loginmiddel til eksisterende identitet',
  'allow-signing': 'Tillad signering',
  suspend: 'Suspendér',
  reactivate: 'Genaktivér',
  skip: 'Springes over',
};

export const bulkSkipDa: Record<BulkSkipReason, string> = {
  'invalid-username': 'Ikke et gyldigt brugernavn',
  'not-in-directory': 'Findes ikke i Active Directory',
  duplicate: 'Står der allerede tidligere i listen',
  'no-subject-name-id': 'Forbindelsesreglen giver intet bruger-id (mangler UPN?)',
  'no-email': 'Ingen e-mailadresse i AD (MitID Erhverv kræver en)',
  'missing-name': 'Mangler for- eller efternavn i AD',
  'account-disabled': 'AD-kontoen er deaktiveret',
  'account-expired': 'AD-kontoen er udløbet',
  'identity-floor': 'Politikdomænet er ikke et NSIS-domæne (NSIS-gulvet)',
  'identity-suspended': 'Erhvervsidentiteten er suspenderet',
  'identity-pending-validation': 'Erhvervsidentiteten afventer validering af personen',
  'already-assigned': 'Har allerede det lokale loginmiddel',
  'no-identity': 'Har ingen erhvervsidentitet i MitID Erhverv',
  'already-signing': 'Må allerede signere',
  'already-suspended': 'Er allerede suspenderet',
  'already-active': 'Er allerede aktiv',
};

export const bulkResultDa: Record<string, string> = {
  created: 'Oprettet',
  reconciled: 'Fandtes allerede (tidligere forsøg lykkedes)',
  'pending-confirmation': 'Afventer bekræftelse fra MitID Erhverv (oprettes ikke igen, før det er sikkert)',
  'credential-requested': 'Loginmiddel tilknyttet',
  'already-assigned': 'Havde allerede loginmidlet',
  'signing-allowed': 'Signering tilladt',
  suspended: 'Suspenderet',
  'already-suspended': 'Var allerede suspenderet',
  reactivated: 'Genaktiveret',
  'already-active': 'Var allerede aktiv',
};

export const bulkRowStateDa: Record<BulkRowState, string> = {
  skipped: 'Sprunget over',
  pending: 'Venter',
  'in-flight': 'I gang',
  awaiting: 'Afventer bekræftelse',
  done: 'Udført',
  failed: 'Fejlet',
  cancelled: 'Annulleret',
};


// ------------------------------------------------------------------ CSV of usernames

export interface ParsedUsernames {
  /** In file order, without duplicates (case-insensitive). */
  usernames: string[];
  /** Usernames that appeared more than once (as first written). */
  duplicates: string[];
  /** 1-based line numbers of values that cannot be a username, with the value. */
  invalid: Array<{ line: number; value: string }>;
  /** True when the first line was recognised as a header and left out. */
  header: boolean;
}

const headerNames = /^(brugernavn|brugernavne|username|user|samaccountname|bruger|brugerid|bruger-id|login|initialer)$/i;
// sAMAccountName: no " / \ [ ] : ; | = , + * ? < >, at most 104 characters in practice; an e-mail/UPN is allowed too.
const plausible = /^[^"/\\[\]:;|=,+*?<>\s]{1,104}$/;

/** Split CSV text into records of fields: quotes with "" escapes, CRLF/LF/CR line ends, the given delimiter. */
export function splitCsv(text: string, delimiter: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/**
 * A one-column (or first-column) list of usernames, as Danish Excel saves it: UTF-8 with or without BOM,
 * `;` or `,` or tab between columns, an optional header row ("Brugernavn", "username", …). `DOMÆNE\bruger`
 * is reduced to the username. Blank lines are ignored.
 */
export function parseUsernameCsv(text: string): ParsedUsernames {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') ? ';' : firstLine.includes('\t') ? '\t' : ',';
  const records = splitCsv(body, delimiter).filter((r) => r.fields.some((f) => f.trim() !== ''));
  let column = 0;
  let header = false;
  const first = records[0];
  if (first) {
    const idx = first.fields.findIndex((f) => headerNames.test(f.trim()));
    if (idx >= 0) {
      header = true;
      column = idx;
    }
  }
  const seen = new Set<string>();
  const usernames: string[] = [];
  const duplicates: string[] = [];
  const invalid: Array<{ line: number; value: string }> = [];
  for (const r of header ? records.slice(1) : records) {
    const raw = (r.fields[column] ?? '').trim();
    if (raw === '') continue;
    const value = raw.replace(/^[^\\]+\\/, '');
    if (!plausible.test(value)) {
      invalid.push({ line: r.line, value: raw.slice(0, 200) });
      continue;
    }
    const key = value.toLowerCase();
    if (seen.has(key)) {
      duplicates.push(value);
      continue;
    }
    seen.add(key);
    usernames.push(value);
  }
  return { usernames, duplicates, invalid, header };
}
