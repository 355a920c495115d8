// A workstation IT manages: a machine policy pins the environment, the AD connection, the IdP address and
// the auditors' group. Indstillinger shows those fields locked with the reason (as the field's accessible
// description), leaves the rest editable, and main refuses a change to a locked field even when the page is
// bypassed. Runs in the training environment (the policy chooses it), so it needs no DC.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startPolicyHost, type LiveHost } from './live/host.ts';
import { SHOTS } from './support.ts';

const token = randomBytes(24).toString('base64url');
let host: LiveHost;
let dispose: () => Promise<void>;

test.beforeAll(async () => {
  ({ host, dispose } = await startPolicyHost(
    {
      Environment: 'training',
      AdDomainControllers: ['ldaps://dc1.fjordby.dk', 'ldaps://dc2.fjordby.dk'],
      AdBaseDn: 'DC=fjordby,DC=dk',
      IdpBaseUrl: 'https://idp.fjordby.dk',
      RoleAuditors: ['GG-Revision'],
      RetentionConsoleMonthsMin: 24,
    },
    token,
  ));
});

test.afterAll(async () => dispose?.());

async function apiAdmin(request: APIRequestContext): Promise<Record<string, string>> {
  const headers = { Authorization: `Bearer ${token}` };
  const login = await request.post(`${host.url}api/op/session.login`, { headers: { ...headers, 'X-Console-Session': 'ny' }, data: { username: 'admin', password: 'Traening-2026' } });
  expect(login.status()).toBe(200);
  return { ...headers, 'X-Console-Session': login.headers()['x-console-session'] ?? '' };
}

test('locked fields show as locked with the reason; the others stay editable', async ({ page }) => {
  await page.goto(`${host.url}#token=${token}`);
  await page.getByLabel('Brugernavn', { exact: true }).fill('admin');
  await page.getByLabel('Adgangskode', { exact: true }).fill('Traening-2026');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByTestId('operator').waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'Indstillinger' }).click();

  await expect(page.getByTestId('managed-note')).toContainText('styres af IT');
  const dcs = page.getByLabel('Domænecontrollere (én pr. linje)');
  await expect(dcs).toBeDisabled();
  await expect(dcs).toHaveValue('ldaps://dc1.fjordby.dk\nldaps://dc2.fjordby.dk');
  await expect(dcs).toHaveAccessibleDescription('Styres af IT (maskinpolitik: AdDomainControllers)');
  const baseDn = page.getByLabel('Søgebase (base DN)');
  await expect(baseDn).toBeDisabled();
  await expect(baseDn).toHaveAccessibleDescription('Styres af IT (maskinpolitik: AdBaseDn)');
  const auditors = page.getByLabel('Revisor', { exact: true });
  await expect(auditors).toBeDisabled();
  await expect(auditors).toHaveAccessibleDescription('Styres af IT (maskinpolitik: RoleAuditors)');
  await expect(page.getByLabel('Adresse (base-URL)')).toHaveAccessibleDescription('Styres af IT (maskinpolitik: IdpBaseUrl)');
  // The environment: the radio group is locked and says why.
  await expect(page.getByTestId('locked-mode')).toHaveText('Styres af IT (maskinpolitik: Environment)');
  await expect(page.getByRole('radio', { name: 'Rigtige systemer' })).toBeDisabled();

  // What the policy leaves open stays the administrator's.
  const upn = page.getByLabel('UPN-suffiks for brugernavne uden domæne');
  await expect(upn).toBeEnabled();
  await expect(page.getByLabel('Helpdesk', { exact: true })).toBeEnabled();
  await page.screenshot({ path: `${SHOTS}/indstillinger-styret-af-it.png`, fullPage: true });

  await upn.fill('fjordby.dk');
  await page.getByRole('button', { name: 'Gem', exact: true }).click();
  await expect(page.getByText('Indstillingerne er gemt.')).toBeVisible({ timeout: 30_000 });
  await page.reload();
  await expect(page.getByLabel('UPN-suffiks for brugernavne uden domæne')).toHaveValue('fjordby.dk');
  await expect(page.getByLabel('Søgebase (base DN)')).toHaveValue('DC=fjordby,DC=dk');
});

test('main refuses a change to a locked field when the page is bypassed, and a retention below IT\'s floor', async ({ request }) => {
  const headers = await apiAdmin(request);
  const view = (await (await request.post(`${host.url}api/op/settings.get`, { headers, data: {} })).json()) as {
    data: { settings: { domains: Array<{ urls: string[] }>; mode: string }; locked: Array<{ field: string; reason: string }> };
  };
  expect(view.data.locked.map((l) => l.field)).toEqual(['mode', 'domains.0.urls', 'domains.0.baseDn', 'idp.baseUrl', 'roleMapping.auditor', 'retention.consoleMonths']);
  const settings = view.data.settings;

  const changed = await request.post(`${host.url}api/op/settings.update`, {
    headers,
    data: { settings: { ...settings, domains: [{ ...settings.domains[0], urls: ['ldaps://falsk-dc.example'] }] } },
  });
  expect(changed.status()).toBe(403);
  expect(((await changed.json()) as { error: { message: string } }).error.message).toBe(
    'Indstillingerne blev ikke gemt: domains.0.urls styres af IT og kan ikke ændres her. Styres af IT (maskinpolitik: AdDomainControllers).',
  );
  const mode = await request.post(`${host.url}api/op/settings.update`, { headers, data: { settings: { ...settings, mode: 'live' } } });
  expect(mode.status()).toBe(403);

  const retention = await request.post(`${host.url}api/op/audit.setRetention`, { headers, data: { reason: 'Kortere opbevaring ønsket', settings: { consoleMonths: 12, idpLoginMonths: 3, idpOtherMonths: 13 } } });
  expect(retention.status()).toBe(403);
  const now = (await (await request.post(`${host.url}api/op/audit.getRetention`, { headers, data: {} })).json()) as { data: { settings: { consoleMonths: number } } };
  expect(now.data.settings.consoleMonths).toBe(24);
});
