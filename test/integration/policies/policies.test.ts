// The policies operations through the dispatcher, against the training directory and the IdP simulator
// reached over a real socket by the real client.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../../shared/operations/index.ts';
import type { PasswordPolicy } from '../../../shared/idp/password-policy.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';
import { checkLeaked } from '../../../src-main/services/policies/leaked.ts';
import { startRangeSimulator } from '../../../src-main/training/range-sim.ts';
import type { TrainingEnvironment } from '../../../src-main/training/environment.ts';
import { policyEvidenceContext } from '../../../src-main/services/audit/evidence-context.ts';
import { sqlOf } from '../../support/sql.ts';

let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
const admin = caller('ws-admin');
const admin2 = caller('ws-admin2');
const helpdesk = caller('ws-helpdesk');
const brugeradmin = caller('ws-brugeradmin');
const revisor = caller('ws-revisor');

async function ok<T>(p: Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}

beforeAll(async () => {
  env = await testCore({ simulators: true });
  core = env.core;
  for (const [c, u] of [[admin, 'admin'], [admin2, 'admin'], [helpdesk, 'helpdesk'], [revisor, 'revisor'], [brugeradmin, 'brugeradmin']] as const) {
    await ok(core.dispatch('session.login', { username: u, password: TRAINING_PASSWORD }, c));
  }
});
afterAll(async () => {
  await env.dispose();
});

const nsisPolicy = async () => {
  const { policies } = await ok<OpOutput<'policy.list'>>(core.dispatch('policy.list', {}, revisor));
  const p = policies.find((x) => x.settings.nsis && x.kind === 'domain');
  if (!p) throw new Error('no NSIS domain in the simulator');
  return p;
};

describe('password policy', () => {
  it('refuses an NSIS minimum below 15 before it reaches the IdP, and nothing changes', async () => {
    const before = await nsisPolicy();
    const r = await core.dispatch('policy.update', { domain: before.domain, basedOnVersion: before.version, settings: { ...before.settings, minLength: 12 }, reason: 'Forsøg på at sænke kravet' }, admin);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('refused');
    expect(r.error.message).toContain('mindst 15 tegn');
    expect((r.error.details?.violations as { field: string }[]).map((v) => v.field)).toEqual(['minLength']);
    const after = await nsisPolicy();
    expect(after.version).toBe(before.version);
    expect(after.settings.minLength).toBe(before.settings.minLength);
    // The refusal is in the journal as a refused write.
    const rows = sqlOf(core.journal).prepare("SELECT kind, outcome FROM journal WHERE operation = 'policy.update' ORDER BY seq").all() as { kind: string; outcome: string | null }[];
    expect(rows.at(-1)).toEqual({ kind: 'outcome', outcome: 'refused' });
  });

  it('also refuses lockout looser than 5 attempts / 5 minutes on an NSIS domain', async () => {
    const p = await nsisPolicy();
    const r = await core.dispatch('policy.update', { domain: p.domain, basedOnVersion: p.version, settings: { ...p.settings, triesBeforeLock: 10, lockedMinutes: 1 }, reason: 'Færre spærringer ønsket' }, admin);
    expect(!r.ok && r.error.code).toBe('refused');
    expect((await nsisPolicy()).version).toBe(p.version);
  });

  it('previews the diff and counts the people whose password is older than the new max age', async () => {
    const p = await nsisPolicy();
    const draft = { ...p.settings, forceChangePassword: true, forceChangePasswordIntervalDays: 365, passwordHistoryCount: p.settings.passwordHistoryCount + 2 };
    const pv = await ok<OpOutput<'policy.preview'>>(core.dispatch('policy.preview', { domain: p.domain, basedOnVersion: p.version, settings: draft }, helpdesk));
    expect(pv.stale).toBe(false);
    expect(pv.violations).toEqual([]);
    expect(pv.diff.map((d) => d.field)).toEqual(expect.arrayContaining(['forceChangePassword', 'passwordHistoryCount']));
    // Count independently from the directory: enabled, not pupils, password set more than 365 days ago.
    const { items } = await ok<OpOutput<'people.search'>>(core.dispatch('people.search', { text: '', limit: 1000 }, admin));
    expect(items.length).toBeGreaterThan(0);
    const expiring = pv.consequences.find((c) => c.includes('satte deres adgangskode for mere end 365 dage siden'));
    expect(expiring).toBeDefined();
    const n = Number(/^([\d.]+) person/.exec(expiring!)![1]!.replace(/\./g, ''));
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(pv.peopleInScope!);
    expect(pv.consequences.some((c) => c.includes(`${draft.passwordHistoryCount} seneste adgangskoder`))).toBe(true);

    const bad = await ok<OpOutput<'policy.preview'>>(core.dispatch('policy.preview', { domain: p.domain, basedOnVersion: p.version, settings: { ...p.settings, minLength: 10 } }, helpdesk));
    expect(bad.violations.map((v) => v.field)).toEqual(['minLength']);
  });

  it('two concurrent saves: the second gets a conflict carrying both versions', async () => {
    const p = await nsisPolicy();
    const first = core.dispatch('policy.update', { domain: p.domain, basedOnVersion: p.version, settings: { ...p.settings, minLength: 16 }, reason: 'Første administrator hæver kravet' }, admin);
    const second = core.dispatch('policy.update', { domain: p.domain, basedOnVersion: p.version, settings: { ...p.settings, passwordHistoryCount: 20 }, reason: 'Anden administrator øger historikken' }, admin2);
    const results = await Promise.all([first, second]);
    const won = results.filter((r) => r.ok);
    const lost = results.filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const err = (lost[0] as { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } }).error;
    expect(err.code).toBe('conflict');
    const theirs = err.details!.theirs as PasswordPolicy;
    const mine = err.details!.mine as { basedOnVersion: number; settings: PasswordPolicy['settings'] };
    expect(theirs.version).toBe(p.version + 1);
    expect(mine.basedOnVersion).toBe(p.version);
    expect((err.details!.diff as { field: string }[]).length).toBeGreaterThan(0);

    // Choosing "mine" re-saves on top of theirs.
    const again = await ok<OpOutput<'policy.update'>>(core.dispatch('policy.update', { domain: p.domain, basedOnVersion: theirs.version, settings: mine.settings, reason: 'Valgt efter konflikt' }, admin2));
    expect(again.policy.version).toBe(p.version + 2);
    expect(again.previous.version).toBe(p.version + 1);
    // The journal keeps old and new values side by side.
    const ev = sqlOf(core.journal).prepare("SELECT summary FROM journal WHERE operation = 'policy.update' AND kind = 'event' ORDER BY seq DESC LIMIT 1").get() as { summary: string };
    const s = JSON.parse(ev.summary) as { old: unknown; new: unknown; toVersion: number };
    expect(s.toVersion).toBe(p.version + 2);
    expect(s.old).toEqual(theirs.settings);
  });

  it('a user administrator may change the rules but not take a domain out of NSIS', async () => {
    const p = await nsisPolicy();
    const r = await core.dispatch('policy.update', { domain: p.domain, basedOnVersion: p.version, settings: { ...p.settings, nsis: false, minLength: 8 }, reason: 'Forsøg på at omgå NSIS' }, brugeradmin);
    expect(!r.ok && r.error.code).toBe('forbidden');
    expect((await nsisPolicy()).version).toBe(p.version);
    const ok2 = await ok<OpOutput<'policy.update'>>(core.dispatch('policy.update', { domain: p.domain, basedOnVersion: p.version, settings: { ...p.settings, lockedMinutes: p.settings.lockedMinutes + 1 }, reason: 'Længere spærretid' }, brugeradmin));
    expect(ok2.policy.settings.lockedMinutes).toBe(p.settings.lockedMinutes + 1);
  });

  it('helpdesk and auditors may read but not change', async () => {
    const p = await nsisPolicy();
    for (const c of [helpdesk, revisor]) {
      const r = await core.dispatch('policy.update', { domain: p.domain, basedOnVersion: p.version, settings: p.settings, reason: 'Ikke tilladt' }, c);
      expect(!r.ok && r.error.code).toBe('forbidden');
    }
  });
});

describe('password validator with the leaked-password range API', () => {
  // The training environment brings its own k-anonymity range service (training/range-sim.ts) over real
  // HTTPS with its own CA; the console's real lookup asks it instead of the internet.
  const sim = () => {
    const leaked = (core.environment() as TrainingEnvironment).simulators.leaked;
    if (!leaked) throw new Error('the training environment started no range simulator');
    return leaked;
  };
  const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex').toUpperCase();

  it('refuses a known leaked password, passes a fresh one, and only five hex characters leave the process', async () => {
    const leakedPassword = 'Sommerfugl-Hus-2026!';
    const fresh = `Grøn-Vandkande-${randomUUID()}`;
    const p = await nsisPolicy();
    const before = sim().requests.length;
    const leaked = await ok<OpOutput<'policy.validatePassword'>>(core.dispatch('policy.validatePassword', { domain: p.domain, password: leakedPassword }, helpdesk));
    expect(leaked.leak).toMatchObject({ state: 'leaked', count: 42 });
    expect(leaked.problems.map((x) => x.code)).toContain('LEAKED_PASSWORD');
    expect(leaked.ok).toBe(false);
    const fine = await ok<OpOutput<'policy.validatePassword'>>(core.dispatch('policy.validatePassword', { domain: p.domain, password: fresh }, helpdesk));
    expect(fine.leak.state).toBe('not-leaked');
    expect(fine.ok).toBe(true);
    expect(fine.leak.message).not.toContain('kan ikke nås');

    // Exactly one request per check, each carrying the first five hex characters of the SHA-1 and nothing
    // more: not the password, not the rest of the hash (the match against the padded answer is made here).
    const asked = sim().requests.slice(before);
    expect(asked).toEqual([`/range/${sha1(leakedPassword).slice(0, 5)}`, `/range/${sha1(fresh).slice(0, 5)}`]);
    for (const path of asked) expect(path).toMatch(/^\/range\/[0-9A-F]{5}$/);
    for (const secret of [leakedPassword, fresh, sha1(leakedPassword).slice(5), sha1(fresh).slice(5), encodeURIComponent(fresh)]) {
      expect(asked.join('\n')).not.toContain(secret);
    }
    // The password is never journaled.
    const all = sqlOf(core.journal).prepare('SELECT summary FROM journal').all() as { summary: string }[];
    expect(all.some((r) => r.summary.includes('Sommerfugl') || r.summary.includes(fresh))).toBe(false);
  });

  it('the service address is https only', async () => {
    const cfg = await ok<OpOutput<'policy.getConfig'>>(core.dispatch('policy.getConfig', {}, admin));
    const r = await core.dispatch('policy.updateConfig', { config: { ...cfg.config, leakedPasswordEndpoint: 'http://pwned.kommune.dk/range/' }, reason: 'Forsøg med http' }, admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'validation', details: { fields: { 'config.leakedPasswordEndpoint': 'Adressen skal begynde med https://' } } } });
    await ok(core.dispatch('policy.updateConfig', { config: { ...cfg.config, leakedPasswordEndpoint: 'https://pwned.kommune.dk/range/' }, reason: 'Kommunens eget spejl' }, admin));
    // Even so, training keeps asking its own simulator: a trainee's typing never reaches the internet.
    const before = sim().requests.length;
    const p = await nsisPolicy();
    const r2 = await ok<OpOutput<'policy.validatePassword'>>(core.dispatch('policy.validatePassword', { domain: p.domain, password: 'Password1' }, helpdesk));
    expect(r2.leak.state).toBe('leaked');
    expect(sim().requests.length).toBe(before + 1);
    // An http:// address given to the lookup itself is refused before anything is sent.
    expect(await checkLeaked('x', { endpoint: 'http://127.0.0.1:9/range/', timeoutMs: 500 })).toMatchObject({ state: 'unavailable', message: expect.stringContaining('https://') });
  });

  it('a service that cannot be reached or does not answer in time says so in Danish, not a hang', async () => {
    // The simulator's certificate is trusted only with its CA: without it the TLS handshake fails.
    expect(await checkLeaked('Password1', { endpoint: sim().url, timeoutMs: 2000 })).toMatchObject({ state: 'unavailable', message: expect.stringContaining('kan ikke nås') });
    expect(await checkLeaked('Password1', { endpoint: sim().url, timeoutMs: 2000, ca: sim().caPem })).toMatchObject({ state: 'leaked' });
    const stopped = await startRangeSimulator();
    await stopped.stop();
    expect(await checkLeaked('Password1', { endpoint: stopped.url, timeoutMs: 2000, ca: stopped.caPem })).toMatchObject({ state: 'unavailable', message: expect.stringContaining('kan ikke nås') });

    // A socket that accepts and never speaks: the TLS handshake waits until the time limit.
    const sockets: Socket[] = [];
    const quiet = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((r) => quiet.listen(0, '127.0.0.1', r));
    try {
      const { port } = quiet.address() as AddressInfo;
      const t0 = Date.now();
      const r = await checkLeaked('Password1', { endpoint: `https://127.0.0.1:${port}/range`, timeoutMs: 500 });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(r.state).toBe('unavailable');
      expect(r.message).toContain('svarede ikke inden for 0,5 s');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => quiet.close(() => r()));
    }
  });
});

describe('terms', () => {
  it('shows the NSIS terms, the history and a side-by-side diff', async () => {
    const t = await ok<OpOutput<'terms.get'>>(core.dispatch('terms.get', {}, revisor));
    expect(t.nsis.content).toContain('NSIS');
    expect(t.versions.length).toBeGreaterThanOrEqual(2);
    expect(t.current?.version).toBe(t.newest);
    const d = await ok<OpOutput<'terms.diff'>>(core.dispatch('terms.diff', { from: 1, to: 2 }, revisor));
    expect(d.lines.some((l) => l.kind === 'added' && l.right?.includes('MFA-enheder'))).toBe(true);
    expect(d.lines.filter((l) => l.kind === 'same').length).toBeGreaterThan(0);
  });

  it('refuses HTML in the addendum', async () => {
    const t = await ok<OpOutput<'terms.get'>>(core.dispatch('terms.get', {}, admin));
    const r = await core.dispatch('terms.publish', { content: 'Hej <script>alert(1)</script>', requiresReacceptance: false, basedOnVersion: t.newest, reason: 'Forsøg med HTML' }, admin);
    expect(!r.ok && r.error.code).toBe('validation');
    expect((await ok<OpOutput<'terms.get'>>(core.dispatch('terms.get', {}, admin))).newest).toBe(t.newest);
  });

  it('publishing with re-acceptance makes every acceptance stale in the report, and the CSV says so', async () => {
    const before = await ok<OpOutput<'terms.acceptanceReport'>>(core.dispatch('terms.acceptanceReport', {}, revisor));
    expect(before.counts.accepted).toBeGreaterThan(0);
    const t = await ok<OpOutput<'terms.get'>>(core.dispatch('terms.get', {}, admin));
    const pub = await ok<OpOutput<'terms.publish'>>(
      core.dispatch('terms.publish', { content: `${t.current!.content}\n\nNy regel: **skift kodeord** ved mistanke.`, requiresReacceptance: true, basedOnVersion: t.newest, reason: 'Ny regel om mistanke' }, admin),
    );
    expect(pub.version.version).toBe(t.newest! + 1);
    const after = await ok<OpOutput<'terms.acceptanceReport'>>(core.dispatch('terms.acceptanceReport', {}, revisor));
    expect(after.version.version).toBe(pub.version.version);
    expect(after.counts.accepted).toBe(0);
    expect(after.counts['accepted-older-valid']).toBe(0);
    expect(after.counts.stale).toBe(before.counts.accepted! + before.counts['accepted-older-valid']! + before.counts.stale!);
    expect(after.rows.every((r) => r.state === 'stale' || r.state === 'none')).toBe(true);

    // A second publish based on the old version is a conflict.
    const stale = await core.dispatch('terms.publish', { content: 'Noget andet', requiresReacceptance: false, basedOnVersion: t.newest, reason: 'Forældet udkast' }, admin2);
    expect(!stale.ok && stale.error.code).toBe('conflict');

    const ou = await ok<OpOutput<'terms.acceptanceReport'>>(core.dispatch('terms.acceptanceReport', { ou: 'Skoler / Medarbejdere', state: 'missing' }, revisor));
    expect(ou.rows.length).toBeGreaterThan(0);
    expect(ou.rows.every((r) => r.ouPath.startsWith('Skoler / Medarbejdere'))).toBe(true);
    const csv = await ok<OpOutput<'terms.exportAcceptances'>>(core.dispatch('terms.exportAcceptances', { ou: 'Skoler / Medarbejdere', state: 'missing' }, revisor));
    expect(csv.csv.startsWith('\uFEFF"Navn";"Brugernavn"')).toBe(true);
    expect(csv.csv.split('\r\n').filter(Boolean)).toHaveLength(ou.rows.length + 1);
    expect(csv.csv).toContain('Skal acceptere igen');
  });
});

describe('evidence', () => {
  it('gives the evidence package every policy with a Danish summary and every terms version with its hash', async () => {
    const ctx = await policyEvidenceContext(core.connections().idp);
    const nsis = ctx.passwordPolicies!.find((p) => p.summary.endsWith(', NSIS'));
    expect(nsis?.summary).toMatch(/^mindst \d+ tegn, kompleks/);
    expect(ctx.termsVersions!.map((v) => v.version)).toEqual([...ctx.termsVersions!.keys()].map((i) => i + 1));
    expect(ctx.termsVersions!.every((v) => /^[0-9a-f]{64}$/.test(v.hash))).toBe(true);
    expect((await policyEvidenceContext(null)).unavailableReason).toContain('ikke tilsluttet');
  });
});
