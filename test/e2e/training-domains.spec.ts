import { expect, test, type APIRequestContext } from '@playwright/test';
import { axeScan, openConsole, openModal, SHOTS, signIn, token } from './support.ts';

// The training municipality's second domain (#19): the schools' own forest, signed in to from its
// operator card on the sign-in page. A school operator's list is the schools' people only.

/** Every row of an operator's list, through the web host's API (a session of its own). */
async function listOf(request: APIRequestContext, username: string) {
  const headers = { Authorization: `Bearer ${token()}` };
  const login = await request.post('/api/op/session.login', { headers: { ...headers, 'X-Console-Session': 'ny' }, data: { username, password: 'Traening-2026' } });
  expect(login.ok()).toBe(true);
  const session = { ...headers, 'X-Console-Session': login.headers()['x-console-session'] ?? '' };
  type Page = { ok: boolean; data: { rows: Array<{ username: string; ouPath: string }>; total: number } };
  const page = async (offset: number): Promise<Page['data']> => ((await (await request.post('/api/op/people.list', { headers: session, data: { offset, limit: 500 } })).json()) as Page).data;
  const first = await page(0);
  const rows = [...first.rows];
  while (rows.length < first.total) rows.push(...(await page(rows.length)).rows);
  return rows;
}

test('a school helpdesk signs in from the schools’ card and sees the schools’ people only', async ({ page, request }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openConsole(page);
  const cards = page.getByTestId('training-operators');
  // The municipality's operators as before, and the schools' with their UPN suffix.
  await expect(cards).toContainText('helpdesk.skole');
  await expect(cards).toContainText('skoleadmin@skoler.fjordby.dk');
  await cards.getByRole('button', { name: 'Skolernes helpdesk' }).click();
  await expect(page.getByLabel('Brugernavn', { exact: true })).toHaveValue('skolehelpdesk@skoler.fjordby.dk');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page.getByTestId('operator')).toContainText('Fjordby Skoler');
  await expect(page.getByTestId('operator')).toContainText('Helpdesk');

  // The list says whose people these are, and holds the schools' OUs only.
  await expect(page.getByTestId('people-scope')).toContainText('Du ser kun personer i domænet Fjordby Skoler.');
  await expect(page.getByTestId('freshness-mitid')).toContainText('hentet', { timeout: 30_000 });
  await expect(page.getByTestId('freshness-idp')).toContainText('hentet', { timeout: 30_000 });
  const rows = page.getByTestId('person-row');
  await expect(rows.first()).toBeVisible();
  const shown = await rows.allInnerTexts();
  expect(shown.length).toBeGreaterThan(5);
  // A municipality-only OU never appears; a pupil of the schools does.
  expect(shown.some((r) => /Borgerservice|Sundhed og Omsorg|Teknik og Miljø|Skoler \/ Elever/.test(r))).toBe(false);
  await page.getByTestId('people-search').fill('elev');
  await expect(rows.first()).toContainText('Elever');
  await page.getByTestId('people-search').fill('');
  await expect(rows.first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/training-school-list.png` });

  // Behind the screen: every row is one of the schools' OUs; the municipality's helpdesk has none of them.
  const school = await listOf(request, 'skolehelpdesk@skoler.fjordby.dk');
  expect(school.length).toBeGreaterThan(300);
  expect(school.every((r) => ['Medarbejdere', 'Elever', 'Fratrådte', 'IT'].includes(r.ouPath))).toBe(true);
  const town = await listOf(request, 'helpdesk');
  expect(town.length).toBeGreaterThan(2_000);
  expect(town.some((r) => ['Medarbejdere', 'Elever'].includes(r.ouPath))).toBe(false);
});

test('the schools’ administrator opens Politikker on the schools’ own policy; the municipality’s reads as the municipality’s', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openConsole(page);
  await page.getByTestId('training-operators').getByRole('button', { name: 'Skolernes administrator' }).click();
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page.getByTestId('operator')).toContainText('Fjordby Skoler');
  await page.getByRole('navigation').getByRole('link', { name: 'Politikker' }).click();
  // Their own domain's policy first, editable.
  await expect(page.getByTestId('policy-domain')).toHaveValue(/^Fjordby Skoler/);
  await expect(page.getByTestId('policy-read-only')).toHaveCount(0);
  // The municipality's policy: shown, not offered for a change, and the screen says whose it is.
  await page.getByTestId('policy-domain').click();
  await page.getByRole('option', { name: /^fjordby\.kommune\.test/ }).click();
  await expect(page.getByTestId('policy-read-only')).toContainText('Politikken hører til domænet Fjordby Kommune. Du er logget ind i Fjordby Skoler');
  await page.screenshot({ path: `${SHOTS}/training-school-policies.png` });
});

test('the municipality’s administrator also signs in to the schools: one list, a domain column, each domain’s own count', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openConsole(page);
  await signIn(page, 'admin');
  await expect(page.getByTestId('people-domain-counts')).toHaveCount(0);
  await openModal(page.getByTestId('add-domain'), page.getByRole('dialog'));
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Fjordby Skoler (@skoler.fjordby.dk)');
  await dialog.getByLabel('Brugernavn', { exact: true }).fill('skolehelpdesk@skoler.fjordby.dk');
  await dialog.getByLabel('Adgangskode', { exact: true }).fill('Traening-2026');
  await dialog.getByRole('button', { name: 'Log ind i domænet' }).click();
  // The sign-in answers behind the list's first full read of both simulators (seconds on a busy machine).
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  // The header names both domains; the offer to add one is gone (none left).
  await expect(page.getByTestId('operator')).toContainText('Administrator · Fjordby Kommune + Helpdesk · Fjordby Skoler');
  await expect(page.getByTestId('add-domain')).toHaveCount(0);

  // Each domain's count, the domain column, and a filter that narrows to one.
  const counts = page.getByTestId('people-domain-counts');
  await expect(counts).toContainText(/Fjordby Kommune [\d.]+ · Fjordby Skoler [\d.]+/, { timeout: 30_000 });
  const [town, school] = [...((await counts.innerText()).matchAll(/(Fjordby \w+) ([\d.]+)/g))].map((m) => Number(m[2]!.replace(/\./g, '')));
  expect(town).toBeGreaterThan(2_000);
  expect(school).toBeGreaterThan(300);
  await expect(page.getByRole('columnheader', { name: 'Domæne' })).toBeVisible();
  await expect(page.getByTestId('person-row').first()).toContainText('Fjordby Kommune');
  await page.screenshot({ path: `${SHOTS}/training-two-domains-list.png` });
  expect((await axeScan(page)).violations.map((v) => v.id)).toEqual([]);

  await page.getByTestId('people-domain-filter').click();
  await page.getByRole('option', { name: /^Fjordby Skoler/ }).click();
  await expect(page.getByTestId('people-count')).toContainText(school!.toLocaleString('da-DK'));
  await expect(page.getByTestId('person-row').first()).toContainText('Fjordby Skoler');
});

test('the schools’ administrator finds the console-wide settings disabled, as main refuses them', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openConsole(page);
  await page.getByTestId('training-operators').getByRole('button', { name: 'Skolernes administrator' }).click();
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Indstillinger' }).click();
  await expect(page.getByTestId('own-domain-note')).toContainText('Fjordby Skoler');
  // The console-wide fields: disabled; no domain added (the training's domains are its own, not in the settings).
  await expect(page.getByLabel('Mappe til revisionspakker')).toBeDisabled();
  await expect(page.getByRole('radio', { name: 'Rigtige systemer' })).toBeDisabled();
  await expect(page.getByTestId('domain-add')).toHaveCount(0);
  expect((await axeScan(page)).violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/training-school-settings.png` });
});
