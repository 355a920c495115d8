// Several AD domains (#19): settings hold a list of domains. A settings document stored by a version with
// one `ad` profile is read as a one-element list with every field as it was; a document that cannot be
// used stops with a Danish message naming the field, and the stored file is left exactly as it was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPolicy, MachinePolicy } from '../../../shared/domain/machine-policy.ts';
import { domainIdFor, idpDomainOf, migrateSettingsDocument, primaryDomain, Settings, signInDomainOf } from '../../../shared/domain/settings.ts';
import { domainFromDn } from '../../../shared/idp/common.ts';
import { fileSettingsStore, parseStoredSettings, SettingsUnreadableError } from '../../../src-main/store/settings-store.ts';

// A settings file exactly as the one-domain version wrote it (Settings.parse output, 2-space JSON):
// every AD field set away from its default, so a field dropped or reset by the migration shows.
const OLD_FILE = `{
  "mode": "live",
  "language": "en",
  "ad": {
    "urls": [
      "ldaps://dc1.fjordby.dk:636",
      "ldap://dc2.fjordby.dk"
    ],
    "startTls": false,
    "caFile": "C:\\\\ProgramData\\\\LokalIdpAdmin\\\\ad-ca.pem",
    "baseDn": "OU=Fjordby,DC=fjordby,DC=dk",
    "upnSuffix": "fjordby.dk",
    "timeoutMs": 7000,
    "linkRule": {
      "kind": "samaccountname-suffix",
      "suffix": "@fjordby.dk",
      "lowercase": true
    },
    "signingGroupDn": "CN=Signatur,OU=Grupper,DC=fjordby,DC=dk",
    "allowUnencryptedBindLabOnly": true
  },
  "mitid": null,
  "idp": {
    "baseUrl": "https://idp.fjordby.dk/admin",
    "auth": "bearer",
    "caFile": "",
    "timeoutMs": 30000
  },
  "roleMapping": {
    "administrator": [
      "GG-IT-Admins"
    ],
    "useradmin": [],
    "helpdesk": [
      "GG-Helpdesk"
    ],
    "auditor": [],
    "helpdeskScopes": [
      {
        "group": "GG-Skoler",
        "ous": [
          "OU=Skoler,DC=fjordby,DC=dk"
        ]
      }
    ]
  },
  "evidenceFolder": "D:\\\\Revision",
  "autoUpdate": true
}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lia-domains-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings from the one-domain version', () => {
  it('become a one-element domain list, every field byte for byte as stored, and the file is not touched by the read', () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, OLD_FILE);
    const old = JSON.parse(OLD_FILE) as Record<string, unknown>;
    const s = fileSettingsStore(file).read();

    expect(s.domains).toHaveLength(1);
    const { id, name, idpDomain, ...profile } = s.domains[0]!;
    // The profile in the same key order with the same values: the same JSON text.
    expect(JSON.stringify(profile, null, 2)).toBe(JSON.stringify(old.ad, null, 2));
    expect({ id, name, idpDomain }).toEqual({ id: 'fjordby-dk', name: 'fjordby.dk', idpDomain: '' });
    // Everything else, key for key, and no key but `ad` → `domains` changed.
    expect(Object.keys(s)).toEqual(Object.keys(old).map((k) => (k === 'ad' ? 'domains' : k)));
    for (const k of Object.keys(old).filter((k) => k !== 'ad')) expect(JSON.stringify(s[k as keyof Settings]), k).toBe(JSON.stringify(old[k]));
    // The IdP key of the domain's people is what it was: the base DN's DNS name.
    expect(idpDomainOf(s.domains[0]!)).toBe(domainFromDn('OU=Fjordby,DC=fjordby,DC=dk'));
    expect(primaryDomain(s)).toBe(s.domains[0]);
    expect(readFileSync(file, 'utf8')).toBe(OLD_FILE);
  });

  it('the next save writes the new shape, which reads back the same; the migration is a no-op on it', () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, OLD_FILE);
    const store = fileSettingsStore(file);
    const first = store.read();
    store.write(first);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(stored).not.toHaveProperty('ad');
    expect(migrateSettingsDocument(stored)).toBe(stored);
    expect(store.read()).toEqual(first);
  });

  it('no AD profile (null, or never set) is an empty list', () => {
    expect(parseStoredSettings({ mode: 'training', ad: null }, 'settings.json').domains).toEqual([]);
    expect(parseStoredSettings({ mode: 'training' }, 'settings.json').domains).toEqual([]);
    // A base DN without DC= parts still gets an id and a name.
    const s = parseStoredSettings({ ad: { urls: ['ldaps://dc'], baseDn: 'O=Fjordby' } }, 'settings.json');
    expect(s.domains.map((d) => [d.id, d.name])).toEqual([['ad', 'Active Directory']]);
  });

  it('a bad old document stops with a Danish message naming the field as it is in the file, and the file keeps every byte', () => {
    const file = join(dir, 'settings.json');
    const bad = OLD_FILE.replace('"ldap://dc2.fjordby.dk"', '"https://dc2.fjordby.dk"');
    writeFileSync(file, bad);
    const read = () => fileSettingsStore(file).read();
    expect(read).toThrow(SettingsUnreadableError);
    expect(read).toThrow(`Indstillingerne i ${file} kan ikke bruges (ugyldigt indhold – ad.urls.1: Skal være en ldaps:// eller ldap:// adresse). Konsollen starter ikke i træningsmiljøet i stedet`);
    expect(readFileSync(file, 'utf8')).toBe(bad);
  });

  it('a document with both the old profile and the list is refused rather than one of them dropped', () => {
    const both = { ...(JSON.parse(OLD_FILE) as object), domains: [] };
    expect(() => parseStoredSettings(both, 'settings.json')).toThrow('både "ad" (fra en tidligere version) og "domains" er udfyldt');
  });
});

describe('the domain list', () => {
  const domain = (id: string, name: string, baseDn: string, upnSuffix: string) => ({ id, name, urls: ['ldaps://dc.' + upnSuffix], baseDn, upnSuffix });

  it('holds several domains, each with its own DCs, base DN, UPN suffix and IdP domain', () => {
    const s = Settings.parse({
      domains: [
        domain('kommune', 'Kommunen', 'DC=kommune,DC=test', 'kommune.test'),
        { ...domain('skole', 'Skolerne', 'DC=skole,DC=test', 'skole.test'), idpDomain: 'skole.kommune.dk' },
      ],
    });
    expect(s.domains.map((d) => [d.id, idpDomainOf(d)])).toEqual([['kommune', 'kommune.test'], ['skole', 'skole.kommune.dk']]);
  });

  it('refuses a repeated id, base DN or UPN suffix, in Danish, naming the domain that has it', () => {
    const r = Settings.safeParse({
      domains: [
        domain('kommune', 'Kommunen', 'DC=kommune,DC=test', 'kommune.test'),
        domain('kommune', 'Skolerne', 'DC=Kommune, DC=test', 'KOMMUNE.test'),
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['domains.1.id', 'Id’et bruges allerede af domænet "Kommunen"'],
      ['domains.1.baseDn', 'Søgebasen bruges allerede af domænet "Kommunen"'],
      ['domains.1.upnSuffix', 'UPN-suffikset bruges allerede af domænet "Kommunen"'],
    ]);
  });

  it('refuses an id that is not a plain slug and an IdP domain that is not a domain name (typed text is hostile)', () => {
    for (const id of ['', 'Skole', 'skole test', '-skole', 'skole-', 'a'.repeat(41), '../x']) {
      expect(Settings.safeParse({ domains: [domain(id, 'X', 'DC=x', 'x.dk')] }).success, id).toBe(false);
    }
    for (const idpDomain of ['skole kommune.dk', 'skole..dk', 'x/y', '*.dk']) {
      expect(Settings.safeParse({ domains: [{ ...domain('x', 'X', 'DC=x', 'x.dk'), idpDomain }] }).success, idpDomain).toBe(false);
    }
  });

  it('ids are made from the name, free of Danish letters, and never one already taken', () => {
    expect(domainIdFor('Skolerne i Ærø', [])).toBe('skolerne-i-aeroe');
    expect(domainIdFor('Skolerne', ['skolerne', 'skolerne-2'])).toBe('skolerne-3');
    expect(domainIdFor('', [])).toBe('domaene');
    expect(domainIdFor('!!!', ['domaene'])).toBe('domaene-2');
    expect(domainIdFor('x'.repeat(80), []).length).toBeLessThanOrEqual(40);
  });

  it('IT\'s Ad* policy keys set the first domain and leave the others as they are', () => {
    const s = Settings.parse({ domains: [domain('kommune', 'Kommunen', 'DC=kommune,DC=test', 'kommune.test'), domain('skole', 'Skolerne', 'DC=skole,DC=test', 'skole.test')] });
    const out = applyPolicy(s, MachinePolicy.parse({ AdDomainControllers: ['ldaps://dc9.kommune.test'], AdStartTls: false }));
    expect(out.domains[0]).toMatchObject({ id: 'kommune', urls: ['ldaps://dc9.kommune.test'], startTls: false });
    expect(out.domains[1]).toEqual(s.domains[1]);
  });

  it('sign-in picks the domain by the typed UPN suffix; a plain, down-level or unclaimed name goes to the first', () => {
    const s = Settings.parse({
      domains: [
        domain('kommune', 'Kommunen', 'DC=kommune,DC=test', 'kommune.test'),
        { ...domain('skole', 'Skolerne', 'DC=skole,DC=test', ''), urls: ['ldaps://dc.skole.test'] },
      ],
    });
    const pick = (name: string) => signInDomainOf(name, s.domains)?.id ?? null;
    expect(pick('op.helpdesk@SKOLE.test')).toBe('skole'); // no UPN suffix set: the base DN's DNS name
    expect(pick(' op.helpdesk@kommune.test ')).toBe('kommune');
    expect(pick('op.helpdesk')).toBe('kommune');
    expect(pick('SKOLE\\op.helpdesk')).toBe('kommune');
    expect(pick('op.helpdesk@andet.dk')).toBe('kommune');
    expect(pick('a@b@skole.test')).toBe('kommune');
    expect(signInDomainOf('x@skole.test', [])).toBeNull();
  });
});
