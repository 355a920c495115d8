import { expect, test, type Page } from '@playwright/test';
import { openConsole, SHOTS, signIn } from './support.ts';

async function openPolicies(page: Page, user = 'admin') {
  await openConsole(page);
  await signIn(page, user);
  await page.getByRole('navigation').getByRole('link', { name: 'Politikker' }).click();
  await expect(page.getByRole('heading', { name: 'Politikker', level: 1 })).toBeVisible();
  await expect(page.getByTestId('policy-version')).toBeVisible();
}

test('an administrator lowers the NSIS minimum below 15 and cannot save', async ({ page }) => {
  await openPolicies(page);
  await expect(page.getByText('NSIS-domæne: Full Service IdP-reglen gælder')).toBeVisible();
  const min = page.getByLabel('Mindste længde (tegn)');
  await expect(min).toHaveValue('15');
  await min.fill('12');
  await expect(page.getByText('NSIS-domæner kræver mindst 15 tegn')).toBeVisible();
  await expect(page.getByTestId('cannot-save')).toBeVisible();
  await expect(page.getByTestId('review')).toBeDisabled();
  // Lockout looser than NSIS allows is stopped the same way.
  await page.getByLabel('Forkerte forsøg før spærring').fill('8');
  await expect(page.getByText('NSIS-domæner må højst tillade 5 forkerte forsøg før spærring')).toBeVisible();
  await page.getByLabel('Mindste længde (tegn)').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/policies-01-nsis-refused.png` });

  // Back within the rule, the review opens with the diff and the consequences in plain Danish.
  await min.fill('16');
  await page.getByLabel('Forkerte forsøg før spærring').fill('5');
  await page.getByTestId('field-forceChangePassword').check();
  await page.getByTestId('review').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('review-diff')).toContainText('Mindste længde');
  await expect(dialog.getByTestId('consequences')).toContainText(/\d+ personer i dette domæne satte deres adgangskode for mere end 365 dage siden/);
  await page.screenshot({ path: `${SHOTS}/policies-02-review.png` });
  await dialog.getByRole('button', { name: 'Annullér' }).click();

  // The validator explains, in Danish, which rules a password breaks.
  await page.getByTestId('tester-password').fill('sommer');
  await page.getByTestId('tester-password').press('Enter');
  await expect(page.getByTestId('tester-result')).toContainText('Adgangskoden er for kort – den skal have mindst 16 tegn');
  await expect(page.getByTestId('tester-result')).toContainText('Adgangskoden indeholder et forbudt ord');
});

test('two administrators edit the same policy; the second gets the conflict view and chooses', async ({ browser }) => {
  const ctxA = await browser.newContext();
  const ctxB = await browser.newContext();
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  await openPolicies(a);
  await openPolicies(b);

  await a.getByLabel('Antal huskede adgangskoder').fill('12');
  await a.getByTestId('review').click();
  await a.getByRole('dialog').getByLabel('Begrundelse').fill('Revisionen bad om længere historik');
  await a.getByRole('dialog').getByRole('button', { name: 'Gem politik' }).click();
  await expect(a.getByText(/Politikken er gemt \(version \d+\)/)).toBeVisible();

  await b.getByLabel('Mindste længde (tegn)').fill('18');
  await b.getByTestId('review').click();
  await b.getByRole('dialog').getByLabel('Begrundelse').fill('Længere adgangskoder efter risikovurdering');
  await b.getByRole('dialog').getByRole('button', { name: 'Gem politik' }).click();
  const conflict = b.getByTestId('conflict-view');
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('mens du redigerede');
  await expect(conflict.getByTestId('conflict-diff')).toContainText('Mindste længde');
  await expect(conflict.getByTestId('conflict-diff')).toContainText('Antal huskede adgangskoder');
  await b.screenshot({ path: `${SHOTS}/policies-03-conflict.png` });

  // Keeping mine re-reviews against their version and saves on top of it.
  await b.getByRole('button', { name: 'Behold mine ændringer og gennemse igen' }).click();
  const review = b.getByRole('dialog');
  await expect(review.getByTestId('review-diff')).toContainText('Mindste længde');
  // Only my own change is left to review: their history change is kept, not undone.
  await expect(review.getByTestId('review-diff')).not.toContainText('Antal huskede adgangskoder');
  await review.getByLabel('Begrundelse').fill('Længere adgangskoder efter risikovurdering');
  await review.getByRole('button', { name: 'Gem politik' }).click();
  await expect(b.getByText(/Politikken er gemt \(version \d+\)/)).toBeVisible();
  await expect(b.getByLabel('Antal huskede adgangskoder')).toHaveValue('12');
  await expect(b.getByLabel('Mindste længde (tegn)')).toHaveValue('18');
  await ctxA.close();
  await ctxB.close();
});

test('terms: NSIS text read-only, sanitised preview, side-by-side diff, publish with re-acceptance makes acceptances stale', async ({ page }) => {
  await openPolicies(page);
  await page.getByRole('tab', { name: 'Vilkår' }).click();
  await expect(page.getByTestId('nsis-terms')).toContainText('Vilkår for brug af erhvervsidentitet');

  await page.getByTestId('terms-history').waitFor();
  await page.getByRole('button', { name: 'Vis forskelle' }).click();
  await expect(page.getByTestId('terms-diff').locator('tr[data-kind="added"], tr[data-kind="removed"], tr[data-kind="changed"]').first()).toBeVisible();
  await page.getByTestId('terms-diff').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/policies-04-terms-diff.png` });

  const editor = page.getByTestId('addendum-editor');
  const original = await editor.inputValue();
  await editor.fill(`${original}\n\n<script>alert(1)</script>`);
  // The preview shows the tag as text; nothing runs, and publishing is blocked with a Danish reason.
  await expect(page.getByTestId('addendum-preview')).toContainText('<script>alert(1)</script>');
  await expect(page.getByTestId('addendum-preview').locator('script')).toHaveCount(0);
  await expect(page.getByText('Tillægget indeholder HTML-kode')).toBeVisible();
  await expect(page.getByTestId('publish')).toBeDisabled();

  await editor.fill(`${original}\n\n## Nyt afsnit\n\nDu skal **straks** skifte adgangskode ved mistanke om misbrug.`);
  await expect(page.getByTestId('addendum-preview').locator('strong')).toHaveText('straks');
  // (Whether anyone has accepted the version in force depends on what earlier specs published; the stale
  // count below proves that acceptances of an earlier version exist and no longer count.)
  await page.getByTestId('publish').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Ja – alle skal acceptere ved næste login').check();
  await dialog.getByLabel('Begrundelse').fill('Nyt krav om skift ved mistanke');
  await dialog.getByRole('button', { name: 'Udgiv ny version' }).click();
  await expect(page.getByText(/Version \d+ er udgivet/)).toBeVisible();

  // Every earlier acceptance is now stale for the version in force.
  await expect(page.getByTestId('count-accepted')).toHaveText(/: 0$/);
  await expect(page.getByTestId('count-accepted-older-valid')).toHaveText(/: 0$/);
  await expect(page.getByTestId('count-stale')).not.toHaveText(/: 0$/);
  await page.getByTestId('report-ou').fill('Skoler / Medarbejdere');
  await expect(page.getByTestId('report-row').first()).toContainText('Skoler / Medarbejdere');
  const download = page.waitForEvent('download');
  await page.getByTestId('report-export').click();
  expect((await download).suggestedFilename()).toMatch(/^vilkaar-accept-v\d+-\d{4}-\d{2}-\d{2}\.csv$/);
  await page.getByTestId('report-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/policies-05-acceptance.png` });
});

test('an auditor reads the policy in English but cannot change it', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'revisor');
  await page.getByText('English').click();
  await page.getByRole('navigation').getByRole('link', { name: 'Policies' }).click();
  await expect(page.getByRole('tab', { name: 'Password policy' })).toBeVisible();
  await expect(page.getByText('only administrators and user administrators can change it')).toBeVisible();
  await expect(page.getByLabel('Minimum length (characters)')).toBeDisabled();
  await expect(page.getByTestId('review')).toHaveCount(0);
  // Keyboard: the tabs are reachable and switch with the arrow keys.
  await page.getByRole('tab', { name: 'Password policy' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Terms of use' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('nsis-terms')).toBeVisible();
  await expect(page.getByTestId('publish')).toHaveCount(0);
});
