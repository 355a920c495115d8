import { expect, test, type Page } from '@playwright/test';
import { Client } from 'ldapts';
import { readFileSync } from 'node:fs';
import { openModal, SHOTS } from '../support.ts';
import { ADMIN_PASSWORD, ADMIN_UPN, BASE_DN, DNS_DOMAIN, OPERATORS, OU, ROLE_GROUPS, SEED_PASSWORD, SPECIAL } from '../../support/samba/seed-facts.ts';

// The console in live mode: Samba AD, the MitID Erhverv simulator over mTLS, the IdP simulator.
test.describe.configure({ mode: 'serial' });
test.use({ baseURL: process.env.LIVE_URL });

async function signIn(page: Page, username: string) {
  await page.goto(`/#token=${process.env.LIVE_TOKEN}`);
  await page.getByLabel('Brugernavn', { exact: true }).fill(username);
  await page.getByLabel('Adgangskode', { exact: true }).fill(SEED_PASSWORD);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByTestId('operator').waitFor();
}

test('an administrator connects MitID Erhverv and the IdP by entering their secrets', async ({ page }) => {
  await signIn(page, OPERATORS.administrator);
  await expect(page.getByTestId('training-banner')).toHaveCount(0);
  await expect(page.getByTestId('status-ad')).toContainText('Forbundet');
  await page.getByRole('navigation').getByRole('link', { name: 'Indstillinger' }).click();
  await page.getByLabel('Kode til systemcertifikatet').fill(process.env.LIVE_MITID_PASSPHRASE ?? '');
  await page.getByRole('button', { name: 'Gem hemmelighed' }).first().click();
  await page.getByLabel('API-nøgle').fill(process.env.LIVE_IDP_KEY ?? '');
  await page.getByRole('button', { name: 'Gem hemmelighed' }).last().click();
  await expect(page.getByText('Gemt (vises aldrig igen)')).toHaveCount(2);
  await page.getByTestId('test-mitid').click();
  await expect(page.getByRole('status').filter({ hasText: 'Forbindelsen virker' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('status-mitid')).toContainText('Forbundet');
  await expect(page.getByTestId('status-idp')).toContainText('Forbundet');
  await page.screenshot({ path: `${SHOTS}/live-01-settings.png` });
});

test('a helpdesk agent finds a locked person in AD by part of an æøå name and unlocks them', async ({ page }) => {
  // Before: AD refuses the person's bind because the account is locked.
  const ldap = () => new Client({ url: process.env.LIVE_DC_URL ?? '', tlsOptions: { ca: readFileSync(process.env.LIVE_DC_CA ?? '') } });
  const before = ldap();
  await expect(before.bind(`${SPECIAL.locked.username}@${DNS_DOMAIN}`, SEED_PASSWORD)).rejects.toThrow();
  await before.unbind().catch(() => {});

  await signIn(page, OPERATORS.helpdesk);
  await page.getByTestId('people-search').fill('låst');
  const row = page.getByTestId('person-row').filter({ hasText: SPECIAL.locked.cn }).first();
  await expect(row).toBeVisible();
  await row.click();
  await openModal(page.getByRole('button', { name: 'Lås op' }), page.getByRole('dialog', { name: /^Lås op:/ }));
  await page.getByLabel('Begrundelse').fill('Ringede fra Sundhed, identitet bekræftet');
  await page.getByRole('button', { name: 'Udfør' }).click();
  await expect(page.getByText('Kontoen er låst op.')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/live-02-unlocked.png` });

  // After: AD itself accepts the bind.
  const after = ldap();
  await after.bind(`${SPECIAL.locked.username}@${DNS_DOMAIN}`, SEED_PASSWORD);
  await after.unbind();
});

test('a helpdesk agent scoped to the schools is refused for a person outside them on a direct call', async ({ page, request }) => {
  await signIn(page, OPERATORS.helpdeskSchools);
  const headers = { Authorization: `Bearer ${process.env.LIVE_TOKEN}` };
  const login = await request.post('/api/op/session.login', { headers, data: { username: OPERATORS.helpdeskSchools, password: SEED_PASSWORD } });
  const session = { ...headers, 'X-Console-Session': login.headers()['x-console-session'] ?? '' };
  const found = await request.post('/api/op/people.search', { headers: session, data: { text: SPECIAL.locked.username, limit: 5 } });
  const person = ((await found.json()).data.items as Array<{ id: string; username: string }>).find((p) => p.username === SPECIAL.locked.username);
  expect(person).toBeDefined();
  const r = await request.post('/api/op/people.unlockAccount', { headers: session, data: { personId: person?.id, reason: 'Uden for mit område' } });
  expect(r.status()).toBe(403);
  expect((await r.json()).error.message).toContain('uden for de organisationsenheder');
});

test('an administrator raises password history and sees it in AD\'s fine-grained password policy', async ({ page }) => {
  await signIn(page, OPERATORS.administrator);
  // Map the IdP domain to an AD group (what the policy screen's configuration holds).
  const groupDn = `CN=${ROLE_GROUPS.auditor},${OU.it}`;
  const api = (op: string, data: unknown) =>
    page.request.post(`/api/op/${op}`, { headers: { Authorization: `Bearer ${process.env.LIVE_TOKEN}` }, data });
  const { data: cfg } = await (await api('policy.getConfig', {})).json();
  const mapped = await api('policy.updateConfig', { config: { ...cfg.config, domainGroups: { [DNS_DOMAIN]: [groupDn] } }, reason: 'Knyt domænet til AD-gruppen' });
  expect(mapped.status()).toBe(200);

  await page.getByRole('navigation').getByRole('link', { name: 'Politikker' }).click();
  await expect(page.getByTestId('policy-version')).toBeVisible();
  await page.getByLabel('Antal huskede adgangskoder').fill('17');
  await page.getByTestId('review').click();
  await page.getByRole('dialog').getByLabel('Begrundelse').fill('Revisionen bad om længere historik');
  await page.getByRole('dialog').getByRole('button', { name: 'Gem politik' }).click();
  await expect(page.getByTestId('ad-mirror')).toContainText('Skrevet til AD');
  await expect(page.getByTestId('ad-in-sync')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/live-03-policy-in-ad.png` });

  // AD's own PSO now carries the new history length.
  const ldap = new Client({ url: process.env.LIVE_DC_URL ?? '', tlsOptions: { ca: readFileSync(process.env.LIVE_DC_CA ?? '') } });
  await ldap.bind(ADMIN_UPN, ADMIN_PASSWORD);
  const pso = await ldap.search(`CN=Password Settings Container,CN=System,${BASE_DN}`, { scope: 'one', filter: '(objectClass=msDS-PasswordSettings)', attributes: ['cn', 'msDS-PasswordHistoryLength', 'msDS-PSOAppliesTo'] });
  await ldap.unbind();
  const ours = pso.searchEntries.find((e) => String(e.cn).startsWith('LIA-'));
  expect(ours?.['msDS-PasswordHistoryLength']).toBe('17');
  expect(String(ours?.['msDS-PSOAppliesTo'])).toContain(ROLE_GROUPS.auditor);

  // A member of that group now shows the PSO as their resultant policy on their page.
  await page.getByRole('navigation').getByRole('link', { name: 'Personer' }).click();
  await page.getByTestId('people-search').fill(OPERATORS.auditor);
  await page.getByTestId('person-row').filter({ hasText: OPERATORS.auditor }).first().click();
  await expect(page.getByTestId('ad-policy')).toContainText('husker 17');
});
