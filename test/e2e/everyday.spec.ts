import { expect, test, type Page } from '@playwright/test';
import { openConsole, SHOTS, signIn } from './support.ts';

// Everyday use on the screen most municipal laptops have: 1366×768.
test.use({ viewport: { width: 1366, height: 768 } });

/** Rows wholly inside the table's visible area (below its sticky header). */
async function visibleRows(page: Page): Promise<number> {
  return page.getByTestId('people-table').evaluate((el) => {
    const box = el.getBoundingClientRect();
    const head = el.querySelector('thead')?.getBoundingClientRect().bottom ?? box.top;
    const bottom = Math.min(box.bottom, window.innerHeight);
    return [...el.querySelectorAll('tr[data-testid="person-row"]')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= head - 1 && b.bottom <= bottom + 1;
    }).length;
  });
}

test.setTimeout(180_000);

test('the people list fits 1366×768: 15+ people, no sideways scrolling, compact filters', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'helpdesk');
  await expect(page.getByTestId('freshness-idp')).toContainText('hentet', { timeout: 90_000 });
  await expect(page.getByTestId('freshness-mitid')).toContainText('hentet', { timeout: 90_000 });
  await expect(page.getByTestId('person-row').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/everyday-01-list-1366.png` });
  expect(await visibleRows(page)).toBeGreaterThanOrEqual(15);
  // The default columns fit: the table does not scroll sideways, nor does the page.
  const table = page.getByTestId('people-table');
  expect(await table.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

  // A chip filters at once; the rest live behind "Flere filtre".
  const count = await page.getByTestId('people-count').innerText();
  await page.getByTestId('people-filters').getByText('Låst', { exact: true }).click();
  await expect(page.getByTestId('people-count')).not.toHaveText(count);
  await expect(page.getByTestId('person-row').first()).toContainText('Låst');
  await page.getByTestId('more-filters').click();
  await expect(page.getByRole('combobox', { name: 'AD-konto låst' })).toHaveValue('Ja');
  await page.screenshot({ path: `${SHOTS}/everyday-02-more-filters.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('more-filters-panel')).toBeHidden();
  await expect(page.getByTestId('more-filters')).toBeFocused();

  // With every column chosen the table scrolls sideways, and the name column stays put.
  await page.getByTestId('people-filters').getByText('Låst', { exact: true }).click();
  await page.getByRole('button', { name: 'Kolonner' }).click();
  for (const name of ['E-mail', 'Lokalt loginmiddel', 'Adgangskode udløber']) await page.getByRole('checkbox', { name }).check();
  await page.keyboard.press('Escape');
  await table.evaluate((el) => el.scrollTo({ left: 400 }));
  const nameCell = page.getByTestId('person-row').first().locator('td').first();
  const box = await nameCell.boundingBox();
  const tableBox = await table.boundingBox();
  expect(Math.abs((box?.x ?? 0) - (tableBox?.x ?? 0))).toBeLessThan(4);
  await page.screenshot({ path: `${SHOTS}/everyday-03-sticky-name.png` });
});

/** Opens the row's person page and checks that it says the same states as the row. */
async function agrees(page: Page, row: ReturnType<Page['getByTestId']>): Promise<string> {
  const states = (await row.getAttribute('data-states')) ?? '';
  await row.click();
  const drawer = page.getByRole('dialog').first();
  await expect(drawer.getByTestId('person-states')).toHaveAttribute('data-states', states, { timeout: 20_000 });
  // The page's own panels show the same words.
  await expect(drawer.getByTestId('panel-ad').getByTestId('state-account')).toHaveAttribute('data-state', states.split(' ')[0]!);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  // Focus returns to the row that opened the page.
  await expect(row).toBeFocused();
  return states;
}

test('the list and the person page agree on states: locked, expired, suspended, waiting for the person', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'brugeradmin');
  await expect(page.getByTestId('freshness-idp')).toContainText('hentet', { timeout: 90_000 });
  await expect(page.getByTestId('freshness-mitid')).toContainText('hentet', { timeout: 90_000 });
  const rows = page.getByTestId('person-row');

  // Someone whose signing waits for the person (the list used to say "Må signere").
  await page.getByTestId('more-filters').click();
  await page.getByRole('combobox', { name: 'Må signere' }).click();
  await page.getByRole('option', { name: 'Ja', exact: true }).click();
  await page.keyboard.press('Escape');
  const waiting = rows.and(page.locator('[data-states$="waiting-for-person"]')).first();
  await expect(waiting).toBeVisible();
  expect(await agrees(page, waiting)).toMatch(/waiting-for-person$/);
  await page.getByRole('button', { name: 'Nulstil filtre' }).click();

  // Locked.
  await page.getByTestId('people-filters').getByText('Låst', { exact: true }).click();
  expect(await agrees(page, rows.first())).toMatch(/^locked /);
  await page.getByTestId('people-filters').getByText('Låst', { exact: true }).click();

  // An account past its end date is "Udløbet", never "Aktiv".
  await page.getByRole('combobox', { name: 'Enhed' }).fill('Eksterne');
  await page.getByRole('option', { name: /Eksterne konsulenter/ }).first().click();
  const expired = rows.and(page.locator('[data-states^="expired "]')).first();
  await expect(expired).toContainText('Udløbet');
  await expect(expired.getByTestId('state-account')).not.toContainText('Aktiv');
  expect(await agrees(page, expired)).toMatch(/^expired /);
  await page.screenshot({ path: `${SHOTS}/everyday-04-expired.png` });
  await page.getByRole('button', { name: 'Nulstil filtre' }).click();

  // A suspended identity.
  await page.getByTestId('more-filters').click();
  await page.getByRole('combobox', { name: 'MitID Erhverv' }).click();
  await page.getByRole('option', { name: 'Suspenderet' }).click();
  await page.keyboard.press('Escape');
  const suspended = rows.and(page.locator('[data-states*=" suspended "]')).first();
  expect(await agrees(page, suspended)).toMatch(/ suspended /);
  // No signing upgrade is offered as possible for it: the button says why it cannot.
  await suspended.click();
  const drawer = page.getByRole('dialog').first();
  const upgrade = drawer.getByRole('button', { name: 'Opgradér til kvalificeret signatur' });
  if (await upgrade.count()) {
    await expect(upgrade).toBeDisabled();
    await expect(drawer.getByTestId('action-blocked').first()).toContainText('suspenderet');
  }
  await page.screenshot({ path: `${SHOTS}/everyday-05-suspended-page.png` });
});

test('focus returns to the control that opened each dialog', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'helpdesk');
  await page.getByTestId('people-filters').getByText('Låst', { exact: true }).click();
  const row = page.getByTestId('person-row').first();
  await expect(row).toContainText('Låst');
  await row.click();
  const drawer = page.getByRole('dialog').first();
  await expect(drawer.getByTestId('panel-ad')).toBeVisible();

  const reset = drawer.getByRole('button', { name: 'Nulstil adgangskode' });
  await reset.click();
  const resetDialog = page.getByRole('dialog', { name: /^Nulstil adgangskode:/ });
  await expect(resetDialog).toBeVisible();
  await resetDialog.getByRole('button', { name: 'Annullér' }).click();
  await expect(resetDialog).toBeHidden();
  await expect(reset).toBeFocused();

  const unlock = drawer.getByRole('button', { name: 'Lås op', exact: true });
  await unlock.click();
  const unlockDialog = page.getByRole('dialog', { name: /^Lås op:/ });
  await expect(unlockDialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(unlockDialog).toBeHidden();
  await expect(unlock).toBeFocused();

  // Done, the button is gone: focus lands on the result, next to where the operator acted.
  await unlock.click();
  await unlockDialog.getByLabel('Begrundelse').fill('Ringede selv ind, identitet bekræftet');
  await unlockDialog.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByTestId('person-outcome')).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/everyday-06-outcome-focus.png` });
});

test('the drift view lists those whose identity cannot be created as their own category, with what to fix in AD', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'brugeradmin');
  await page.getByTestId('people-tabs').getByText('Afvigelser').click();
  const card = page.getByTestId('drift-identity-blocked');
  // The count arrives once MitID Erhverv has been read whole.
  await expect(card.locator('p').first()).not.toHaveText(/^(…|0)$/, { timeout: 90_000 });
  await card.click();
  await expect(page.getByTestId('drift-blocked-hint')).toContainText('Ret det, rækken nævner, i AD');
  const row = page.getByTestId('drift-row').first();
  await expect(row.getByTestId('drift-why')).toHaveText(/Ingen e-mailadresse i AD|Mangler for- eller efternavn i AD/);
  // No fix is offered here, one by one or as a job: the create would be refused.
  await expect(row.getByRole('button', { name: /Opret|Tilknyt/ })).toHaveCount(0);
  await expect(page.getByTestId('drift-bulk')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/everyday-05-drift-blocked.png` });
  // The person page says the same, and the assign button is disabled with that reason.
  const why = (await row.getByTestId('drift-why').innerText()).trim();
  const name = (await row.locator('td').first().innerText()).trim();
  await row.getByRole('button', { name }).click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer.getByTestId('panel-mitid')).toBeVisible({ timeout: 30_000 });
  await expect(drawer.getByTestId('panel-mitid')).toContainText(why);
});
