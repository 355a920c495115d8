import { z } from 'zod';
import { ErrorRef, errorRef, isConsoleError, MessageParams } from '../errors.ts';
import { dnIsWithin } from '../dn.ts';
import { domainFromDn } from '../idp/common.ts';
import { LinkRule } from '../mitid/link-rule.ts';

/** Loopback names the simulators listen on; nothing sent there leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === '127.0.0.1' || h === '::1' || h === 'localhost';
}

/** What insecureUrlProblem finds wrong with an address, in Danish by code (the renderer words the code: errors.urlProblems). */
export const urlProblems = {
  invalid: 'Skal være en gyldig https:// adresse',
  credentials: 'Adressen må ikke indeholde brugernavn eller adgangskode',
  notHttps: 'Skal være en https:// adresse – en hemmelighed sendes aldrig ukrypteret',
} as const;

/**
 * Why a base URL may not carry a secret (API key, bearer token, client certificate), in Danish, or null
 * when it may: https only. `allowLoopbackHttp` is for the in-process training simulator, which the client
 * factory reaches over loopback; the settings never allow it, so no configured address gets a secret in
 * clear. Checked by the settings schema and again by the client factories.
 */
export function insecureUrlProblem(value: string, opts: { allowLoopbackHttp?: boolean } = {}): string | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return urlProblems.invalid;
  }
  if (u.username || u.password) return urlProblems.credentials;
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && opts.allowLoopbackHttp && isLoopbackHost(u.hostname)) return null;
  return urlProblems.notHttps;
}

/** A base URL that may carry a secret: https only (see insecureUrlProblem). */
const secureUrl = () =>
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = insecureUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const url = (schemes: readonly string[], msg: string) =>
  z.string().trim().refine((v) => {
    try {
      return schemes.includes(new URL(v).protocol);
    } catch {
      // Not a URL: the refinement fails with `msg`.
      return false;
    }
  }, msg);

/** A full path on Windows (C:\…, \\server\share) or POSIX (/…): a relative one would depend on where the app was started. */
export function isAbsolutePath(v: string): boolean {
  return /^(?:[A-Za-z]:[\\/]|\\\\[^\\]|\/)/.test(v);
}

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

/** A domain's stable id: lowercase letters, digits and dashes. It never changes after the domain is added. */
export const DomainId = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'Skal være små bogstaver, tal og bindestreg (højst 40 tegn)');
export type DomainId = z.infer<typeof DomainId>;

/**
 * One Active Directory domain the console works with (the municipality's own, the schools', …): its
 * connection (the AdProfile fields: DCs in failover order, base DN, CA, UPN suffix, link rule, signing
 * group) plus a stable id, a name for people, and the IdP domain its people are kept under.
 */
export const AdDomain = AdProfile.extend({
  id: DomainId,
  /** What operators see, e.g. "Kommunen" or "Skolerne". */
  name: z.string().trim().min(1, 'Giv domænet et navn').max(100, 'Højst 100 tegn'),
  /**
   * The IdP's domain for this AD's people (OS2faktor's "domæne"). Empty = the DNS name of the base DN
   * (DC=kommune,DC=dk → kommune.dk), which is how the IdP keys a person today.
   */
  idpDomain: z
    .string()
    .trim()
    .max(253)
    .refine((v) => v === '' || /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i.test(v), 'Skal være et domænenavn, fx skole.kommune.dk')
    .default(''),
  /**
   * Which of this domain's groups grant which role (#19). Only an operator signed in to this domain is
   * matched against it: a group name says nothing about the domain it is in. Absent: the first domain
   * uses the settings' own `roleMapping` (what every settings file from before meant); any other
   * domain grants no role (roleMappingOf).
   */
  roleMapping: RoleMapping.optional(),
});
export type AdDomain = z.infer<typeof AdDomain>;

/** The IdP domain a domain's people are kept under: the configured one, else the base DN's DNS name. */
export function idpDomainOf(d: Pick<AdDomain, 'idpDomain' | 'baseDn'>): string {
  return d.idpDomain || (domainFromDn(d.baseDn) ?? '');
}

/** The domains, each id, base DN and UPN suffix once (a UPN suffix picks the domain at sign-in). */
export const AdDomains = z
  .array(AdDomain)
  .max(20, 'Højst 20 domæner')
  .superRefine((list, ctx) => {
    const seen = { id: new Map<string, number>(), baseDn: new Map<string, number>(), upnSuffix: new Map<string, number>() };
    const text = { id: 'Id’et bruges allerede af domænet', baseDn: 'Søgebasen bruges allerede af domænet', upnSuffix: 'UPN-suffikset bruges allerede af domænet' };
    list.forEach((d, i) => {
      for (const field of ['id', 'baseDn', 'upnSuffix'] as const) {
        const key = field === 'baseDn' ? d.baseDn.replace(/\s*,\s*/g, ',').toLowerCase() : d[field].toLowerCase();
        if (key === '') continue;
        const first = seen[field].get(key);
        if (first === undefined) seen[field].set(key, i);
        else ctx.addIssue({ code: 'custom', path: [i, field], message: `${text[field]} "${list[first]!.name}"` });
      }
    });
  });

/** The MitID Erhverv environments [C: production, pre-production; I: integration test]; the UI offers them as choices. */
export const mitIdEnvironments = [
  { id: 'production', label: 'Produktion', baseUrl: 'https://services.nemlog-in.dk' },
  { id: 'preproduction', label: 'Præproduktion (devtest4)', baseUrl: 'https://services.devtest4-nemlog-in.dk' },
  { id: 'test', label: 'Integrationstest', baseUrl: 'https://services.test-nemlog-in.dk' },
] as const;

export const MitIdProfile = z.object({
  baseUrl: secureUrl(),
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
  /**
   * The people list's background reads of single identities (authenticators + identity, 2 calls each): calls
   * per minute, shared by changed identities and the rolling revalidation. Default 460: 100,000 identities ×
   * 2 calls = 200,000 calls ÷ 460 per minute = 435 minutes, within a 7.4-hour working day (37 h a week).
   * Absent = that default (services/people/sync/budget.ts), so settings files from before it stay valid as they are.
   */
  syncCallsPerMinute: z.number().int().min(1).max(10_000).optional(),
});
export type MitIdProfile = z.infer<typeof MitIdProfile>;

export const IdpProfile = z.object({
  baseUrl: secureUrl(),
  auth: z.enum(['api-key', 'bearer']).default('api-key'),
  caFile: z.string().default(''),
  timeoutMs: z.number().int().min(1000).max(120_000).default(30_000),
});
export type IdpProfile = z.infer<typeof IdpProfile>;


export const Settings = z.object({
  /** training = the built-in fictitious municipality; live = the configured systems. */
  mode: z.enum(['training', 'live']).default('training'),
  language: z.enum(['da', 'en']).default('da'),
  /**
   * The AD domains, the first being the municipality's own (a bare sign-in name goes there, and IT's
   * machine policy keys Ad* set it); an operator signs in to the domain their UPN suffix names. Settings
   * from before this list had one `ad` profile; migrateSettingsDocument turns it into a one-element list.
   */
  domains: AdDomains.default([]),
  mitid: MitIdProfile.nullable().default(null),
  idp: IdpProfile.nullable().default(null),
  /**
   * The first domain's role mapping while it has none of its own (the machine policy's Role* keys set this
   * one); other domains only ever use their own (roleMappingOf).
   */
  roleMapping: RoleMapping.default(RoleMapping.parse({})),
  /** Where evidence packages are written; '' = the evidence folder in the data folder. Used from the next start. */
  evidenceFolder: z
    .string()
    .trim()
    .max(1024)
    .refine((v) => v === '' || isAbsolutePath(v), 'Skal være en fuld sti, fx C:\\Revision eller \\\\server\\revision')
    .default(''),
  /** The built-in update check; off unless IT (policy) or an administrator turns it on. */
  autoUpdate: z.boolean().default(false),
});
export type Settings = z.infer<typeof Settings>;

/** The first domain: the one sign-in, the people list and the status bar use (null = AD not set up). */
export function primaryDomain(settings: Pick<Settings, 'domains'>): AdDomain | null {
  return settings.domains[0] ?? null;
}

/**
 * The configured domain a person (by DN) lives in: the one whose base DN holds the DN, the innermost when
 * one domain is nested in another (DC=skole,DC=kommune,DC=dk inside DC=kommune,DC=dk). null: none does.
 */
export function domainOfDn<D extends Pick<AdDomain, 'baseDn'>>(domains: readonly D[], dn: string): D | null {
  let best: D | null = null;
  for (const d of domains) {
    if (dnIsWithin(dn, d.baseDn) && (!best || dnIsWithin(d.baseDn, best.baseDn))) best = d;
  }
  return best;
}

/**
 * The domain an operator's typed name belongs to: `name@suffix` → the domain whose UPN suffix (or, without
 * one, whose base DN's DNS name) the suffix is, compared without case. A plain name, a down-level
 * DOMAIN\\name and a suffix no domain claims go to the first domain, as before several domains (its AD may
 * know the suffix as an alternative UPN suffix). null when no domain is set up.
 */
export function signInDomainOf(username: string, domains: readonly AdDomain[]): AdDomain | null {
  const suffix = /^[^@\\]+@([^@]+)$/.exec(username.trim())?.[1]?.trim().toLowerCase();
  return (suffix ? domains.find((d) => signInSuffixOf(d) === suffix) : undefined) ?? domains[0] ?? null;
}

/** The UPN suffix that signs in to a domain: its configured one, else its base DN's DNS name (lower case). */
export function signInSuffixOf(d: Pick<AdDomain, 'upnSuffix' | 'baseDn'>): string {
  return (d.upnSuffix.trim().replace(/^@/, '') || (domainFromDn(d.baseDn) ?? '')).toLowerCase();
}

/**
 * The role mapping of one domain, by id: its own, else for the first domain the settings' `roleMapping`
 * (the one IT's machine policy keys Role* set), else null: no group in that domain grants any role. An
 * unknown id is null too, so a session of a domain removed since grants nothing.
 */
export function roleMappingOf(settings: Pick<Settings, 'domains' | 'roleMapping'>, domainId: string): RoleMapping | null {
  const i = settings.domains.findIndex((d) => d.id === domainId);
  if (i < 0) return null;
  return settings.domains[i]!.roleMapping ?? (i === 0 ? settings.roleMapping : null);
}

/** A stable id for a domain made from its name, not one of `taken` ("Skolerne" → "skolerne", "skolerne-2"). */
export function domainIdFor(name: string, taken: readonly string[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/æ/g, 'ae')
      .replace(/ø/g, 'oe')
      .replace(/å/g, 'aa')
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30)
      .replace(/-+$/, '') || 'domaene';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * A stored settings document in the current shape. Settings from before several domains had one `ad`
 * profile (or null): it becomes the only element of `domains`, every field kept as it was, with an id and
 * a name made from its base DN and the IdP domain left to the base DN (as before). Anything else is
 * returned as it is, for the schema to accept or refuse. Pure: the stored document is never rewritten by
 * a read; the next save writes the new shape.
 */
export function migrateSettingsDocument(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !('ad' in raw) || 'domains' in raw) return raw;
  const { ad, ...rest } = raw as Record<string, unknown>;
  if (ad === null || ad === undefined) return { ...rest, domains: [] };
  if (typeof ad !== 'object' || Array.isArray(ad)) return { ...rest, domains: [ad] };
  const baseDn = typeof (ad as { baseDn?: unknown }).baseDn === 'string' ? ((ad as { baseDn: string }).baseDn) : '';
  const dns = domainFromDn(baseDn);
  return { ...rest, domains: [{ id: dns ? domainIdFor(dns, []) : 'ad', name: dns ?? 'Active Directory', ...ad }] };
}

/** Names of the secrets the console keeps; their values live only in the OS-protected secret store. */
export const secretKeys = ['mitid.p12Passphrase', 'idp.apiKey', 'idp.bearerToken'] as const;
export const SecretKey = z.enum(secretKeys);
export type SecretKey = z.infer<typeof SecretKey>;

/**
 * What a stored secret is bound to: the address (and files) it was entered for. The store keeps a hash of
 * this beside the secret; when the settings point elsewhere the secret is not used (and never sent to the
 * new address) until an administrator enters it again. null = nothing to bind to yet (no address saved).
 */
export function secretTarget(key: SecretKey, settings: Settings): string | null {
  if (key === 'mitid.p12Passphrase') {
    const m = settings.mitid;
    // The passphrase opens this certificate file, for this MitID Erhverv address and trust anchor.
    return m && m.p12File ? JSON.stringify(['mitid', normalUrl(m.baseUrl), m.p12File, m.caFile]) : null;
  }
  const i = settings.idp;
  return i ? JSON.stringify(['idp', key, normalUrl(i.baseUrl), i.caFile]) : null;
}

/** The same address however it was typed (case of the host, a trailing slash). */
function normalUrl(v: string): string {
  try {
    return new URL(v).href.replace(/\/+$/, '');
  } catch {
    // Only a cache key: an address that is not a URL keys as typed (and fails where it is used).
    return v;
  }
}

export const systems = ['ad', 'mitid', 'idp'] as const;
export const SystemName = z.enum(systems);
export type SystemName = z.infer<typeof SystemName>;

/** Why a system is in its state, by code (the renderer words it in the operator's language, `systems.detail.*`). */
export const systemDetailCodes = ['notConfigured', 'simulatorOff', 'trainingDirectory', 'connectedDc', 'connectedMitid', 'connectedIdp', 'noAnswer', 'unusable', 'error'] as const;
export const SystemDetail = z.object({
  code: z.enum(systemDetailCodes),
  params: MessageParams,
  /** For `error`: the system's refusal as main sends any error (code, Danish message, key and values). */
  error: ErrorRef.optional(),
});
export type SystemDetail = z.infer<typeof SystemDetail>;

/** A connector's answer to a ping: whether the system answered, in Danish, and the same by code. */
export interface PingResult {
  ok: boolean;
  message: string;
  detail: SystemDetail;
}

/** A system's refusal as a status detail: a console error keeps its code and key, anything else reads as `otherwise`. */
export function errorDetail(e: unknown, otherwise: SystemDetail): SystemDetail {
  return isConsoleError(e) ? { code: 'error', params: {}, error: errorRef(e) } : otherwise;
}

export const SystemStatus = z.object({
  system: SystemName,
  state: z.enum(['ok', 'down', 'not-configured', 'unknown']),
  /** Danish, for "Test forbindelse" and a Danish reader; `detail` names it by code. */
  message: z.string(),
  detail: SystemDetail,
  checkedAt: z.string().nullable(),
  training: z.boolean(),
});
export type SystemStatus = z.infer<typeof SystemStatus>;
