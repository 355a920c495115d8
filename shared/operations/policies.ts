import { z } from 'zod';
import { ErrorRef } from '../errors.ts';
import { op } from '../operation.ts';
import { Reason } from '../domain/person.ts';
import { acceptanceStates, AdWeakness, DiffLine, LeakCheck, PasswordCheck, PolicyDiffRow } from '../domain/policies.ts';
import { Domain } from '../idp/common.ts';
import { PasswordPolicy, PasswordPolicySettings } from '../idp/password-policy.ts';
import { NsisTerms, TermsVersion } from '../idp/terms.ts';

/** Administrators and user administrators set the rules; helpdesk and auditors may read them. */
const editors = ['administrator', 'useradmin'] as const;
const readers = ['administrator', 'useradmin', 'helpdesk', 'auditor'] as const;

const Violation = z.object({ field: z.string(), message: z.string() });
const Version = z.number().int().min(1);

export const PoliciesConfig = z
  .object({
    /** Base of the k-anonymity range API; the first five hex characters of the SHA-1 are appended. */
    leakedPasswordEndpoint: z
      .string()
      .trim()
      .url('Angiv en gyldig adresse, fx https://api.pwnedpasswords.com/range/')
      .refine((u) => /^https:\/\//i.test(u), 'Adressen skal begynde med https://'),
    leakedPasswordTimeoutMs: z.number().int().min(500).max(30_000),
    /** Which people each policy domain governs (for the consequences), as OUs; empty = the whole AD domain. */
    domainOus: z.record(z.string(), z.array(z.string().trim().min(1).max(1000)).max(50)),
    /** The AD groups (DNs) whose members each policy domain governs: its PSO in AD applies to them. */
    domainGroups: z.record(z.string(), z.array(z.string().trim().min(1).max(1000)).max(50)).default({}),
  })
  .strict();
export type PoliciesConfig = z.infer<typeof PoliciesConfig>;

/** What happened in AD when a policy was saved: written, not mapped to any group, or failed (retry). */
export const adMirrorCodes = ['notMapped', 'mirroredNew', 'mirroredUpdated', 'failed'] as const;
export const AdMirrorResult = z.object({
  state: z.enum(['mirrored', 'not-mapped', 'failed']),
  /** Danish; `detail` names it by code and values, with AD's refusal as an error (the renderer words both). */
  message: z.string(),
  detail: z.object({ code: z.enum(adMirrorCodes), groups: z.number().int(), error: ErrorRef.optional() }),
  dn: z.string().nullable(),
});
export type AdMirrorResult = z.infer<typeof AdMirrorResult>;

export const AcceptanceRow = z.object({
  personId: z.string(),
  username: z.string(),
  displayName: z.string(),
  ouPath: z.string(),
  /** Newest version the person has accepted, and when. */
  acceptedVersion: z.number().int().nullable(),
  acceptedAt: z.string().nullable(),
  /** When they accepted the reported version itself (null if never). */
  acceptedThisAt: z.string().nullable(),
  state: z.enum(acceptanceStates),
});
export type AcceptanceRow = z.infer<typeof AcceptanceRow>;

const ReportInput = z
  .object({
    /** Omitted = the version in force. */
    version: Version.optional(),
    /** Only people at or below this OU path (e.g. "Skoler" or "Skoler / Medarbejdere"). */
    ou: z.string().trim().max(500).default(''),
    state: z.enum([...acceptanceStates, 'all', 'missing']).default('all'),
    includeDisabled: z.boolean().default(false),
  })
  .strict();

/** Whether the people a policy governs hold MitID Erhverv identities (then NSIS cannot be switched off). */
export const DomainIdentities = z.object({
  state: z.enum(['issuing', 'none', 'unknown']),
  withIdentity: z.number().int().nullable(),
  peopleInScope: z.number().int().nullable(),
  message: z.string(),
});

/**
 * The NSIS floor for one person (#19): whether they may be given a MitID Erhverv identity or the local
 * credential, decided in main from the policy domain that governs them. `outside`: why that domain is
 * outside the NSIS rule (null: inside, or no domain governs them).
 */
export const IdentityFloor = z.object({
  allowed: z.boolean(),
  domain: z.string().nullable(),
  displayName: z.string().nullable(),
  outside: z.enum(['not-nsis', 'below-floor']).nullable(),
});
export type IdentityFloor = z.infer<typeof IdentityFloor>;

/** A policy domain outside the NSIS rule whose people hold MitID Erhverv identities all the same. */
export const FloorWarning = z.object({
  domain: z.string(),
  displayName: z.string(),
  outside: z.enum(['not-nsis', 'below-floor']),
  withIdentity: z.number().int(),
  peopleInScope: z.number().int(),
});
export type FloorWarning = z.infer<typeof FloorWarning>;

export const policiesOps = {
  'policy.list': op({
    summary: 'Vis adgangskodepolitikker',
    access: readers,
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({
      policies: z.array(PasswordPolicy),
      /** Policies another AD domain than the operator's owns (policy domain → that domain's name): theirs to change. */
      otherDomain: z.record(z.string(), z.string()),
    }),
  }),
  'policy.get': op({
    summary: 'Vis en adgangskodepolitik',
    access: readers,
    scope: 'none',
    writes: false,
    input: z.object({ domain: Domain }).strict(),
    output: z.object({ policy: PasswordPolicy }),
  }),
  'policy.preview': op({
    summary: 'Forhåndsvis ændring af adgangskodepolitik',
    access: readers,
    scope: 'none',
    writes: false,
    input: z.object({ domain: Domain, basedOnVersion: Version, settings: PasswordPolicySettings }).strict(),
    output: z.object({
      current: PasswordPolicy,
      /** Someone saved since the draft was started. */
      stale: z.boolean(),
      violations: z.array(Violation),
      diff: z.array(PolicyDiffRow),
      consequences: z.array(z.string()),
      peopleInScope: z.number().int().nullable(),
    }),
  }),
  'policy.update': op({
    summary: 'Gem adgangskodepolitik',
    access: editors,
    scope: 'none',
    writes: true,
    invalidates: ['policy.list', 'readiness.check'],
    input: z.object({ domain: Domain, basedOnVersion: Version, settings: PasswordPolicySettings, reason: Reason }).strict(),
    output: z.object({ policy: PasswordPolicy, previous: PasswordPolicy, adMirror: AdMirrorResult }),
  }),
  'policy.identities': op({
    summary: 'Vis om et domæne udsteder MitID Erhverv-identiteter',
    access: readers,
    scope: 'none',
    writes: false,
    input: z.object({ domain: Domain }).strict(),
    output: DomainIdentities,
  }),
  'policy.floorWarnings': op({
    summary: 'Vis domæner uden for NSIS-reglen, hvis personer har MitID Erhverv-identiteter',
    access: readers,
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({
      warnings: z.array(FloorWarning),
      /** false while the people list has not read MitID Erhverv or the IdP yet: the counts may be too low. */
      identitiesKnown: z.boolean(),
    }),
  }),
  'policy.identityFloor': op({
    summary: 'Vis om en person må få en MitID Erhverv-identitet (NSIS-reglen)',
    access: readers,
    scope: 'person',
    writes: false,
    input: z.object({ personId: z.string().trim().min(1).max(100) }).strict(),
    output: IdentityFloor,
    target: (i) => ({ personId: i.personId }),
  }),
  'policy.adStatus': op({
    summary: 'Vis adgangskodepolitikken i AD',
    access: readers,
    scope: 'none',
    writes: false,
    input: z.object({ domain: Domain }).strict(),
    output: z.object({
      groups: z.array(z.string()),
      pso: z.record(z.string(), z.unknown()).nullable(),
      /** Danish lines for every way AD is weaker than the IdP's policy. */
      weaker: z.array(z.string()),
      /** The same by code and figures, which the renderer words in the operator's language. */
      weaknesses: z.array(AdWeakness),
      /** Why AD's copy could not be read, in main's Danish words ... */
      error: z.string().nullable(),
      /** ... and by code and key, for the renderer to word. */
      failure: ErrorRef.nullable(),
    }),
  }),
  'policy.mirrorToAd': op({
    summary: 'Spejl adgangskodepolitikken til AD',
    access: editors,
    scope: 'none',
    writes: true,
    invalidates: ['policy.adStatus', 'readiness.check'],
    input: z.object({ domain: Domain, reason: Reason }).strict(),
    output: AdMirrorResult,
  }),
  'policy.validatePassword': op({
    summary: 'Kontrollér en adgangskode mod politikken',
    access: readers,
    scope: 'none',
    writes: false,
    input: z
      .object({
        domain: Domain,
        password: z.string().max(256),
        /** A draft to check against instead of the saved policy (the editor's "try it"). */
        settings: PasswordPolicySettings.optional(),
        username: z.string().max(100).optional(),
        displayName: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({ ok: z.boolean(), problems: z.array(PasswordCheck), leak: LeakCheck }),
    secretFields: ['password'],
  }),
  'policy.getConfig': op({
    summary: 'Vis opsætning af politikker',
    access: readers,
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({ config: PoliciesConfig }),
  }),
  'policy.updateConfig': op({
    summary: 'Ret opsætning af politikker',
    access: ['administrator'],
    municipalityOnly: true,
    scope: 'none',
    writes: true,
    invalidates: ['policy.getConfig'],
    input: z.object({ config: PoliciesConfig, reason: Reason }).strict(),
    output: z.object({ config: PoliciesConfig }),
  }),
  'terms.get': op({
    summary: 'Vis vilkår',
    access: readers,
    scope: 'none',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({ nsis: NsisTerms, current: TermsVersion.nullable(), versions: z.array(TermsVersion), newest: z.number().int().nullable() }),
  }),
  'terms.diff': op({
    summary: 'Sammenlign to versioner af vilkårstillægget',
    access: readers,
    scope: 'none',
    writes: false,
    input: z.object({ from: Version, to: Version }).strict(),
    output: z.object({ from: TermsVersion, to: TermsVersion, lines: z.array(DiffLine) }),
  }),
  'terms.publish': op({
    summary: 'Udgiv vilkårstillæg',
    access: editors,
    municipalityOnly: true,
    scope: 'none',
    writes: true,
    invalidates: ['terms.get', 'terms.acceptanceReport', 'readiness.check'],
    input: z
      .object({
        content: z.string().trim().min(1, 'Tillægget må ikke være tomt').max(200_000),
        requiresReacceptance: z.boolean(),
        /** Omitted = now. */
        effectiveFrom: z.iso.datetime({ offset: true, message: 'Angiv dato og tid' }).optional(),
        basedOnVersion: Version.nullable(),
        reason: Reason,
      })
      .strict(),
    output: z.object({ version: TermsVersion }),
  }),
  'terms.acceptanceReport': op({
    summary: 'Rapport over accept af vilkår',
    access: readers,
    scope: 'filtered',
    writes: false,
    input: ReportInput,
    output: z.object({
      version: TermsVersion,
      rows: z.array(AcceptanceRow),
      counts: z.record(z.string(), z.number().int()),
      total: z.number().int(),
    }),
  }),
  'terms.exportAcceptances': op({
    summary: 'Eksportér rapport over accept af vilkår',
    access: readers,
    scope: 'filtered',
    writes: false,
    sensitive: true,
    /** `language`: the operator's console language; the file's headers, words and dates follow it. */
    input: ReportInput.extend({ language: z.enum(['da', 'en']).default('da') }),
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
};
