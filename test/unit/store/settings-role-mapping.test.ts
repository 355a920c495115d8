// A role mapping per AD domain (#19): each domain may carry its own; the first domain without one uses the
// settings' global mapping (so every settings file from before means what it meant), any other domain
// without one grants no role. IT's Role* policy keys still set the first domain's roles, whichever of the
// two mappings it uses. And the mapping that applies is only that of the domain the operator signed in to.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPolicy, lockViolations, MachinePolicy, type LoadedPolicy } from '../../../shared/domain/machine-policy.ts';
import { roleMappingOf, RoleMapping, Settings } from '../../../shared/domain/settings.ts';
import { ConsoleError } from '../../../shared/errors.ts';
import type { OperatorDomain } from '../../../shared/roles.ts';
import { operatorFromIdentity } from '../../../src-main/services/session/roles.ts';
import { managedSettingsStore } from '../../../src-main/services/settings/policy.ts';
import { readMachinePolicy } from '../../../src-main/store/machine-policy.ts';
import { fileSettingsStore } from '../../../src-main/store/settings-store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-role-mapping-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const domain = (id: string, name: string, dns: string, extra: object = {}) => ({
  id, name, urls: [`ldaps://dc.${dns}`], baseDn: dns.split('.').map((p) => `DC=${p}`).join(','), upnSuffix: dns, ...extra,
});
const globalMapping = { administrator: ['GG-IT-Admins'], useradmin: [], helpdesk: ['GG-Helpdesk'], auditor: [], helpdeskScopes: [{ group: 'GG-Skoler', ous: ['OU=Skoler,DC=fjordby,DC=dk'] }] };

describe('settings files from before a mapping per domain', () => {
  // Both shapes stored before this change: the one-`ad` profile and the domain list without mappings.
  const oldAd = { mode: 'live', ad: { urls: ['ldaps://dc1.fjordby.dk'], baseDn: 'DC=fjordby,DC=dk', upnSuffix: 'fjordby.dk' }, roleMapping: globalMapping };
  const oldList = { mode: 'live', domains: [domain('kommune', 'Kommunen', 'fjordby.dk'), domain('skole', 'Skolerne', 'skole.fjordby.dk')], roleMapping: globalMapping };

  it('stay valid and mean the same: the first domain uses the global mapping, no domain gets one of its own', () => {
    for (const [label, doc] of [['ad', oldAd], ['domains', oldList]] as const) {
      const file = join(dir, `${label}.json`);
      const text = JSON.stringify(doc, null, 2);
      writeFileSync(file, text);
      const s = fileSettingsStore(file).read();
      expect(s.domains.every((d) => d.roleMapping === undefined), label).toBe(true);
      expect(roleMappingOf(s, s.domains[0]!.id), label).toEqual(globalMapping);
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });

  it('a save writes no mapping into a domain (the file keeps meaning the same), and it reads back equal', () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify(oldList));
    const store = fileSettingsStore(file);
    const first = store.read();
    store.write(first);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { domains: object[] };
    for (const d of stored.domains) expect(d).not.toHaveProperty('roleMapping');
    expect(store.read()).toEqual(first);
  });

  it('the second domain of an old list grants no role: the global mapping is the first domain\'s alone', () => {
    const s = Settings.parse(oldList);
    expect(roleMappingOf(s, 'skole')).toBeNull();
  });
});

describe('roleMappingOf', () => {
  const school = { administrator: ['LIA-Administratorer'], helpdesk: ['LIA-Helpdesk'] };
  const s = Settings.parse({
    domains: [domain('kommune', 'Kommunen', 'kommune.test'), domain('skole', 'Skolerne', 'skole.test', { roleMapping: school }), domain('sfo', 'SFO', 'sfo.test')],
    roleMapping: globalMapping,
  });

  it('a domain with its own mapping uses it, defaults filled; without one only the first falls back to the global one', () => {
    expect(roleMappingOf(s, 'skole')).toEqual(RoleMapping.parse(school));
    expect(roleMappingOf(s, 'kommune')).toEqual(globalMapping);
    expect(roleMappingOf(s, 'sfo')).toBeNull();
    // A session of a domain removed since grants nothing.
    expect(roleMappingOf(s, 'fjernet')).toBeNull();
  });

  it('a first domain with its own mapping uses it, not the global one', () => {
    const own = Settings.parse({ domains: [domain('kommune', 'Kommunen', 'kommune.test', { roleMapping: { auditor: ['Egen-Revision'] } })], roleMapping: globalMapping });
    expect(roleMappingOf(own, 'kommune')).toMatchObject({ auditor: ['Egen-Revision'], administrator: [] });
  });

  it('a domain\'s mapping is checked like the global one (a scope needs an OU)', () => {
    const r = Settings.safeParse({ domains: [domain('skole', 'Skolerne', 'skole.test', { roleMapping: { helpdeskScopes: [{ group: 'G', ous: [] }] } })] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path.join('.')).toBe('domains.0.roleMapping.helpdeskScopes.0.ous');
  });
});

describe('IT\'s Role* keys set the first domain\'s roles, whichever mapping it uses', () => {
  const fromFile = (policy: unknown): LoadedPolicy => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify(policy));
    return readMachinePolicy({ file })!;
  };
  const school = { helpdesk: ['LIA-Helpdesk'], auditor: ['Skole-Revision'] };

  it('a first domain on the global mapping gets the locked groups; the other domains keep theirs', () => {
    const s = Settings.parse({ domains: [domain('kommune', 'Kommunen', 'kommune.test'), domain('skole', 'Skolerne', 'skole.test', { roleMapping: school })], roleMapping: globalMapping });
    const out = applyPolicy(s, MachinePolicy.parse({ RoleAuditors: ['GG-Revision'] }));
    expect(roleMappingOf(out, 'kommune')).toMatchObject({ auditor: ['GG-Revision'], administrator: ['GG-IT-Admins'] });
    expect(roleMappingOf(out, 'skole')).toEqual(RoleMapping.parse(school));
  });

  it('a first domain with its own mapping gets them too, so its own mapping cannot step around the lock', () => {
    const s = Settings.parse({ domains: [domain('kommune', 'Kommunen', 'kommune.test', { roleMapping: { auditor: ['Egen-Revision'], helpdesk: ['Egen-Helpdesk'] } })] });
    const out = applyPolicy(s, MachinePolicy.parse({ RoleAuditors: ['GG-Revision'] }));
    expect(roleMappingOf(out, 'kommune')).toMatchObject({ auditor: ['GG-Revision'], helpdesk: ['Egen-Helpdesk'] });
  });

  it('a save that changes a locked role in the first domain\'s own mapping is refused; another domain\'s is free', () => {
    const loaded = fromFile({ RoleAuditors: ['GG-Revision'] });
    const store = managedSettingsStore(fileSettingsStore(join(dir, 'settings.json')), loaded);
    store.write(Settings.parse({ domains: [domain('kommune', 'Kommunen', 'kommune.test', { roleMapping: { auditor: ['GG-Revision'] } }), domain('skole', 'Skolerne', 'skole.test')], roleMapping: { auditor: ['GG-Revision'] } }));
    const now = store.read();
    const [first, second] = now.domains as [Settings['domains'][0], Settings['domains'][0]];
    const changed = { ...now, domains: [{ ...first, roleMapping: { ...first.roleMapping!, auditor: ['Egen-Revision'] } }, second] };
    expect(lockViolations(changed, loaded).map((l) => l.field)).toEqual(['roleMapping.auditor']);
    expect(() => store.write(changed)).toThrow(ConsoleError);
    expect(roleMappingOf(store.read(), 'kommune')?.auditor).toEqual(['GG-Revision']);
    store.write({ ...now, domains: [first, { ...second, roleMapping: RoleMapping.parse({ auditor: ['Skole-Revision'] }) }] });
    expect(roleMappingOf(store.read(), 'skole')?.auditor).toEqual(['Skole-Revision']);
  });
});

describe('operatorFromIdentity per domain', () => {
  // The school's account is in a group named like the municipality's role group: the name alone says nothing.
  const identity = { dn: 'CN=op.helpdesk,OU=IT,DC=skole,DC=test', username: 'op.helpdesk', displayName: 'Henrik', groups: [{ name: 'LIA-Helpdesk', sid: 'S-1-5-21-9-1105', dn: 'CN=LIA-Helpdesk,OU=IT,DC=skole,DC=test' }] };
  const skole: OperatorDomain = { id: 'skole', name: 'Skolerne', baseDn: 'DC=skole,DC=test', primary: false, nested: [] };

  it('the domain\'s own mapping grants, and the operator carries the domain', () => {
    const op = operatorFromIdentity(identity, RoleMapping.parse({ helpdesk: ['lia-helpdesk'] }), skole);
    expect(op).toMatchObject({ roles: ['helpdesk'], helpdeskOus: null, domain: skole });
  });

  it('a domain without a mapping (null) grants nothing, whatever its groups are called', () => {
    expect(operatorFromIdentity(identity, null, skole).roles).toEqual([]);
  });

  it('without a domain (training, one domain) the operator has none', () => {
    expect(operatorFromIdentity(identity, RoleMapping.parse({ helpdesk: ['LIA-Helpdesk'] }))).not.toHaveProperty('domain');
  });
});
