import { z } from 'zod';
import { LinkRule } from '../mitid/link-rule.ts';

const url = (schemes: readonly string[], msg: string) =>
  z.string().trim().refine((v) => {
    try {
      return schemes.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, msg);

export const AdProfile = z.object({
  /** One or several domain controllers, tried in order (failover). */
  urls: z.array(url(['ldaps:', 'ldap:'], 'Skal være en ldaps:// eller ldap:// adresse')).min(1, 'Angiv mindst én domænecontroller'),
  /** With ldap:// the connection is upgraded with StartTLS before any bind. */
  startTls: z.boolean().default(true),
  /** PEM file with the CA(s) that issued the DCs' certificates. Empty = the system's trust store. */
  caFile: z.string().default(''),
  baseDn: z.string().trim().min(1, 'Angiv søgebasen (base DN)'),
  /** Suffix for sign-in names without a domain, e.g. "kommune.dk" → "jens@kommune.dk". */
  upnSuffix: z.string().default(''),
  timeoutMs: z.number().int().min(1000).max(120_000).default(10_000),
  /** How an account's Local IdP user id (MitID Erhverv subjectNameId) is built: the one place the link is defined. */
  linkRule: LinkRule.default({ kind: 'samaccountname-suffix', suffix: '', lowercase: false }),
  /** The AD group the municipality keeps its signers in; upgrading for signing also adds the person. Empty = none. */
  signingGroupDn: z
    .string()
    .trim()
    .max(1024)
    .refine((v) => v === '' || /^CN=[^,]+,.+=/i.test(v), 'Skal være gruppens DN, fx CN=Signatur,OU=Grupper,DC=kommune,DC=dk')
    .optional(),
  /** Lab only: allow a simple bind over an unencrypted connection. Never in production. */
  allowUnencryptedBindLabOnly: z.boolean().default(false),
});
export type AdProfile = z.infer<typeof AdProfile>;

/** The MitID Erhverv environments [C: production, pre-production; I: integration test]; the UI offers them as choices. */
export const mitIdEnvironments = [
  { id: 'production', label: 'Produktion', baseUrl: 'https://services.nemlog-in.dk' },
  { id: 'preproduction', label: 'Præproduktion (devtest4)', baseUrl: 'https://services.devtest4-nemlog-in.dk' },
  { id: 'test', label: 'Integrationstest', baseUrl: 'https://services.test-nemlog-in.dk' },
] as const;

export const MitIdProfile = z.object({
  baseUrl: url(['https:'], 'Skal være en https:// adresse'),
  /** PKCS#12 file with the organisation's system certificate (FOCES/OCES3). */
  p12File: z.string().default(''),
  caFile: z.string().default(''),
  timeoutMs: z.number().int().min(1000).max(300_000).default(180_000),
  /** Organisation-level fields of every create [C]: identityOrganizationProfile.invoiceMethodUuid ('' = not sent). */
  invoiceMethodUuid: z.union([z.literal(''), z.uuid('Skal være et uuid fra MitID Erhverv')]).default(''),
  /** registeredIal/targetIal sent on create and profile update [C: Substantial]. */
  ial: z.enum(['Substantial', 'High', 'Low']).default('Substantial'),
  /** Also order private MitID with every create (authenticatorTypes PrivateNemIdMitId [C]). */
  orderPrivateMitIdOnCreate: z.boolean().default(false),
  /** identityProfile.allowQualifiedCertificateIssuance on create [C]. */
  allowQualifiedOnCreate: z.boolean().default(false),
  /** A create with an unknown outcome is created again only after this many searches over this long without it. */
  createConfirmation: z
    .object({ absentSearches: z.number().int().min(1).max(20).default(3), windowSeconds: z.number().int().min(1).max(86_400).default(300) })
    .default({ absentSearches: 3, windowSeconds: 300 }),
});
export type MitIdProfile = z.infer<typeof MitIdProfile>;

export const IdpProfile = z.object({
  baseUrl: url(['https:', 'http:'], 'Skal være en https:// adresse'),
  auth: z.enum(['api-key', 'bearer']).default('api-key'),
  caFile: z.string().default(''),
  timeoutMs: z.number().int().min(1000).max(120_000).default(30_000),
});
export type IdpProfile = z.infer<typeof IdpProfile>;

export const RoleMapping = z.object({
  /** AD group names (sAMAccountName) or SIDs that grant each role; nested membership counts. */
  administrator: z.array(z.string()).default([]),
  useradmin: z.array(z.string()).default([]),
  helpdesk: z.array(z.string()).default([]),
  auditor: z.array(z.string()).default([]),
  /** Groups whose helpdesk members are limited to the named OUs. */
  helpdeskScopes: z.array(z.object({ group: z.string(), ous: z.array(z.string()).min(1) })).default([]),
});
export type RoleMapping = z.infer<typeof RoleMapping>;

export const Settings = z.object({
  /** training = the built-in fictitious municipality; live = the configured systems. */
  mode: z.enum(['training', 'live']).default('training'),
  language: z.enum(['da', 'en']).default('da'),
  ad: AdProfile.nullable().default(null),
  mitid: MitIdProfile.nullable().default(null),
  idp: IdpProfile.nullable().default(null),
  roleMapping: RoleMapping.default(RoleMapping.parse({})),
});
export type Settings = z.infer<typeof Settings>;

/** Names of the secrets the console keeps; their values live only in the OS-protected secret store. */
export const secretKeys = ['mitid.p12Passphrase', 'idp.apiKey', 'idp.bearerToken'] as const;
export const SecretKey = z.enum(secretKeys);
export type SecretKey = z.infer<typeof SecretKey>;

export const systems = ['ad', 'mitid', 'idp'] as const;
export const SystemName = z.enum(systems);
export type SystemName = z.infer<typeof SystemName>;

export const SystemStatus = z.object({
  system: SystemName,
  state: z.enum(['ok', 'down', 'not-configured', 'unknown']),
  message: z.string(),
  checkedAt: z.string().nullable(),
  training: z.boolean(),
});
export type SystemStatus = z.infer<typeof SystemStatus>;
