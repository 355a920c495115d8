import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import axe, { type AxeResults } from 'axe-core';
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

/**
 * axe-core's full rule set over the whole document, as AxeBuilder runs it. AxeBuilder sends and compiles
 * axe's 0.5 MB source again and opens a fresh page to merge the results on every call (seconds each); the
 * console is one document whose screens are hash routes, so axe goes in once and runs in place.
 */
export async function axeScan(page: Page): Promise<AxeResults> {
  // axe.run reaches into an iframe only where axe was put in too: with one, AxeBuilder does it all.
  if (page.frames().length > 1) return new AxeBuilder({ page }).analyze();
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  // Only violations are read: passes and the rest are reported with one node each, not thousands.
  return page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
}
