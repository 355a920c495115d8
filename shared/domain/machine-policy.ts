// The machine policy IT deploys (a JSON file, or on Windows the registry policy hive written by GPO or
// Intune): which settings it sets and locks. Pure: parsing, merging over the operator's settings, and the
// check that a save changes no locked field. Reading the file and the registry lives in src-main.
import { z } from 'zod';
import type { Settings } from './settings.ts';
import { domainFromDn } from '../idp/common.ts';
import { AdDomain, domainIdFor, IdpProfile, insecureUrlProblem, isAbsolutePath, MitIdProfile, RoleMapping } from './settings.ts';

/** The registry writes booleans as REG_DWORD 0/1; the JSON file may use either. */
const flag = z.union([z.boolean(), z.literal(0).transform(() => false), z.literal(1).transform(() => true)], {
  error: 'Skal være true/false (eller 1/0)',
});
const text = z.string().trim().min(1, 'Må ikke være tom').max(2048);
const list = z.array(z.string().trim().min(1, 'Må ikke være tom').max(1024)).max(200);
const months = (min: number) => z.number({ error: 'Skal være et helt antal måneder' }).int('Skal være et helt antal måneder').min(min, `Mindst ${min} måneder`).max(120, 'Højst 120 måneder');
const httpsUrl = text.superRefine((v, ctx) => {
  const problem = insecureUrlProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const dcUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      return ['ldaps:', 'ldap:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'Skal være en ldaps:// eller ldap:// adresse');

/**
 * Every key IT can set. The names are the registry value names under HKLM\SOFTWARE\Policies\LokalIdpAdmin,
 * the keys of policy.json and the valueName of each policy in resources/policy/LokalIdpAdmin.admx (a unit
 * test holds the three together). A key that is present sets the field and locks it; an absent key leaves
 * the field to the operator. Unknown keys are refused: a misspelt key must not silently lock nothing.
 */
export const MachinePolicy = z
  .object(
    {
    /** Which environment the console runs in. */
    Environment: z.enum(['live', 'training'], { error: 'Skal være "live" eller "training"' }),
    /** false: the training environment may not be chosen (the environment is then locked to live). */
    AllowTraining: flag,
    /** The Ad* keys set (and lock) the first AD domain in settings: the municipality's own. */
    AdDomainControllers: z.array(dcUrl).min(1, 'Angiv mindst én domænecontroller').max(20),
    AdBaseDn: text,
    AdUpnSuffix: text,
    AdStartTls: flag,
    AdCaFile: text,
    MitIdBaseUrl: httpsUrl,
    MitIdCertificateFile: text,
    MitIdCaFile: text,
    IdpBaseUrl: httpsUrl,
    IdpCaFile: text,
    RoleAdministrators: list,
    RoleUserAdministrators: list,
    RoleHelpdesk: list,
    RoleAuditors: list,
    /** One line per group: "gruppe: OU=…,DC=… ; OU=…" (the format of the Indstillinger field). */
    RoleHelpdeskScopes: list,
    /** Where evidence packages are written (default: the evidence folder in the user's data folder). */
    EvidenceFolder: text.refine(isAbsolutePath, 'Skal være en fuld sti, fx C:\\ProgramData\\LokalIdpAdmin\\Revision'),
    /** Floors: the operator may keep events longer, never shorter. */
    RetentionConsoleMonthsMin: months(6),
    RetentionIdpLoginMonthsMin: months(1),
    RetentionIdpOtherMonthsMin: months(6),
    Language: z.enum(['da', 'en'], { error: 'Skal være "da" eller "en"' }),
    /** The built-in update check (off unless turned on). */
    AutoUpdate: flag,
    /** The update feed (https, electron-updater's generic provider); only used with AutoUpdate. */
    UpdateUrl: httpsUrl,
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys' ? `Ukendt nøgle: ${iss.keys.join(', ')} (se ADMX-skabelonen for de gyldige nøgler)` : undefined,
    },
  )
  .partial()
  .strict()
  .superRefine((p, ctx) => {
    if (p.AllowTraining === false && p.Environment === 'training') {
      ctx.addIssue({ code: 'custom', path: ['Environment'], message: 'Træningsmiljøet kan ikke både være valgt og forbudt (AllowTraining er 0)' });
    }
    for (const [i, line] of (p.RoleHelpdeskScopes ?? []).entries()) {
      if (!parseScopeLine(line)) ctx.addIssue({ code: 'custom', path: ['RoleHelpdeskScopes', i], message: 'Skal have formen "gruppe: OU=…,DC=… ; OU=…"' });
    }
  });
export type MachinePolicy = z.infer<typeof MachinePolicy>;

/** Every policy key, in the schema's order. */
export const machinePolicyKeys = Object.keys(MachinePolicy.shape) as Array<keyof MachinePolicy>;

/** Where a policy came from; the reason shown beside a locked field names it. */
export type PolicySource = 'file' | 'registry';

export interface LoadedPolicy {
  policy: MachinePolicy;
  /** Which source set each key (the registry wins over the file for a key set in both). */
  sources: Partial<Record<keyof MachinePolicy, PolicySource>>;
}

/** "gruppe: ou1 ; ou2" → one helpdesk scope, or null when it has no group or no OU. */
function parseScopeLine(line: string): { group: string; ous: string[] } | null {
  const at = line.indexOf(':');
  if (at < 0) return null;
  const group = line.slice(0, at).trim();
  const ous = line.slice(at + 1).split(';').map((o) => o.trim()).filter(Boolean);
  return group && ous.length ? { group, ous } : null;
}

/** The settings field a policy key sets, as a path into Settings ('retention.*' are floors, not settings). */
const fieldOf: Record<keyof MachinePolicy, string | null> = {
  Environment: 'mode',
  AllowTraining: 'mode',
  AdDomainControllers: 'domains.0.urls',
  AdBaseDn: 'domains.0.baseDn',
  AdUpnSuffix: 'domains.0.upnSuffix',
  AdStartTls: 'domains.0.startTls',
  AdCaFile: 'domains.0.caFile',
  MitIdBaseUrl: 'mitid.baseUrl',
  MitIdCertificateFile: 'mitid.p12File',
  MitIdCaFile: 'mitid.caFile',
  IdpBaseUrl: 'idp.baseUrl',
  IdpCaFile: 'idp.caFile',
  RoleAdministrators: 'roleMapping.administrator',
  RoleUserAdministrators: 'roleMapping.useradmin',
  RoleHelpdesk: 'roleMapping.helpdesk',
  RoleAuditors: 'roleMapping.auditor',
  RoleHelpdeskScopes: 'roleMapping.helpdeskScopes',
  EvidenceFolder: 'evidenceFolder',
  RetentionConsoleMonthsMin: 'retention.consoleMonths',
  RetentionIdpLoginMonthsMin: 'retention.idpLoginMonths',
  RetentionIdpOtherMonthsMin: 'retention.idpOtherMonths',
  Language: 'language',
  AutoUpdate: 'autoUpdate',
  UpdateUrl: null,
};

export const LockedField = z.object({
  /** Path into Settings, e.g. "ad.urls", "mode"; "retention.*" for a retention floor. */
  field: z.string(),
  /** The policy key that locks it (the registry value name / ADMX valueName). */
  key: z.string(),
  /** Danish, shown beside the field. */
  reason: z.string(),
});
export type LockedField = z.infer<typeof LockedField>;

const sourceText: Record<PolicySource, string> = { file: 'maskinpolitik', registry: 'gruppepolitik' };

/** Which fields the policy locks, and why, in Danish ("Styres af IT (gruppepolitik: AdBaseDn)"). */
export function lockedFields(loaded: LoadedPolicy): LockedField[] {
  const out: LockedField[] = [];
  const seen = new Set<string>();
  for (const key of machinePolicyKeys) {
    const value = loaded.policy[key];
    const field = fieldOf[key];
    if (value === undefined || field === null) continue;
    // AllowTraining: true restricts nothing; it only locks the environment when it forbids training.
    if (key === 'AllowTraining' && value !== false) continue;
    if (seen.has(field)) continue;
    seen.add(field);
    const how = `${sourceText[loaded.sources[key] ?? 'file']}: ${key}`;
    const reason = field.startsWith('retention.') ? `Styres af IT (${how}) – mindst ${String(value)} måneder` : `Styres af IT (${how})`;
    out.push({ field, key, reason });
  }
  return out;
}

/** The environment the policy fixes, if it fixes one. */
function policyMode(p: MachinePolicy): Settings['mode'] | undefined {
  return p.Environment ?? (p.AllowTraining === false ? 'live' : undefined);
}

/**
 * The settings with the policy's values in place of the operator's: policy > user setting > default,
 * per field. A connection profile the operator has not set up is made from the policy when the policy
 * names enough of it (AD: the DCs and the base DN; MitID Erhverv and the IdP: the base URL).
 */
export function applyPolicy(settings: Settings, p: MachinePolicy): Settings {
  const out: Settings = structuredClone(settings);
  const mode = policyMode(p);
  if (mode) out.mode = mode;
  if (p.Language) out.language = p.Language;
  if (p.EvidenceFolder !== undefined) out.evidenceFolder = p.EvidenceFolder;
  if (p.AutoUpdate !== undefined) out.autoUpdate = p.AutoUpdate;

  const ad = {
    ...(p.AdDomainControllers ? { urls: p.AdDomainControllers } : {}),
    ...(p.AdBaseDn !== undefined ? { baseDn: p.AdBaseDn } : {}),
    ...(p.AdUpnSuffix !== undefined ? { upnSuffix: p.AdUpnSuffix } : {}),
    ...(p.AdStartTls !== undefined ? { startTls: p.AdStartTls } : {}),
    ...(p.AdCaFile !== undefined ? { caFile: p.AdCaFile } : {}),
  };
  // The Ad* keys set the first domain (the municipality's own); a first domain the policy completes is made.
  const first = out.domains[0] ?? null;
  const dns = domainFromDn(ad.baseDn ?? '');
  const made = overlay(first, first ? ad : { id: dns ? domainIdFor(dns, []) : 'ad', name: dns ?? 'Active Directory', ...ad }, AdDomain);
  out.domains = made ? [made, ...out.domains.slice(1)] : out.domains;
  out.mitid = overlay(out.mitid, {
    ...(p.MitIdBaseUrl !== undefined ? { baseUrl: p.MitIdBaseUrl } : {}),
    ...(p.MitIdCertificateFile !== undefined ? { p12File: p.MitIdCertificateFile } : {}),
    ...(p.MitIdCaFile !== undefined ? { caFile: p.MitIdCaFile } : {}),
  }, MitIdProfile);
  out.idp = overlay(out.idp, {
    ...(p.IdpBaseUrl !== undefined ? { baseUrl: p.IdpBaseUrl } : {}),
    ...(p.IdpCaFile !== undefined ? { caFile: p.IdpCaFile } : {}),
  }, IdpProfile);

  const roles = (rm: RoleMapping) =>
    RoleMapping.parse({
      ...rm,
      ...(p.RoleAdministrators ? { administrator: p.RoleAdministrators } : {}),
      ...(p.RoleUserAdministrators ? { useradmin: p.RoleUserAdministrators } : {}),
      ...(p.RoleHelpdesk ? { helpdesk: p.RoleHelpdesk } : {}),
      ...(p.RoleAuditors ? { auditor: p.RoleAuditors } : {}),
      ...(p.RoleHelpdeskScopes ? { helpdeskScopes: p.RoleHelpdeskScopes.map((l) => parseScopeLine(l)).filter((s) => s !== null) } : {}),
    });
  out.roleMapping = roles(out.roleMapping);
  // The Role* keys set the first domain's roles, like the Ad* keys set its connection: when it has a
  // mapping of its own (which then wins over the global one) the policy's groups go there too, so a
  // first domain with its own mapping cannot step around what IT locked. Other domains are left alone.
  const own = out.domains[0]?.roleMapping;
  if (own) out.domains = [{ ...out.domains[0]!, roleMapping: roles(own) }, ...out.domains.slice(1)];
  return out;
}

/** The policy's fields over a profile; a profile that does not exist yet is made only if the policy completes it. */
function overlay<T extends object>(current: T | null, fields: Partial<T>, schema: z.ZodType<T>): T | null {
  if (Object.keys(fields).length === 0) return current;
  if (current) return { ...current, ...fields };
  const made = schema.safeParse(fields);
  return made.success ? made.data : null;
}

function at(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const part of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

/**
 * The locked fields a save would change: the settings as sent against the same settings with the policy
 * applied. Empty when the save leaves every locked field as the policy sets it.
 */
export function lockViolations(sent: Settings, loaded: LoadedPolicy): LockedField[] {
  const enforced = applyPolicy(sent, loaded.policy);
  // A locked role field is also the first domain's own mapping's field when it has one (applyPolicy).
  const paths = (field: string) => (field.startsWith('roleMapping.') ? [field, `domains.0.${field}`] : [field]);
  return lockedFields(loaded).filter(
    (l) => !l.field.startsWith('retention.') && paths(l.field).some((f) => JSON.stringify(at(sent, f)) !== JSON.stringify(at(enforced, f))),
  );
}

/** Danish list of what a policy refused, e.g. "AdBaseDn: Må ikke være tom". */
export function policyProblems(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'politik'}: ${i.message}`)
    .join('; ');
}
