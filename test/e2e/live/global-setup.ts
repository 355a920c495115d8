// The live stack for the e2e tests in test/e2e/live: a real Samba AD DC, the MitID Erhverv simulator
// over mutual TLS and the IdP simulator, and a web host in live mode pointed at them — the console as a
// municipality would run it, driven in Chromium.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Settings } from '../../../shared/domain/settings.ts';
import { startIdpSimulator } from '../../../src-main/training/idp-sim/server.ts';
import { startMitIdSimulator } from '../../../src-main/training/mitid-sim/server.ts';
import { startDc, startSchoolDc } from '../../support/samba/dc.ts';
import { SCHOOL_BASE_DN, SCHOOL_DNS, SCHOOL_ROLE_GROUPS } from '../../support/samba/school.ts';
import { makeTestPki } from '../../support/pki.ts';
import { startLiveHost } from './host.ts';
import { startSimControl } from './sim-control.ts';
import { BASE_DN, DNS_DOMAIN, GROUPS, OU, ROLE_GROUPS, SPECIAL } from '../../support/samba/seed-facts.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  // The schools' domain on its own DC (#19), started beside the municipality's.
  const [dc, school] = await Promise.all([startDc(), startSchoolDc()]);
  const mitid = await startMitIdSimulator();
  // Over https with its own CA, as a municipality's IdP: the settings refuse a plain-http address.
  const idpPki = makeTestPki('IdP-simulator');
  const idp = await startIdpSimulator({
    // One school person gives the IdP the schools' own policy domain (skole.test) beside the municipality's.
    people: [{ username: SPECIAL.locked.username, domain: DNS_DOMAIN, displayName: SPECIAL.locked.cn }, { username: 'elev.0001', domain: SCHOOL_DNS, displayName: 'Asta Møller' }],
    auditEvents: 500,
    tls: { cert: idpPki.server.certPem, key: idpPki.server.keyPem },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'lia-e2e-live-'));
  const idpCa = join(dataDir, 'idp-ca.pem');
  writeFileSync(idpCa, idpPki.ca.certPem);
  const p12File = join(dataDir, 'system.p12');
  const mitidCa = join(dataDir, 'mitid-ca.pem');
  writeFileSync(p12File, mitid.client.pfx);
  writeFileSync(mitidCa, mitid.caPem);
  const settings = Settings.parse({
    mode: 'live',
    domains: [
      { id: 'kommune', name: 'Kommunen', urls: [dc.url], caFile: dc.caFile, baseDn: BASE_DN, upnSuffix: DNS_DOMAIN, linkRule: { kind: 'samaccountname-suffix', suffix: DNS_DOMAIN }, signingGroupDn: `CN=${GROUPS.projekt},${OU.grupper}` },
      // The schools: their own DCs, link rule and role groups (same names as the municipality's; only this mapping makes them grant here).
      {
        id: 'skole', name: 'Skolerne', urls: [school.url], caFile: school.caFile, baseDn: SCHOOL_BASE_DN, upnSuffix: SCHOOL_DNS,
        linkRule: { kind: 'samaccountname-suffix', suffix: SCHOOL_DNS },
        roleMapping: { administrator: [SCHOOL_ROLE_GROUPS.administrator], helpdesk: [SCHOOL_ROLE_GROUPS.helpdesk] },
      },
    ],
    // The simulator's search is consistent here (no lag switched on): a short confirmation window for unknown create outcomes.
    mitid: { baseUrl: mitid.url, p12File, caFile: mitidCa, timeoutMs: 15_000, createConfirmation: { absentSearches: 2, windowSeconds: 4 } },
    idp: { baseUrl: idp.url, auth: 'api-key', caFile: idpCa },
    roleMapping: {
      administrator: [ROLE_GROUPS.administrator],
      useradmin: [ROLE_GROUPS.useradmin],
      helpdesk: [ROLE_GROUPS.helpdesk],
      auditor: [ROLE_GROUPS.auditor],
      helpdeskScopes: [{ group: ROLE_GROUPS.helpdeskSchools, ous: [`OU=Skoler,${BASE_DN}`] }],
    },
  });
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));

  const token = randomBytes(24).toString('base64url');
  const host = await startLiveHost({ dataDir, token });
  const control = await startSimControl(mitid);
  // The workers read these; the secrets are handed to the console the way an administrator would.
  process.env.LIVE_URL = host.url;
  process.env.LIVE_DATA_DIR = dataDir;
  process.env.LIVE_SIM_CONTROL = control.url;
  process.env.LIVE_TOKEN = token;
  process.env.LIVE_IDP_KEY = idp.apiKey;
  process.env.LIVE_MITID_PASSPHRASE = mitid.client.passphrase;
  process.env.LIVE_DC_URL = dc.url;
  process.env.LIVE_DC_CA = dc.caFile;
  process.env.LIVE_SCHOOL_DC_URL = school.url;
  process.env.LIVE_SCHOOL_DC_CA = school.caFile;

  return async () => {
    await host.stop();
    await control.close();
    await idp.stop();
    await mitid.stop();
    await Promise.all([dc.stop(), school.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
