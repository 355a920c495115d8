// What the live-mode e2e tests share: the test DC's LDAP client, signing in through the UI and through
// the web host's API, and opening a person from the list. `base` is a web host of the test's own
// (ending in "/"); by default the one the global setup started.
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { Client } from 'ldapts';
import { readFileSync } from 'node:fs';
import { SEED_PASSWORD } from '../../support/samba/seed-facts.ts';

/** An LDAPS client to the live stack's Samba DC, trusting its test CA. */
export const dcClient = (timeout?: number): Client =>
  new Client({ url: process.env.LIVE_DC_URL ?? '', tlsOptions: { ca: readFileSync(process.env.LIVE_DC_CA ?? '') }, ...(timeout ? { timeout } : {}) });

/** An LDAPS client to the schools' DC (the second domain), trusting its test CA. */
export const schoolDcClient = (): Client => new Client({ url: process.env.LIVE_SCHOOL_DC_URL ?? '', tlsOptions: { ca: readFileSync(process.env.LIVE_SCHOOL_DC_CA ?? '') } });

export async function signIn(page: Page, username: string, base = '/', password = SEED_PASSWORD): Promise<void> {
  await page.goto(`${base}#token=${process.env.LIVE_TOKEN}`);
  await page.getByLabel('Brugernavn', { exact: true }).fill(username);
  await page.getByLabel('Adgangskode', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByTestId('operator').waitFor();
}

/** Headers of a signed-in API session, as the renderer would send them. */
export async function apiSession(request: APIRequestContext, username: string, base = '/', password = SEED_PASSWORD): Promise<Record<string, string>> {
  const headers = { Authorization: `Bearer ${process.env.LIVE_TOKEN}` };
  // A session of its own (an unknown session id gets a new one), never the one the cookie of an earlier
  // login in this request context points at.
  const login = await request.post(`${base}api/op/session.login`, { headers: { ...headers, 'X-Console-Session': 'ny' }, data: { username, password } });
  if (login.status() !== 200) throw new Error(`${username} kunne ikke logge ind: ${login.status()}`);
  return { ...headers, 'X-Console-Session': login.headers()['x-console-session'] ?? '' };
}

/** Search the people list for `text` and open the person named `cn` (a row that also shows `text`). */
export async function openPerson(page: Page, text: string, cn: string): Promise<Locator> {
  await page.getByTestId('people-search').fill(text);
  await page.getByTestId('person-row').filter({ hasText: text }).first().click();
  return page.getByRole('dialog', { name: cn });
}
