import { expect, test } from '@playwright/test';
import { openConsole, openModal, SHOTS, signIn } from './support.ts';

test('an auditor reviews the merged timeline and verifies the chain', async ({ page }) => {
  // Two sign-ins, a write and a verify: more than a minute on a busy machine.
  test.setTimeout(150_000);
  // Something to review: a helpdesk unlock with a reason.
  await openConsole(page);
  await signIn(page, 'helpdesk');
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Revision' })).toHaveCount(0);
  // Only the locked: other specs unlock the first ones in name order.
  await page.getByTestId('people-filters').getByText('Låst', { exact: true }).click();
  const locked = page.getByTestId('person-row').filter({ hasText: 'Låst' }).first();
  await locked.click();
  await openModal(page.getByRole('button', { name: 'Lås op' }), page.getByRole('dialog', { name: /^Lås op:/ }));
  await page.getByLabel('Begrundelse').fill('Glemt kode efter ferie, ringede selv');
  await page.getByRole('button', { name: 'Udfør' }).click();
  await expect(page.getByText('Kontoen er låst op.')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Log ud' }).click();

  await signIn(page, 'revisor');
  await page.getByRole('navigation').getByRole('link', { name: 'Revision' }).click();
  await page.getByRole('button', { name: 'Hent nye fra IdP' }).click();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  // Free text finds the unlock by its reason.
  await page.getByTestId('audit-text').fill('ferie');
  // One row per action: the intent is folded into its outcome.
  await expect(page.getByTestId('audit-row')).toHaveCount(1);
  await expect(page.getByTestId('audit-row').first()).toContainText('AD-konto låst op');
  await expect(page.getByTestId('audit-row').first()).toContainText('Gennemført');
  await page.getByTestId('audit-row').first().click();
  await expect(page.getByRole('dialog')).toContainText('Glemt kode efter ferie');
  // Following the action's correlation id shows each of its records: intent and outcome.
  await page.getByRole('button', { name: 'Samme korrelations-id' }).click();
  await expect(page.getByTestId('audit-row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Nulstil filtre' }).click();

  await page.getByTestId('verify-journal').click();
  await expect(page.getByTestId('verify-result')).toContainText('Kæden er intakt');
  await page.screenshot({ path: `${SHOTS}/06-revision.png` });

  // The evidence package (own period, download, picked-package check): auditor-day.spec.ts.
});
