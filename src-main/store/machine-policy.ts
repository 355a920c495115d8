// Reads the machine policy: policy.json in the machine-wide folder, and on Windows the registry policy hive
// that GPO and Intune write. Fail closed: a policy that exists but cannot be read or is not valid stops the
// console (MachinePolicyError); only a policy that is absent in both places means "nothing is managed".
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleError } from '../../shared/errors.ts';
import { machinePolicyKeys, MachinePolicy, policyProblems, type LoadedPolicy, type PolicySource } from '../../shared/domain/machine-policy.ts';

/** The registry key GPO/Intune write (ADMX: key="Software\Policies\LokalIdpAdmin" under HKLM). */
export const POLICY_REGISTRY_KEY = 'HKLM\\SOFTWARE\\Policies\\LokalIdpAdmin';

/** The policy file: LIA_MACHINE_POLICY (tests, special setups), else the OS's machine-wide folder. */
export function machinePolicyFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LIA_MACHINE_POLICY) return env.LIA_MACHINE_POLICY;
  if (platform === 'win32') return join(env.ProgramData || env.ALLUSERSPROFILE || 'C:\\ProgramData', 'LokalIdpAdmin', 'policy.json');
  return '/etc/lokal-idp-admin/policy.json';
}

/** The console stops with this message: a machine policy is there but cannot be used. */
export class MachinePolicyError extends ConsoleError {
  constructor(where: string, why: string) {
    super(
      'internal',
      `IT's maskinpolitik i ${where} kan ikke bruges (${why}). Konsollen starter ikke uden den, fordi den bestemmer, hvilke systemer og indstillinger der må bruges. Kontakt IT, så politikken bliver rettet.`,
    );
    this.name = 'MachinePolicyError';
  }
}

export type RegistryValue = string | number | string[];

/**
 * The values of one key as `reg query <key>` prints them:
 *
 *     HKEY_LOCAL_MACHINE\SOFTWARE\Policies\LokalIdpAdmin
 *         AdBaseDn    REG_SZ    DC=kommune,DC=dk
 *         AdDomainControllers    REG_MULTI_SZ    ldaps://dc1\0ldaps://dc2
 *         AllowTraining    REG_DWORD    0x0
 *
 * Name, type and data are separated by four spaces (names and data may hold single spaces). REG_DWORD and
 * REG_QWORD become numbers, REG_MULTI_SZ a list (reg prints the separators as a literal `\0`), REG_EXPAND_SZ
 * is expanded with the environment (%ProgramData%, %USERPROFILE%). Lines of subkeys and the unnamed default
 * value are ignored; GPO's "**del."/"**delvals." markers are not values. Unknown types are refused.
 */
export function parseRegQuery(output: string, env: NodeJS.ProcessEnv = process.env): Record<string, RegistryValue> {
  const values: Record<string, RegistryValue> = {};
  let inKey = false;
  let keysSeen = 0;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.replace(/\r$/, '');
    if (/^HKEY_/i.test(line)) {
      // Only the first key block is ours; a later one is a subkey (reg query /s) and not policy.
      keysSeen += 1;
      inKey = keysSeen === 1;
      continue;
    }
    if (!inKey || line.trim() === '') continue;
    const m = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (!m) continue;
    const name = m[1]!;
    const type = m[2]!;
    const data = m[3] ?? '';
    if (name.startsWith('**') || /^\(.*\)$/.test(name)) continue;
    switch (type) {
      case 'REG_SZ':
        values[name] = data;
        break;
      case 'REG_EXPAND_SZ':
        values[name] = data.replace(/%([^%]+)%/g, (all, v: string) => envValue(env, v) ?? all);
        break;
      case 'REG_MULTI_SZ':
        values[name] = data === '' ? [] : data.split('\\0').filter((s, i, a) => !(s === '' && i === a.length - 1));
        break;
      case 'REG_DWORD':
      case 'REG_QWORD': {
        const n = Number.parseInt(data, 16);
        if (!/^0x[0-9a-f]+$/i.test(data.trim()) || !Number.isSafeInteger(n)) throw new Error(`${name}: ugyldigt tal "${data}"`);
        values[name] = n;
        break;
      }
      default:
        throw new Error(`${name}: registreringstypen ${type} understøttes ikke`);
    }
  }
  return values;
}

/** Environment variable names are case-insensitive on Windows. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

/**
 * The registry hive's text as `reg query` prints it, or null when the key does not exist. reg.exe prints in
 * the console code page when its output is a pipe, so it runs under code page 65001 (UTF-8) to keep æ, ø, å.
 * `/reg:64` reads the 64-bit view whatever the process is.
 */
export function queryRegistry(): string | null {
  // Verbatim: cmd /s strips the outer quotes itself; Node's own quoting would escape the inner ones wrongly.
  const r = spawnSync('cmd.exe', ['/d', '/s', '/c', `"chcp 65001 >nul && reg query "${POLICY_REGISTRY_KEY}" /reg:64"`], {
    encoding: 'utf8',
    windowsVerbatimArguments: true,
    windowsHide: true,
    timeout: 15_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status === 0) return r.stdout;
  // reg exits 1 with nothing on stdout when the key does not exist: no group policy for the console.
  if (r.status === 1 && !r.stdout) return null;
  throw new MachinePolicyError(POLICY_REGISTRY_KEY, `registreringsdatabasen kan ikke læses: ${(r.stderr || r.error?.message || `afsluttet med ${String(r.status)}`).trim().slice(0, 300)}`);
}

export interface PolicySources {
  file: string;
  /** The registry's text (Windows), or null when there is no key or no registry. */
  registry?: () => string | null;
  env?: NodeJS.ProcessEnv;
}

/**
 * The machine policy, from the file and (on Windows) the registry; the registry wins for a key set in both,
 * since GPO/Intune is how IT pins a machine. null when neither has a policy.
 */
export function readMachinePolicy(src: PolicySources): LoadedPolicy | null {
  const parts: Array<{ source: PolicySource; where: string; raw: Record<string, unknown> }> = [];

  let text: string | null = null;
  try {
    text = readFileSync(src.file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new MachinePolicyError(src.file, `filen kan ikke læses: ${code ?? (e instanceof Error ? e.message : String(e))}`);
  }
  if (text !== null) {
    let raw: unknown;
    try {
      // A BOM is what Notepad and PowerShell's Out-File put in front; it is not an error in the policy.
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw new MachinePolicyError(src.file, 'filen er ikke gyldig JSON');
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new MachinePolicyError(src.file, 'filen skal indeholde ét JSON-objekt');
    parts.push({ source: 'file', where: src.file, raw: raw as Record<string, unknown> });
  }

  const regText = src.registry?.() ?? null;
  if (regText !== null) {
    let raw: Record<string, RegistryValue>;
    try {
      raw = parseRegQuery(regText, src.env);
    } catch (e) {
      throw new MachinePolicyError(POLICY_REGISTRY_KEY, e instanceof Error ? e.message : String(e));
    }
    if (Object.keys(raw).length > 0) parts.push({ source: 'registry', where: POLICY_REGISTRY_KEY, raw });
  }
  if (parts.length === 0) return null;

  // Each source must be valid on its own, so the message names the one that is wrong.
  const sources: LoadedPolicy['sources'] = {};
  let merged: Record<string, unknown> = {};
  for (const part of parts) {
    const parsed = MachinePolicy.safeParse(part.raw);
    if (!parsed.success) throw new MachinePolicyError(part.where, `ugyldigt indhold – ${policyProblems(parsed.error)}`);
    merged = { ...merged, ...part.raw };
    for (const key of machinePolicyKeys) if (part.raw[key] !== undefined) sources[key] = part.source;
  }
  const parsed = MachinePolicy.safeParse(merged);
  if (!parsed.success) throw new MachinePolicyError(parts.map((p) => p.where).join(' + '), `ugyldigt indhold – ${policyProblems(parsed.error)}`);
  return { policy: parsed.data, sources };
}

/** The policy of this machine: the file, and the registry on Windows. */
export function loadMachinePolicy(env: NodeJS.ProcessEnv = process.env): LoadedPolicy | null {
  return readMachinePolicy({ file: machinePolicyFile(env), env, ...(process.platform === 'win32' ? { registry: queryRegistry } : {}) });
}
