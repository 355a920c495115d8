import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../../../shared/access.ts';
import { operations, opNames, type OpName } from '../../../shared/operations/index.ts';
import type { OperationSpec } from '../../../shared/operation.ts';
import type { Role } from '../../../shared/roles.ts';
import { dnIsWithin } from '../../../shared/dn.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';

// The role × operation matrix, generated from the contract: every operation, called through the real
// dispatcher by every kind of operator (and by nobody), with an input that passes validation, so the only
// thing that can refuse it is the access decision. The expectations below are written by hand, apart
// from the contract: changing who may do something means changing both, on purpose. An operation
// without a line here fails the first test.

const A: Role = 'administrator';
const U: Role = 'useradmin';
const H: Role = 'helpdesk';
const R: Role = 'auditor';
const ALL = [A, U, H, R];

type Expect = { roles: readonly Role[] | 'public'; scope: OperationSpec['scope'] };
const expected: Record<OpName, Expect> = {
  'app.info': { roles: 'public', scope: 'none' },
  'session.login': { roles: 'public', scope: 'none' },
  'session.addDomain': { roles: 'public', scope: 'none' },
  'session.logout': { roles: 'public', scope: 'none' },
  'session.current': { roles: 'public', scope: 'none' },
  'settings.get': { roles: [A, R], scope: 'none' },
  'settings.update': { roles: [A], scope: 'none' },
  'settings.setSecret': { roles: [A], scope: 'none' },
  'settings.testConnection': { roles: [A], scope: 'none' },
  'system.status': { roles: ALL, scope: 'none' },
  'people.search': { roles: ALL, scope: 'filtered' },
  'people.list': { roles: ALL, scope: 'filtered' },
  'people.refresh': { roles: ALL, scope: 'none' },
  'people.syncStatus': { roles: ALL, scope: 'none' },
  'people.cancelRefresh': { roles: ALL, scope: 'none' },
  'people.export': { roles: ALL, scope: 'filtered' },
  'people.get': { roles: ALL, scope: 'person' },
  'people.overview': { roles: ALL, scope: 'person' },
  'people.history': { roles: ALL, scope: 'person' },
  'people.revealCpr': { roles: [A, U, H], scope: 'person' },
  'people.unlockAccount': { roles: [A, U, H], scope: 'person' },
  'people.checkPassword': { roles: [A, U, H], scope: 'person' },
  'people.resetPassword': { roles: [A, U, H], scope: 'person' },
  'people.assignLocalAuthenticator': { roles: [A, U], scope: 'person' },
  'people.revokeLocalAuthenticator': { roles: [A, U], scope: 'person' },
  'people.setSigning': { roles: [A, U], scope: 'person' },
  'people.suspendIdentity': { roles: [A, U], scope: 'person' },
  'people.reactivateIdentity': { roles: [A, U], scope: 'person' },
  'people.deviceAction': { roles: [A, U, H], scope: 'person' },
  'people.setIdentityLock': { roles: [A, U, H], scope: 'person' },
  'people.fixDrift': { roles: [A, U], scope: 'person' },
  'people.views.list': { roles: ALL, scope: 'none' },
  'people.views.save': { roles: ALL, scope: 'none' },
  'people.views.delete': { roles: ALL, scope: 'none' },
  'people.views.setDefault': { roles: ALL, scope: 'none' },
  'audit.search': { roles: [A, R], scope: 'none' },
  'audit.stats': { roles: [A, R], scope: 'none' },
  'audit.refresh': { roles: [A, R], scope: 'none' },
  'audit.verifyJournal': { roles: [A, R], scope: 'none' },
  'audit.exportEvidence': { roles: [A, R], scope: 'none' },
  'audit.verifyPackage': { roles: [A, R], scope: 'none' },
  'audit.downloadEvidence': { roles: [A, R], scope: 'none' },
  'audit.uploadPackageFile': { roles: [A, R], scope: 'none' },
  'audit.attestationCertificate': { roles: [A, R], scope: 'none' },
  'audit.getRetention': { roles: [A, R], scope: 'none' },
  'audit.setRetention': { roles: [A], scope: 'none' },
  'audit.purgeNow': { roles: [A], scope: 'none' },
  'jobs.get': { roles: ALL, scope: 'none' },
  'jobs.cancel': { roles: ALL, scope: 'none' },
  'policy.list': { roles: ALL, scope: 'none' },
  'policy.get': { roles: ALL, scope: 'none' },
  'policy.preview': { roles: ALL, scope: 'none' },
  'policy.update': { roles: [A, U], scope: 'none' },
  'policy.adStatus': { roles: ALL, scope: 'none' },
  'policy.mirrorToAd': { roles: [A, U], scope: 'none' },
  'policy.validatePassword': { roles: ALL, scope: 'none' },
  'policy.getConfig': { roles: ALL, scope: 'none' },
  'policy.identities': { roles: ALL, scope: 'none' },
  'policy.floorWarnings': { roles: ALL, scope: 'none' },
  'policy.identityFloor': { roles: ALL, scope: 'person' },
  'policy.updateConfig': { roles: [A], scope: 'none' },
  'terms.get': { roles: ALL, scope: 'none' },
  'terms.diff': { roles: ALL, scope: 'none' },
  'terms.publish': { roles: [A, U], scope: 'none' },
  'terms.acceptanceReport': { roles: ALL, scope: 'filtered' },
  'terms.exportAcceptances': { roles: ALL, scope: 'filtered' },
  'bulk.targets': { roles: [A, U], scope: 'filtered' },
  'bulk.plan': { roles: [A, U], scope: 'filtered' },
  'bulk.list': { roles: [A, U], scope: 'none' },
  'bulk.get': { roles: [A, U], scope: 'none' },
  'bulk.start': { roles: [A, U], scope: 'none' },
  'bulk.pause': { roles: [A, U], scope: 'none' },
  'bulk.resume': { roles: [A, U], scope: 'none' },
  'bulk.cancel': { roles: [A, U], scope: 'none' },
  'bulk.addNote': { roles: [A, U], scope: 'none' },
  'bulk.retryFailed': { roles: [A, U], scope: 'none' },
  'bulk.resultFile': { roles: [A, U], scope: 'none' },
  'transfers.list': { roles: ALL, scope: 'filtered' },
  'transfers.retry': { roles: [A, U], scope: 'person' },
  'people.checkHardwareToken': { roles: [A, U, H], scope: 'person' },
  'people.assignHardwareToken': { roles: [A, U, H], scope: 'person' },
  'bulk.planDriftFix': { roles: [A, U], scope: 'filtered' },
  'readiness.check': { roles: [A, R], scope: 'none' },
  'readiness.exportPdf': { roles: [A, R], scope: 'none' },
  'readiness.exportForced': { roles: [A, R], scope: 'filtered' },
  'mail.list': { roles: [A, U, R], scope: 'none' },
  'mail.update': { roles: [A, U], scope: 'none' },
};

/**
 * Operations a helpdesk agent may call that say nothing about individual people, so an OU limit has
 * nothing to filter. Any other helpdesk operation must be 'person' or 'filtered': a new one that returns
 * people cannot slip past the scope by being declared 'none'.
 */
const helpdeskWithoutPeople = new Set<OpName>([
  'system.status', 'people.refresh', 'people.syncStatus', 'people.cancelRefresh', 'people.views.list', 'people.views.save', 'people.views.delete', 'people.views.setDefault',
  'jobs.get', 'jobs.cancel', 'policy.list', 'policy.get', 'policy.preview', 'policy.adStatus', 'policy.validatePassword',
  'policy.getConfig', 'terms.get', 'terms.diff',
  // How many of a policy domain's people hold an identity: a count for the NSIS switch, never a person.
  'policy.identities',
  // Per policy domain, how many people hold an identity though the domain is outside NSIS: counts only.
  'policy.floorWarnings',
]);

/** The training operators: one per role, and the helpdesk agent limited to the schools. */
const operators: Array<{ username: string | null; roles: readonly Role[] }> = [
  { username: null, roles: [] },
  { username: 'admin', roles: [A] },
  { username: 'brugeradmin', roles: [U] },
  { username: 'helpdesk', roles: [H] },
  { username: 'helpdesk.skole', roles: [H] },
  { username: 'revisor', roles: [R] },
];

let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
let inside: { id: string; dn: string };
let outside: { id: string; dn: string };
let schools: string;
const inputs = new Map<OpName, (personId: string) => unknown>();

async function signIn(username: string | null) {
  const c = caller('matrix');
  if (username) {
    const r = await core.dispatch('session.login', { username, password: TRAINING_PASSWORD }, c);
    if (!r.ok) throw new Error(r.error.message);
  }
  return c;
}

async function data<T>(op: OpName, input: unknown, c: ReturnType<typeof caller>): Promise<T> {
  const r = await core.dispatch(op, input, c);
  if (!r.ok) throw new Error(`${op}: ${r.error.message}`);
  return r.data as T;
}

beforeAll(async () => {
  env = await testCore({ simulators: true });
  core = env.core;
  const admin = await signIn('admin');
  const first = async (ou: string) => {
    const { rows } = await data<{ rows: Array<{ id: string }> }>('people.list', { filter: { ou }, limit: 1 }, admin);
    if (!rows[0]) throw new Error(`nobody in ${ou}`);
    return (await data<{ person: { id: string; dn: string } }>('people.get', { personId: rows[0].id }, admin)).person;
  };
  inside = await first('Skoler');
  outside = await first('Borgerservice');
  schools = (await data<{ operator: { helpdeskOus: string[] } }>('session.current', {}, await signIn('helpdesk.skole'))).operator.helpdeskOus[0] as string;
  const settings = (await data<{ settings: unknown }>('settings.get', {}, admin)).settings;
  const policy = (await data<{ policies: Array<{ domain: string; version: number; settings: unknown }> }>('policy.list', {}, admin)).policies[0];
  const config = (await data<{ config: unknown }>('policy.getConfig', {}, admin)).config;
  const retention = (await data<{ settings: unknown }>('audit.getRetention', {}, admin)).settings;
  if (!policy) throw new Error('no policy');
  const reason = 'Adgangsmatricen prøver';
  const job = '00000000-0000-4000-8000-000000000000';
  const fixed: Partial<Record<OpName, (personId: string) => unknown>> = {
    'session.login': () => ({ username: 'nobody', password: 'x' }),
    'session.addDomain': () => ({ username: 'nobody@skoler.fjordby.dk', password: 'x' }),
    'settings.update': () => ({ settings }),
    'settings.setSecret': () => ({ key: 'idp.apiKey', value: 'x' }),
    'settings.testConnection': () => ({ system: 'ad' }),
    'people.export': () => ({ format: 'csv', columns: ['displayName'] }),
    'people.views.save': () => ({ name: 'Matrix', settings: { columns: ['displayName'] }, overwrite: true }),
    'people.views.delete': () => ({ name: 'Matrix' }),
    'people.views.setDefault': () => ({ name: null }),
    'people.checkPassword': (personId) => ({ personId, password: 'x' }),
    'people.resetPassword': (personId) => ({ personId, reason, password: 'Blå-Hvalros-Cykler-Over-Fjorden-7' }),
    'people.setSigning': (personId) => ({ personId, reason, allow: false }),
    'people.deviceAction': (personId) => ({ personId, reason, deviceId: 'x', action: 'test-push' }),
    'people.setIdentityLock': (personId) => ({ personId, reason, locked: false }),
    'people.fixDrift': (personId) => ({ personId, reason, kind: 'identity-missing' }),
    'audit.search': () => ({ filter: {} }),
    'audit.stats': () => ({ filter: {} }),
    'audit.exportEvidence': () => ({ from: '2026-01-01', to: '2026-01-01', scope: { kind: 'admin' } }),
    'audit.verifyPackage': () => ({ folder: env.dataDir }),
    'audit.downloadEvidence': () => ({ job }),
    'audit.uploadPackageFile': () => ({ name: 'SHA256SUMS', offset: 0, data: '' }),
    'audit.setRetention': () => ({ settings: retention, reason }),
    'audit.purgeNow': () => ({ reason }),
    'jobs.get': () => ({ id: job }),
    'jobs.cancel': () => ({ id: job }),
    'policy.get': () => ({ domain: policy.domain }),
    'policy.preview': () => ({ domain: policy.domain, basedOnVersion: policy.version, settings: policy.settings }),
    'policy.update': () => ({ domain: policy.domain, basedOnVersion: policy.version, settings: policy.settings, reason }),
    'policy.adStatus': () => ({ domain: policy.domain }),
    'policy.identities': () => ({ domain: policy.domain }),
    'policy.mirrorToAd': () => ({ domain: policy.domain, reason }),
    'policy.validatePassword': () => ({ domain: policy.domain, password: 'x' }),
    'policy.updateConfig': () => ({ config, reason }),
    'terms.diff': () => ({ from: 1, to: 1 }),
    'terms.publish': () => ({ content: 'Matrix', requiresReacceptance: false, basedOnVersion: null, reason }),
    'bulk.plan': (personId) => ({ action: 'suspend', target: { kind: 'people', personIds: [personId] } }),
    'bulk.get': () => ({ jobId: job }),
    'bulk.start': () => ({ jobId: job, reason }),
    'bulk.pause': () => ({ jobId: job, reason }),
    'bulk.resume': () => ({ jobId: job, reason }),
    'bulk.cancel': () => ({ jobId: job, reason }),
    'bulk.addNote': () => ({ jobId: job, reason }),
    'bulk.retryFailed': () => ({ jobId: job, reason }),
    'bulk.resultFile': () => ({ jobId: job }),
    'transfers.retry': (personId) => ({ key: 'c:1', personId, reason }),
    'people.checkHardwareToken': (personId) => ({ personId, serialNumber: 'KV-0' }),
    'people.assignHardwareToken': (personId) => ({ personId, serialNumber: 'KV-0', reason }),
    'bulk.planDriftFix': () => ({ drift: 'identity-missing' }),
    'readiness.exportForced': () => ({ domain: policy.domain }),
    'mail.update': () => ({ type: 'NEW_USER', basedOnVersion: 1, enabled: false, reason }),
  };
  for (const name of opNames) {
    const spec = operations[name] as OperationSpec;
    const takesReason = 'reason' in ((spec.input as unknown as { shape?: Record<string, unknown> }).shape ?? {});
    inputs.set(name, fixed[name] ?? (spec.target ? (personId: string) => ({ personId, ...(takesReason ? { reason } : {}) }) : () => ({})));
  }
}, 180_000);

afterAll(async () => env?.dispose());

const refusedByAccess = (r: { ok: boolean; error?: { code: string; details?: Record<string, unknown> } }) =>
  !r.ok && ['unauthenticated', 'forbidden'].includes(String(r.error?.code)) && ['signed-out', 'role', 'scope'].includes(String(r.error?.details?.reason));

describe('the role × operation matrix', () => {
  it('has a hand-written expectation for every operation, and the contract declares exactly it', () => {
    expect(Object.keys(expected).sort()).toEqual([...opNames].sort());
    for (const name of opNames) {
      const spec = operations[name] as OperationSpec;
      const declared = spec.access === 'public' ? 'public' : spec.access === 'signed-in' ? ALL : spec.access;
      expect({ name, roles: declared, scope: spec.scope }).toEqual({ name, roles: expected[name].roles, scope: expected[name].scope });
      // An operation names a person exactly when it is scoped on one.
      expect({ name, target: spec.target !== undefined }).toEqual({ name, target: spec.scope === 'person' });
      if (expected[name].roles !== 'public' && (expected[name].roles as readonly Role[]).includes(H) && spec.scope === 'none') {
        expect({ name, saysNothingAboutPeople: helpdeskWithoutPeople.has(name) }).toEqual({ name, saysNothingAboutPeople: true });
      }
    }
  });

  it('answers every operation for every operator as expected, through the dispatcher', async () => {
    let checked = 0;
    const wronglyAllowed: string[] = [];
    const wronglyRefused: string[] = [];
    for (const name of opNames) {
      const want = expected[name];
      for (const op of operators) {
        const allowed = want.roles === 'public' || op.roles.some((r) => (want.roles as readonly Role[]).includes(r));
        // A person-scoped operation is tried on someone the schools' agent may reach.
        const input = (inputs.get(name) as (id: string) => unknown)(inside.id);
        // One sign-in per call: the operator as the renderer holds it is read first (the call may sign out).
        const who = await signIn(op.username);
        const current = op.username ? (await data<{ operator: Parameters<typeof can>[0] }>('session.current', {}, who)).operator : null;
        const r = await core.dispatch(name, input, who);
        if (r.ok === false && r.error.message.startsWith('Ugyldige oplysninger')) throw new Error(`${name}: the matrix's input is invalid: ${r.error.message}`);
        const refused = refusedByAccess(r);
        if (allowed && refused) wronglyRefused.push(`${name} × ${op.username ?? 'ingen'}`);
        if (!allowed && !refused) wronglyAllowed.push(`${name} × ${op.username ?? 'ingen'}`);
        // The renderer asks the same decision and must get the same answer.
        expect({ name, user: op.username, allowed: can(current, name).allowed }).toEqual({ name, user: op.username, allowed });
        checked++;
      }
    }
    expect(wronglyAllowed).toEqual([]);
    expect(wronglyRefused).toEqual([]);
    expect(checked).toBe(opNames.length * operators.length);
    console.info(`adgangsmatrix: ${opNames.length} operationer × ${operators.length} operatører = ${checked} kald, forkert tilladt: ${wronglyAllowed.length}`);
  }, 300_000);

  it('keeps the schools-limited helpdesk away from anyone outside the schools on every person operation', async () => {
    const personOps = opNames.filter((n) => expected[n].scope === 'person' && expected[n].roles !== 'public' && (expected[n].roles as readonly Role[]).includes(H));
    expect(personOps.length).toBeGreaterThanOrEqual(9);
    for (const name of personOps) {
      const make = inputs.get(name) as (id: string) => unknown;
      const out = await core.dispatch(name, make(outside.id), await signIn('helpdesk.skole'));
      expect({ name, out }).toMatchObject({ name, out: { ok: false, error: { code: 'forbidden', details: { reason: 'scope' } } } });
      if (!out.ok) expect(out.error.message).toBe('Personen ligger uden for dine enheder: Skoler.');
      const inn = await core.dispatch(name, make(inside.id), await signIn('helpdesk.skole'));
      expect({ name, refused: refusedByAccess(inn) }).toEqual({ name, refused: false });
      // The unlimited agent reaches the same person.
      const any = await core.dispatch(name, make(outside.id), await signIn('helpdesk'));
      expect({ name, refused: refusedByAccess(any) }).toEqual({ name, refused: false });
    }
    // Every refused read is on record, not only the writes.
    const scopeRefusal = (e: { summary: Record<string, unknown> }) => (e.summary.error as { details?: { reason?: string } } | undefined)?.details?.reason === 'scope';
    const refused = core.journal.list({ limit: 100_000 }).filter((e) => e.operatorUsername === 'helpdesk.skole' && e.outcome === 'refused' && scopeRefusal(e));
    expect(new Set(refused.map((e) => e.operation))).toEqual(new Set(personOps));
    expect(refused.every((e) => e.targetId === outside.id && e.targetLabel !== null)).toBe(true);
  }, 120_000);

  it('filters every list, search, export and report to the schools for the schools-limited helpdesk', async () => {
    const scoped = await signIn('helpdesk.skole');
    const whole = await signIn('helpdesk');
    const within = (dn: string) => dnIsWithin(dn, schools);

    const search = await data<{ items: Array<{ dn: string }>; total: number }>('people.search', { text: '', limit: 1000 }, scoped);
    const searchAll = await data<{ total: number }>('people.search', { text: '', limit: 1000 }, whole);
    expect(search.items.length).toBeGreaterThan(0);
    expect(search.items.every((p) => within(p.dn))).toBe(true);
    expect(search.total).toBeLessThan(searchAll.total);

    type List = { rows: Array<{ id: string; ouPath: string; source: string }>; total: number; indexed: number; ous: string[]; drift: Record<string, number> };
    const list = await data<List>('people.list', { limit: 500 }, scoped);
    const listAll = await data<List>('people.list', { limit: 500 }, whole);
    expect(list.total).toBeGreaterThan(0);
    expect(list.rows.every((r) => r.ouPath === 'Skoler' || r.ouPath.startsWith('Skoler / '))).toBe(true);
    expect(list.rows.some((r) => r.source === 'mitid-only')).toBe(false);
    expect(list.ous.every((o) => o === 'Skoler' || o.startsWith('Skoler / '))).toBe(true);
    expect(list.indexed).toBeLessThan(listAll.indexed);
    expect(list.total).toBe(list.indexed);
    const driftSum = (d: Record<string, number>) => Object.values(d).reduce((a, b) => a + b, 0);
    expect(driftSum(list.drift)).toBeLessThanOrEqual(driftSum(listAll.drift));
    // Asking for another OU's people by filter gets nobody.
    const other = await data<List>('people.list', { filter: { ou: 'Borgerservice' }, limit: 500 }, scoped);
    expect(other.total).toBe(0);

    const exported = await data<{ base64: string; rows: number }>('people.export', { format: 'csv', columns: ['displayName', 'ouPath'] }, scoped);
    const csv = Buffer.from(exported.base64, 'base64').toString('utf8');
    expect(exported.rows).toBe(list.total);
    expect(csv).not.toContain('Borgerservice');

    type Report = { rows: Array<{ username: string; ouPath: string }>; total: number };
    const report = await data<Report>('terms.acceptanceReport', {}, scoped);
    const reportAll = await data<Report>('terms.acceptanceReport', {}, whole);
    expect(report.total).toBeGreaterThan(0);
    expect(report.total).toBeLessThan(reportAll.total);
    expect(report.rows.every((r) => r.ouPath.startsWith('Skoler'))).toBe(true);
    const acc = await data<{ csv: string; rows: number }>('terms.exportAcceptances', {}, scoped);
    expect(acc.rows).toBe(report.total);
    expect(acc.csv).not.toContain('Borgerservice');
  }, 120_000);
});
