// A role mapping per AD domain (#19) in Indstillinger: the first domain edits the console's shared role
// groups and says so; a second domain has its own, empty until an administrator fills it, and says that
// only its own accounts and groups count. Filled by keyboard, saved, read back after a reload, in Danish
// and English, with no serious axe finding. Both domains are removed at the end (the training host's
// settings are shared by the specs).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openConsole, SHOTS, signIn } from './support.ts';

test.use({ viewport: { width: 1366, height: 768 } });

async function addDomain(page: Page, name: string, baseDn: string, upn: string) {
  await page.getByRole('button', { name: 'Tilføj domæne' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Navn', { exact: true })).toBeFocused();
  await page.keyboard.type(name);
  await page.getByLabel('Domænecontrollere (én pr. linje)').fill(`ldaps://127.0.0.1:1`);
  await page.getByLabel('Søgebase (base DN)').fill(baseDn);
  await page.getByLabel('UPN-suffiks for brugernavne uden domæne').fill(upn);
}

const save = async (page: Page) => {
  await page.getByRole('button', { name: 'Gem', exact: true }).click();
  await expect(page.getByText('Indstillingerne er gemt.')).toBeVisible({ timeout: 30_000 });
};

test('each domain\'s role groups are edited in its own editor, by keyboard, in Danish and English', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'admin');
  await page.getByRole('navigation').getByRole('link', { name: 'Indstillinger' }).click();

  await addDomain(page, 'Kommunen', 'DC=kommune,DC=test', 'kommune.test');
  await expect(page.getByRole('group', { name: 'Roller fra AD-grupper i Kommunen' })).toBeVisible();
  await expect(page.getByTestId('role-mapping-note')).toContainText('Det første domæne bruger konsollens fælles rollegrupper');
  await page.getByLabel('Administrator', { exact: true }).focus();
  await page.keyboard.type('LIA-Administratorer');

  await addDomain(page, 'Skolerne', 'DC=skole,DC=test', 'skole.test');
  await expect(page.getByRole('group', { name: 'Roller fra AD-grupper i Skolerne' })).toBeVisible();
  await expect(page.getByTestId('role-mapping-note')).toContainText('Uden grupper giver domænet ingen roller.');
  // The second domain starts empty: the shared groups are the first domain's alone.
  await expect(page.getByLabel('Administrator', { exact: true })).toHaveValue('');
  await page.getByLabel('Helpdesk', { exact: true }).focus();
  await page.keyboard.type('LIA-Helpdesk');
  // Tab leaves the helpdesk field for the next one: the role fields are in reading order.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Revisor', { exact: true })).toBeFocused();
  await save(page);

  await page.reload();
  await page.getByRole('button', { name: 'Redigér domænet Skolerne' }).click();
  await expect(page.getByLabel('Helpdesk', { exact: true })).toHaveValue('LIA-Helpdesk');
  await expect(page.getByLabel('Administrator', { exact: true })).toHaveValue('');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/indstillinger-rollegrupper-pr-domaene-1366.png`, fullPage: true });

  await page.getByRole('button', { name: 'Redigér domænet Kommunen' }).click();
  await expect(page.getByLabel('Administrator', { exact: true })).toHaveValue('LIA-Administratorer');
  await expect(page.getByLabel('Helpdesk', { exact: true })).toHaveValue('');

  await page.getByText('English').click();
  await expect(page.getByRole('group', { name: 'Roles from AD groups in Kommunen' })).toBeVisible();
  await expect(page.getByTestId('role-mapping-note')).toContainText("The first domain uses the console's shared role groups");
  await page.getByRole('button', { name: 'Edit the domain Skolerne' }).click();
  await expect(page.getByTestId('role-mapping-note')).toContainText('Without groups the domain grants no role.');
  await page.getByText('Dansk').click();

  // Leave the shared host as it was: no domains, no shared groups.
  await page.getByRole('button', { name: 'Redigér domænet Kommunen' }).click();
  await page.getByLabel('Administrator', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Fjern domænet Skolerne' }).click();
  await page.getByRole('button', { name: 'Fjern domænet Kommunen' }).click();
  await save(page);
  await page.reload();
  await expect(page.getByTestId('domains-none')).toBeVisible();
});
