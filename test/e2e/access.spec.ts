import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { openConsole, SHOTS, signIn, token } from './support.ts';

// The UI side of the access matrix: for every training operator, the menu and the person page offer
// exactly what main allows (the renderer asks the same `can()` the dispatcher does). Expectations are
// written by hand, per role, as a user would describe them.

type Row = { id: string; displayName: string; username: string };

async function firstRow(request: APIRequestContext, filter: Record<string, string>): Promise<Row> {
  const headers = { Authorization: `Bearer ${token()}` };
  // A session of its own (an unknown session id gets a new one), never the cookie's from an earlier login.
  const login = await request.post('/api/op/session.login', { headers: { ...headers, 'X-Console-Session': 'ny' }, data: { username: 'admin', password: 'Traening-2026' } });
  const session = { ...headers, 'X-Console-Session': login.headers()['x-console-session'] ?? '' };
  // The list fills from MitID Erhverv and the IdP after AD: wait until every source has answered.
  let row: Row | undefined;
  await expect(async () => {
    const body = await (await request.post('/api/op/people.list', { headers: session, data: { filter, limit: 1 } })).json();
    expect((body.data.sources as Array<{ state: string }>).map((x) => x.state)).toEqual(['ok', 'ok', 'ok']);
    row = body.data.rows[0];
    expect(row, JSON.stringify(filter)).toBeDefined();
  }).toPass({ timeout: 60_000 });
  return row as Row;
}

async function open(page: Page, p: Row) {
  await page.getByTestId('people-search').fill(p.username);
  const row = page.getByTestId('person-row').filter({ hasText: p.displayName }).first();
  await row.click();
  const drawer = page.getByRole('dialog', { name: p.displayName });
  await expect(drawer.getByTestId('panel-idp')).toBeVisible();
  await expect(drawer.getByTestId('panel-mitid')).toBeVisible();
  return drawer;
}

const everyScreen = ['Personer', 'Masseopgaver', 'Fejlede overførsler', 'Politikker', 'Klar til Full Service', 'Revision', 'Indstillinger'];
const cases = [
  { user: 'admin', nav: everyScreen, clerk: { reset: true, cpr: true, identity: true, device: true }, pupil: true },
  { user: 'brugeradmin', nav: ['Personer', 'Masseopgaver', 'Fejlede overførsler', 'Politikker'], clerk: { reset: true, cpr: true, identity: true, device: true }, pupil: true },
  { user: 'helpdesk', nav: ['Personer', 'Fejlede overførsler', 'Politikker'], clerk: { reset: true, cpr: true, identity: false, device: true }, pupil: true },
  { user: 'helpdesk.skole', nav: ['Personer', 'Fejlede overførsler', 'Politikker'], clerk: null, pupil: true },
  { user: 'revisor', nav: ['Personer', 'Fejlede overførsler', 'Politikker', 'Klar til Full Service', 'Revision', 'Indstillinger'], clerk: { reset: false, cpr: false, identity: false, device: false }, pupil: false },
] as const;

for (const c of cases) {
  test(`${c.user}: the menu and the person page offer what the role allows`, async ({ page, request }) => {
    const clerk = await firstRow(request, { ou: 'Borgerservice', mitidState: 'Active', adEnabled: 'yes', mfa: 'some' });
    const pupil = await firstRow(request, { ou: 'Skoler', adEnabled: 'yes', mfa: 'some' });
    await openConsole(page);
    await signIn(page, c.user);
    await expect(page.getByRole('navigation').getByRole('link')).toHaveText([...c.nav]);
    // An auditor lands on Revision; everyone reaches the list from the menu.
    await page.getByRole('navigation').getByRole('link', { name: 'Personer' }).click();

    if (c.clerk === null) {
      // Someone outside the agent's units is not in their list at all.
      await page.getByTestId('people-search').fill(clerk.username);
      await expect(page.getByTestId('people-count')).toContainText('0 personer');
    } else {
      const drawer = await open(page, clerk);
      const shown = async (name: string | RegExp) => (await drawer.getByRole('button', { name }).count()) > 0;
      expect({
        reset: await shown('Nulstil adgangskode'),
        cpr: await shown('Vis fuldt CPR-nummer'),
        identity: await shown('Suspendér identitet'),
        device: await shown(/^Lås enhed( op)?$/),
      }).toEqual(c.clerk);
      await page.screenshot({ path: `${SHOTS}/access-${c.user}-clerk.png` });
      await page.keyboard.press('Escape');
    }
    const drawer = await open(page, pupil);
    await expect(drawer.getByRole('button', { name: 'Nulstil adgangskode' })).toHaveCount(c.pupil ? 1 : 0);
  });
}
