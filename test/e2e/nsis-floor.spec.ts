import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { openConsole, SHOTS, signIn, token } from './support.ts';

// The NSIS floor (#19) in the training municipality. Pupils live in a policy domain exempt from NSIS: a
// pupil's page offers no identity, in main's words. When an administrator puts people who hold MitID
// Erhverv identities under that domain (here: the external consultants' OU, through the policy setup), the
// policies screen warns of it — counted in main from the people list, not by asking MitID Erhverv.

const PUPILS = 'elever.fjordby.kommune.test';
const EXTERNALS = 'OU=Eksterne konsulenter,DC=fjordby,DC=kommune,DC=test';

async function op<T>(request: APIRequestContext, headers: Record<string, string>, name: string, data: unknown): Promise<T> {
  const r = await request.post(`/api/op/${name}`, { headers, data });
  const body = (await r.json()) as { ok: boolean; data: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
  return body.data;
}

test('Politikker warns of a domain weaker than NSIS whose people hold identities; a pupil is offered none', async ({ page, request }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  // The setup as an administrator would save it under Politikker › Opsætning, and back afterwards.
  const auth = { Authorization: `Bearer ${token()}` };
  const login = await request.post('/api/op/session.login', { headers: { ...auth, 'X-Console-Session': 'ny' }, data: { username: 'admin', password: 'Traening-2026' } });
  const headers = { ...auth, 'X-Console-Session': login.headers()['x-console-session'] ?? '' };
  type Config = { domainOus: Record<string, string[]> } & Record<string, unknown>;
  const { config } = await op<{ config: Config }>(request, headers, 'policy.getConfig', {});
  const moved = { ...config, domainOus: { ...config.domainOus, [PUPILS]: [...(config.domainOus[PUPILS] ?? []), EXTERNALS] } };
  await op(request, headers, 'policy.updateConfig', { config: moved, reason: 'Eksterne konsulenter under elevpolitikken (e2e)' });
  try {
    await check(page);
  } finally {
    await op(request, headers, 'policy.updateConfig', { config, reason: 'Opsætningen tilbage (e2e)' });
  }
});

async function check(page: Page): Promise<void> {
  await openConsole(page);
  await signIn(page, 'admin');
  await page.getByRole('navigation').getByRole('link', { name: 'Politikker' }).click();
  await expect(page.getByRole('heading', { name: 'Politikker', level: 1 })).toBeVisible();

  // Another domain is selected: the warning stands above the domain picker, with a way to the domain.
  const listed = page.getByTestId('floor-warnings').getByTestId(`floor-warning-${PUPILS}`);
  await expect(listed).toBeVisible({ timeout: 30_000 });
  await expect(listed).toContainText(/\d[\d.]* personer i Elever \(elever\.fjordby\.kommune\.test\) har en MitID Erhverv-identitet, men domænets politik er svagere end NSIS-kravet/);
  await expect(listed).toContainText('En administrator skal gøre domænet til et NSIS-domæne');
  await page.screenshot({ path: `${SHOTS}/nsis-floor-01-warning.png` });

  // On the domain's own card it says the same, and the list above no longer repeats it.
  await listed.getByRole('button', { name: /^Vis Elever/ }).click();
  await expect(page.getByTestId('policy-domain')).toHaveValue(/Elever/);
  const card = page.getByTestId(`floor-warning-${PUPILS}`);
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Indtil da giver konsollen ingen flere identiteter');
  await page.screenshot({ path: `${SHOTS}/nsis-floor-02-domain.png` });

  // The same warning in English, from the same codes and numbers.
  await page.getByRole('radiogroup', { name: 'Sprog' }).getByText('English').click();
  await expect(card).toContainText(/\d[\d,]* people in Elever \(elever\.fjordby\.kommune\.test\) hold a MitID Erhverv identity, but the domain's policy is weaker than the NSIS floor/);
  await expect(card).toContainText('An administrator must make the domain an NSIS domain');
  await page.screenshot({ path: `${SHOTS}/nsis-floor-02-domain-en.png` });
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('Dansk').click();
  await expect(card).toContainText('har en MitID Erhverv-identitet');

  // A pupil: the person page asks main's decision and offers no identity, saying why and what to do.
  await page.getByRole('navigation').getByRole('link', { name: 'Personer' }).click();
  await page.getByTestId('people-search').fill('elev');
  const row = page.getByTestId('person-row').first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.click();
  const floor = page.getByRole('dialog').getByTestId('identity-floor');
  await expect(floor).toBeVisible({ timeout: 30_000 });
  await expect(floor).toContainText('elever.fjordby.kommune.test er ikke et NSIS-domæne');
  await expect(floor).toContainText('En administrator skal først gøre elever.fjordby.kommune.test til et NSIS-domæne');
  await floor.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/nsis-floor-03-pupil.png` });
}
