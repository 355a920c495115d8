// Two AD domains in one console, live (#19): the municipality's DC and the schools' DC, each a real Samba
// domain of its own. A school helpdesk signs in with name@skole.test and sees the school's people only;
// a pupil's password reset is decided by the school's AD under the operator's own bind (refused to the
// helpdesk, done by the school's administrator, landing there only); the municipality's helpdesk of the
// same name, signed in after, sees the municipality's people and no pupil.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openModal, SHOTS } from '../support.ts';
import { apiSession, dcClient, openPerson, schoolDcClient, signIn } from './support.ts';
import { ADMIN_UPN, ADMIN_PASSWORD, BASE_DN, DNS_DOMAIN, OPERATORS, SPECIAL } from '../../support/samba/seed-facts.ts';
import { SCHOOL_ADMIN_PASSWORD, SCHOOL_BASE_DN, SCHOOL_DNS, SCHOOL_OPERATORS, SCHOOL_OU, SCHOOL_PASSWORD, SCHOOL_ROLE_GROUPS } from '../../support/samba/school.ts';
import { psoContainer, psoNameFor } from '../../../src-main/connectors/ad/pso.ts';

test.use({ baseURL: process.env.LIVE_URL });

const PUPIL = { username: 'elev.0002', cn: 'Bertram Østergaard' };

/** The reason a bind with `password` fails in a DC (null: it succeeded). */
async function bindError(client: ReturnType<typeof dcClient>, upn: string, password: string): Promise<string | null> {
  const err = await client.bind(upn, password).then(() => null, (e: unknown) => (e instanceof Error ? e.message : String(e)));
  await client.unbind().catch(() => {});
  return err;
}

/** Opens the pupil and the reset dialog with a suggested password and a reason filled in. */
async function resetDialog(page: Page): Promise<Locator> {
  const drawer = await openPerson(page, PUPIL.username, PUPIL.cn);
  const reset = page.getByRole('dialog', { name: /^Nulstil adgangskode:/ });
  await openModal(drawer.getByRole('button', { name: 'Nulstil adgangskode' }), reset);
  await reset.getByRole('button', { name: 'Foreslå en ny' }).click();
  await expect(reset.getByTestId('policy-ok')).toBeVisible();
  await reset.getByLabel('Begrundelse').fill('Elev har glemt adgangskoden, lærer bekræfter');
  return reset;
}

test('a school helpdesk works in the school domain only; the municipality’s helpdesk of the same name in theirs', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, `${SCHOOL_OPERATORS.helpdesk}@${SCHOOL_DNS}`, '/', SCHOOL_PASSWORD);
  await expect(page.getByTestId('operator')).toContainText('Skolerne');
  await expect(page.getByTestId('people-scope')).toHaveText('Du ser kun personer i domænet Skolerne.');
  await expect(page.getByTestId('person-row').filter({ hasText: PUPIL.username })).toHaveCount(1, { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/live-domains-01-school-list.png` });
  // A municipality person is not in a school operator's list.
  await page.getByTestId('people-search').fill(SPECIAL.lockTarget.username);
  await expect(page.getByTestId('people-count')).toContainText('0 personer');

  // A pupil's new password: AD decides under the operator's own bind in the school's AD — the school
  // helpdesk has no delegation there, so AD refuses, and the console says so.
  const reset = await resetDialog(page);
  await reset.getByRole('button', { name: 'Udfør' }).click();
  await expect(reset.getByRole('alert')).toContainText('din konto har ikke rettigheden (AD-delegering)');
  await reset.getByRole('button', { name: 'Annullér' }).click();
  await page.keyboard.press('Escape');

  // The school's IT administrator runs the school domain: their reset lands in the school's AD.
  await page.getByRole('button', { name: 'Log ud' }).click();
  await signIn(page, `${SCHOOL_OPERATORS.administrator}@${SCHOOL_DNS}`, '/', SCHOOL_PASSWORD);
  await expect(page.getByTestId('operator')).toContainText('Skolerne');
  const again = await resetDialog(page);
  await again.getByRole('button', { name: 'Udfør' }).click();
  const shown = (await again.getByTestId('new-password').textContent()) ?? '';
  expect(shown.length).toBeGreaterThanOrEqual(15);
  await again.getByRole('button', { name: 'Færdig' }).click();
  // The school's DC knows it (a must-change bind, "data 773", is what AD says only to the right password);
  // the old one no longer works there.
  expect(await bindError(schoolDcClient(), `${PUPIL.username}@${SCHOOL_DNS}`, shown)).toMatch(/data 773/);
  expect(await bindError(schoolDcClient(), `${PUPIL.username}@${SCHOOL_DNS}`, SCHOOL_PASSWORD)).toMatch(/data 52e|invalid credentials/i);
  await page.keyboard.press('Escape');

  // The school's administrator reads the school's journal only: the reset is there, under their name with
  // the school's domain; none of the municipality's operators' records of this run is.
  await page.getByRole('navigation').getByRole('link', { name: 'Revision' }).click();
  await expect(page.getByTestId('audit-only-domain')).toContainText('Skolerne');
  await page.getByTestId('audit-text').fill(PUPIL.username);
  const rows = page.getByTestId('audit-row');
  await expect(rows.filter({ hasText: `${SCHOOL_OPERATORS.administrator}@skole` }).first()).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('audit-text').fill('');
  await expect(rows.first()).toBeVisible();
  const operators = await rows.evaluateAll((els) => els.map((e) => e.children[2]?.textContent ?? ''));
  expect(operators.filter((o) => o !== '–' && !/@skole\)$/.test(o))).toEqual([]);

  // The municipality's helpdesk (the same account name, another account): their domain, no pupil of the school.
  await page.getByRole('button', { name: 'Log ud' }).click();
  await signIn(page, OPERATORS.helpdesk);
  await expect(page.getByTestId('operator')).toContainText('Kommunen');
  await expect(page.getByTestId('people-scope')).toHaveCount(0);
  await page.getByTestId('people-search').fill(SPECIAL.lockTarget.username);
  await expect(page.getByTestId('person-row').filter({ hasText: SPECIAL.lockTarget.username })).toHaveCount(1, { timeout: 30_000 });
  await page.getByTestId('people-search').fill(PUPIL.username);
  await expect(page.getByTestId('people-count')).toContainText('0 personer');
  // The municipality's DC has no such pupil: nothing was written there.
  expect(await bindError(dcClient(), `${PUPIL.username}@${DNS_DOMAIN}`, shown)).not.toBeNull();
});

/** The PSOs a DC holds, by name. */
async function psosIn(client: ReturnType<typeof dcClient>, upn: string, password: string, baseDn: string): Promise<Map<string, Record<string, unknown>>> {
  await client.bind(upn, password);
  try {
    const r = await client.search(psoContainer(baseDn), { scope: 'one', filter: '(objectClass=msDS-PasswordSettings)', attributes: ['cn', 'msDS-MinimumPasswordLength', 'msDS-PSOAppliesTo'] });
    return new Map(r.searchEntries.map((e) => [String(e.cn), e as Record<string, unknown>]));
  } finally {
    await client.unbind().catch(() => {});
  }
}

test('a policy saved for the schools’ domain lands in the schools’ AD only; its setup is the municipality’s', async ({ page }) => {
  test.setTimeout(90_000);
  const api = async (op: string, data: unknown) => {
    const r = await page.request.post(`/api/op/${op}`, { headers: { Authorization: `Bearer ${process.env.LIVE_TOKEN}` }, data });
    return { status: r.status(), body: (await r.json()) as { data?: Record<string, unknown>; error?: Record<string, unknown> } };
  };
  const group = `CN=${SCHOOL_ROLE_GROUPS.helpdesk},${SCHOOL_OU.it}`;
  // Which policy governs which AD group is the municipality's to set up, also for the schools' domain.
  await signIn(page, OPERATORS.administrator);
  // The IdP's key, as the municipality's administrator hands it over (this spec may run on its own).
  expect((await api('settings.setSecret', { key: 'idp.apiKey', value: process.env.LIVE_IDP_KEY ?? '' })).status).toBe(200);
  const cfg = (await api('policy.getConfig', {})).body.data!.config as { domainGroups: Record<string, string[]> };
  const config = { ...cfg, domainGroups: { ...cfg.domainGroups, [SCHOOL_DNS]: [group] } };
  expect((await api('policy.updateConfig', { config, reason: 'Skolernes politik gælder skolernes helpdesk' })).status).toBe(200);

  await page.getByRole('button', { name: 'Log ud' }).click();
  await signIn(page, `${SCHOOL_OPERATORS.administrator}@${SCHOOL_DNS}`, '/', SCHOOL_PASSWORD);
  const refused = await api('policy.updateConfig', { config: cfg, reason: 'Forsøg fra skolernes administrator' });
  expect(refused.status).toBe(403);
  expect(refused.body.error).toMatchObject({ code: 'forbidden', details: { reason: 'municipality', domain: 'Skolerne' } });

  // The school's administrator raises the school's minimum length: saved on the IdP, written to the school's AD.
  const got = await api('policy.get', { domain: SCHOOL_DNS });
  expect(got.status, JSON.stringify(got.body.error)).toBe(200);
  const policy = got.body.data!.policy as { version: number; settings: Record<string, unknown> };
  const saved = await api('policy.update', { domain: SCHOOL_DNS, basedOnVersion: policy.version, settings: { ...policy.settings, minLength: 13 }, reason: 'Skolerne strammer op' });
  expect(saved.status, JSON.stringify(saved.body.error)).toBe(200);
  expect(saved.body.data!.adMirror).toMatchObject({ state: 'mirrored' });
  const name = psoNameFor(SCHOOL_DNS);
  const school = await psosIn(schoolDcClient(), `Administrator@${SCHOOL_DNS}`, SCHOOL_ADMIN_PASSWORD, SCHOOL_BASE_DN);
  expect(school.get(name)?.['msDS-MinimumPasswordLength']).toBe('13');
  expect(String(school.get(name)?.['msDS-PSOAppliesTo'])).toContain(group);
  // Nothing of it in the municipality's AD.
  const town = await psosIn(dcClient(), ADMIN_UPN, ADMIN_PASSWORD, BASE_DN);
  expect(town.has(name)).toBe(false);
});

test('one session in both domains: the list shows both, each with its own count, each person under their domain’s grant', async ({ page, request }) => {
  test.setTimeout(120_000);
  type ListPage = { total: number; domains: Array<{ id: string; name: string; count: number }>; rows: Array<{ username: string; domain?: { name: string } | null }> };
  const list = async (headers: Record<string, string>, data: unknown): Promise<ListPage> =>
    ((await (await request.post('/api/op/people.list', { headers, data })).json()) as { data: ListPage }).data;
  // What each domain's operator sees alone, in sessions of their own.
  const townAlone = await list(await apiSession(request, OPERATORS.administrator), { limit: 1 });
  const schoolAlone = await list(await apiSession(request, `${SCHOOL_OPERATORS.helpdesk}@${SCHOOL_DNS}`, '/', SCHOOL_PASSWORD), { limit: 1 });
  expect(schoolAlone.domains).toEqual([{ id: expect.any(String), name: 'Skolerne', count: schoolAlone.total }]);

  await signIn(page, OPERATORS.administrator);
  await expect(page.getByTestId('people-domain-counts')).toHaveCount(0);
  const dialog = page.getByRole('dialog', { name: 'Log også ind i et andet AD-domæne' });
  await openModal(page.getByTestId('add-domain'), dialog);
  await dialog.getByLabel('Brugernavn', { exact: true }).fill(`${SCHOOL_OPERATORS.helpdesk}@${SCHOOL_DNS}`);
  await dialog.getByLabel('Adgangskode', { exact: true }).fill(SCHOOL_PASSWORD);
  await dialog.getByRole('button', { name: 'Log ind i domænet' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('operator')).toContainText('Administrator · Kommunen + Helpdesk · Skolerne');

  // Each domain's own count, as its operator alone sees it; together the whole list.
  const fmt = (n: number) => n.toLocaleString('da-DK');
  await expect(page.getByTestId('people-domain-counts')).toHaveText(`Pr. domæne: Kommunen ${fmt(townAlone.total)} · Skolerne ${fmt(schoolAlone.total)}`, { timeout: 30_000 });
  await expect(page.getByRole('columnheader', { name: 'Domæne' })).toBeVisible();
  // The page's own session (its cookie), as the renderer asks.
  const both = ((await (await page.request.post('/api/op/people.list', { headers: { Authorization: `Bearer ${process.env.LIVE_TOKEN}` }, data: { limit: 1 } })).json()) as { data: ListPage }).data;
  expect(both.domains.map((d) => [d.name, d.count])).toEqual([['Kommunen', townAlone.total], ['Skolerne', schoolAlone.total]]);
  expect(both.total).toBe(townAlone.total + schoolAlone.total);
  // A pupil and a municipality person in one list, each with their domain.
  await page.getByTestId('people-search').fill(PUPIL.username);
  await expect(page.getByTestId('person-row').filter({ hasText: PUPIL.username })).toContainText('Skolerne', { timeout: 20_000 });
  await page.getByTestId('people-search').fill(SPECIAL.lockTarget.username);
  await expect(page.getByTestId('person-row').filter({ hasText: SPECIAL.lockTarget.username })).toContainText('Kommunen');
  await page.getByTestId('people-search').fill('');
  await expect(page.getByTestId('person-row').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/live-domains-03-both-domains-list.png` });

  // The filter narrows to one domain, with that domain's count.
  await page.getByTestId('people-domain-filter').click();
  await page.getByRole('option', { name: /^Skolerne/ }).click();
  await expect(page.getByTestId('people-count')).toContainText(fmt(schoolAlone.total));
});

test('the schools’ administrator edits the schools’ settings entry only: the municipality’s is shown disabled', async ({ page }) => {
  await signIn(page, `${SCHOOL_OPERATORS.administrator}@${SCHOOL_DNS}`, '/', SCHOOL_PASSWORD);
  await page.getByRole('navigation').getByRole('link', { name: 'Indstillinger' }).click();
  await expect(page.getByTestId('own-domain-note')).toContainText('Skolerne');
  await expect(page.getByTestId('domain-add')).toHaveCount(0);
  const row = (name: string) => page.getByTestId(/^domain-row-/).filter({ hasText: name });
  const editor = page.getByTestId('domain-editor');
  // The editor opens on the municipality's own domain: every field disabled, as main would refuse a change.
  await expect(editor).toContainText('Kommunen');
  for (const box of await editor.getByRole('textbox').all()) await expect(box).toBeDisabled();
  await row('Skolerne').getByTestId(/^domain-edit-/).click();
  await expect(editor).toContainText('Skolerne');
  await expect(editor.getByRole('textbox').first()).toBeEnabled();
  await expect(editor.getByRole('checkbox').first()).toBeEnabled();
  await page.screenshot({ path: `${SHOTS}/live-domains-04-school-settings.png` });
});
