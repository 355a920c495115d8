// zod schemas of the MitID Erhverv IdM API's payloads, as rebuilt in
// shared/reference/mitid-erhverv-idm-api.md. Responses are parsed leniently (unknown fields are dropped,
// property names bind case-insensitively like the server does) and strictly where we act on a value.
import { z } from 'zod';

/** Rename keys that match the shape case-insensitively (`registeredIAL` → `registeredIal`). */
function bindCaseInsensitive(keys: readonly string[]) {
  const canonical = new Set(keys);
  const byLower = new Map(keys.map((k) => [k.toLowerCase(), k]));
  return (input: unknown): unknown => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
    // Fast path (the server answers camelCase): nothing to rename, no copy. The search runs this 100,000 times.
    let needsRename = false;
    for (const k in input) {
      if (!canonical.has(k) && byLower.has(k.toLowerCase())) {
        needsRename = true;
        break;
      }
    }
    if (!needsRename) return input;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      const c = byLower.get(k.toLowerCase()) ?? k;
      if (!(c in out) || c === k) out[c] = v;
    }
    return out;
  };
}

/** An object schema whose property names bind case-insensitively, as the real server's do. */
export function ciObject<S extends z.ZodRawShape>(shape: S) {
  return z.preprocess(bindCaseInsensitive(Object.keys(shape)), z.object(shape));
}

const str = z.string();
const optStr = z.string().nullish().transform((v) => v ?? null);
/** Status values are compared for Active/Suspended; others ([?]) are kept as-is. */
const Status = z.string().min(1);

export const authenticatorTypeLocal = 'LocalIdentityProvider';
/** What a create or requestcredentials sends for private MitID… */
export const authenticatorTypePrivateRequest = 'PrivateNemIdMitId';
/** …and what the authenticator list calls it. The mismatch is real. */
export const authenticatorTypePrivateListed = 'PrivateMitId';

// ---- token ----
export const TokenResponse = ciObject({
  accessToken: z.string().min(1),
  tokenType: optStr,
  expiresIn: z.number().positive(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

// ---- create ----
export const CreateEmployeeRequest = z.object({
  identityProfile: z.object({
    status: z.string(),
    registeredIal: z.string(),
    targetIal: z.string(),
    givenName: z.string(),
    surname: z.string(),
    emailAddress: z.string().min(1),
    cprNumber: z.string().nullable(),
    rid: z.string().nullable(),
    pseudonym: z.boolean(),
    allowQualifiedCertificateIssuance: z.boolean(),
  }),
  identityOrganizationProfile: z.object({ invoiceMethodUuid: z.string() }).optional(),
  identityAuthenticators: z.object({
    authenticatorTypes: z.array(z.string()),
    subjectNameId: z.string().optional(),
  }),
});
export type CreateEmployeeRequest = z.infer<typeof CreateEmployeeRequest>;

export const CreateEmployeeResponse = ciObject({ employeeUuid: z.uuid() });

// ---- search ----
export const SearchRequest = z.object({ maxCount: z.number().int(), removeUuidFromResultSet: z.boolean() });

const nstr = z.string().nullish();
const searchItemShape = {
  id: z.number().nullish(),
  uuid: z.string().min(1),
  status: Status,
  emailAddress: nstr,
  rid: nstr,
  profile: z.object({ givenName: nstr, surname: nstr, cprNumber: nstr }).nullish(),
};
const SearchItemExact = z.object(searchItemShape);
const SearchItemCi = ciObject({ ...searchItemShape, profile: ciObject({ givenName: nstr, surname: nstr, cprNumber: nstr }).nullish() });
export type SearchItem = z.infer<typeof SearchItemExact>;
/**
 * One element of the search. Parsed 100,000 times per sync, so the exact camelCase schema (no copies, no
 * transforms) is tried first and the case-insensitive one only when that fails.
 */
export const SearchItem = {
  safeParse(v: unknown): z.ZodSafeParseResult<SearchItem> {
    const r = SearchItemExact.safeParse(v);
    return r.success ? r : SearchItemCi.safeParse(v);
  },
};

// ---- read identity ----
export const EmployeeResponse = ciObject({
  uuid: z.string().min(1),
  identityProfile: ciObject({
    status: Status,
    rid: optStr,
    allowQualifiedCertificateIssuance: z.boolean().nullish().transform((v) => v ?? false),
    roles: z.array(z.string()).nullish().transform((v) => v ?? []),
    givenName: optStr,
    surname: optStr,
    emailAddress: optStr,
  }),
  identityPermissions: ciObject({
    authorizedToRepresent: z.boolean().nullish().transform((v) => v ?? false),
    allowSigning: z.boolean().nullish().transform((v) => v ?? false),
  })
    .nullish()
    .transform((v) => v ?? { authorizedToRepresent: false, allowSigning: false }),
});
export type EmployeeResponse = z.infer<typeof EmployeeResponse>;

// ---- authenticators ----
export const Authenticator = ciObject({
  uuid: z.string().min(1),
  type: str,
  status: optStr,
  /** For LocalIdentityProvider: the Local IdP user id (= subjectNameId). */
  id: z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? null : String(v))),
});
export const AuthenticatorsResponse = ciObject({ authenticators: z.array(Authenticator) });

export const RequestCredentialsRequest = z.object({
  authenticatorSettingTypes: z.array(z.string()),
  authenticatorTypesToShip: z.array(z.string()),
  sharedCredentialUuids: z.array(z.string()),
  subjectNameId: z.string().optional(),
});

// ---- profile ----
export const NonSensitiveProfileRequest = z.object({ emailAddress: z.string().min(1) });
export const ProfileRequest = z.object({
  registeredIAL: z.string(),
  targetIal: z.string(),
  givenName: z.string(),
  surname: z.string(),
  cprNumber: z.string().nullable(),
  emailAddress: z.string().min(1),
  /** [?] Not seen in the production clients; sent only when the feature flag allows it. */
  allowQualifiedCertificateIssuance: z.boolean().optional(),
});

export const AllowSigningRequest = z.object({ allowSigning: z.boolean() });

// ---- rights ----
export const RightsScopeType = z.enum(['Cvr', 'PU', 'SE']);
export const RightsScope = ciObject({ type: RightsScopeType, value: z.string() });
export const RightsRequest = z.object({
  scope: z.object({ type: RightsScopeType, value: z.string() }),
  roleUuids: z.array(z.string()).min(1),
});
export const CategorizedRolesResponse = ciObject({
  roles: z.array(
    ciObject({
      uuid: z.string().min(1),
      name: z.string(),
      description: optStr,
      isBasicPackage: z.boolean().nullish().transform((v) => v ?? false),
    }),
  ),
});
/** [?] The item shape of an identity's rights is not documented; keep what we can recognise. */
export const IdentityRolesResponse = z.array(
  ciObject({
    uuid: z.string().nullish().transform((v) => v ?? null),
    roleUuid: z.string().nullish().transform((v) => v ?? null),
    name: optStr,
    scope: RightsScope.nullish().transform((v) => v ?? null),
  }),
);

// ---- organisation ----
export const SeNumbersResponse = z.array(ciObject({ seNumber: z.union([z.string(), z.number()]).transform(String) }));
export const ProductionUnitsResponse = z.array(
  ciObject({
    pNumber: z.union([z.string(), z.number()]).transform(String),
    cvrNumber: z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? null : String(v))),
    name: optStr,
    streetName: optStr,
    streetBuildingIdentifier: optStr,
  }),
);
