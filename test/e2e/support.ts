import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const token = (): string => process.env.CONSOLE_TOKEN ?? '';
export const SHOTS = 'artifacts/screenshots';
mkdirSync(SHOTS, { recursive: true });

export async function openConsole(page: Page): Promise<void> {
  await page.goto(`/#token=${token()}`);
}

export async function signIn(page: Page, username: string, password = 'Traening-2026'): Promise<void> {
  await page.getByLabel('Brugernavn', { exact: true }).fill(username);
  await page.getByLabel('Adgangskode', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByTestId('operator').waitFor();
}

/**
 * Clicks a button that opens a modal, and clicks again if the modal did not come (a click can land
 * while the drawer behind it is still re-rendering with fresh data).
 */
export async function openModal(button: Locator, modal: Locator): Promise<void> {
  await expect(async () => {
    if (!(await modal.isVisible())) await button.click({ timeout: 5000 });
    await expect(modal).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 20_000 });
}
