// The training municipality's IdP history is the first evidence a new auditor reads, so it must obey the
// role model the console enforces: every administrative action in the whole seeded log was made by an
// operator whom the console's own access decision (can()) lets make it, to that person — auditors never
// write, the school helpdesk acts only inside Skoler — and each carries a reason that fits the action.
// The operators' roles come from signing in to the console, the people's DNs from the training directory,
// and the IdP action → console operation table is this test's own, so a wrong table in the seed shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../../../shared/access.ts';
import { dnIsWithin } from '../../../shared/dn.ts';
import type { OpName } from '../../../shared/operations/index.ts';
import type { Operator } from '../../../shared/roles.ts';
import { createTrainingDirectory } from '../../../src-main/training/directory.ts';
import { trainingIdpPeople } from '../../../src-main/training/environment.ts';
import { seedIdpState } from '../../../src-main/training/idp-sim/seed.ts';
import type { IdpState } from '../../../src-main/training/idp-sim/state.ts';
import { generateTrainingAccounts, ouDn, trainingOperators } from '../../../src-main/training/seed.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';

/** Which console operation an operator uses for each administrative action the IdP logs. */
const operationOf: Record<string, OpName> = {
  DEACTIVATE_BY_ADMIN: 'people.setIdentityLock',
  REACTIVATE_BY_ADMIN: 'people.setIdentityLock',
  RANDOM_PASSWORD_SET_BY_ADMIN: 'people.resetPassword',
  UNLOCK_ACCOUNT: 'people.unlockAccount',
  DELETED_MFA_DEVICE: 'people.deviceAction',
  ADMIN_MFA_TEST: 'people.deviceAction',
  KODEVISER_RESET: 'people.deviceAction',
  ADDED_ROLE_BY_ADMIN: 'people.assignLocalAuthenticator',
  CHANGED_ALLOW_QUALIFIED_SIGNATURE: 'people.setSigning',
  CHANGED_TRANSFER_TO_NEMLOGIN: 'people.assignLocalAuthenticator',
  MITID_ERVHERV_ACTION: 'people.assignLocalAuthenticator',
  CHANGE_PASSWORD_SETTINGS: 'policy.update',
  CHANGE_TERMS_AND_CONDITIONS: 'terms.publish',
};

/** What a plausible reason for each action talks about (and, for a lock or its lifting, what it never says). */
const fits: Record<string, { must: RegExp; never?: RegExp }> = {
  DEACTIVATE_BY_ADMIN: { must: /fratrådt|spærring|misbrug|orlov|kompromitteret/i, never: /ophæv|tilbage|fejlagtig/i },
  REACTIVATE_BY_ADMIN: { must: /tilbage|ophæv/i, never: /fratrådt|misbrug|bortkommet/i },
  RANDOM_PASSWORD_SET_BY_ADMIN: { must: /kodeord|identitet/i, never: /telefon|kodeviser|orlov/i },
  UNLOCK_ACCOUNT: { must: /identitet|låst/i, never: /telefon|kodeviser|orlov|fratrådt/i },
  DELETED_MFA_DEVICE: { must: /telefon|enhed/i },
  ADMIN_MFA_TEST: { must: /test|enhed/i },
  KODEVISER_RESET: { must: /kodeviser/i },
  ADDED_ROLE_BY_ADMIN: { must: /medarbejder|leder|funktion/i },
  CHANGED_ALLOW_QUALIFIED_SIGNATURE: { must: /underskri/i },
  CHANGED_TRANSFER_TO_NEMLOGIN: { must: /loginmiddel|IdP/i },
  MITID_ERVHERV_ACTION: { must: /erhvervsidentitet|navneændring/i },
  CHANGE_PASSWORD_SETTINGS: { must: /godkendt/i },
  CHANGE_TERMS_AND_CONDITIONS: { must: /godkendt/i },
};

const NOW = Date.parse('2026-11-23T12:00:00Z');
const accounts = generateTrainingAccounts();
let state: IdpState;
const operators = new Map<string, Operator>();
const dnOf = new Map<string, string>();
let dispose: () => Promise<void>;

beforeAll(async () => {
  // The history exactly as the training environment seeds it (same people, same default size).
  state = seedIdpState({ people: trainingIdpPeople(accounts), now: NOW });
  // Each training operator as the console signs them in: the roles and OU limit it enforces.
  const env = await testCore();
  dispose = env.dispose;
  for (const o of trainingOperators) {
    const c = caller();
    const r = await env.core.dispatch('session.login', { username: o.username, password: TRAINING_PASSWORD }, c);
    if (!r.ok) throw new Error(r.error.message);
    operators.set(o.username, (r.data as { operator: Operator }).operator);
  }
  // Every person's DN as the training directory names it.
  const session = await createTrainingDirectory(accounts).signIn('admin', TRAINING_PASSWORD);
  for (const p of (await session.searchPeople({ text: '', limit: 100_000 })).items) dnOf.set(p.username, p.dn);
  await session.close();
}, 60_000);
afterAll(async () => dispose());

describe('the training history obeys the role model', () => {
  it('every administrative action in the whole seeded IdP log is one the console lets its operator make, to that person, with a reason that fits', () => {
    expect(operators.get('helpdesk.skole')).toMatchObject({ roles: ['helpdesk'], helpdeskOus: [ouDn(['Skoler'])] });
    expect(operators.get('revisor')?.roles).toEqual(['auditor']);
    const acted = new Map<string, number>();
    const problems: string[] = [];
    let checked = 0;
    for (const e of state.audit) {
      if (!e.performer) continue;
      checked++;
      const who = e.performer.username;
      acted.set(who, (acted.get(who) ?? 0) + 1);
      const operator = operators.get(who);
      const operation = operationOf[e.action];
      if (!operator || !operation) {
        problems.push(`${e.id} ${e.action} by ${who}: ${operator ? 'no console operation for the action' : 'not a console operator'}`);
        continue;
      }
      const dn = e.person ? dnOf.get(e.person.username) : undefined;
      if (e.person && dn === undefined) problems.push(`${e.id}: ${e.person.username} is not in the directory`);
      const decision = can(operator, operation, e.person ? { dn: dn ?? null } : undefined);
      if (!decision.allowed) problems.push(`${e.id} ${e.action} by ${who} on ${e.person?.username ?? '-'}: ${decision.message}`);
      if (e.person?.username === who) problems.push(`${e.id}: ${who} acted on themselves`);
      const reason = /Begrundelse: (.+)$/.exec(e.message)?.[1] ?? '';
      const rule = fits[e.action]!;
      if (reason.length < 8 || !rule.must.test(reason) || rule.never?.test(reason)) problems.push(`${e.id} ${e.action}: implausible reason »${reason}«`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
    // The whole log was looked at, and every kind of writer appears — the scoped one too — but never the auditor.
    expect(checked).toBeGreaterThan(1000);
    expect(acted.get('revisor')).toBeUndefined();
    for (const who of ['admin', 'brugeradmin', 'helpdesk', 'helpdesk.skole']) expect(acted.get(who)).toBeGreaterThan(10);
  });

  it('the school helpdesk only ever acts on people under Skoler', () => {
    const schools = ouDn(['Skoler']);
    const targets = state.audit.filter((e) => e.performer?.username === 'helpdesk.skole').map((e) => dnOf.get(e.person?.username ?? '') ?? null);
    expect(targets.length).toBeGreaterThan(10);
    expect(targets.filter((dn) => dn === null || !dnIsWithin(dn, schools))).toEqual([]);
  });

  it('identities locked by the municipality were locked by an operator allowed to, with a reason for a lock', () => {
    const locked = [...state.people.values()].filter((p) => p.locked !== null);
    expect(locked.length).toBeGreaterThan(5);
    for (const p of locked) {
      const operator = operators.get(p.locked!.by);
      expect(operator, `${p.username} locked by ${p.locked!.by}`).toBeDefined();
      expect(can(operator!, 'people.setIdentityLock', { dn: dnOf.get(p.username) ?? null }).allowed).toBe(true);
      expect(p.locked!.reason).toMatch(fits.DEACTIVATE_BY_ADMIN!.must);
    }
  });
});
