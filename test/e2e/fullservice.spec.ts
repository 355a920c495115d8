import { expect, test, type Page } from '@playwright/test';
import { openConsole, openModal, SHOTS, signIn } from './support.ts';

// The training municipality is seeded NOT ready for Full Service: the temps' NSIS sub-domain at 12 characters,
// the staff's PSO in AD from the old days (12 characters, 10 attempts), the addendum older than the fixed NSIS
// terms, and the municipal "you got an identity" mail still on beside the fixed one. Each is fixed from the
// screen, until every item is green.

const TEMPS = 'vikarer.fjordby.kommune.test';
const STAFF = 'fjordby.kommune.test';

async function openReadiness(page: Page, user = 'admin') {
  await openConsole(page);
  await signIn(page, user);
  await page.getByRole('navigation').getByRole('link', { name: 'Klar til Full Service' }).click();
  await expect(page.getByRole('heading', { name: 'Klar til Full Service', level: 1 })).toBeVisible();
  await expect(page.getByTestId('readiness-summary')).toBeVisible({ timeout: 30_000 });
}

const item = (page: Page, kind: string, domain = 'idp') => page.getByTestId(`item-${kind}-${domain}`);

test('the training municipality starts not ready, and every finding is fixed from the screen', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openReadiness(page);
  await expect(page.getByTestId('readiness-summary')).toContainText('Ikke klar');
  await expect(item(page, 'policy-length', TEMPS)).toHaveAttribute('data-status', 'fail');
  await expect(item(page, 'policy-length', TEMPS)).toContainText('Mindste længde: 12 tegn');
  await expect(item(page, 'policy-lockout', TEMPS)).toHaveAttribute('data-status', 'fail');
  await expect(item(page, 'ad-policy', STAFF)).toHaveAttribute('data-status', 'fail');
  await expect(item(page, 'ad-policy', STAFF)).toContainText('AD kræver kun 12 tegn');
  await expect(item(page, 'terms-addendum')).toHaveAttribute('data-status', 'fail');
  await expect(item(page, 'mail-duplicates')).toHaveAttribute('data-status', 'fail');
  await expect(item(page, 'mail-duplicates')).toContainText('NSIS_ALLOWED');
  await expect(item(page, 'policy-length', STAFF)).toHaveAttribute('data-status', 'ok');
  await page.screenshot({ path: `${SHOTS}/fullservice-01-not-ready.png` });

  // The people who will be forced to change: a CSV for the communication.
  const csv = page.waitForEvent('download');
  await item(page, 'forced-change', STAFF).getByRole('button', { name: 'Eksportér listen (CSV)' }).click();
  const file = await csv;
  expect(file.suggestedFilename()).toMatch(/^skal-skifte-adgangskode-fjordby\.kommune\.test-\d{4}-\d{2}-\d{2}\.csv$/);

  // 1. The temps' policy raised to the NSIS floor (and mirrored to AD on save).
  await item(page, 'policy-length', TEMPS).getByRole('button', { name: 'Hæv til NSIS-kravet' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('fra 12 til 15 tegn');
  await dialog.getByLabel('Begrundelse').fill('Full Service: vikarernes politik op på 15 tegn');
  await dialog.getByRole('button', { name: 'Gem politik' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  await expect(item(page, 'policy-length', TEMPS)).toHaveAttribute('data-status', 'ok', { timeout: 20_000 });
  await expect(item(page, 'policy-lockout', TEMPS)).toHaveAttribute('data-status', 'ok');

  // 2. The staff's old PSO rewritten from the IdP's policy (and any other domain's PSO AD lacks).
  const mirror = page.getByRole('button', { name: 'Skriv politikken til AD' });
  while ((await mirror.count()) > 0) {
    const before = await mirror.count();
    await mirror.first().click();
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Begrundelse').fill('Full Service: AD skal svare til IdP');
    await dialog.getByRole('button', { name: 'Skriv til AD' }).click();
    await expect(dialog).toBeHidden({ timeout: 20_000 });
    await expect(mirror).toHaveCount(before - 1, { timeout: 20_000 });
  }
  await expect(item(page, 'ad-policy', STAFF)).toHaveAttribute('data-status', 'ok');

  // 3. The duplicate municipal template turned off.
  await item(page, 'mail-duplicates').getByRole('button', { name: 'Slå skabelonen fra' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Begrundelse').fill('Full Service sender den faste skabelon');
  await dialog.getByRole('button', { name: 'Slå fra' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
  await expect(item(page, 'mail-duplicates')).toHaveAttribute('data-status', 'ok', { timeout: 20_000 });

  // 4. The addendum reviewed: cleaned of what the NSIS terms now say, published again.
  await item(page, 'terms-addendum').getByRole('button', { name: 'Gennemgå tillægget' }).click();
  await expect(dialog).toBeVisible();
  const addendum = dialog.getByLabel('Tillæg');
  await expect(addendum).not.toHaveValue('');
  await addendum.fill('Kommunens tillæg til vilkårene\n\nHenvend dig til IT-supporten på telefon 7000 0000, hvis du har spørgsmål.\n\nTillægget er gennemgået ved skiftet til Full Service.');
  await dialog.getByLabel('Begrundelse').fill('Gennemgået ved skiftet til Full Service');
  await page.screenshot({ path: `${SHOTS}/fullservice-02-review-addendum.png` });
  await dialog.getByRole('button', { name: 'Udgiv gennemgået tillæg' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });

  await page.getByRole('button', { name: 'Kontrollér igen' }).click();
  await expect(page.getByTestId('readiness-summary')).toContainText('Kommunen er klar til Full Service', { timeout: 30_000 });
  for (const el of await page.locator('[data-status]').all()) await expect(el).toHaveAttribute('data-status', 'ok');
  await page.screenshot({ path: `${SHOTS}/fullservice-03-ready.png`, fullPage: true });

  // The report for the audit file.
  const pdf = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Eksportér som PDF' }).click();
  const report = await pdf;
  expect(report.suggestedFilename()).toMatch(/^klar-til-full-service-\d{4}-\d{2}-\d{2}\.pdf$/);
  await report.saveAs(`${SHOTS}/fullservice-report.pdf`);
});

test('an auditor reads the readiness screen and exports it, but is offered no fix', async ({ page }) => {
  await openReadiness(page, 'revisor');
  await expect(page.getByRole('button', { name: 'Eksportér som PDF' })).toBeVisible();
  for (const name of ['Hæv til NSIS-kravet', 'Skriv politikken til AD', 'Slå skabelonen fra', 'Gennemgå tillægget']) {
    await expect(page.getByRole('button', { name })).toHaveCount(0);
  }
});

test('mail templates: the fixed ones are read-only, unsafe HTML and unknown placeholders are refused', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'admin');
  await page.getByRole('navigation').getByRole('link', { name: 'Politikker' }).click();
  await page.getByRole('tab', { name: 'Mailskabeloner' }).click();
  const fixed = page.getByTestId('template-FULL_SERVICE_IDP_ASSIGNED');
  await expect(fixed).toContainText('Fast');
  await expect(fixed.getByRole('button', { name: 'Slå fra' })).toHaveCount(0);
  const dialog = page.getByRole('dialog');
  await openModal(fixed.getByRole('button', { name: 'Vis' }), dialog);
  await expect(dialog.getByLabel('Emne')).toHaveAttribute('readonly', '');
  await expect(dialog.getByTestId('mail-preview')).toContainText('Fjordby Kommune');
  await dialog.getByRole('button', { name: 'Luk' }).last().click();

  await openModal(page.getByTestId('template-PASSWORD_EXPIRES').getByRole('button', { name: 'Vis og ret' }), dialog);
  const body = dialog.getByLabel('Tekst (HTML)');
  await body.fill('<p>Hej {modtager}</p><img src=x onerror=alert(1)><p>{fornavn}</p>');
  await expect(dialog.getByRole('alert')).toContainText('er ikke tilladt');
  await expect(dialog.getByRole('alert')).toContainText('Ukendt flettefelt {fornavn}');
  await expect(dialog.getByRole('button', { name: 'Gem skabelon' })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/fullservice-04-template-refused.png` });
  await body.fill('<p>Hej {modtager}</p><p>Dit kodeord udløber <b>{EXPIRE_DATE}</b>. Skift det på <a href="{IDP_URL}">IdP’en</a>.</p>');
  await expect(dialog.getByTestId('mail-preview')).toContainText('Hej Mette Jensen');
  await dialog.getByLabel('Begrundelse').fill('Tydeligere tekst om udløb');
  await dialog.getByRole('button', { name: 'Gem skabelon' }).click();
  await expect(dialog).toBeHidden({ timeout: 20_000 });
});
