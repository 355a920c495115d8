import { z } from 'zod';
import { MessageParams } from '../errors.ts';
import { op } from '../operation.ts';
import { Person, PersonSummary, Reason } from '../domain/person.ts';
import { FixableDriftKind, PeoplePage, PeopleQuery, PeopleViewSettings, PersonRow, SavedPeopleView, SourceFreshness, ViewName } from '../domain/people.ts';
import { PasswordCheck } from '../domain/policies.ts';
import { Blocker, PersonStates } from '../domain/person-state.ts';
import { AuditRow } from '../domain/audit.ts';
import { IdpPerson, MfaDevice, TestPushResult } from '../idp/people.ts';
import { TermsAcceptance } from '../idp/terms.ts';
import { MitIdAuthenticator } from '../mitid/domain.ts';

const PersonId = z.string().trim().min(1, 'Angiv en person').max(100);
const DeviceId = z.string().trim().min(1).max(100);

const HELPDESK = ['administrator', 'useradmin', 'helpdesk'] as const;
const USERADMIN = ['administrator', 'useradmin'] as const;

/**
 * What a write about a person did, by code and values (the renderer words it, `actions.said.*`): the MitID
 * Erhverv writes, an identity only in MitID Erhverv suspended, and the Local IdP's device and identity-lock
 * writes. The write's `message` says the same in Danish. `at` is an ISO time, worded by the renderer.
 */
export const writeOutcomeCodes = [
  'created',
  'reconciled',
  'credentialRequested',
  'alreadyAssigned',
  'pendingConfirmation',
  'pendingUnknown',
  'revoked',
  'notAssigned',
  'signingStopped',
  'signingStoppedGroup',
  'signingAllowed',
  'signingAllowedGroup',
  'suspended',
  'alreadySuspended',
  'reactivated',
  'alreadyActive',
  'relinked',
  'orphanSuspended',
  'orphanAlreadySuspended',
  'deviceLocked',
  'deviceUnlocked',
  'deviceRemoved',
  'testPushApproved',
  'testPushRejected',
  'testPushTimeout',
  'tokenReleased',
  'tokenAssigned',
  'tokenAlreadyAssigned',
  'identityLocked',
  'identityUnlocked',
] as const;
export const WriteOutcome = z.object({ code: z.enum(writeOutcomeCodes), params: MessageParams });
export type WriteOutcome = z.infer<typeof WriteOutcome>;

/** Every write about one person answers with what happened and the person's row as it is now. */
const WriteResult = z.object({ outcome: z.string(), message: z.string(), said: WriteOutcome.optional(), row: PersonRow.nullable() });

/** A panel's data, or why that system could not answer (the other panels still show). */
function panel<T extends z.ZodType>(data: T) {
  return z.union([z.object({ ok: z.literal(true), data }), z.object({ ok: z.literal(false), code: z.string(), message: z.string(), key: z.string().optional(), params: MessageParams.optional() })]);
}

export const MitIdPanel = z.object({
  subjectNameId: z.string().nullable(),
  identity: z
    .object({
      uuid: z.string(),
      status: z.string(),
      givenName: z.string().nullable(),
      surname: z.string().nullable(),
      emailAddress: z.string().nullable(),
      cprMasked: z.string().nullable(),
      allowSigning: z.boolean(),
      qualifiedEligible: z.boolean(),
    })
    .nullable(),
  localCredential: MitIdAuthenticator.nullable(),
  authenticators: z.array(MitIdAuthenticator),
  /** none → waiting for the person (private MitID validation from an e-mail) → active. */
  signingState: z.enum(['none', 'waiting-for-person', 'active']),
  canSetQualifiedEligibility: z.boolean(),
  /** The identity's state from its explicit status value (absent when there is no identity). */
  identityState: z.enum(['active', 'suspended', 'pending', 'other']).optional(),
  /** The identity has an active private MitID (signing then is active, not waiting for the person). */
  privateMitIdActive: z.boolean().nullable().default(null),
  /** A paid create whose outcome is not known yet ("afventer bekræftelse"): never sent again meanwhile. */
  /** Worded by the renderer from these figures, in the operator's language. */
  pendingCreate: z
    .object({ since: z.string(), absentChecks: z.number().int(), absentSearches: z.number().int(), earliestRetryAt: z.string() })
    .nullable()
    .default(null),
  /** linked: the identity carries the person's local login; unlinked: found by CPR or e-mail only. */
  link: z.enum(['linked', 'unlinked', 'none']).default('none'),
  /** For an unlinked identity: the local logins it carries (someone else's), if any. */
  unlinkedLocalIds: z.array(z.string()).default([]),
});
export type MitIdPanel = z.infer<typeof MitIdPanel>;

export const IdpPanel = z.object({
  person: IdpPerson,
  devices: z.array(MfaDevice),
  terms: z.array(TermsAcceptance),
});
export type IdpPanel = z.infer<typeof IdpPanel>;

/** The operator's views, by name; every change answers with the list as it now is. */
const SavedViews = z.object({ views: z.array(SavedPeopleView), limit: z.number().int() });

export const peopleOps = {
  'people.search': op({
    summary: 'Søg efter personer',
    access: 'signed-in',
    scope: 'filtered',
    writes: false,
    input: z
      .object({
        text: z.string().max(10_000).default(''),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({ items: z.array(PersonSummary), total: z.number().int() }),
  }),
  'people.list': op({
    summary: 'Vis personlisten',
    access: 'signed-in',
    scope: 'filtered',
    writes: false,
    input: PeopleQuery.extend({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }).strict(),
    output: PeoplePage,
  }),
  'people.refresh': op({
    summary: 'Genindlæs personlisten fra AD, MitID Erhverv og IdP',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    invalidates: ['people.list'],
    input: z.object({}).strict(),
    output: z.object({ started: z.boolean() }),
  }),
  'people.syncStatus': op({
    summary: 'Status for synkroniseringen af personlisten',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    // Per system: last full read, last delta, method, progress; never a person.
    output: z.object({ sources: z.array(SourceFreshness) }),
  }),
  'people.cancelRefresh': op({
    summary: 'Afbryd indlæsningen af personlisten',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    invalidates: ['people.list'],
    input: z.object({}).strict(),
    /** False when nothing was being read. */
    output: z.object({ cancelled: z.boolean() }),
  }),
  'people.export': op({
    summary: 'Eksportér personlisten',
    access: 'signed-in',
    scope: 'filtered',
    writes: false,
    // Personal data leaves the console: journaled like a write.
    sensitive: true,
    input: PeopleQuery.extend({
      format: z.enum(['csv', 'xlsx']),
      columns: z.array(z.string().max(50)).min(1).max(40),
      /** The operator's console language: headers, status words and the file's name follow it. */
      language: z.enum(['da', 'en']).default('da'),
    }).strict(),
    output: z.object({ filename: z.string(), mime: z.string(), base64: z.string(), rows: z.number().int() }),
  }),
  'people.get': op({
    summary: 'Vis en person',
    access: 'signed-in',
    scope: 'person',
    writes: false,
    input: z.object({ personId: PersonId }).strict(),
    output: z.object({ person: Person }),
    target: (i) => ({ personId: i.personId }),
  }),
  'people.overview': op({
    summary: 'Vis en person i alle systemer',
    access: 'signed-in',
    scope: 'person',
    writes: false,
    input: z.object({ personId: PersonId }).strict(),
    output: z.object({
      person: Person,
      row: PersonRow.nullable(),
      /** AD's resultant password policy for the person (their PSO, else the domain's); null if unreadable. */
      adPolicy: z
        .object({
          source: z.enum(['pso', 'domain']),
          name: z.string(),
          readable: z.boolean(),
          minLength: z.number().nullable(),
          historyLength: z.number().nullable(),
          complexity: z.boolean().nullable(),
          maxAgeDays: z.number().nullable(),
          lockoutThreshold: z.number().nullable(),
          lockoutDurationMinutes: z.number().nullable(),
        })
        .nullable(),
      mitid: panel(MitIdPanel),
      idp: panel(IdpPanel),
      /** The person's states from this read, by the same function as the list's rows (shared/domain/person-state.ts). */
      states: PersonStates,
      /** Per checked action, what stands in its way (empty: it can be tried); main refuses it for the same reason. */
      blockers: z.record(z.enum(['assign-local', 'allow-signing', 'suspend', 'reactivate']), z.array(Blocker)),
    }),
    target: (i) => ({ personId: i.personId }),
  }),
  'people.history': op({
    summary: 'Vis en persons historik',
    access: 'signed-in',
    scope: 'person',
    writes: false,
    input: z.object({ personId: PersonId }).strict(),
    output: z.object({ items: z.array(AuditRow) }),
    target: (i) => ({ personId: i.personId }),
  }),
  // Who may see a full CPR number: those who act on the person's identity or help them on the phone
  // (administrator, user administrator, helpdesk within its OUs), always with a reason, journaled.
  // Not auditors: they review what was done, where CPR numbers stay masked; an evidence package with full
  // numbers is their one route, itself with a reason and journaled.
  'people.revealCpr': op({
    summary: 'Vis fuldt CPR-nummer',
    access: HELPDESK,
    scope: 'person',
    writes: false,
    invalidates: ['people.history'],
    sensitive: true,
    input: z.object({ personId: PersonId, reason: Reason }).strict(),
    output: z.object({ cpr: z.string() }),
    target: (i) => ({ personId: i.personId }),
  }),
  'people.unlockAccount': op({
    summary: 'Lås AD-konto op',
    access: HELPDESK,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history', 'people.get'],
    input: z.object({ personId: PersonId, reason: Reason }).strict(),
    output: z.object({ person: Person }),
    target: (i) => ({ personId: i.personId }),
  }),
  'people.checkPassword': op({
    summary: 'Kontrollér en ny adgangskode mod personens politik',
    access: HELPDESK,
    scope: 'person',
    writes: false,
    input: z.object({ personId: PersonId, password: z.string().max(256) }).strict(),
    output: z.object({ ok: z.boolean(), problems: z.array(PasswordCheck), policy: z.string() }),
    target: (i) => ({ personId: i.personId }),
    secretFields: ['password'],
  }),
  'people.resetPassword': op({
    summary: 'Nulstil adgangskode',
    access: HELPDESK,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history'],
    input: z
      .object({ personId: PersonId, reason: Reason, password: z.string().min(1, 'Angiv en adgangskode').max(256), mustChange: z.boolean().default(true) })
      .strict(),
    output: WriteResult,
    target: (i) => ({ personId: i.personId }),
    secretFields: ['password'],
  }),
  'people.assignLocalAuthenticator': op({
    summary: 'Tildel lokalt loginmiddel',
    access: USERADMIN,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history', 'people.get'],
    input: z.object({ personId: PersonId, reason: Reason }).strict(),
    output: WriteResult,
    target: (i) => ({ personId: i.personId }),
  }),
  'people.revokeLocalAuthenticator': op({
    summary: 'Fjern lokalt loginmiddel',
    access: USERADMIN,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history', 'people.get'],
    input: z.object({ personId: PersonId, reason: Reason }).strict(),
    output: WriteResult,
    target: (i) => ({ personId: i.personId }),
  }),
  'people.setSigning': op({
    summary: 'Kvalificeret signatur: opgradér eller fjern',
    access: USERADMIN,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history', 'people.get'],
    input: z.object({ personId: PersonId, reason: Reason, allow: z.boolean() }).strict(),
    output: WriteResult,
    target: (i) => ({ personId: i.personId }),
  }),
  'people.suspendIdentity': op({
    summary: 'Suspendér erhvervsidentitet',
    access: USERADMIN,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history', 'people.get'],
    input: z.object({ personId: PersonId, reason: Reason }).strict(),
    output: WriteResult,
    target: (i) => ({ personId: i.personId }),
  }),
  'people.reactivateIdentity': op({
    summary: 'Genaktivér erhvervsidentitet',
    access: USERADMIN,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history', 'people.get'],
    input: z.object({ personId: PersonId, reason: Reason }).strict(),
    output: WriteResult,
    target: (i) => ({ personId: i.personId }),
  }),
  'people.deviceAction': op({
    summary: 'MFA-enhed: lås, lås op, fjern eller test-push',
    access: HELPDESK,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history', 'people.get'],
    input: z
      .object({ personId: PersonId, reason: Reason, deviceId: DeviceId, action: z.enum(['lock', 'unlock', 'remove', 'test-push', 'release-token']) })
      .strict(),
    output: WriteResult.extend({ push: TestPushResult.nullable() }),
    target: (i) => ({ personId: i.personId }),
  }),
  'people.setIdentityLock': op({
    summary: 'Lås eller lås op for identiteten i IdP',
    access: HELPDESK,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history', 'people.get'],
    input: z.object({ personId: PersonId, reason: Reason, locked: z.boolean() }).strict(),
    output: WriteResult,
    target: (i) => ({ personId: i.personId }),
  }),
  'people.fixDrift': op({
    summary: 'Ret afvigelse mellem AD og MitID Erhverv',
    access: USERADMIN,
    scope: 'person',
    writes: true,
    invalidates: ['people.list', 'people.overview', 'people.history'],
    input: z.object({ personId: PersonId, reason: Reason, kind: FixableDriftKind }).strict(),
    output: WriteResult,
    // For an identity only in MitID Erhverv the id is "mitid:<uuid>": no AD person to scope on.
    target: (i) => ({ personId: i.personId }),
  }),
  // Saved views are the operator's own preference, not a change to any system: not journaled. Whoever
  // may see the list may keep views of it; each operator sees only their own.
  'people.views.list': op({
    summary: 'Vis mine gemte visninger af personlisten',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: SavedViews,
  }),
  'people.views.save': op({
    summary: 'Gem en visning af personlisten',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    input: z
      .object({
        name: ViewName,
        settings: PeopleViewSettings,
        /** An existing view of the same name is replaced only when the operator has said yes. */
        overwrite: z.boolean().default(false),
        /** true: the page opens with this view; false: it no longer does; left out: unchanged. */
        isDefault: z.boolean().optional(),
      })
      .strict(),
    output: SavedViews,
  }),
  'people.views.delete': op({
    summary: 'Slet en gemt visning af personlisten',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    input: z.object({ name: ViewName }).strict(),
    output: SavedViews,
  }),
  'people.views.setDefault': op({
    summary: 'Vælg den visning, personlisten åbner med',
    access: 'signed-in',
    scope: 'none',
    writes: false,
    /** null: the page opens with the plain list. */
    input: z.object({ name: ViewName.nullable() }).strict(),
    output: SavedViews,
  }),
};
