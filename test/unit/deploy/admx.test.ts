// The Group Policy template and the policy schema cannot drift: every ADMX policy writes a value the zod
// schema knows, in a type and range the schema accepts, every schema key has a policy, and both language
// files (da-DK, en-US) carry every text and presentation the template refers to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { machinePolicyKeys, MachinePolicy } from '../../../shared/domain/machine-policy.ts';
import { parseRegQuery } from '../../../src-main/store/machine-policy.ts';

const dir = join(import.meta.dirname, '../../../resources/policy');
const admx = readFileSync(join(dir, 'LokalIdpAdmin.admx'), 'utf8');
const adml = { 'da-DK': readFileSync(join(dir, 'da-DK/LokalIdpAdmin.adml'), 'utf8'), 'en-US': readFileSync(join(dir, 'en-US/LokalIdpAdmin.adml'), 'utf8') };

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

interface AdmxPolicy {
  name: string;
  key: string | undefined;
  /** The registry type GPO writes, and the value name. */
  values: Array<{ valueName: string; kind: 'bool' | 'enum' | 'text' | 'expand' | 'multi' | 'decimal'; items?: string[]; min?: number; max?: number }>;
}

function policies(): AdmxPolicy[] {
  return [...admx.matchAll(/<policy\s[^>]*>[\s\S]*?<\/policy>/g)].map(([block]) => {
    const open = /<policy\s[^>]*>/.exec(block)![0];
    const values: AdmxPolicy['values'] = [];
    const own = attr(open, 'valueName');
    if (own) values.push({ valueName: own, kind: 'bool' });
    for (const m of block.matchAll(/<(enum|text|multiText|decimal)\s[^>]*>/g)) {
      const [el, kind] = [m[0], m[1]!];
      const valueName = attr(el, 'valueName');
      // <decimal value="1"/> in enabledValue/disabledValue is the boolean's data, not an element.
      if (!valueName) continue;
      if (kind === 'enum') {
        const body = /<enum[\s\S]*?<\/enum>/.exec(block)![0];
        values.push({ valueName, kind: 'enum', items: [...body.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]!) });
      } else if (kind === 'decimal') {
        values.push({ valueName, kind: 'decimal', min: Number(attr(el, 'minValue')), max: Number(attr(el, 'maxValue')) });
      } else {
        values.push({ valueName, kind: kind === 'multiText' ? 'multi' : attr(el, 'expandable') === 'true' ? 'expand' : 'text' });
      }
    }
    return { name: attr(open, 'name')!, key: attr(open, 'key'), values };
  });
}

/** Start and end tags pair up (a template the GPO editor cannot load fails here, not in a municipality). */
function balanced(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '').matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (!m[1]) stack.push(m[2]!);
    else if (stack.pop() !== m[2]) return false;
  }
  return stack.length === 0;
}

describe('ADMX template and policy schema', () => {
  it('list the same keys', () => {
    const names = policies().flatMap((p) => p.values.map((v) => v.valueName));
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...machinePolicyKeys].sort());
  });

  it('every policy writes under HKLM\\Software\\Policies\\LokalIdpAdmin, the key the console reads', () => {
    for (const p of policies()) {
      expect(p.key, p.name).toBe('Software\\Policies\\LokalIdpAdmin');
      expect(/class="Machine"/.test(admx)).toBe(true);
    }
  });

  it('what GPO writes for each policy is accepted by the schema, as reg query shows it', () => {
    const reg = (name: string, type: string, data: string) => parseRegQuery(`HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\LokalIdpAdmin\r\n    ${name}    ${type}    ${data}\r\n`, { ProgramData: 'C:\\ProgramData' });
    const samples: Record<string, string> = {
      AdDomainControllers: 'ldaps://dc1.fjordby.dk\\0ldaps://dc2.fjordby.dk',
      MitIdBaseUrl: 'https://services.nemlog-in.dk',
      IdpBaseUrl: 'https://idp.fjordby.dk',
      UpdateUrl: 'https://opdatering.fjordby.dk/',
      RoleHelpdeskScopes: 'GG-Skoler: OU=Skoler,DC=fjordby,DC=dk',
      EvidenceFolder: '%ProgramData%\\LokalIdpAdmin\\Revision',
    };
    for (const p of policies()) {
      for (const v of p.values) {
        const ok = (type: string, data: string) => MachinePolicy.safeParse(reg(v.valueName, type, data));
        if (v.kind === 'bool') {
          expect(ok('REG_DWORD', '0x1').success && ok('REG_DWORD', '0x0').success, v.valueName).toBe(true);
        } else if (v.kind === 'enum') {
          expect(v.items!.length).toBeGreaterThan(0);
          for (const item of v.items!) expect(ok('REG_SZ', item).success, `${v.valueName}=${item}`).toBe(true);
        } else if (v.kind === 'decimal') {
          // The template's range is the schema's: the GPO editor cannot offer a value the console refuses.
          expect(ok('REG_DWORD', `0x${v.min!.toString(16)}`).success, `${v.valueName} min`).toBe(true);
          expect(ok('REG_DWORD', `0x${v.max!.toString(16)}`).success, `${v.valueName} max`).toBe(true);
          expect(ok('REG_DWORD', `0x${(v.min! - 1).toString(16)}`).success, `${v.valueName} below min`).toBe(false);
          expect(ok('REG_DWORD', `0x${(v.max! + 1).toString(16)}`).success, `${v.valueName} above max`).toBe(false);
        } else {
          const type = v.kind === 'multi' ? 'REG_MULTI_SZ' : v.kind === 'expand' ? 'REG_EXPAND_SZ' : 'REG_SZ';
          const r = ok(type, samples[v.valueName] ?? (v.kind === 'multi' ? 'GG-Gruppe\\0GG-Anden' : 'DC=fjordby,DC=dk'));
          expect(r.success, `${v.valueName}: ${JSON.stringify(r.error?.issues)}`).toBe(true);
        }
      }
    }
  });

  it.each(Object.entries(adml))('%s carries every text and presentation the template refers to', (_lang, text) => {
    expect(balanced(text)).toBe(true);
    const strings = new Set([...text.matchAll(/<string id="([^"]+)">[^<]+<\/string>/g)].map((m) => m[1]));
    const presentations = new Map([...text.matchAll(/<presentation id="([^"]+)">([\s\S]*?)<\/presentation>/g)].map((m) => [m[1], m[2]!]));
    for (const [, id] of admx.matchAll(/\$\(string\.([^)]+)\)/g)) expect(strings.has(id), id).toBe(true);
    for (const [, id] of admx.matchAll(/\$\(presentation\.([^)]+)\)/g)) {
      // Each element of the policy has its control in the presentation, by refId.
      const body = presentations.get(id);
      expect(body, id).toBeDefined();
      const policy = policies().find((p) => p.name === id)!;
      for (const v of policy.values) expect(body).toContain(`refId="${v.valueName}"`);
    }
  });

  it('the template is well-formed', () => {
    expect(balanced(admx)).toBe(true);
    expect(balanced('<a><b></a></b>')).toBe(false);
  });
});
