import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openConsole, openModal, SHOTS, signIn } from './support.ts';
import { downloadPackage } from './evidence-support.ts';

// The auditor's 30-day evidence package from the training environment, exported through the console and
// read back the way an archive or a screen reader meets it: poppler's pdfinfo, pdffonts and pdftotext.

const tool = (name: string, ...args: string[]) => execFileSync(name, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
/** Text as read, not as laid out: lines joined (a break after a hyphen joins without a space). */
const prose = (text: string) => text.replace(/-\s*\n\s*/g, '-').replace(/\s+/g, ' ');
const ymd = (d: Date) => [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')] as const;

test('an auditor exports 30 days in training and gets a tagged, archival, numbered report with a cover and tables', async ({ page }) => {
  test.setTimeout(120_000);
  // A helpdesk write in the console's own journal, so the report has a role from the journal.
  await openConsole(page);
  await signIn(page, 'helpdesk');
  // A password reset, not an unlock: the training municipality's locked people are for the other specs.
  await page.getByTestId('person-row').nth(3).click();
  const reset = page.getByRole('dialog', { name: /^Nulstil adgangskode:/ });
  await openModal(page.getByRole('button', { name: 'Nulstil adgangskode' }), reset);
  await reset.getByRole('button', { name: 'Foreslå en ny' }).click();
  await expect(reset.getByTestId('policy-ok')).toBeVisible();
  await reset.getByLabel('Begrundelse').fill('Ringede fra skolens kontor, identitet bekræftet');
  await reset.getByRole('button', { name: 'Udfør' }).click();
  await expect(reset.getByTestId('new-password')).toBeVisible();
  await reset.getByRole('button', { name: 'Færdig' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Log ud' }).click();

  await signIn(page, 'revisor');
  await page.getByRole('navigation').getByRole('link', { name: 'Revision' }).click();
  // The IdP's year of history is pulled into the local cache at start; the export reads that cache, so
  // wait until the fetch the auditor asks for (which joins the one in progress) has answered.
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/op/audit.refresh') && r.ok(), { timeout: 90_000 });
  await page.getByRole('button', { name: 'Hent nye fra IdP' }).click();
  await refreshed;
  const now = new Date();
  const [fy, fm, fd] = ymd(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 29));
  const [ty, tm, td] = ymd(now);
  // The package's own period, shown in its dialog: the last 30 days up to today by default.
  await page.getByTestId('export-open').click();
  const dialog = page.getByRole('dialog', { name: 'Revisionspakke' });
  await expect(dialog.getByTestId('export-from')).toHaveValue(`${fd}.${fm}.${fy}`);
  await expect(dialog.getByTestId('export-to')).toHaveValue(`${td}.${tm}.${ty}`);
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-done')).toBeVisible({ timeout: 60_000 });
  // The package arrives as a download (a zip), not as a path on the machine that made it.
  const { folder, name: packageId } = await downloadPackage(page);
  const file = join(folder, 'rapport.pdf');

  // Archival and accessible: PDF/A-2a in the XMP, tagged, every font embedded, Danish as the document language.
  const info = tool('pdfinfo', file);
  expect(info).toMatch(/^Tagged:\s+yes$/m);
  expect(info).toMatch(/^Title:\s+Revisionsrapport/m);
  const meta = tool('pdfinfo', '-meta', file);
  expect(meta).toContain('<pdfaid:part>2</pdfaid:part>');
  expect(meta).toContain('<pdfaid:conformance>A</pdfaid:conformance>');
  for (const f of tool('pdffonts', file).split('\n').slice(2).filter(Boolean)) expect(f).toMatch(/\byes\s+yes\s+yes\b/);
  const raw = readFileSync(file).toString('latin1');
  expect(raw).toContain('/Lang (da-DK)');
  for (const s of ['/S /H1', '/S /Table', '/S /TH', '/S /TD', '/S /Figure']) expect(raw).toContain(s);
  expect(raw).toMatch(/\/Alt \(/);

  // Page numbering and the package id on every page.
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  expect(pages).toBeGreaterThanOrEqual(4);
  const texts = tool('pdftotext', '-layout', file, '-').split('\f');
  for (let p = 1; p <= pages; p++) {
    expect(texts[p - 1]).toContain(`Side ${p} af ${pages}`);
    expect(texts[p - 1]).toContain(packageId);
  }

  // The cover: municipality, period with the end date included, scope, producer, chain, IdP, signature.
  const cover = texts[0]!;
  expect(cover).toMatch(/Kommune\s+fjordby/);
  expect(cover).toMatch(/Periode\s+\d{1,2}\. \S+ \d{4} – \d{1,2}\. \S+ \d{4} \(begge dage medregnet\)/);
  expect(cover).toMatch(/Omfang\s+Alle hændelser/);
  // A month of the training municipality: thousands of IdP events, not only the console's own.
  expect(Number(/Hændelser i alt\s+([\d.]+)/.exec(cover)?.[1]?.replace(/\./g, ''))).toBeGreaterThan(1000);
  expect(cover).toMatch(/Udarbejdet af\s+Revisor \(træning\) \(revisor\), Revisor/);
  expect(cover).toMatch(/CPR-numre\s+Maskeret som ddmmåå-XXXX/);
  expect(cover).toMatch(/Journalens kæde\s+Hash-kæden er intakt/);
  // The comparison with the IdP's acknowledged heads is stated (confirmed, or nothing acknowledged yet).
  expect(prose(cover)).toMatch(/Hash-kæden er intakt \([\d.]+ poster kontrolleret\)\. IdP'en har (endnu ikke )?bekræftet/);
  // The fingerprint the cover names is the one of the certificate that signed the package.
  const fingerprint = /Fingerprint=([0-9A-F:]+)/.exec(tool('openssl', 'x509', '-in', join(folder, 'idp-certificate.pem'), '-noout', '-fingerprint', '-sha256'))?.[1];
  expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  // (A long fingerprint wraps at a colon, so compare without the layout's white space.)
  expect(cover.replace(/\s+/g, '')).toContain(`SHA-256-fingeraftryk${fingerprint}`);
  expect(prose(cover)).toContain('openssl dgst -sha256 -verify idp-public-key.pem -signature manifest.json.sig manifest.json');

  // The summary's tables and the actions table with its header on every page it runs over.
  const all = texts.join('\n');
  expect(all).toMatch(/Aktivitet pr\. dag/);
  expect(all).toMatch(/Handling\s+Kode\s+Antal/);
  expect(all).toMatch(/Operatør\s+Rolle\s+Handlinger\s+Afvist\s+Fejlet/);
  expect(all).toMatch(/Helpdesk \(træning\) \(helpdesk\)\s+Helpdesk\s+\d+/);
  expect(all).toMatch(/Afvisninger og fejl/);
  expect(all).toMatch(/Følsomme opslag/);
  expect(all).toMatch(/Domæne\s+Version\s+Ændret\s+Indhold/);
  expect(all).toMatch(/Version\s+Udgivet\s+Gældende fra\s+SHA-256/);
  const first = texts.findIndex((t) => /^\s*Administrative handlinger\n/.test(t));
  expect(first).toBeGreaterThan(0);
  for (let p = first; p < pages; p++) expect(texts[p], `page ${p + 1}`).toMatch(/Tid\s+Operatør\s+Rolle\s+Handling\s+Person\s+Enhed \(OU\)\s+Begrundelse\s+Udfald/);
  expect(prose(all)).toContain('Ringede fra skolens kontor, identitet bekræftet');

  // Pages 1–3 as images, for a person to look at (artifacts/screenshots, not committed).
  tool('pdftoppm', '-png', '-r', '80', '-f', '1', '-l', '3', file, `${SHOTS}/rapport-side`);
});
