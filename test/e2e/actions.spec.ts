import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrainingAccounts, trainingHasMitIdIdentity } from '../../src-main/training/seed.ts';
import { startLiveHost } from './live/host.ts';
import { axeScan, openConsole, SHOTS, signIn, token } from './support.ts';

// The everyday actions in the training environment: one history row per action with its outcome and
// the IdP's events it caused (by correlation id), the failed-transfer queue, kodeviser assignment and NSIS levels.

async function openPerson(page: Page, search: string, name: string) {
  await page.getByTestId('people-search').fill(search);
  const row = page.getByTestId('person-row').filter({ hasText: name }).first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer.getByTestId('panel-idp')).toBeVisible({ timeout: 30_000 });
  return drawer;
}

async function apiSession(request: APIRequestContext, username: string) {
  const headers = { Authorization: `Bearer ${token()}` };
  const login = await request.post('/api/op/session.login', { headers: { ...headers, 'X-Console-Session': 'ny' }, data: { username, password: 'Traening-2026' } });
  return { ...headers, 'X-Console-Session': login.headers()['x-console-session'] ?? '' };
}

test('each device action is one history row with its own label, its outcome and the IdP event it caused', async ({ page, request }) => {
  await openConsole(page);
  await signIn(page, 'helpdesk');
  let drawer = await openPerson(page, 'mads brønd', 'Mads Brøndum');
  const device = drawer.getByTestId('device-row').filter({ has: page.getByRole('button', { name: 'Send test-push' }) }).first();
  await expect(device).toBeVisible();
  await device.getByRole('button', { name: 'Send test-push' }).click();
  const modal = page.getByRole('dialog', { name: /^Send test-push/ });
  await modal.getByLabel('Begrundelse').fill('Personen tester sin nye telefon');
  await modal.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByText(/Test-push sendt/).first()).toBeVisible();
  // Then a lock of the same device: a different action, with a label of its own.
  await device.getByRole('button', { name: 'Lås enhed' }).click();
  const lock = page.getByRole('dialog', { name: /^Lås enhed/ });
  await lock.getByLabel('Begrundelse').fill('Telefonen er bortkommet');
  await lock.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByText('MFA-enheden er låst.').first()).toBeVisible();

  // The IdP's log is read (as the console does every 30 seconds), then the person is opened again.
  const admin = await apiSession(request, 'admin');
  expect((await request.post('/api/op/audit.refresh', { headers: admin, data: {} })).ok()).toBe(true);
  await page.keyboard.press('Escape');
  drawer = await openPerson(page, 'mads brønd', 'Mads Brøndum');
  const history = drawer.getByTestId('panel-history');
  const lockRow = history.getByTestId('history-row').filter({ hasText: 'Telefonen er bortkommet' });
  const pushRow = history.getByTestId('history-row').filter({ hasText: 'Personen tester sin nye telefon' });
  // One row per action (not intent + outcome + the IdP's echoes, whose messages carry the reason too), each
  // with its specific label and outcome.
  await expect(pushRow).toHaveCount(1);
  await expect(lockRow).toHaveCount(1);
  await expect(pushRow.getByTestId('history-action')).toHaveText('Test-push sendt til MFA-enhed');
  await expect(lockRow.getByTestId('history-action')).toHaveText('MFA-enhed spærret');
  await expect(pushRow.getByTestId('history-outcome')).toHaveText('gennemført');
  // The IdP's own event of each action, linked by the correlation id the console sent, is in the same row.
  await expect(pushRow.getByTestId('history-echo')).toHaveText('IdP: Test-besked sendt til MFA-enhed');
  await expect(lockRow.getByTestId('history-echo')).toHaveText('IdP: MFA-enhed spærret');
  await lockRow.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/actions-01-history.png` });

  // The auditor's timeline folds the same way.
  const search = await request.post('/api/op/audit.search', { headers: admin, data: { filter: { person: 'Mads Brøndum', fold: true }, limit: 50 } });
  const rows = ((await search.json()) as { data: { rows: Array<{ reason: string | null; variant: string | null; echoes: string[] }> } }).data.rows;
  const pushRows = rows.filter((r) => r.reason === 'Personen tester sin nye telefon');
  expect(pushRows).toHaveLength(1);
  expect(pushRows[0]).toMatchObject({ variant: 'test-push', echoes: ['ADMIN_MFA_TEST'] });
});

test('MitID Erhverv writes that landed but answered with an error wait in Fejlede overførsler; Genkør looks before it acts', async ({ page }) => {
  test.setTimeout(180_000);
  // A training drill on a host of its own: MitID Erhverv applies every write, answers 503, and its search
  // shows a new identity only after a minute.
  const dataDir = mkdtempSync(join(tmpdir(), 'lia-e2e-drill-'));
  const switches = { failAfterApply: { rate: 1, answer: '503' }, searchLagMs: 60_000 };
  const host = await startLiveHost({ dataDir, token: token(), env: { LOKALIDP_TRAINING_MITID_FAULTS: JSON.stringify(switches) } });
  try {
    const accounts = generateTrainingAccounts();
    const hire = accounts.find((a) => a.newHire && !a.ouPath.includes('Skoler'))!;
    const leaver = accounts.find((a) => trainingHasMitIdIdentity(a) && a.enabled && !a.ouPath.includes('Skoler') && a.username !== hire.username)!;
    await page.goto(`${host.url}#token=${token()}`);
    await signIn(page, 'brugeradmin');

    // A create: applied, answered 503, not yet in the search: "afventer bekræftelse".
    let drawer = await openPerson(page, hire.username, hire.displayName);
    await expect(drawer.getByTestId('panel-mitid')).toContainText('ingen erhvervsidentitet', { timeout: 30_000 });
    await drawer.getByRole('button', { name: 'Tildel lokalt loginmiddel' }).click();
    const modal = page.getByRole('dialog', { name: `Tildel lokalt loginmiddel: ${hire.displayName}` });
    await modal.getByLabel('Begrundelse').fill('Ny medarbejder skal logge på');
    await modal.getByRole('button', { name: 'Udfør' }).click();
    await expect(drawer.getByText(/Oprettelsen afventer bekræftelse/).first()).toBeVisible({ timeout: 30_000 });
    await page.keyboard.press('Escape');

    // A suspension: applied, answered 503 (retried and answered 503 again): outcome unknown.
    drawer = await openPerson(page, leaver.username, leaver.displayName);
    await drawer.getByRole('button', { name: 'Suspendér identitet' }).click();
    const suspend = page.getByRole('dialog', { name: /^Suspendér identitet/ });
    await suspend.getByLabel('Begrundelse').fill('Fratrådt, identiteten spærres');
    await suspend.getByRole('button', { name: 'Udfør' }).click();
    await expect(suspend.getByText('Handlingen lykkedes ikke')).toBeVisible({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Fejlede overførsler' }).click();
    const created = page.getByTestId('transfer-row').filter({ hasText: hire.displayName });
    const suspended = page.getByTestId('transfer-row').filter({ hasText: leaver.displayName });
    await expect(created).toContainText('Afventer bekræftelse');
    await expect(created).toContainText('Lokalt loginmiddel tildelt');
    await expect(suspended).toContainText('Uvist udfald');
    await expect(suspended).toContainText('Erhvervsidentitet spærret');
    await page.screenshot({ path: `${SHOTS}/actions-02-transfers.png` });
    // The queue with rows in it: no critical or serious axe finding (the empty queue is in a11y.spec).
    const axe = await axeScan(page);
    expect(axe.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => v.id)).toEqual([]);

    // Genkør of the create while the search still lags: looked for, not found yet, not sent again.
    await created.getByRole('button', { name: 'Genkør' }).click();
    let retry = page.getByRole('dialog', { name: /^Genkør:/ });
    await expect(retry).toContainText('afstemmes den i stedet for at blive oprettet igen');
    await retry.getByLabel('Begrundelse').fill('Genkør efter fejl hos MitID Erhverv');
    await retry.getByRole('button', { name: 'Udfør' }).click();
    await expect(page.getByTestId('transfer-result')).toContainText('opretter ikke personen igen');
    await expect(created).toContainText('Afventer bekræftelse');
    // Main answers by code too: in English the same outcome reads in English, not main's Danish sentence.
    await page.getByText('English').click();
    await expect(page.getByTestId('transfer-result')).toContainText('does not create the person again');
    await expect(page.getByTestId('transfer-result')).not.toContainText(/opretter|bekræftelse|søgninger/);
    await page.getByText('Dansk').click();
    await expect(page.getByTestId('transfer-result')).toContainText('opretter ikke personen igen');

    // Genkør of the suspension: the identity is found suspended already; settled, and off the list.
    await suspended.getByRole('button', { name: 'Genkør' }).click();
    retry = page.getByRole('dialog', { name: /^Genkør:/ });
    await retry.getByLabel('Begrundelse').fill('Genkør efter fejl hos MitID Erhverv');
    await retry.getByRole('button', { name: 'Udfør' }).click();
    await expect(page.getByTestId('transfer-result')).toContainText('allerede suspenderet');
    await expect(suspended).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/actions-03-transfers-retried.png` });

    // On record: the retry as one row with its reason in the person's history.
    await page.getByRole('link', { name: 'Personer' }).click();
    const again = await openPerson(page, leaver.username, leaver.displayName);
    await expect(again.getByTestId('history-row').filter({ hasText: 'Genkør efter fejl hos MitID Erhverv' })).toContainText('Fejlet MitID Erhverv-overførsel genkørt');
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a kodeviser is assigned by serial number, checked with the IdP first; released, it can be assigned again; NSIS levels are shown', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'helpdesk');
  let drawer = await openPerson(page, 'jeskro', 'Jesper Krogh');
  // The identity's NSIS level and each device's.
  await expect(drawer.getByTestId('panel-idp').getByTestId('nsis-level').first()).toHaveText('Betydelig');
  await drawer.getByRole('button', { name: 'Tildel kodeviser' }).click();
  const modal = page.getByRole('dialog', { name: 'Tildel kodeviser: Jesper Krogh' });
  const serial = modal.getByTestId('token-serial');
  // The format, as typed; then what the IdP says: unknown, someone else's, free.
  await serial.fill('KV 1!');
  await expect(modal).toContainText('må kun indeholde bogstaver, tal og bindestreg');
  await serial.fill('KV-999999');
  await expect(modal).toContainText('findes ikke i den lokale IdP');
  await serial.fill('KV-100037');
  await expect(modal).toContainText('tildelt en anden person');
  await serial.fill('kv-101887');
  await expect(modal.getByTestId('token-check')).toHaveText('Kodeviseren KV-101887 er ledig.');
  await modal.getByLabel('Begrundelse').fill('Har ingen smartphone, får en kodeviser');
  await page.screenshot({ path: `${SHOTS}/actions-04-kodeviser.png` });
  await modal.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByText('Kodeviseren KV-101887 er tildelt.', { exact: false }).first()).toBeVisible();
  const device = drawer.getByTestId('device-row').filter({ hasText: 'KV-101887' });
  await expect(device).toBeVisible();
  await expect(device.getByTestId('nsis-level')).toHaveText('Betydelig');
  await device.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/actions-05-kodeviser-assigned.png` });

  // Released, it is free again and goes to someone else.
  await device.getByRole('button', { name: 'Frigiv kodeviser' }).click();
  const release = page.getByRole('dialog', { name: /^Frigiv kodeviser/ });
  await release.getByLabel('Begrundelse').fill('Kodeviseren er afleveret');
  await release.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByTestId('device-row').filter({ hasText: 'KV-101887' })).toHaveCount(0);
  const history = drawer.getByTestId('panel-history');
  await expect(history.getByTestId('history-row').filter({ hasText: 'Har ingen smartphone' }).getByTestId('history-action')).toHaveText('Kodeviser tildelt');
  await expect(history.getByTestId('history-row').filter({ hasText: 'Kodeviseren er afleveret' }).getByTestId('history-action')).toHaveText('Kodeviser frigivet');
  await page.keyboard.press('Escape');

  drawer = await openPerson(page, 'susfre', 'Susanne Frederiksen');
  await drawer.getByRole('button', { name: 'Tildel kodeviser' }).click();
  const again = page.getByRole('dialog', { name: 'Tildel kodeviser: Susanne Frederiksen' });
  await again.getByTestId('token-serial').fill('KV-101887');
  await expect(again.getByTestId('token-check')).toHaveText('Kodeviseren KV-101887 er ledig.');
  await again.getByLabel('Begrundelse').fill('Overtager en afleveret kodeviser');
  await again.getByRole('button', { name: 'Udfør' }).click();
  await expect(drawer.getByTestId('device-row').filter({ hasText: 'KV-101887' })).toBeVisible();

  // The NSIS level as a column of the list.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Kolonner' }).click();
  await page.getByRole('checkbox', { name: 'NSIS-niveau' }).check();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('column-chooser')).toBeHidden();
  const level = page.getByTestId('person-row').filter({ hasText: 'Susanne Frederiksen' }).first().getByTestId('nsis-level');
  await expect(level).toHaveText('Betydelig');
  await level.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/actions-06-nsis-column.png` });
});

test('a whole drift category is planned as a bulk job (dry run first), run with a reason, and the category empties', async ({ page }) => {
  test.setTimeout(180_000);
  await openConsole(page);
  await signIn(page, 'brugeradmin');
  await page.getByTestId('people-tabs').getByText('Afvigelser').click();
  const category = page.getByTestId('drift-identity-missing');
  await expect(category).not.toContainText('…', { timeout: 60_000 });
  await expect(page.getByTestId('freshness-mitid')).toContainText('hentet', { timeout: 60_000 });
  await category.click();
  const count = Number((await category.locator('p').first().innerText()).replace(/\D/g, ''));
  expect(count).toBeGreaterThan(1);
  await page.getByTestId('drift-bulk').click();

  // Masseopgaver opens on the dry run: what will happen to each person; nothing has been written yet.
  await expect(page.getByTestId('bulk-state')).toHaveText('Prøvekørt', { timeout: 60_000 });
  await expect(page.getByTestId('bulk-job')).toContainText(`Afvigelse: Mangler erhvervsidentitet (${count})`);
  await expect(page.getByTestId('bulk-plan-summary')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/actions-07-drift-bulk-plan.png` });
  await page.getByLabel('Begrundelse').fill('Nyansatte mangler erhvervsidentitet');
  await page.getByTestId('bulk-start').click();
  await expect(page.getByTestId('bulk-state')).toHaveText('Færdig', { timeout: 90_000 });
  await expect(page.getByTestId('bulk-done')).toContainText('0 fejlet');
  await page.screenshot({ path: `${SHOTS}/actions-08-drift-bulk-done.png` });

  // The list read again (a bulk job does not refresh it by itself): the category is empty.
  await page.getByRole('navigation').getByRole('link', { name: 'Personer' }).click();
  await page.getByRole('button', { name: 'Opdater', exact: true }).click();
  await page.getByTestId('people-tabs').getByText('Afvigelser').click();
  await expect(page.getByTestId('drift-identity-missing').locator('p').first()).toHaveText('0', { timeout: 90_000 });
});
