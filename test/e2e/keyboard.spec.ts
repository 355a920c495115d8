// The helpdesk's day from the keyboard alone: sign in, Ctrl+K to the search, the person, unlock with a
// reason, reset the password with a reason, done — no mouse. Every stop of the focus must be visible
// (the focus ring is drawn) and land where the next step is: the search, the first result, the drawer's
// action, the dialog's first field, back on what opened the dialog. Then an accessibility-tree check of
// the main screens' landmarks and headings, and of the person page's sections and actions, as a screen
// reader reads them (Playwright's ariaSnapshot of Chromium's accessibility tree).
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { openConsole, SHOTS, signIn, token } from './support.ts';

interface Focus {
  tag: string;
  role: string | null;
  name: string;
  testid: string | null;
  ring: boolean;
}

/** What has the focus, and whether it is visibly marked (:focus-visible with an outline or a shadow). */
async function focused(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', role: null, name: '', testid: null, ring: false };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && Number.parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow !== 'none' && cs.boxShadow !== '';
    // A text field shows its focus by its border turning the primary colour (Mantine's --input-bd-focus).
    const probe = document.createElement('span');
    probe.style.color = 'var(--mantine-primary-color-filled)';
    document.body.append(probe);
    const primary = getComputedStyle(probe).color;
    probe.remove();
    const field = (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && el.matches(':focus') && cs.borderTopColor === primary;
    const label = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.textContent ?? '';
    return { tag: el.tagName.toLowerCase(), role: el.getAttribute('role'), name: label.trim().replace(/\s+/g, ' ').slice(0, 80), testid: el.getAttribute('data-testid'), ring: field || (el.matches(':focus-visible') && (outline || shadow)) };
  });
}

/** The focus ring is drawn: a field's border colour lands through a CSS transition, so poll for it. */
async function expectRing(page: Page, message: string): Promise<void> {
  await expect.poll(async () => (await focused(page)).ring, { message, timeout: 2000 }).toBe(true);
}

/** Presses Tab until the focus is on what `want` accepts; every stop on the way must show its focus. */
async function tabTo(page: Page, want: (f: Focus) => boolean, what: string, max = 40): Promise<Focus> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    expect(f.tag, `Tab ${i + 1} towards ${what} lost the focus to the page`).not.toBe('body');
    await expectRing(page, `Tab ${i + 1} towards ${what}: no visible focus on ${f.tag} "${f.name}"`);
    if (want(f)) return f;
  }
  throw new Error(`${what} not reached in ${max} Tabs`);
}

/** A locked person nobody else's spec touches: the last one in the list, found by the administrator. */
async function lockedPerson(request: APIRequestContext): Promise<{ name: string; username: string }> {
  const headers = { Authorization: `Bearer ${token()}` };
  const login = await request.post('/api/op/session.login', { headers: { ...headers, 'X-Console-Session': 'ny' }, data: { username: 'admin', password: 'Traening-2026' } });
  const admin = { ...headers, 'X-Console-Session': login.headers()['x-console-session'] ?? '' };
  const res = await request.post('/api/op/people.list', { headers: admin, data: { filter: { adLocked: 'yes' }, sort: 'displayName', dir: 'desc', limit: 50 } });
  const rows = (await res.json()).data.rows as Array<{ displayName: string; username: string; ouPath: string }>;
  // Outside the schools (the scoped agent's specs use those), and the only match for their username, so
  // the search finds exactly them.
  let pick: (typeof rows)[number] | undefined;
  for (const r of rows.filter((x) => !x.ouPath.startsWith('Skoler'))) {
    const hits = await request.post('/api/op/people.list', { headers: admin, data: { text: r.username, limit: 5 } });
    if ((await hits.json()).data.rows.length === 1) {
      pick = r;
      break;
    }
  }
  if (!pick) throw new Error('no locked person to use');
  return { name: pick.displayName, username: pick.username };
}

test('a helpdesk agent unlocks and resets a password from sign-in to done without the mouse', async ({ page, request }) => {
  test.setTimeout(120_000);
  const { name, username } = await lockedPerson(request);
  await openConsole(page);

  // Sign in: the username field has the focus on arrival.
  await expect(page.getByLabel('Brugernavn', { exact: true })).toBeFocused();
  await page.keyboard.type('helpdesk');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Adgangskode', { exact: true })).toBeFocused();
  await page.keyboard.type('Traening-2026');
  await page.keyboard.press('Enter');
  await page.getByTestId('operator').waitFor();

  // Ctrl+K from anywhere puts the focus in the search box.
  await page.keyboard.press('Control+k');
  const search = page.getByTestId('people-search');
  await expect(search).toBeFocused();
  await expectRing(page, 'the search shows its focus');
  await page.keyboard.type(username);
  const row = page.getByTestId('person-row').filter({ hasText: username });
  await expect(row).toBeVisible();
  await expect(page.getByTestId('person-row')).toHaveCount(1);

  // One Tab from the search to the first result; Enter opens the person.
  await page.keyboard.press('Tab');
  await expect(row).toBeFocused();
  await expectRing(page, 'the focused row shows its focus');
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer.getByTestId('panel-ad')).toBeVisible({ timeout: 30_000 });
  await expect(drawer.getByRole('button', { name: 'Lås op' })).toBeVisible();

  // To "Lås op" by Tab; Enter opens the dialog with the focus in it.
  await tabTo(page, (f) => f.tag === 'button' && f.name === 'Lås op', 'Lås op');
  await page.keyboard.press('Enter');
  const unlock = page.getByRole('dialog', { name: `Lås op: ${name}` });
  await expect(unlock).toBeVisible();
  await expect.poll(async () => unlock.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await tabTo(page, (f) => f.tag === 'textarea' || f.name.startsWith('Begrundelse'), 'the reason field');
  await page.keyboard.type('Ringede selv ind, identitet bekræftet med MitID');
  await tabTo(page, (f) => f.tag === 'button' && f.name === 'Udfør', 'Udfør');
  await page.screenshot({ path: `${SHOTS}/keyboard-01-unlock.png` });
  await page.keyboard.press('Enter');
  await expect(unlock).toHaveCount(0);
  await expect(drawer.getByTestId('person-outcome')).toContainText('låst op');
  // The focus comes back to the drawer (the opener, or the outcome once the opener is gone), never lost to the page.
  await expect.poll(async () => drawer.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  expect((await focused(page)).tag).not.toBe('body');
  await expect(drawer.getByRole('button', { name: 'Lås op' })).toHaveCount(0, { timeout: 20_000 });

  // Reset the password: Tab to the action, a suggested password, a reason, confirm.
  await tabTo(page, (f) => f.tag === 'button' && f.name === 'Nulstil adgangskode', 'Nulstil adgangskode');
  await page.keyboard.press('Enter');
  const reset = page.getByRole('dialog', { name: `Nulstil adgangskode: ${name}` });
  await expect(reset).toBeVisible();
  await tabTo(page, (f) => f.tag === 'button' && f.name === 'Foreslå en ny', 'Foreslå en ny');
  await page.keyboard.press('Enter');
  await expect(reset.getByTestId('policy-ok')).toBeVisible();
  await tabTo(page, (f) => f.tag === 'textarea' || f.name.startsWith('Begrundelse'), 'the reason field');
  await page.keyboard.type('Glemt adgangskode, identitet bekræftet i telefonen');
  await tabTo(page, (f) => f.tag === 'button' && f.name === 'Udfør', 'Udfør');
  await page.keyboard.press('Enter');
  await expect(reset.getByTestId('new-password')).toBeVisible();
  // The shown-once password's "Færdig" has the focus; Enter closes, and the focus returns to the drawer.
  await expect(reset.getByRole('button', { name: 'Færdig' })).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/keyboard-02-reset-shown-once.png` });
  await page.keyboard.press('Enter');
  await expect(reset).toHaveCount(0);
  await expect(drawer.getByTestId('person-outcome')).toContainText('nulstillet');
  // The drawer moves the focus a moment after the dialog has gone (after Mantine's own focus return).
  await expect.poll(async () => drawer.evaluate((d) => d.contains(document.activeElement))).toBe(true);

  // Esc closes the drawer and the focus goes back to the person's row (refetched since it was opened),
  // not the page.
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(row).toBeFocused();
  await expectRing(page, 'the row the drawer returned to shows its focus');
  await page.screenshot({ path: `${SHOTS}/keyboard-03-back-in-list.png` });
});

test('the main screens and the person page read sensibly as an accessibility tree', async ({ page }) => {
  await openConsole(page);
  await page.getByLabel('Brugernavn', { exact: true }).fill('admin');
  await page.getByLabel('Adgangskode', { exact: true }).fill('Traening-2026');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.getByTestId('operator').waitFor();

  // Landmarks: a banner, a navigation with every screen, a main region with the screen's heading.
  await expect(page.getByRole('banner')).toMatchAriaSnapshot(`
    - banner:
      - heading "Lokal IdP Admin" [level=2]
      - radiogroup "Sprog"
      - button "Vis tastaturgenveje"
      - button "Log ud"
  `);
  await expect(page.getByRole('navigation').first()).toMatchAriaSnapshot(`
    - navigation:
      - link "Personer"
      - link "Masseopgaver"
      - link "Politikker"
      - link "Revision"
      - link "Indstillinger"
  `);
  await expect(page.getByRole('contentinfo')).toBeVisible();
  for (const [link, heading] of [['Personer', 'Personer'], ['Masseopgaver', 'Masseopgaver'], ['Politikker', 'Politikker'], ['Revision', 'Revision'], ['Indstillinger', 'Indstillinger']] as const) {
    await page.getByRole('navigation').getByRole('link', { name: link }).click();
    const main = page.getByRole('main');
    // A screen that loads its data first (Revision: the journal's charts) can take a while on a busy machine.
    await expect(main.getByRole('heading', { level: 2, name: heading }).or(main.getByRole('heading', { level: 1, name: heading })).first()).toBeVisible({ timeout: 20_000 });
    // Heading levels inside a screen (no skips) are checked by axe's heading-order rule in a11y.spec.ts.
  }

  // The person page: a named dialog whose sections are headed and whose actions are named buttons.
  await page.getByRole('navigation').getByRole('link', { name: 'Personer' }).click();
  const row = page.getByTestId('person-row').first();
  await expect(row).toBeVisible();
  const name = (await row.locator('td').first().innerText()).trim();
  await row.click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer.getByTestId('panel-ad')).toBeVisible({ timeout: 30_000 });
  await expect(drawer.getByTestId('panel-mitid')).toBeVisible();
  const tree = await drawer.ariaSnapshot();
  for (const section of ['Active Directory', 'MitID Erhverv', 'Lokal IdP', 'Historik']) expect(tree, section).toMatch(new RegExp(`heading "${section}[^"]*" \\[level=\\d\\]`));
  expect(tree).toMatch(/button "Luk"/);
  // Every button has a name a screen reader can say.
  expect(tree).not.toMatch(/- button\s*(\[|$)/m);
});

test('Arrow Down walks the virtual list past the first screen, one person at a time', async ({ page }) => {
  await openConsole(page);
  await signIn(page, 'helpdesk');
  const first = page.getByTestId('person-row').first();
  await expect(first).toBeVisible();
  await first.focus();
  // Far beyond the rows rendered at first (the screen and a small overscan): each step must find the next
  // row in the DOM, as the list renders more while the focus scrolls it.
  for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe('61');
  await expect(page.locator('tr[aria-rowindex="61"]')).toBeInViewport();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowUp');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe('41');
});
