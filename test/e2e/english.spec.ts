import { expect, test } from '@playwright/test';
import { openConsole, openModal, SHOTS, signIn } from './support.ts';

// Main refuses in Danish ({ code, message }); in English mode the renderer shows the code's English text
// (app/errors.ts), never main's Danish message. Danish mode keeps main's own text (shell.spec.ts).

test('a refused unlock in English mode says why in English', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'helpdesk');
  await page.getByText('English').click();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'People' })).toBeVisible();

  // The AD state "Locked": a regular expression is case-sensitive, a string filter would also match "Blocked".
  const lockedRow = page.getByTestId('person-row').filter({ hasText: /Locked/ }).first();
  await expect(lockedRow).toBeVisible();
  const name = (await lockedRow.locator('td').first().innerText()).trim();
  await lockedRow.click();
  const drawer = page.getByRole('dialog', { name });
  const modal = page.getByRole('dialog', { name: `Unlock: ${name}` });
  await openModal(drawer.getByRole('button', { name: 'Unlock' }), modal);
  // Without a reason main refuses (validation, with the field named); the field says so in English.
  await modal.getByRole('button', { name: 'Do it' }).click();
  await expect(modal.getByText('Give a reason (at least a few words) – it is kept in the audit trail.')).toBeVisible();
  await expect(modal.getByText('Angiv en begrundelse', { exact: false })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/english-refused-unlock.png` });

  // Left locked: the other specs share the training municipality and unlock its locked people themselves.
  await modal.getByRole('button', { name: 'Cancel' }).click();
  await expect(modal).toHaveCount(0);
  await expect(drawer.getByRole('button', { name: 'Unlock' })).toBeVisible();
});

test('a refused sign-in in English mode says why in English', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'revisor');
  await page.getByText('English').click();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The language stays chosen on this workstation; main refuses the wrong password in Danish.
  await page.getByLabel('Username', { exact: true }).fill('revisor');
  await page.getByLabel('Password', { exact: true }).fill('forkert-kode');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('You are not signed in, or the sign-in was refused');
  await expect(alert).not.toContainText('Forkert');
});
