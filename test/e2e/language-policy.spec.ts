// A workstation whose machine policy fixes the console language (`Language: "en"`): the console opens in
// English even though this browser saved Danish, the header's switch is locked and says why, and a
// click on "Dansk" changes nothing. Its own host with the policy, in the training environment (no DC).
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startPolicyHost, type LiveHost } from './live/host.ts';
import { SHOTS } from './support.ts';

const token = randomBytes(24).toString('base64url');
let host: LiveHost;
let dispose: () => Promise<void>;

test.beforeAll(async () => {
  ({ host, dispose } = await startPolicyHost({ Environment: 'training', Language: 'en' }, token));
});

test.afterAll(async () => dispose?.());

test('the machine policy fixes the language: English at once, the switch locked with the reason', async ({ page }) => {
  // This workstation's browser had chosen Danish; the policy wins.
  await page.addInitScript(() => localStorage.setItem('lia.language', 'da'));
  await page.goto(`${host.url}#token=${token}`);
  await page.getByLabel('Username', { exact: true }).fill('helpdesk');
  await page.getByLabel('Password', { exact: true }).fill('Traening-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('operator').waitFor();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'People' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  const group = page.getByRole('radiogroup', { name: 'Language – set by IT (machine policy)' });
  await expect(group).toBeVisible();
  await expect(group.getByRole('radio', { name: 'Dansk' })).toBeDisabled();
  await expect(group.getByRole('radio', { name: 'English' })).toBeChecked();
  await page.getByTestId('language-locked').hover();
  await expect(page.getByRole('tooltip')).toHaveText('Language – set by IT (machine policy)');
  await page.screenshot({ path: `${SHOTS}/language-locked-by-policy.png` });

  // A click on the locked choice changes nothing.
  await page.getByText('Dansk', { exact: true }).click({ force: true });
  await expect(page.getByRole('navigation').getByRole('link', { name: 'People' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
