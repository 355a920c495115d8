// The people operations through the dispatcher in the training environment: the training directory, the
// IdP simulator and a MitID Erhverv simulator this test owns (so it can read the create counter), all
// reached over real sockets by the real clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpInput, OpName, OpOutput } from '../../../shared/operations/index.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { generateTrainingAccounts } from '../../../src-main/training/seed.ts';
import { startTrainingMitIdErhverv, type TrainingMitId } from '../../../src-main/training/mitid-sim/training.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';
import { sqlOf } from '../../support/sql.ts';

let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
let mitid: TrainingMitId;
const brugeradmin = caller('ws-brugeradmin');
const helpdesk = caller('ws-helpdesk');
const skole = caller('ws-skole');
const revisor = caller('ws-revisor');
const accounts = generateTrainingAccounts();
// A newly hired employee the MitID Erhverv simulator does not know yet.
const newcomer = accounts.find((a) => a.ouPath[0] === 'Teknik og Miljø' && a.enabled && !a.locked && a.email)!;

type Result = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };
async function call<N extends OpName>(name: N, input: OpInput<N>, who: ReturnType<typeof caller>): Promise<OpOutput<N>> {
  const r: Result = await core.dispatch(name, input, who);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as OpOutput<N>;
}

beforeAll(async () => {
  // The training environment with a MitID Erhverv simulator of this test's own in place of the standard one.
  env = await testCore({
    simulators: true,
    adjustEnvironment: async (e) => {
      mitid = await startTrainingMitIdErhverv({
        people: accounts.map((a) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email })),
        linkRule: e.connections.rulesFor(null).linkRule,
        include: (p, i) => p.username !== newcomer.username && !accounts[i]?.ouPath.includes('Elever') && !accounts[i]?.ouPath.includes('Fratrådte'),
      });
      return { ...e, connections: { ...e.connections, mitid: mitid.port } };
    },
  });
  core = env.core;
  for (const [c, u] of [[brugeradmin, 'brugeradmin'], [helpdesk, 'helpdesk'], [skole, 'helpdesk.skole'], [revisor, 'revisor']] as const) {
    const r = await core.dispatch('session.login', { username: u, password: TRAINING_PASSWORD }, c);
    expect(r.ok).toBe(true);
  }
  // First list call builds the index from AD; MitID Erhverv and the IdP follow in the background.
  await call('people.list', { limit: 1 }, revisor);
  await core.people().idle();
}, 120_000);

afterAll(async () => {
  await mitid?.stop();
  await env?.dispose();
});

describe('the people list', () => {
  it('merges AD, MitID Erhverv and the IdP into one row per person and reports each source as fresh', async () => {
    const page = await call('people.list', { limit: 50 }, revisor);
    expect(page.indexed).toBeGreaterThanOrEqual(accounts.length);
    expect(page.sources.map((s) => [s.system, s.state])).toEqual([
      ['ad', 'ok'],
      ['mitid', 'ok'],
      ['idp', 'ok'],
    ]);
    const staff = page.rows.find((r) => r.ad?.enabled && !r.ouPath.includes('Elever') && !r.ouPath.includes('Fratrådte'));
    expect(staff?.mitid.state).toBe('Active');
    expect(staff?.mitid.localCredential).toBe(true);
    expect(staff?.idp.loaded).toBe(true);
    expect(staff?.idp.nsisStatus).toBeTruthy();
    // Pupils have no identity and that is not drift.
    const pupils = await call('people.list', { filter: { ou: 'Skoler / Elever' }, limit: 5 }, revisor);
    expect(pupils.total).toBeGreaterThan(0);
    expect(pupils.rows.every((r) => r.mitid.state === 'none' && !r.drift.includes('identity-missing'))).toBe(true);
  });

  it('finds people by part of an æøå name however it is typed, and pages through a sorted view', async () => {
    const a = await call('people.list', { text: 'sør', limit: 500 }, revisor);
    const b = await call('people.list', { text: 'SOER', limit: 500 }, revisor);
    expect(a.total).toBeGreaterThan(0);
    expect(b.total).toBe(a.total);
    expect(a.rows.every((r) => /sør|soer/i.test(`${r.displayName} ${r.username} ${r.email}`))).toBe(true);
    const all = await call('people.list', { sort: 'username', dir: 'desc', limit: 500 }, revisor);
    const next = await call('people.list', { sort: 'username', dir: 'desc', offset: 500, limit: 10 }, revisor);
    const names = all.rows.map((r) => r.username);
    const sorted = [...names].sort((x, y) => new Intl.Collator('da-DK', { sensitivity: 'base', numeric: true }).compare(y, x));
    expect(names).toEqual(sorted);
    expect(next.offset).toBe(500);
    expect(next.rows.length).toBe(10);
  });

  it('reports the seeded drift by kind, and filters on it', async () => {
    const page = await call('people.list', { limit: 1 }, revisor);
    for (const kind of ['suspended-active-ad', 'credential-missing', 'subject-mismatch', 'only-in-mitid'] as const) {
      expect(page.drift[kind], kind).toBeGreaterThanOrEqual(1);
      const rows = await call('people.list', { filter: { drift: kind }, limit: 100 }, revisor);
      expect(rows.total).toBe(page.drift[kind]);
      expect(rows.rows.every((r) => r.drift.includes(kind))).toBe(true);
    }
    const locked = await call('people.list', { filter: { adLocked: 'yes' }, limit: 500 }, revisor);
    expect(locked.total).toBe(accounts.filter((x) => x.locked).length);
  });

  it('exports exactly the current view as CSV with BOM and semicolons, and as XLSX', async () => {
    const view = { text: 'sør', filter: { adEnabled: 'yes' as const }, sort: 'username' as const };
    const page = await call('people.list', { ...view, limit: 500 }, revisor);
    const csv = await call('people.export', { ...view, format: 'csv', columns: ['displayName', 'username', 'mitidState'] }, revisor);
    const text = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(text.startsWith('\uFEFF"Navn";"Brugernavn";"MitID Erhverv"\r\n')).toBe(true);
    const lines = text.trim().split('\r\n').slice(1);
    expect(lines.length).toBe(page.total);
    expect(lines.map((l) => l.split(';')[1]!.replace(/"/g, ''))).toEqual(page.rows.map((r) => r.username));
    const xlsx = await call('people.export', { ...view, format: 'xlsx', columns: ['displayName'] }, revisor);
    expect(Buffer.from(xlsx.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
    // Exporting personal data is journaled.
    const n = sqlOf(core.journal).prepare("SELECT count(*) AS n FROM journal WHERE operation = 'people.export'").get() as { n: number };
    expect(n.n).toBe(4);
  });
});

describe('actions on one person', () => {
  it('a user administrator assigns a local authenticator to a person without an identity: exactly one create', async () => {
    const pupil = newcomer;
    const listed = await call('people.list', { text: newcomer.username, filter: { drift: 'identity-missing' }, limit: 5 }, revisor);
    expect(listed.rows.map((r) => r.id)).toContain(newcomer.guid);
    const before = mitid.simulator.createCount;
    const r = await call('people.assignLocalAuthenticator', { personId: pupil!.guid, reason: 'Nyansat skal bruge NemLog-in' }, brugeradmin);
    expect(r.outcome).toBe('created');
    expect(r.row?.mitid.state).toBe('Active');
    expect(r.row?.mitid.localCredential).toBe(true);
    const again = await call('people.assignLocalAuthenticator', { personId: pupil!.guid, reason: 'Klikkede igen ved en fejl' }, brugeradmin);
    expect(again.outcome).toBe('already-assigned');
    expect(mitid.simulator.createCount).toBe(before + 1);
    const overview = await call('people.overview', { personId: pupil!.guid }, revisor);
    expect(overview.mitid.ok && overview.mitid.data.localCredential?.id).toBe(`${pupil!.username}@fjordby.dk`);
  });

  it('fixes drift with one audited call', async () => {
    const page = await call('people.list', { filter: { drift: 'suspended-active-ad' }, limit: 1 }, revisor);
    const row = page.rows[0]!;
    const r = await call('people.fixDrift', { personId: row.id, kind: 'suspended-active-ad', reason: 'Ansat igen, identiteten skal virke' }, brugeradmin);
    expect(r.outcome).toBe('reactivated');
    expect(r.row?.drift).not.toContain('suspended-active-ad');
    const stale = (await call('people.list', { filter: { drift: 'subject-mismatch' }, limit: 1 }, revisor)).rows[0]!;
    const fixed = await call('people.fixDrift', { personId: stale.id, kind: 'subject-mismatch', reason: 'Omdøbt konto, nyt bruger-id' }, brugeradmin);
    expect(fixed.row?.mitid.localCredential).toBe(true);
    expect(fixed.row?.drift).toEqual([]);
  });

  it('a helpdesk agent resets a password only when it meets the effective policy, and the password is never journaled', async () => {
    const target = accounts.find((a) => a.ouPath[0] === 'Borgerservice' && a.enabled)!;
    const weak = await call('people.checkPassword', { personId: target.guid, password: 'kort' }, helpdesk);
    expect(weak.ok).toBe(false);
    expect(weak.problems.map((p) => p.code)).toContain('TOO_SHORT');
    const refused = await core.dispatch('people.resetPassword', { personId: target.guid, password: 'kort', reason: 'Glemt adgangskode' }, helpdesk);
    expect(refused.ok).toBe(false);
    const pw = 'Fjord-Kage-Mast-Ugle-47';
    expect((await call('people.checkPassword', { personId: target.guid, password: pw }, helpdesk)).ok).toBe(true);
    const r = await call('people.resetPassword', { personId: target.guid, password: pw, reason: 'Glemt adgangskode, ringede selv' }, helpdesk);
    expect(r.outcome).toBe('reset');
    expect(r.row?.ad?.mustChangePassword).toBe(true);
    const dump = JSON.stringify(sqlOf(core.journal).prepare('SELECT * FROM journal').all());
    expect(dump).not.toContain(pw);
    expect(dump).toContain('Glemt adgangskode, ringede selv');
  });

  it('locks and unlocks one MFA device and the identity in the IdP, and the history shows it', async () => {
    const page = await call('people.list', { filter: { mfa: 'some', ou: 'Borgerservice' }, limit: 1 }, revisor);
    const row = page.rows[0]!;
    const o = await call('people.overview', { personId: row.id }, helpdesk);
    if (!o.idp.ok) throw new Error(o.idp.message);
    const device = o.idp.data.devices[0]!;
    await call('people.deviceAction', { personId: row.id, deviceId: device.id, action: 'lock', reason: 'Mistet telefon' }, helpdesk);
    const locked = await call('people.overview', { personId: row.id }, helpdesk);
    expect(locked.idp.ok && locked.idp.data.devices.find((d) => d.id === device.id)?.locked).toBe(true);
    const lockIdentity = await call('people.setIdentityLock', { personId: row.id, locked: true, reason: 'Mistanke om misbrug' }, helpdesk);
    expect(lockIdentity.row?.idp.locked).toBe(true);
    await call('people.setIdentityLock', { personId: row.id, locked: false, reason: 'Afklaret med lederen' }, helpdesk);
    const h = await call('people.history', { personId: row.id }, revisor);
    const actions = h.items.filter((x) => x.source === 'console' && x.kind === 'outcome').map((x) => x.action);
    expect(actions.slice(0, 3)).toEqual(['people.setIdentityLock', 'people.setIdentityLock', 'people.deviceAction']);
  });

  it('reveals a full CPR number only as a journaled action; the overview shows it masked', async () => {
    const staff = accounts.find((a) => a.ouPath[0] === 'Sundhed og Omsorg' && a.enabled)!;
    const o = await call('people.overview', { personId: staff.guid }, revisor);
    expect(o.mitid.ok && o.mitid.data.identity?.cprMasked).toMatch(/^\d{6}-XXXX$/);
    // Auditors review what was done with CPR numbers masked; they are refused before anything is read.
    const auditor = await core.dispatch('people.revealCpr', { personId: staff.guid, reason: 'Revision af identitetssikring' }, revisor);
    expect(auditor).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const r = await call('people.revealCpr', { personId: staff.guid, reason: 'Borgeren ringede, identitet bekræftes' }, helpdesk);
    expect(r.cpr).toMatch(/^\d{6}-\d{4}$/);
    const rows = sqlOf(core.journal).prepare("SELECT kind, reason FROM journal WHERE operation = 'people.revealCpr'").all();
    expect(rows).toEqual([
      { kind: 'intent', reason: 'Borgeren ringede, identitet bekræftes' },
      { kind: 'outcome', reason: 'Borgeren ringede, identitet bekræftes' },
    ]);
  });
});

describe('roles, enforced in main', () => {
  it('a helpdesk agent scoped to Skoler is refused for a person outside, even through a direct call', async () => {
    const outside = accounts.find((a) => a.ouPath[0] === 'Borgerservice' && a.enabled)!;
    const r = await core.dispatch('people.unlockAccount', { personId: outside.guid, reason: 'Forsøg uden for skolerne' }, skole);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('forbidden');
    const inside = accounts.find((a) => a.ouPath[0] === 'Skoler' && a.enabled)!;
    const ok = await core.dispatch('people.setIdentityLock', { personId: inside.guid, locked: false, reason: 'Inden for skolerne' }, skole);
    expect(ok.ok).toBe(true);
  });

  it('helpdesk may not assign authenticators, and an auditor may not write at all', async () => {
    const someone = accounts.find((a) => a.ouPath[0] === 'Borgerservice' && a.enabled)!;
    const h = await core.dispatch('people.assignLocalAuthenticator', { personId: someone.guid, reason: 'Prøver alligevel' }, helpdesk);
    expect(h.ok || h.error.code).toBe('forbidden');
    for (const [name, input] of [
      ['people.resetPassword', { personId: someone.guid, password: 'Fjord-Kage-Mast-Ugle-47', reason: 'Forsøg fra revisor' }],
      ['people.suspendIdentity', { personId: someone.guid, reason: 'Forsøg fra revisor' }],
      ['people.fixDrift', { personId: someone.guid, kind: 'identity-missing', reason: 'Forsøg fra revisor' }],
    ] as const) {
      const r = await core.dispatch(name, input, revisor);
      expect(r.ok || r.error.code, name).toBe('forbidden');
    }
  });
});

describe('fixing an identity that only MitID Erhverv knows', () => {
  it('suspends only an identity that really belongs to nobody in AD, and the journal names it', async () => {
    const uuid = mitid.seed?.drift.onlyInMitId[0];
    if (!uuid) throw new Error('no orphan identity seeded');
    const identity = mitid.simulator.state.identities.get(uuid.toLowerCase());
    if (!identity) throw new Error('orphan identity missing in the simulator');
    const owner = accounts.find((a) => a.ouPath[0] === 'Borgerservice' && a.enabled && a.email)!;
    const personId = `mitid:${uuid}`;
    const realEmail = identity.emailAddress;
    // The list still shows the identity as an orphan, but in MitID Erhverv it now carries an employee's
    // e-mail: suspending it would cut off a colleague. It is refused, naming whose it is.
    identity.emailAddress = owner.email as string;
    const refused = await core.dispatch('people.fixDrift', { personId, kind: 'only-in-mitid', reason: 'Oprydning i MitID Erhverv' }, brugeradmin);
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!refused.ok) expect(refused.error.message).toContain(`${owner.displayName} (${owner.username})`);
    expect(identity.status).not.toBe('Suspended');

    identity.emailAddress = realEmail;
    const done = await call('people.fixDrift', { personId, kind: 'only-in-mitid', reason: 'Oprydning i MitID Erhverv' }, brugeradmin);
    expect(done.outcome).toBe('suspended');
    expect(identity.status).toBe('Suspended');
    const records = core.journal.list({ limit: 100_000 }).filter((e) => e.operation === 'people.fixDrift' && e.targetId === personId);
    expect(records.map((e) => [e.kind, e.outcome])).toEqual([['intent', null], ['outcome', 'refused'], ['intent', null], ['outcome', 'success']]);
    for (const e of records) expect(e.targetLabel).toBe(`${identity.givenName} ${identity.surname} (MitID Erhverv-identitet ${uuid})`);
  });

  it('keeps the schools-limited helpdesk away from identities without an AD account', async () => {
    const uuid = mitid.seed?.drift.onlyInMitId[0] as string;
    const r = await core.dispatch('people.get', { personId: `mitid:${uuid}` }, skole);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Personen har ingen AD-konto i dine enheder: Skoler.' } });
  });
});
