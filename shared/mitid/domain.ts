// Domain shapes of MitID Erhverv as the console's services see them (independent of the API's spelling).
import { z } from 'zod';

export const MitIdStatus = z.string();

export const MitIdIdentitySummary = z.object({
  uuid: z.string(),
  /** The API's numeric id, when given. */
  id: z.number().nullable(),
  status: MitIdStatus,
  givenName: z.string().nullable(),
  surname: z.string().nullable(),
  cprNumber: z.string().nullable(),
  emailAddress: z.string().nullable(),
  rid: z.string().nullable(),
});
export type MitIdIdentitySummary = z.infer<typeof MitIdIdentitySummary>;

export const MitIdIdentity = z.object({
  uuid: z.string(),
  status: MitIdStatus,
  rid: z.string().nullable(),
  givenName: z.string().nullable(),
  surname: z.string().nullable(),
  emailAddress: z.string().nullable(),
  /** Qualified signing eligibility ("upgrade"), set at create. Kept apart from allowSigning. */
  allowQualifiedCertificateIssuance: z.boolean(),
  /** Permission to sign on behalf of the organisation (PUT …/allowsigning). */
  allowSigning: z.boolean(),
  authorizedToRepresent: z.boolean(),
  adminRoles: z.array(z.string()),
});
export type MitIdIdentity = z.infer<typeof MitIdIdentity>;

export const MitIdAuthenticatorKind = z.enum(['local', 'private-mitid', 'other']);
export const MitIdAuthenticator = z.object({
  uuid: z.string(),
  kind: MitIdAuthenticatorKind,
  /** The API's type name as listed (e.g. LocalIdentityProvider, PrivateMitId). */
  type: z.string(),
  status: z.string().nullable(),
  /** For the local credential: the Local IdP user id (subjectNameId). */
  id: z.string().nullable(),
});
export type MitIdAuthenticator = z.infer<typeof MitIdAuthenticator>;

export const NewMitIdIdentity = z.object({
  givenName: z.string().trim().min(1),
  surname: z.string().trim().min(1),
  emailAddress: z.email(),
  cprNumber: z.string().regex(/^\d{10}$/, 'CPR-nummer skal være 10 cifre').nullable(),
  /** The Local IdP user id from the link rule; when set, the local credential is created with the identity. */
  subjectNameId: z.string().trim().min(1).nullable(),
  /** Also order private MitID (request name PrivateNemIdMitId). */
  withPrivateMitId: z.boolean().default(false),
  allowQualifiedCertificateIssuance: z.boolean().default(false),
  rid: z.string().nullable().default(null),
});
export type NewMitIdIdentity = z.infer<typeof NewMitIdIdentity>;
export type NewMitIdIdentityInput = z.input<typeof NewMitIdIdentity>;

/** Split a full name at the last space, trimmed, as OS2faktor does. */
export function splitFullName(fullName: string): { givenName: string; surname: string } {
  const t = fullName.trim().replace(/\s+/g, ' ');
  const i = t.lastIndexOf(' ');
  return i < 0 ? { givenName: t, surname: '' } : { givenName: t.slice(0, i), surname: t.slice(i + 1) };
}

export const RightsScope = z.object({ type: z.enum(['Cvr', 'PU', 'SE']), value: z.string().min(1) });
export type RightsScope = z.infer<typeof RightsScope>;

export const MitIdRole = z.object({
  uuid: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  isBasicPackage: z.boolean(),
});
export type MitIdRole = z.infer<typeof MitIdRole>;

export const MitIdRightAssignment = z.object({
  roleUuid: z.string().nullable(),
  name: z.string().nullable(),
  scope: RightsScope.nullable(),
});
export type MitIdRightAssignment = z.infer<typeof MitIdRightAssignment>;

export const ProductionUnit = z.object({
  pNumber: z.string(),
  cvrNumber: z.string().nullable(),
  name: z.string().nullable(),
  streetName: z.string().nullable(),
  streetBuildingIdentifier: z.string().nullable(),
});
export type ProductionUnit = z.infer<typeof ProductionUnit>;

/** Outcomes callers journal: "reconciled" means the thing already existed after an unknown outcome. */
export type CreateOutcome = 'created' | 'reconciled';

/**
 * The states the console acts on, from the explicit status values [C: Active, Suspended; Pending is sent
 * on create]. Compared as whole words, so "Inactive" is never read as active; anything else is `other`.
 */
export type MitIdState = 'active' | 'suspended' | 'pending' | 'other';
export function mitIdStateOf(status: string | null | undefined): MitIdState {
  switch (status?.trim().toLowerCase()) {
    case 'active':
      return 'active';
    case 'suspended':
      return 'suspended';
    case 'pending':
      return 'pending';
    default:
      return 'other';
  }
}

/** What a MitID Erhverv create or lookup needs of a person, as the directory gives it. */
export const MitIdPerson = z.object({
  username: z.string(),
  userPrincipalName: z.string().nullable().optional(),
  givenName: z.string().nullable(),
  surname: z.string().nullable(),
  email: z.string().nullable(),
  /** Only when the municipality keeps CPR in AD; the identity can be created without it. */
  cpr: z.string().nullable().optional(),
});
export type MitIdPerson = z.infer<typeof MitIdPerson>;

/** An active private MitID among an identity's authenticators (explicit status values only: "Pending" is not active). */
export function hasActivePrivateMitId(auths: readonly { kind: string; status: string | null }[]): boolean {
  return auths.some((a) => a.kind === 'private-mitid' && mitIdStateOf(a.status) === 'active');
}

/**
 * The calls to MitID Erhverv as its errors name them (the `what` of mitidBadRequest and its kin), in
 * Danish by code; the renderer words a known one by its code (errors.mitidCalls.*).
 */
export const mitidCalls = {
  readIdentity: 'læs identitet',
  createIdentity: 'opret identitet',
  deleteIdentity: 'slet identitet',
  updateProfile: 'opdater profil',
  changeEmail: 'skift e-mail',
  suspend: 'spær',
  reactivate: 'genaktivér',
  signing: 'signering',
  authenticators: 'autentifikatorer',
  assignCredential: 'tildel loginmiddel',
  removeCredential: 'fjern loginmiddel',
  rights: 'rettigheder',
  assignRights: 'tildel rettigheder',
  removeRights: 'fjern rettigheder',
  rightsCatalogue: 'rettighedskatalog',
  seNumbers: 'SE-numre',
  pNumbers: 'P-numre',
  search: 'søgning',
  signIn: 'log ind',
  call: 'kald',
} as const;
