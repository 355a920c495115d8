import { expect, test } from '@playwright/test';
import { openConsole, SHOTS, signIn } from './support.ts';

// In the training environment the leaked-password check is served by the local k-anonymity range
// simulator: a known leaked password is refused and a fresh one passes — never "kan ikke nås".

test('the password tester in training refuses a leaked password and passes a fresh one', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'admin');
  await page.getByRole('navigation').getByRole('link', { name: 'Politikker' }).click();
  const tester = page.getByTestId('tester-password');
  await tester.fill('Velkommen123');
  await tester.press('Enter');
  await expect(page.getByTestId('tester-result')).toContainText('Adgangskoden er kendt fra datalæk');
  await expect(page.getByTestId('tester-result')).not.toContainText('kan ikke nås');
  await page.getByTestId('tester-result').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/leaked-training.png` });
  await tester.fill('Blå-Hvalros-Cykler-Over-Fjorden-7');
  await tester.press('Enter');
  await expect(page.getByTestId('tester-result')).toContainText('Adgangskoden findes ikke i kendte datalæk.');
  await expect(page.getByTestId('tester-result')).not.toContainText('kan ikke nås');
});
