import { expect, test } from '@playwright/test';
import { appendFileSync } from 'node:fs';
import { openConsole, SHOTS, signIn } from './support.ts';
import { downloadPackage } from './evidence-support.ts';

// The auditor's day at 1366×768: lands on Revision, reads the charts (legend, Danish or English dates),
// makes an evidence package with its own period, downloads it, and checks it again by picking the zip
// or the folder — never typing a path.

test.use({ viewport: { width: 1366, height: 768 } });

const ymd = (d: Date) => [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')] as const;

test('an auditor lands on Revision, sets the package period, downloads the package and checks it by picking it', async ({ page }) => {
  test.setTimeout(120_000);
  await openConsole(page);
  await signIn(page, 'revisor');
  // No click: Revision is the auditor's home.
  await expect(page.getByRole('heading', { level: 1, name: 'Revision' })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Revision' })).toHaveAttribute('data-active', 'true');
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/op/audit.refresh') && r.ok(), { timeout: 90_000 });
  await page.getByRole('button', { name: 'Hent nye fra IdP' }).click();
  await refreshed;

  // Charts: a legend per chart, and day ticks as Danes write them ("5. dec."), never ISO dates.
  const perDay = page.getByTestId('chart-per-day');
  await perDay.scrollIntoViewIfNeeded();
  await expect(perDay.locator('.recharts-legend-wrapper')).toBeVisible();
  await expect(page.getByTestId('chart-failed-logins').locator('.recharts-legend-wrapper')).toContainText('Mislykkede logins');
  await expect(page.getByTestId('chart-per-operator').locator('.recharts-legend-wrapper')).toContainText('Antal');
  const ticks = await perDay.locator('.recharts-cartesian-axis-tick-value').allTextContents();
  expect(ticks.length).toBeGreaterThan(0);
  for (const tick of ticks.filter((x) => /\d/.test(x) && /[a-zæøå]/i.test(x))) expect(tick).toMatch(/^\d{1,2}\. (jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\.?$/);
  expect(ticks.join(' ')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  await page.screenshot({ path: `${SHOTS}/auditor-day-charts.png` });

  // The timeline filtered to yesterday only; the package does not take that period silently.
  const now = new Date();
  const [yy, ym, yd] = ymd(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
  const [ty, tm, td] = ymd(now);
  const [fy, fm, fd] = ymd(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 29));
  await page.getByTestId('period-from').fill(`${yd}.${ym}.${yy}`);
  await page.getByTestId('period-to').fill(`${yd}.${ym}.${yy}`);
  await page.getByTestId('period-to').press('Tab');
  await page.getByTestId('export-open').click();
  const dialog = page.getByRole('dialog', { name: 'Revisionspakke' });
  await expect(dialog.getByTestId('export-from')).toHaveValue(`${fd}.${fm}.${fy}`);
  await expect(dialog.getByTestId('export-to')).toHaveValue(`${td}.${tm}.${ty}`);
  // …but offers it, named, as a choice.
  await expect(dialog.getByTestId('export-use-timeline')).toContainText(`${yd}.${ym}.${yy}–${yd}.${ym}.${yy}`);
  // The auditor sets the package's own period: today, typed the way a Dane writes it.
  await dialog.getByTestId('export-from').fill(`${td}.${tm}.${ty}`);
  await dialog.getByTestId('export-from').press('Tab');
  await expect(dialog.getByTestId('export-from')).toHaveValue(`${td}.${tm}.${ty}`);
  await page.screenshot({ path: `${SHOTS}/auditor-day-dialog.png` });
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-done')).toBeVisible({ timeout: 60_000 });
  // The result names the package, not a folder on the machine that made it.
  await expect(dialog.getByTestId('export-done')).not.toContainText('/');
  await expect(dialog.getByTestId('export-done')).toContainText(`revisionspakke-${ty}-${tm}-${td}_${ty}-${tm}-${td}`);
  await page.screenshot({ path: `${SHOTS}/auditor-day-done.png` });
  const { zip, folder, name } = await downloadPackage(page);
  expect(name).toMatch(new RegExp(`^revisionspakke-${ty}-${tm}-${td}_${ty}-${tm}-${td}-`));
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Kontrollér en pakke: the downloaded zip, picked in the file chooser. Checked in main: intact and signed.
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('package-pick-zip').click();
  await (await chooser).setFiles(zip);
  await expect(page.getByTestId('package-ok')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('package-picked')).toHaveText(`${name}.zip`);
  await page.getByTestId('package-ok').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/auditor-day-check-ok.png` });

  // The unpacked folder, picked as a folder, with one line added to the events: caught, and named.
  appendFileSync(`${folder}/haendelser.csv`, '"forfalsket"\r\n');
  await page.getByTestId('package-folder-input').setInputFiles(folder);
  await expect(page.getByTestId('package-bad')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('package-bad')).toContainText('haendelser.csv er ændret (SHA-256 passer ikke).');
  await expect(page.getByTestId('package-picked')).toContainText(name);
  await page.getByTestId('package-bad').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/auditor-day-check-bad.png` });

  // In English the ticks are English ("5 Dec").
  await page.getByText('English', { exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  await perDay.scrollIntoViewIfNeeded();
  const en = await perDay.locator('.recharts-cartesian-axis-tick-value').allTextContents();
  for (const tick of en.filter((x) => /\d/.test(x) && /[a-z]/i.test(x))) expect(tick).toMatch(/^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)$/);
  await page.screenshot({ path: `${SHOTS}/auditor-day-charts-en.png` });
  // The check's result, the signature and the picked folder reword themselves in English: no Danish left.
  await expect(page.getByTestId('package-bad')).toContainText('haendelser.csv has been changed (SHA-256 does not match).');
  await expect(page.getByTestId('package-signature')).toContainText("which is the IdP's current certificate");
  await expect(page.getByTestId('package-bad')).not.toContainText(/ændret|underskrevet|certifikatet/);
  await expect(page.getByTestId('package-picked')).toContainText(/\(\d+ files\)$/);
  await page.getByTestId('package-bad').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/auditor-day-check-bad-en.png` });

  // Kontrollér journalen in English: the IdP's answer worded from its code, not main's Danish sentence.
  await page.getByTestId('verify-journal').click();
  const verified = page.getByTestId('verify-result');
  await expect(verified).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('verify-idp')).toContainText(/^The (IdP has acknowledged the journal up to and including record \d+|IdP knows the journal|IdP has not yet)/);
  await expect(verified).not.toContainText(/IdP'en|journalen|bekræftet|poster|passer/);
  await verified.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/auditor-day-verify-en.png` });
});

test('a user administrator still lands on Personer', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'brugeradmin');
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Personer' })).toHaveAttribute('data-active', 'true');
});
