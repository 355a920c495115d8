import type { Page } from '@playwright/test';
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
