import { expect, test } from '@playwright/test';
import { openConsole, openModal, SHOTS, signIn } from './support.ts';

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

test('an auditor reviews the merged timeline, verifies the chain and exports an evidence package', async ({ page }) => {
  // Something to review: a helpdesk unlock with a reason.
  await openConsole(page);
  await signIn(page, 'helpdesk');
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Revision' })).toHaveCount(0);
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
  await expect(page.getByTestId('audit-row')).toHaveCount(2); // intent and outcome
  await expect(page.getByTestId('audit-row').first()).toContainText('AD-konto låst op');
  await page.getByTestId('audit-row').first().click();
  await expect(page.getByRole('dialog')).toContainText('Glemt kode efter ferie');
  await page.getByRole('button', { name: 'Samme korrelations-id' }).click();
  await expect(page.getByTestId('audit-row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Nulstil filtre' }).click();

  await page.getByTestId('verify-journal').click();
  await expect(page.getByTestId('verify-result')).toContainText('Kæden er intakt');
  await page.screenshot({ path: `${SHOTS}/06-revision.png` });

  // Today as the period, typed the way a Dane writes dates; then export.
  const [y, m, d] = today().split('-');
  await page.getByTestId('period-from').fill(`${d}-${m}-${y}`);
  await page.getByTestId('period-to').fill(`${d}.${m}.${y}`);
  await page.getByTestId('period-to').press('Tab');
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-done')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Kontrollér', exact: true }).click();
  await expect(page.getByTestId('package-ok')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/07-evidence.png`, fullPage: false });
});
