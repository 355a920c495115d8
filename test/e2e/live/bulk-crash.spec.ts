// The bulk acceptance test, end to end: a user administrator assigns the local authenticator to
// an OU of 300 people in Samba AD through the console's UI, while the MitID Erhverv simulator answers 10%
// of requests with 503 (and now and then loses an answer after applying the change). Halfway, the console
// process is killed with SIGKILL; a new one starts on the same data folder, the job shows as interrupted,
// the operator resumes it, and it finishes: every person assigned, exactly one create per person.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { Attribute, Change } from 'ldapts';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD, ADMIN_UPN, BASE_DN, DNS_DOMAIN, OPERATORS, SEED_PASSWORD } from '../../support/samba/seed-facts.ts';
import { SHOTS } from '../support.ts';
import { startLiveHost, type LiveHost } from './host.ts';
import { setMitIdFaults, simView } from './sim-control.ts';
import { apiSession, dcClient, signIn } from './support.ts';

const OU_NAME = 'Nyansatte 2026';
const OU_DN = `OU=${OU_NAME},${BASE_DN}`;
const COUNT = 300;
const usernames = Array.from({ length: COUNT }, (_, i) => `nyansat${String(i + 1).padStart(3, '0')}`);
const givenNames = ['Søren', 'Åse', 'Mathias', 'Ida', 'Jørgen', 'Freja', 'Bjørn', 'Sofie'];
const surnames = ['Ærbø', 'Hansen', 'Østergård', 'Nielsen', 'Kjær', 'Madsen'];

async function createOu(): Promise<void> {
  const c = dcClient(30_000);
  await c.bind(ADMIN_UPN, ADMIN_PASSWORD);
  try {
    await c.add(OU_DN, { objectClass: ['top', 'organizationalUnit'], ou: OU_NAME });
    const password = Buffer.from(`"${SEED_PASSWORD}"`, 'utf16le');
    // A few connections in parallel: Samba hashes every password, one add at a time per connection.
    const lanes = 4;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        const l = dcClient(30_000);
        await l.bind(ADMIN_UPN, ADMIN_PASSWORD);
        for (let i = lane; i < COUNT; i += lanes) {
          const u = usernames[i] as string;
          const given = givenNames[i % givenNames.length] as string;
          const sn = surnames[i % surnames.length] as string;
          const dn = `CN=${given} ${sn} ${i + 1},${OU_DN}`;
          await l.add(dn, {
            objectClass: ['top', 'person', 'organizationalPerson', 'user'],
            sAMAccountName: u,
            userPrincipalName: `${u}@${DNS_DOMAIN}`,
            givenName: given,
            sn,
            displayName: `${given} ${sn} ${i + 1}`,
            mail: `${u}@${DNS_DOMAIN}`,
            employeeID: String(70_000 + i),
          });
          await l.modify(dn, [
            new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [password] }) }),
            new Change({ operation: 'replace', modification: new Attribute({ type: 'userAccountControl', values: ['512'] }) }),
          ]);
        }
        await l.unbind();
      }),
    );
  } finally {
    await c.unbind().catch(() => {});
  }
}

/** The administrator hands the console its secrets (the web host keeps them in memory only). */
async function giveSecrets(request: APIRequestContext, host: LiveHost): Promise<void> {
  const session = await apiSession(request, OPERATORS.administrator, host.url);
  for (const [key, value] of [['mitid.p12Passphrase', process.env.LIVE_MITID_PASSPHRASE], ['idp.apiKey', process.env.LIVE_IDP_KEY]]) {
    const r = await request.post(`${host.url}api/op/settings.setSecret`, { headers: session, data: { key, value } });
    expect(r.status()).toBe(200);
  }
}

async function openBulk(page: Page, host: LiveHost, username: string): Promise<void> {
  await signIn(page, username, host.url);
  await page.getByRole('navigation').getByRole('link', { name: 'Masseopgaver' }).click();
}

const doneOf = async (page: Page) => Number(/^(\d+) udført/.exec((await page.getByTestId('bulk-counts').textContent()) ?? '')?.[1] ?? 0);

test('a bulk assignment to an OU of 300 survives 10% 503s and a killed console: everyone assigned, zero duplicate creates', async ({ page, request }) => {
  test.setTimeout(600_000);
  await createOu();
  const dataDir = mkdtempSync(join(tmpdir(), 'lia-e2e-bulk-'));
  copyFileSync(join(process.env.LIVE_DATA_DIR ?? '', 'settings.json'), join(dataDir, 'settings.json'));
  let host = await startLiveHost({ dataDir, token: process.env.LIVE_TOKEN ?? '' });
  const before = await simView();
  try {
    await giveSecrets(request, host);

    await openBulk(page, host, OPERATORS.useradmin);
    await page.getByRole('radio', { name: 'Tildel lokalt loginmiddel' }).check();
    await page.getByTestId('bulk-ou').click();
    await page.getByRole('option', { name: new RegExp(`^${OU_NAME}`) }).click();
    await page.getByTestId('bulk-plan').click();
    await expect(page.getByTestId('bulk-state')).toHaveText('Prøvekørt', { timeout: 60_000 });
    await expect(page.getByTestId('bulk-plan-summary')).toContainText(`${COUNT} rækker udføres`);
    // Creating identities costs the municipality a fee: the plan says so before anything is sent.
    await expect(page.getByTestId('bulk-fee')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/live-04-bulk-plan.png` });

    await setMitIdFaults({ unavailableRate: 0.1, dropAfterApplyRate: 0.02 });
    await page.getByLabel('Begrundelse').fill('Nyansatte skal have lokalt login');
    await page.getByLabel('Samtidige kald til MitID Erhverv').fill('4');
    await page.getByTestId('bulk-start').click();
    await expect(page.getByTestId('bulk-state')).toHaveText('Kører');
    await expect.poll(() => doneOf(page), { timeout: 300_000, intervals: [100] }).toBeGreaterThanOrEqual(COUNT / 2);

    // The crash: no shutdown code runs, requests in flight are lost mid-way.
    await host.kill();
    expect((await simView()).createCount - before.createCount).toBeLessThan(COUNT);
    // Requests the killed process had sent may still be landing in the simulator.
    await page.waitForTimeout(500);

    host = await startLiveHost({ dataDir, token: process.env.LIVE_TOKEN ?? '' });
    await giveSecrets(request, host);
    await openBulk(page, host, OPERATORS.useradmin);
    const waiting = page.getByTestId('bulk-waiting');
    await expect(waiting).toContainText(`Afbrudt: Tildel lokalt loginmiddel – Enhed: ${OU_NAME}`);
    await expect(waiting).toContainText('færdige rækker gentages ikke');
    await page.screenshot({ path: `${SHOTS}/live-05-bulk-interrupted.png` });
    await waiting.getByRole('button', { name: 'Åbn' }).click();
    await expect(page.getByTestId('bulk-state')).toHaveText('På pause');
    await page.getByLabel('Begrundelse').fill('Genoptager efter nedbrud');
    await page.getByRole('button', { name: 'Genoptag' }).click();
    await expect(page.getByTestId('bulk-state')).toHaveText('Færdig', { timeout: 300_000 });
    await expect(page.getByTestId('bulk-done')).toContainText(`${COUNT} udført, 0 fejlet`);
    await page.screenshot({ path: `${SHOTS}/live-06-bulk-done.png` });
  } finally {
    await setMitIdFaults({});
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  // Zero duplicate creates: the simulator applied exactly one create per person, and each person has one
  // identity carrying their local credential (subjectNameId by the link rule).
  const after = await simView();
  const ours = after.identities.filter((i) => usernames.includes(i.emailAddress.split('@')[0] ?? ''));
  expect(ours).toHaveLength(COUNT);
  expect(new Set(ours.map((i) => i.emailAddress)).size).toBe(COUNT);
  for (const i of ours) expect(i.localIds).toEqual([`${i.emailAddress.split('@')[0]}@${DNS_DOMAIN}`]);
  expect(after.createCount - before.createCount).toBe(COUNT);
});
