import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { openConsole, SHOTS, signIn, token } from './support.ts';

// The people screen in the training environment (training directory + MitID Erhverv and IdP simulators).

async function openPerson(page: Page, search: string, name: string) {
  await page.getByTestId('people-search').fill(search);
  const row = page.getByTestId('person-row').filter({ hasText: name }).first();
  await expect(row).toBeVisible();
  await row.click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer.getByTestId('panel-ad')).toBeVisible();
  return drawer;
}

async function apiSession(request: APIRequestContext, username: string) {
  const headers = { Authorization: `Bearer ${token()}` };
  // A session of its own (an unknown session id gets a new one), never the cookie's from an earlier login.
  const login = await request.post('/api/op/session.login', { headers: { ...headers, 'X-Console-Session': 'ny' }, data: { username, password: 'Traening-2026' } });
  return { ...headers, 'X-Console-Session': login.headers()['x-console-session'] ?? '' };
}

test('a helpdesk agent finds a locked user by part of an æøå name, unlocks them and resets the password', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'helpdesk');
  // The merged list fills in from all three systems and says how fresh each is.
  await expect(page.getByTestId('freshness-idp')).toContainText('hentet', { timeout: 30_000 });
  await expect(page.getByTestId('freshness-mitid')).toContainText('hentet', { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/people-01-list.png` });

  await page.getByTestId('people-search').fill('mads brønd');
  const row = page.getByTestId('person-row').filter({ hasText: 'Mads Brøndum' }).filter({ hasText: 'Låst' });
  await expect(row).toContainText('Låst');
  // Typed without æøå, the same person is found.
  await page.getByTestId('people-search').fill('MADS BROEND');
  await expect(page.getByTestId('person-row').filter({ hasText: 'Mads Brøndum' }).first()).toBeVisible();
  await page.getByTestId('people-search').fill('mads brønd');
  // Keyboard: Tab to the row and open it with Enter.
  await row.focus();
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: 'Mads Brøndum' });
  await expect(drawer.getByTestId('panel-mitid')).toBeVisible();
  await expect(drawer.getByTestId('panel-idp')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/people-02-detail-helpdesk.png` });

  await drawer.getByRole('button', { name: 'Lås op' }).click();
  const modal = page.getByRole('dialog', { name: 'Lås op: Mads Brøndum' });
  await modal.getByLabel('Begrundelse').fill('Ringede selv ind, identitet bekræftet');
  await modal.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByText('Kontoen er låst op.')).toBeVisible();
  await expect(drawer.getByRole('button', { name: 'Lås op' })).toHaveCount(0);

  await drawer.getByRole('button', { name: 'Nulstil adgangskode' }).click();
  const reset = page.getByRole('dialog', { name: 'Nulstil adgangskode: Mads Brøndum' });
  // A weak password is caught against the person's policy before anything is sent.
  await reset.getByTestId('reset-password-input').fill('kort');
  await expect(reset.getByTestId('policy-problems')).toContainText('for kort');
  await expect(reset.getByRole('button', { name: 'Udfør' })).toBeDisabled();
  await reset.getByRole('button', { name: 'Foreslå en ny' }).click();
  await expect(reset.getByTestId('policy-ok')).toBeVisible();
  const suggested = await reset.getByTestId('reset-password-input').inputValue();
  expect(suggested).toMatch(/^[A-Z][a-z]+(-[A-Z][a-z]+){3}-\d{2}$/);
  await expect(reset.getByRole('switch', { name: 'Skal skifte adgangskode ved næste login' })).toBeChecked();
  await reset.getByLabel('Begrundelse').fill('Glemt adgangskode efter ferie');
  await page.screenshot({ path: `${SHOTS}/people-03-reset.png` });
  await reset.getByRole('button', { name: 'Udfør' }).click();
  await expect(reset.getByTestId('new-password')).toHaveText(suggested);
  await expect(reset.getByText('Den vises kun denne ene gang')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/people-04-reset-shown-once.png` });
  await reset.getByRole('button', { name: 'Færdig' }).click();
  await expect(drawer.getByTestId('person-outcome')).toContainText('skal vælge en ny ved næste login');
  await expect(drawer.getByTestId('panel-ad')).toContainText('Skal skifte adgangskode');
  // The person's own history has both actions, newest first.
  await expect(drawer.getByTestId('history-row').first()).toContainText('Adgangskode nulstillet');
  await expect(drawer.getByTestId('panel-history')).toContainText('AD-konto låst op');
  // Helpdesk may not assign authenticators: the button is not there.
  await expect(drawer.getByRole('button', { name: 'Tildel lokalt loginmiddel' })).toHaveCount(0);
});

test('a user administrator assigns a local authenticator from the drift view and the person detail', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'brugeradmin');
  await page.getByTestId('people-tabs').getByText('Afvigelser').click();
  await expect(page.getByTestId('drift-credential-missing')).not.toContainText('…', { timeout: 30_000 });
  await page.getByTestId('drift-credential-missing').click();
  const driftRow = page.getByTestId('drift-row').first();
  await expect(driftRow).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/people-05-drift.png` });
  const name = (await driftRow.getByRole('button').first().innerText()).trim();
  await driftRow.getByRole('button').first().click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer.getByTestId('panel-mitid')).toContainText('Ikke tilknyttet', { timeout: 20_000 });
  await drawer.getByRole('button', { name: 'Tildel lokalt loginmiddel' }).click();
  const modal = page.getByRole('dialog', { name: `Tildel lokalt loginmiddel: ${name}` });
  // The person already has an identity: no create fee, and the text says so.
  await expect(modal).toContainText('Det koster ikke et nyt oprettelsesgebyr');
  await modal.getByLabel('Begrundelse').fill('Skal kunne logge på NemLog-in');
  await page.screenshot({ path: `${SHOTS}/people-06-assign.png` });
  await modal.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByTestId('person-outcome')).toContainText('tilknyttet den eksisterende erhvervsidentitet');
  await expect(drawer.getByTestId('panel-mitid')).not.toContainText('Ikke tilknyttet');
  await expect(drawer.getByRole('button', { name: 'Fjern lokalt loginmiddel' })).toBeVisible();

  // Qualified signing: the UI says plainly that the person finishes in MitID Erhverv.
  await drawer.getByRole('button', { name: 'Opgradér til kvalificeret signatur' }).click();
  const up = page.getByRole('dialog', { name: `Opgradér til kvalificeret signatur: ${name}` });
  await expect(up).toContainText('private MitID');
  await up.getByLabel('Begrundelse').fill('Skal signere kontrakter for kommunen');
  await up.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByTestId('signing-state')).toHaveText('Venter på personen');
  await expect(drawer.getByTestId('panel-mitid')).toContainText('validere med sit private MitID');
  await page.screenshot({ path: `${SHOTS}/people-07-detail-useradmin.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('drift-credential-missing')).toContainText('0');
});

test('an auditor sees no write buttons and no full CPR number, and direct calls for either are refused', async ({ page, request }) => {
  await openConsole(page);
  await signIn(page, 'revisor');
  // An auditor lands on Revision; the people list is one click away.
  await page.getByRole('navigation').getByRole('link', { name: 'Personer' }).click();
  const drawer = await openPerson(page, 'niels brønd', 'Niels Brøndum');
  await expect(drawer.getByTestId('panel-idp')).toBeVisible();
  for (const name of ['Lås op', 'Nulstil adgangskode', 'Tildel lokalt loginmiddel', 'Fjern lokalt loginmiddel', 'Suspendér identitet', 'Spær identitet', 'Lås enhed', 'Fjern enhed', 'Opgradér til kvalificeret signatur', 'Vis fuldt CPR-nummer']) {
    await expect(drawer.getByRole('button', { name }), name).toHaveCount(0);
  }
  await expect(drawer.getByTestId('cpr')).toHaveText(/^\d{6}-XXXX$/);
  await page.screenshot({ path: `${SHOTS}/people-08-detail-auditor.png` });
  await page.keyboard.press('Escape');
  await page.getByTestId('people-tabs').getByText('Afvigelser').click();
  await page.getByTestId('drift-only-in-mitid').click();
  await expect(page.getByTestId('drift-row').first()).toContainText('Udenforstående');
  await expect(page.getByTestId('drift-row').first().getByRole('button', { name: /Opret|Genaktivér|Suspendér|Tilknyt|Registrér/ })).toHaveCount(0);

  const headers = await apiSession(request, 'revisor');
  const list = await request.post('/api/op/people.list', { headers, data: { text: 'Niels Brøndum', limit: 1 } });
  const personId = (await list.json()).data.rows[0].id as string;
  const res = await request.post('/api/op/people.resetPassword', { headers, data: { personId, password: 'Fjord-Kage-Mast-Ugle-47', reason: 'Forsøg fra revisor' } });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('forbidden');
  const cpr = await request.post('/api/op/people.revealCpr', { headers, data: { personId, reason: 'Stikprøve i revisionen' } });
  expect(cpr.status()).toBe(403);
});

test('a helpdesk agent scoped to the schools sees only the schools, and a direct call outside them is refused', async ({ page, request }) => {
  await openConsole(page);
  await signIn(page, 'helpdesk.skole');
  await expect(page.getByTestId('people-scope')).toHaveText('Du ser kun personer i dine enheder: Skoler.');
  await page.getByTestId('people-search').fill('niels brønd');
  await expect(page.getByTestId('people-count')).toContainText('0 personer');
  await expect(page.getByTestId('person-row')).toHaveCount(0);

  // The id comes from an administrator: the scoped agent can neither read nor unlock the person.
  const admin = await apiSession(request, 'admin');
  const list = await request.post('/api/op/people.list', { headers: admin, data: { text: 'Niels Brøndum', limit: 1 } });
  const personId = (await list.json()).data.rows[0].id as string;
  const headers = await apiSession(request, 'helpdesk.skole');
  for (const [op, data] of [
    ['people.overview', { personId }],
    ['people.unlockAccount', { personId, reason: 'Uden for skolerne' }],
  ] as const) {
    const res = await request.post(`/api/op/${op}`, { headers, data });
    expect(res.status(), op).toBe(403);
    expect((await res.json()).error.message, op).toBe('Personen ligger uden for dine enheder: Skoler.');
  }
});

test('an operator saves a filtered view, finds it again after a reload, makes it the default and deletes it', async ({ page, request }) => {
  await openConsole(page);
  await signIn(page, 'revisor');
  // An auditor lands on Revision; the people list is one click away.
  await page.getByRole('navigation').getByRole('link', { name: 'Personer' }).click();
  // Whatever happens below, the next tests do not open in a leftover default view.
  const headers = await apiSession(request, 'revisor');
  try {
    // Counts are compared below: wait until every source has been read.
    await expect(page.getByTestId('freshness-idp')).toContainText('hentet', { timeout: 30_000 });
    await expect(page.getByTestId('freshness-mitid')).toContainText('hentet', { timeout: 30_000 });
    const allCount = await page.getByTestId('people-count').innerText();

    // Locked accounts only, sorted by password age.
    await page.getByTestId('people-filters').getByText('Låst', { exact: true }).click();
    await page.getByRole('button', { name: /Kode-alder/ }).click();
    await expect(page.getByTestId('people-count')).not.toHaveText(allCount);
    const lockedCount = await page.getByTestId('people-count').innerText();
    const rows = page.getByTestId('person-row');
    await expect(rows.first()).toContainText('Låst');

    await page.getByTestId('views-button').click();
    await expect(page.getByTestId('views-menu')).toContainText('Du har ingen gemte visninger endnu.');
    await page.getByTestId('view-save').click();
    const dialog = page.getByRole('dialog', { name: 'Gem visning' });
    // Nothing typed: the Danish message from the shared schema, before anything is sent.
    await dialog.getByRole('button', { name: 'Gem', exact: true }).click();
    await expect(dialog).toContainText('Angiv et navn til visningen');
    await dialog.getByTestId('view-name').fill('Låste konti');
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('views-button')).toHaveText('Visning: Låste konti');

    // The same name again (any case) asks first; the keyboard lands on "Overskriv".
    await page.getByTestId('views-button').click();
    await page.getByTestId('view-save').click();
    await expect(dialog.getByTestId('view-name')).toHaveValue('Låste konti');
    await dialog.getByTestId('view-name').fill('låste KONTI');
    await page.keyboard.press('Enter');
    await expect(dialog.getByTestId('view-exists')).toContainText('Du har allerede en visning med navnet “Låste konti”');
    await expect(dialog.getByTestId('view-overwrite')).toBeFocused();
    await page.screenshot({ path: `${SHOTS}/people-09-save-view-overwrite.png` });
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();

    // After a reload the list is plain again (no default yet); the view is one click away.
    await page.reload();
    await expect(page.getByTestId('people-count')).toHaveText(allCount, { timeout: 30_000 });
    await expect(page.getByRole('checkbox', { name: 'Låst', exact: true })).not.toBeChecked();
    await page.getByTestId('views-button').click();
    await expect(page.getByTestId('view-item')).toHaveText(['låste KONTI']);
    // Let the menu finish fading in before the picture.
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/people-10-saved-views-menu.png` });
    await page.getByTestId('view-item').first().click();
    await expect(page.getByTestId('people-count')).toHaveText(lockedCount);
    await expect(page.getByRole('checkbox', { name: 'Låst', exact: true })).toBeChecked();
    await expect(page.getByRole('columnheader', { name: /Kode-alder/ })).toHaveAttribute('aria-sort', 'ascending');
    for (const row of (await rows.all()).slice(0, 10)) await expect(row).toContainText('Låst');
    await expect(page.getByTestId('views-button')).toHaveText('Visning: låste KONTI');
    await page.screenshot({ path: `${SHOTS}/people-11-saved-view-applied.png` });

    // Typing keeps the view's filter and the rows follow the text.
    await page.getByTestId('people-search').fill('a');
    await expect(page.getByTestId('people-count')).not.toHaveText(lockedCount);
    await expect(rows.first()).toContainText('Låst');

    // Marked as the default, the page opens with it.
    await page.getByTestId('views-button').click();
    await page.getByTestId('view-manage').click();
    const manage = page.getByRole('dialog', { name: 'Mine gemte visninger' });
    await manage.getByRole('button', { name: 'Gør til standard' }).click();
    await expect(manage.getByTestId('views-row')).toContainText('Standard');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/people-12-manage-views.png` });
    // The dialog's own close button (the corner X is named "Luk" too, for screen readers).
    await manage.getByRole('button', { name: 'Luk' }).last().click();
    await page.reload();
    await expect(page.getByTestId('views-button')).toHaveText('Visning: låste KONTI');
    await expect(page.getByRole('checkbox', { name: 'Låst', exact: true })).toBeChecked();
    await expect(page.getByTestId('people-count')).toHaveText(lockedCount, { timeout: 30_000 });

    // Deleted, it is gone from the menu.
    await page.getByTestId('views-button').click();
    await page.getByTestId('view-manage').click();
    await manage.getByRole('button', { name: 'Slet visningen “låste KONTI”' }).click();
    await manage.getByRole('button', { name: 'Slet', exact: true }).click();
    await expect(manage.getByTestId('views-row')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('views-button').click();
    await expect(page.getByTestId('view-item')).toHaveCount(0);
  } finally {
    const left = await request.post('/api/op/people.views.list', { headers, data: {} });
    for (const v of ((await left.json()).data?.views ?? []) as Array<{ name: string }>) {
      await request.post('/api/op/people.views.delete', { headers, data: { name: v.name } });
    }
  }
});
