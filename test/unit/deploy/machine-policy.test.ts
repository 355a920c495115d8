// IT's machine policy: parsed with zod (fail closed), read from a real file and from `reg query` text,
// applied field by field (policy > user setting > default), and enforced in main on every save.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPolicy, lockedFields, lockViolations, MachinePolicy, type LoadedPolicy } from '../../../shared/domain/machine-policy.ts';
import { RetentionSettings } from '../../../shared/domain/audit.ts';
import { Settings } from '../../../shared/domain/settings.ts';
import { ConsoleError } from '../../../shared/errors.ts';
import { managedRetentionStore, managedSettingsStore } from '../../../src-main/services/settings/policy.ts';
import { machinePolicyFile, MachinePolicyError, parseRegQuery, readMachinePolicy } from '../../../src-main/store/machine-policy.ts';
import { fileRetentionStore } from '../../../src-main/store/retention-store.ts';
import { fileSettingsStore } from '../../../src-main/store/settings-store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-policy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fromFile = (policy: unknown): LoadedPolicy => {
  const file = join(dir, 'policy.json');
  writeFileSync(file, JSON.stringify(policy));
  const loaded = readMachinePolicy({ file });
  if (!loaded) throw new Error('no policy read');
  return loaded;
};

// What `reg query HKLM\SOFTWARE\Policies\LokalIdpAdmin` prints after GPO applied the ADMX template (CRLF).
const REG_OUTPUT = [
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\LokalIdpAdmin',
  '    Environment    REG_SZ    live',
  '    AllowTraining    REG_DWORD    0x0',
  '    AdDomainControllers    REG_MULTI_SZ    ldaps://dc1.fjordby.dk\\0ldaps://dc2.fjordby.dk',
  '    AdBaseDn    REG_SZ    OU=Ansatte i Fjordby,DC=fjordby,DC=dk',
  '    RoleHelpdeskScopes    REG_MULTI_SZ    GG-Helpdesk-Skoler: OU=Skoler,DC=fjordby,DC=dk ; OU=Børnehaver,DC=fjordby,DC=dk',
  '    EvidenceFolder    REG_EXPAND_SZ    %ProgramData%\\LokalIdpAdmin\\Revision',
  '    RetentionConsoleMonthsMin    REG_DWORD    0x18',
  '    **del.UpdateUrl    REG_SZ     ',
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\LokalIdpAdmin\\Andet',
  '    Language    REG_SZ    en',
  '',
].join('\r\n');

describe('the registry reader (reg query output)', () => {
  it('reads strings, lists, numbers and expandable strings of the policy key only', () => {
    expect(parseRegQuery(REG_OUTPUT, { PROGRAMDATA: 'C:\\ProgramData' })).toEqual({
      Environment: 'live',
      AllowTraining: 0,
      AdDomainControllers: ['ldaps://dc1.fjordby.dk', 'ldaps://dc2.fjordby.dk'],
      AdBaseDn: 'OU=Ansatte i Fjordby,DC=fjordby,DC=dk',
      RoleHelpdeskScopes: ['GG-Helpdesk-Skoler: OU=Skoler,DC=fjordby,DC=dk ; OU=Børnehaver,DC=fjordby,DC=dk'],
      // %ProgramData% expanded case-insensitively, as Windows does.
      EvidenceFolder: 'C:\\ProgramData\\LokalIdpAdmin\\Revision',
      RetentionConsoleMonthsMin: 24,
    });
  });

  it('keeps spaces inside names and data, and reads an empty value and a QWORD', () => {
    const out = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\LokalIdpAdmin\n    AdUpnSuffix    REG_SZ    \n    Et navn    REG_SZ    a  b    c\n    RetentionIdpLoginMonthsMin    REG_QWORD    0x3\n';
    expect(parseRegQuery(out)).toEqual({ AdUpnSuffix: '', 'Et navn': 'a  b    c', RetentionIdpLoginMonthsMin: 3 });
  });

  it('refuses a value type the policy never uses (binary data) instead of guessing', () => {
    expect(() => parseRegQuery('HKEY_LOCAL_MACHINE\\X\n    AutoUpdate    REG_BINARY    01\n')).toThrow('REG_BINARY understøttes ikke');
  });

  it('a registry policy is validated like the file, and wins over the file for a key set in both', () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ AdBaseDn: 'DC=fil,DC=dk', Language: 'en' }));
    const loaded = readMachinePolicy({ file, registry: () => REG_OUTPUT, env: { ProgramData: 'D:\\Data' } })!;
    expect(loaded.policy.AdBaseDn).toBe('OU=Ansatte i Fjordby,DC=fjordby,DC=dk');
    expect(loaded.policy.Language).toBe('en');
    expect(loaded.policy.AllowTraining).toBe(false);
    expect(loaded.sources).toMatchObject({ AdBaseDn: 'registry', Language: 'file', Environment: 'registry' });
    expect(lockedFields(loaded).find((l) => l.field === 'domains.0.baseDn')?.reason).toBe('Styres af IT (gruppepolitik: AdBaseDn)');
    expect(lockedFields(loaded).find((l) => l.field === 'language')?.reason).toBe('Styres af IT (maskinpolitik: Language)');

    expect(() => readMachinePolicy({ file: join(dir, 'none.json'), registry: () => REG_OUTPUT.replace('0x18', '0x2'), env: { ProgramData: 'C:\\ProgramData' } })).toThrow(
      /HKLM\\SOFTWARE\\Policies\\LokalIdpAdmin kan ikke bruges \(ugyldigt indhold – RetentionConsoleMonthsMin: Mindst 6 måneder\)/,
    );
  });
});

describe('reading the policy file (fail closed)', () => {
  it('no file and no registry: nothing is managed', () => {
    expect(readMachinePolicy({ file: join(dir, 'policy.json') })).toBeNull();
    expect(readMachinePolicy({ file: join(dir, 'policy.json'), registry: () => null })).toBeNull();
  });

  it('the path: LIA_MACHINE_POLICY, else ProgramData on Windows and /etc on Linux', () => {
    expect(machinePolicyFile({ LIA_MACHINE_POLICY: '/tmp/p.json' }, 'linux')).toBe('/tmp/p.json');
    expect(machinePolicyFile({}, 'linux')).toBe('/etc/lokal-idp-admin/policy.json');
    expect(machinePolicyFile({ ProgramData: 'C:\\ProgramData' }, 'win32')).toMatch(/^C:\\ProgramData[\\/]LokalIdpAdmin[\\/]policy\.json$/);
  });

  it('not JSON, wrong types, unknown keys or an unreadable file stop the console with a Danish message', () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, '{"Environment": "live",');
    expect(() => readMachinePolicy({ file })).toThrow(MachinePolicyError);
    expect(() => readMachinePolicy({ file })).toThrow(`IT's maskinpolitik i ${file} kan ikke bruges (filen er ikke gyldig JSON). Konsollen starter ikke uden den`);
    writeFileSync(file, JSON.stringify({ Environment: 'prod' }));
    expect(() => readMachinePolicy({ file })).toThrow('Environment: Skal være "live" eller "training"');
    writeFileSync(file, JSON.stringify({ AdDomainControler: ['ldaps://dc1'] }));
    expect(() => readMachinePolicy({ file })).toThrow('Ukendt nøgle: AdDomainControler');
    writeFileSync(file, JSON.stringify({ IdpBaseUrl: 'http://idp.fjordby.dk' }));
    expect(() => readMachinePolicy({ file })).toThrow('IdpBaseUrl: Skal være en https:// adresse');
    writeFileSync(file, JSON.stringify({ AllowTraining: false, Environment: 'training' }));
    expect(() => readMachinePolicy({ file })).toThrow('Træningsmiljøet kan ikke både være valgt og forbudt');
    writeFileSync(file, JSON.stringify({ RoleHelpdeskScopes: ['GG-Helpdesk uden OU'] }));
    expect(() => readMachinePolicy({ file })).toThrow('RoleHelpdeskScopes.0: Skal have formen');
    writeFileSync(file, JSON.stringify({ EvidenceFolder: 'Revision' }));
    expect(() => readMachinePolicy({ file })).toThrow('EvidenceFolder: Skal være en fuld sti');
    writeFileSync(file, JSON.stringify(['Environment']));
    expect(() => readMachinePolicy({ file })).toThrow('filen skal indeholde ét JSON-objekt');
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    expect(() => readMachinePolicy({ file: folder })).toThrow('filen kan ikke læses: EISDIR');
  });

  it('accepts a file saved with a BOM (Notepad, PowerShell) and 1/0 for true/false', () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, '\uFEFF' + JSON.stringify({ AutoUpdate: 1, AdStartTls: 0 }));
    expect(readMachinePolicy({ file })!.policy).toEqual({ AutoUpdate: true, AdStartTls: false });
  });
});

describe('precedence: policy > user setting > default, per field', () => {
  const user = Settings.parse({
    mode: 'training',
    language: 'en',
    domains: [{ id: 'egen', name: 'Egen', urls: ['ldaps://egen-dc.fjordby.dk'], baseDn: 'DC=egen,DC=dk', upnSuffix: 'egen.dk', caFile: '/egen/ca.pem' }],
    roleMapping: { administrator: ['Egne-Admins'], helpdesk: ['Egen-Helpdesk'] },
  });

  it('a field the policy sets wins; a field it leaves open keeps the user setting; the rest keep their defaults', () => {
    const p = MachinePolicy.parse({ Environment: 'live', AdDomainControllers: ['ldaps://dc1.fjordby.dk'], RoleAdministrators: ['GG-IT-Admins'], AutoUpdate: true });
    const s = applyPolicy(user, p);
    expect(s.mode).toBe('live');
    expect(s.domains[0]?.urls).toEqual(['ldaps://dc1.fjordby.dk']);
    expect(s.domains[0]?.baseDn).toBe('DC=egen,DC=dk');
    expect(s.domains[0]?.caFile).toBe('/egen/ca.pem');
    expect(s.language).toBe('en');
    expect(s.roleMapping.administrator).toEqual(['GG-IT-Admins']);
    expect(s.roleMapping.helpdesk).toEqual(['Egen-Helpdesk']);
    expect(s.autoUpdate).toBe(true);
    expect(s.evidenceFolder).toBe('');
    // Without a policy value the default holds: auto-update is off.
    expect(applyPolicy(Settings.parse({}), MachinePolicy.parse({})).autoUpdate).toBe(false);
  });

  it('AllowTraining=0 alone locks the environment to live; AllowTraining=1 locks nothing', () => {
    expect(applyPolicy(user, MachinePolicy.parse({ AllowTraining: false })).mode).toBe('live');
    expect(lockedFields({ policy: MachinePolicy.parse({ AllowTraining: true }), sources: {} })).toEqual([]);
    expect(applyPolicy(user, MachinePolicy.parse({ AllowTraining: true })).mode).toBe('training');
  });

  it('a profile the operator has not set up is made from the policy when the policy completes it', () => {
    const fresh = Settings.parse({});
    const full = applyPolicy(fresh, MachinePolicy.parse({ AdDomainControllers: ['ldaps://dc1.fjordby.dk'], AdBaseDn: 'DC=fjordby,DC=dk', IdpBaseUrl: 'https://idp.fjordby.dk', MitIdBaseUrl: 'https://services.nemlog-in.dk' }));
    expect(full.domains).toMatchObject([{ id: 'fjordby-dk', name: 'fjordby.dk', urls: ['ldaps://dc1.fjordby.dk'], baseDn: 'DC=fjordby,DC=dk', startTls: true }]);
    expect(full.idp).toMatchObject({ baseUrl: 'https://idp.fjordby.dk', auth: 'api-key' });
    expect(full.mitid?.baseUrl).toBe('https://services.nemlog-in.dk');
    // Only a CA file: no AD profile can be made from it, so none is invented.
    expect(applyPolicy(fresh, MachinePolicy.parse({ AdCaFile: '/etc/ssl/ad-ca.pem' })).domains).toEqual([]);
  });

  it('helpdesk scopes are read from the same "gruppe: OU ; OU" lines the Indstillinger field uses', () => {
    const s = applyPolicy(user, MachinePolicy.parse({ RoleHelpdeskScopes: ['GG-Skoler: OU=Skoler,DC=fjordby,DC=dk ; OU=SFO,DC=fjordby,DC=dk'] }));
    expect(s.roleMapping.helpdeskScopes).toEqual([{ group: 'GG-Skoler', ous: ['OU=Skoler,DC=fjordby,DC=dk', 'OU=SFO,DC=fjordby,DC=dk'] }]);
  });
});

describe('locked fields are enforced in main', () => {
  const loaded = (): LoadedPolicy => fromFile({ Environment: 'live', AdDomainControllers: ['ldaps://dc1.fjordby.dk'], AdBaseDn: 'DC=fjordby,DC=dk', Language: 'da', RoleAuditors: ['GG-Revision'] });

  it('reads carry the policy over what the operator saved', () => {
    const inner = fileSettingsStore(join(dir, 'settings.json'));
    inner.write(Settings.parse({ mode: 'training', language: 'en', roleMapping: { auditor: ['Egen'] } }));
    const s = managedSettingsStore(inner, loaded()).read();
    expect(s).toMatchObject({ mode: 'live', language: 'da', domains: [{ urls: ['ldaps://dc1.fjordby.dk'], baseDn: 'DC=fjordby,DC=dk' }] });
    expect(s.roleMapping.auditor).toEqual(['GG-Revision']);
  });

  it('a save that changes a locked field is refused (forbidden, naming the field and why); nothing is written', () => {
    const inner = fileSettingsStore(join(dir, 'settings.json'));
    const store = managedSettingsStore(inner, loaded());
    const now = store.read();
    const attempt = () => store.write({ ...now, domains: [{ ...now.domains[0]!, urls: ['ldaps://egen.fjordby.dk'] }] });
    expect(attempt).toThrow(ConsoleError);
    expect(attempt).toThrow('Indstillingerne blev ikke gemt: domains.0.urls styres af IT og kan ikke ændres her. Styres af IT (maskinpolitik: AdDomainControllers).');
    try {
      attempt();
    } catch (e) {
      expect((e as ConsoleError).code).toBe('forbidden');
      expect((e as ConsoleError).details?.fields).toEqual({ 'settings.domains.0.urls': 'Styres af IT (maskinpolitik: AdDomainControllers)' });
    }
    expect(() => store.write({ ...now, mode: 'training' })).toThrow('mode styres af IT');
    expect(inner.read()).toEqual(Settings.parse({}));
  });

  it('the evidence folder must be a full path (a relative one would depend on where the app started)', () => {
    expect(Settings.safeParse({ evidenceFolder: 'revision' }).success).toBe(false);
    for (const p of ['', 'C:\\Revision', 'D:/Revision', '\\\\server\\revision', '/srv/revision']) expect(Settings.safeParse({ evidenceFolder: p }).success, p).toBe(true);
  });

  it('a save that leaves the locked fields as the policy sets them goes through', () => {
    const inner = fileSettingsStore(join(dir, 'settings.json'));
    const store = managedSettingsStore(inner, loaded());
    const now = store.read();
    store.write({ ...now, domains: [{ ...now.domains[0]!, upnSuffix: 'fjordby.dk' }], roleMapping: { ...now.roleMapping, helpdesk: ['GG-Helpdesk'] } });
    expect(inner.read().domains[0]?.upnSuffix).toBe('fjordby.dk');
    expect(store.read().roleMapping).toMatchObject({ helpdesk: ['GG-Helpdesk'], auditor: ['GG-Revision'] });
    expect(lockViolations(store.read(), loaded())).toEqual([]);
  });

  it('retention floors: reads are raised to the floor, a shorter period is refused', () => {
    const inner = fileRetentionStore(join(dir, 'retention.json'));
    inner.write(RetentionSettings.parse({ consoleMonths: 7, idpLoginMonths: 2 }));
    const store = managedRetentionStore(inner, fromFile({ RetentionConsoleMonthsMin: 24, RetentionIdpLoginMonthsMin: 1 }));
    expect(store.read()).toEqual({ consoleMonths: 24, idpLoginMonths: 2, idpOtherMonths: 13 });
    expect(() => store.write({ consoleMonths: 12, idpLoginMonths: 3, idpOtherMonths: 13 })).toThrow('IT kræver Konsollens journal i mindst 24 måneder');
    expect(store.write({ consoleMonths: 36, idpLoginMonths: 1, idpOtherMonths: 13 }).consoleMonths).toBe(36);
  });
});
