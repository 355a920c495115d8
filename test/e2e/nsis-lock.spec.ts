import { expect, test } from '@playwright/test';
import { openConsole, SHOTS, signIn } from './support.ts';

// The NSIS switch of a domain that issues MitID Erhverv identities is locked, and the screen says why;
// the pupils' domain (no identities) keeps an open switch. Main refuses the same change on save.
test('an administrator sees why NSIS cannot be switched off for the staff domain, and can for pupils', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'admin');
  await page.getByRole('navigation').getByRole('link', { name: 'Politikker' }).click();
  await expect(page.getByTestId('policy-version')).toBeVisible();

  await page.getByTestId('policy-domain').click();
  await page.getByRole('option', { name: /^fjordby\.kommune\.test/ }).click();
  const nsis = page.getByTestId('field-nsis');
  await expect(nsis).toBeChecked();
  await expect(nsis).toBeDisabled();
  // The switch itself says why (its description, read out by screen readers too).
  await expect(nsis).toHaveAccessibleDescription(/Kan ikke slås fra: \d[\d.]* personer i domænet har en MitID Erhverv-identitet, så NSIS-reglerne skal gælde\.$/);
  await page.screenshot({ path: `${SHOTS}/policies-05-nsis-locked.png` });

  await page.getByTestId('policy-domain').click();
  await page.getByRole('option', { name: /^Elever \(elever\.fjordby\.kommune\.test\)/ }).click();
  await expect(page.getByTestId('field-nsis')).not.toBeChecked();
  await expect(page.getByTestId('field-nsis')).toBeEnabled();
  await expect(page.getByTestId('field-nsis')).not.toHaveAccessibleDescription(/Kan ikke slås fra/);
  await expect(page.getByTestId('nsis-outside-issuing')).toHaveCount(0);
});
