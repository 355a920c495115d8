import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openConsole, SHOTS, signIn } from './support.ts';

test('a user administrator dry-runs a bulk signing upgrade from a CSV, runs it and gets the result file', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'brugeradmin');
  await page.getByRole('navigation').getByRole('link', { name: 'Masseopgaver' }).click();
  await expect(page.getByRole('heading', { name: 'Masseopgaver', level: 1 })).toBeVisible();

  await page.getByRole('radio', { name: 'Opgradér til signering' }).check();
  await expect(page.getByText('validere med sit private MitID')).toBeVisible();
  await page.getByText('CSV-fil', { exact: true }).click();
  // Two people to upgrade, one who may already sign, and a name the directory does not know.
  const csv = '\uFEFFBrugernavn\r\nkirchr\r\nnieaag\r\nanntho\r\nfindes.ikke\r\n';
  await page.locator('input[type="file"]').setInputFiles({ name: 'teknik.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await expect(page.getByTestId('bulk-csv-parsed')).toHaveText('4 brugernavne');
  await page.getByTestId('bulk-plan').click();

  const summary = page.getByTestId('bulk-plan-summary');
  await expect(summary).toContainText('2 rækker udføres');
  await expect(summary).toContainText('Må allerede signere');
  await expect(summary).toContainText('Findes ikke i AD');
  await expect(page.getByTestId('bulk-state')).toHaveText('Prøvekørt');
  await expect(page.getByTestId('bulk-row')).toHaveCount(4);
  await page.screenshot({ path: `${SHOTS}/08-masseopgave-plan.png` });

  // A start without a reason is refused next to the field.
  await page.getByTestId('bulk-start').click();
  await expect(page.getByText('Angiv en begrundelse på mindst 5 tegn')).toBeVisible();
  await page.getByLabel('Begrundelse').fill('Teknik skal kunne signere byggesager');
  await page.getByTestId('bulk-start').click();
  await expect(page.getByTestId('bulk-state')).toHaveText('Færdig', { timeout: 30_000 });
  await expect(page.getByTestId('bulk-done')).toContainText('2 udført, 0 fejlet, 2 sprunget over');
  await expect(page.getByTestId('bulk-progress-text')).toHaveText('2 af 2 behandlet');
  await page.getByTestId('bulk-filter').getByText('Udført', { exact: true }).click();
  await expect(page.getByTestId('bulk-row')).toHaveCount(2);
  await expect(page.getByTestId('bulk-row').first()).toContainText('Signering tilladt');

  const download = page.waitForEvent('download');
  await page.getByTestId('bulk-download').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^masseopgave-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv$/);
  const text = readFileSync((await file.path()) ?? '', 'utf8');
  expect(text.startsWith('\uFEFFRække;Brugernavn;Navn;')).toBe(true);
  expect(text).toContain(';kirchr;Kirsten Christensen;Teknik og Miljø;Opgradér til signering;Tillad signering;;Udført;Signering tilladt;');
  await expect(page.getByTestId('bulk-file-path')).toContainText('.csv');
  await expect(page.getByTestId('bulk-history').getByRole('row').filter({ hasText: 'teknik.csv (4 brugernavne)' })).toContainText('Færdig');
  await page.screenshot({ path: `${SHOTS}/09-masseopgave-faerdig.png` });
});

test('the people picker plans for a selection, and a plan can be discarded with a reason', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'brugeradmin');
  await page.getByRole('navigation').getByRole('link', { name: 'Masseopgaver' }).click();
  await page.getByRole('radio', { name: 'Genaktivér identitet' }).check();
  await page.getByText('Udvalgte personer', { exact: true }).click();
  for (const u of ['noajak', 'soemik2']) {
    await page.getByTestId('bulk-people-search').fill(u);
    await page.getByTestId('bulk-search-row').filter({ hasText: u }).getByRole('button', { name: 'Tilføj' }).click();
  }
  await expect(page.getByTestId('bulk-selected')).toContainText('Noah Jakobsen (noajak)');
  await expect(page.getByText('2 valgt')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/10-masseopgave-valg.png` });
  await page.getByTestId('bulk-plan').click();
  await expect(page.getByTestId('bulk-plan-summary')).toContainText('Allerede aktiv');
  await expect(page.getByText('Der er intet at udføre')).toBeVisible();
  await page.getByLabel('Begrundelse').fill('Forkert handling valgt');
  await page.getByRole('button', { name: 'Kassér' }).click();
  await expect(page.getByTestId('bulk-state')).toHaveText('Annulleret');
});

test('a running job shows live progress and can be paused, resumed and cancelled', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'admin');
  await page.getByRole('navigation').getByRole('link', { name: 'Masseopgaver' }).click();
  await page.getByRole('radio', { name: 'Opgradér til signering' }).check();
  await page.getByTestId('bulk-ou').click();
  await page.getByRole('option', { name: /^Sundhed og Omsorg/ }).click();
  await page.getByTestId('bulk-plan').click();
  // 620 people, each looked up in MitID Erhverv while the people list's first read of it shares the client's
  // four connections: a plan of seconds, not of the 5 s an assertion waits by default.
  await expect(page.getByTestId('bulk-state')).toHaveText('Prøvekørt', { timeout: 30_000 });
  await page.getByLabel('Begrundelse').fill('Hjemmeplejen skal signere digitalt');
  await page.getByLabel('Samtidige kald til MitID Erhverv').fill('1');
  await page.getByTestId('bulk-start').click();
  await expect(page.getByTestId('bulk-state')).toHaveText('Kører');
  await expect(page.getByTestId('bulk-counts')).toContainText(/^[1-9]\d* udført/);

  // Pausing acts on the first click: the job's own reason stands (a note may be typed, but none is asked for).
  await expect(page.getByLabel('Begrundelse')).toHaveValue('');
  await page.getByRole('button', { name: 'Sæt på pause' }).click();
  await expect(page.getByTestId('bulk-state')).toHaveText(/På pause|Sætter på pause/);
  await expect(page.getByTestId('bulk-state')).toHaveText('På pause');
  await expect(page.getByTestId('bulk-pause-reason')).toContainText('Sat på pause af Administrator (træning): Hjemmeplejen skal signere digitalt');
  // Main names the pause by code and values too: in English it reads in English (the reason is the operator's own words).
  await page.getByText('English').click();
  await expect(page.getByTestId('bulk-pause-reason')).toContainText('Paused by Administrator (træning): Hjemmeplejen skal signere digitalt');
  await expect(page.getByTestId('bulk-pause-reason')).not.toContainText('Sat på pause');
  await page.getByText('Dansk').click();
  await expect(page.getByTestId('bulk-state')).toHaveText('På pause');
  // Paused means paused: nothing more is done (the count the page polls is a moment behind the job, so
  // it is compared once the pause is in, not with what the page showed before the click).
  const counts = await page.getByTestId('bulk-counts').textContent();
  await page.waitForTimeout(700);
  await expect(page.getByTestId('bulk-counts')).toHaveText(counts ?? '');
  // The note comes after the pause, when there is time to write it; the job stays as it is.
  await page.getByTestId('bulk-note-text').fill('Borgerservice bad om pause: hjemmeplejens telefoner opdateres i dag');
  await page.getByTestId('bulk-note-add').click();
  await expect(page.getByTestId('bulk-note')).toContainText('Administrator (træning): Borgerservice bad om pause: hjemmeplejens telefoner opdateres i dag');
  await expect(page.getByTestId('bulk-note-text')).toHaveValue('');
  await expect(page.getByTestId('bulk-state')).toHaveText('På pause');
  await page.screenshot({ path: `${SHOTS}/11-masseopgave-pause.png` });

  await page.getByLabel('Begrundelse').fill('Fortsætter efter kontrol');
  await page.getByRole('button', { name: 'Genoptag' }).click();
  await expect(page.getByTestId('bulk-state')).toHaveText('Kører');
  await page.getByLabel('Begrundelse').fill('Resten tages i morgen');
  await page.getByRole('button', { name: 'Annullér opgaven' }).click();
  // The rows under way finish first, and the page polls: on a busy machine that is more than 5 s.
  await expect(page.getByTestId('bulk-state')).toHaveText('Annulleret', { timeout: 20_000 });
  await expect(page.getByText(/Opgaven er annulleret: \d+ nåede at blive udført, \d+ blev ikke kørt/)).toBeVisible();
});

test('helpdesk and auditors have no bulk jobs', async ({ page }) => {
  await openConsole(page);
  for (const user of ['helpdesk', 'revisor']) {
    await signIn(page, user);
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Personer' })).toBeVisible();
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Masseopgaver' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Log ud' }).click();
    await expect(page.getByRole('button', { name: 'Log ind' })).toBeVisible();
  }
});
