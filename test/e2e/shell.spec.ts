import { expect, test } from '@playwright/test';
import { openConsole, openModal, SHOTS, signIn, token } from './support.ts';

test('a helpdesk operator signs in to the Danish shell with the training banner', async ({ page }) => {
  await openConsole(page);
  // The token left the address bar as soon as the renderer kept it.
  await expect(page).not.toHaveURL(/token=/);
  await expect(page.getByTestId('training-operators')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/01-sign-in.png`, fullPage: true });

  await signIn(page, 'helpdesk');
  await expect(page.getByTestId('training-banner')).toContainText('Træningsmiljø');
  await expect(page.getByTestId('operator')).toContainText('Helpdesk');
  // The menu shows what a helpdesk operator may use; main refuses the rest anyway.
  for (const item of ['Personer', 'Politikker']) {
    await expect(page.getByRole('navigation').getByRole('link', { name: item })).toBeVisible();
  }
  for (const item of ['Masseopgaver', 'Revision', 'Indstillinger']) {
    await expect(page.getByRole('navigation').getByRole('link', { name: item })).toHaveCount(0);
  }
  await expect(page.getByTestId('status-ad')).toContainText('Forbundet');
  await expect(page.getByTestId('person-row').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/02-people.png` });
});

test('search by part of an æøå name, then unlock with a reason', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'helpdesk');
  const search = page.getByTestId('people-search');
  await search.fill('sør');
  await expect(page.getByTestId('person-row').first()).toContainText(/Sør/i);

  // Find a locked person through the list and unlock them.
  await search.fill('');
  // Only the locked: the earlier specs unlock the first ones in name order.
  await page.getByTestId('people-filters').getByText('Låst', { exact: true }).click();
  const lockedRow = page.getByTestId('person-row').filter({ hasText: 'Låst' }).first();
  await expect(lockedRow).toBeVisible();
  const name = (await lockedRow.locator('td').first().innerText()).trim();
  await lockedRow.click();
  const drawer = page.getByRole('dialog', { name });
  const modal = page.getByRole('dialog', { name: `Lås op: ${name}` });
  await openModal(drawer.getByRole('button', { name: 'Lås op' }), modal);
  await modal.getByRole('button', { name: 'Udfør' }).click();
  // Without a reason the dispatcher refuses and the field says why.
  await expect(modal.getByText('Angiv en begrundelse på mindst 5 tegn')).toBeVisible();
  await modal.getByLabel('Begrundelse').fill('Ringede selv ind, identitet bekræftet');
  await page.screenshot({ path: `${SHOTS}/03-unlock-reason.png` });
  await modal.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByText('Kontoen er låst op.')).toBeVisible();
  await expect(drawer.getByRole('button', { name: 'Lås op' })).toHaveCount(0);
});

test('English is one click away, and keyboard navigation reaches the menu', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'revisor');
  await page.getByText('English').click();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Audit' })).toBeVisible();
  await expect(page.getByTestId('operator')).toContainText('Auditor');
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByText('only an administrator can change them')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/04-settings-auditor-en.png`, fullPage: true });
});

test('an auditor sees no unlock button, and the web host refuses the direct call', async ({ page, request }) => {
  await openConsole(page);
  await signIn(page, 'revisor');
  // An auditor lands on Revision; the people list is one click away.
  await page.getByRole('navigation').getByRole('link', { name: 'Personer' }).click();
  // Earlier tests unlock people: ask the list for the locked ones rather than hoping one is in view.
  await page.getByTestId('people-filters').getByText('Låst', { exact: true }).click();
  const locked = page.getByTestId('person-row').filter({ hasText: 'Låst' }).first();
  await locked.click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Lås op' })).toHaveCount(0);

  const headers = { Authorization: `Bearer ${token()}` };
  const login = await request.post('/api/op/session.login', { headers, data: { username: 'revisor', password: 'Traening-2026' } });
  const session = login.headers()['x-console-session'] ?? '';
  const people = await request.post('/api/op/people.search', { headers: { ...headers, 'X-Console-Session': session }, data: { text: '', limit: 1 } });
  const personId = (await people.json()).data.items[0].id as string;
  const res = await request.post('/api/op/people.unlockAccount', {
    headers: { ...headers, 'X-Console-Session': session },
    data: { personId, reason: 'Forsøg fra revisor' },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('forbidden');
});

test('an administrator tests connections and gets field errors in Danish', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'admin');
  await page.getByRole('navigation').getByRole('link', { name: 'Indstillinger' }).click();
  await page.getByTestId('test-ad').click();
  await expect(page.getByRole('status').filter({ hasText: 'Forbindelsen virker' })).toBeVisible();
  // The training environment has no configured domain: the administrator adds one.
  await expect(page.getByTestId('domains-none')).toBeVisible();
  await page.getByRole('button', { name: 'Tilføj domæne' }).click();
  await expect(page.getByLabel('Navn', { exact: true })).toBeFocused();
  await page.keyboard.type('Skolerne');
  await expect(page.getByTestId('domain-id')).toHaveValue('skolerne');
  await page.getByLabel('Domænecontrollere (én pr. linje)').fill('http://dc1.kommune.dk');
  await page.getByLabel('Søgebase (base DN)').fill('DC=kommune,DC=dk');
  await page.getByRole('button', { name: 'Gem', exact: true }).click();
  await expect(page.getByText('Skal være en ldaps:// eller ldap:// adresse', { exact: true })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Ret de markerede felter.' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/05-settings-admin.png` });
});
