// The NSIS rule cannot be switched off from the policy screen for a domain that issues MitID Erhverv
// identities: through the dispatcher, against the training directory, the MitID Erhverv simulator over
// mTLS and the IdP simulator, each reached over a real socket by the real client.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpOutput } from '../../../shared/operations/index.ts';
import type { PasswordPolicy } from '../../../shared/idp/password-policy.ts';
import type { Core } from '../../../src-main/composition/core.ts';
import { createMitIdErhvervClient } from '../../../src-main/connectors/mitid-erhverv/index.ts';
import { trainingPolicyDefaults } from '../../../src-main/training/environment.ts';
import { allPeople, identitiesOfDomain } from '../../../src-main/services/policies/policy-service.ts';
import { TRAINING_DOMAIN } from '../../../src-main/training/seed.ts';
import { makeTestPki } from '../../support/pki.ts';
import { caller, testCore, TRAINING_PASSWORD } from '../../support/core.ts';

let env: Awaited<ReturnType<typeof testCore>>;
let core: Core;
const admin = caller('ws-admin');
const revisor = caller('ws-revisor');
const PUPILS = `elever.${TRAINING_DOMAIN}`;

type Result = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
async function ok<T>(p: Promise<Result>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data as T;
}
const policy = async (domain: string) => (await ok<OpOutput<'policy.get'>>(core.dispatch('policy.get', { domain }, revisor))).policy;

beforeAll(async () => {
  env = await testCore({ simulators: true });
  core = env.core;
  await ok(core.dispatch('session.login', { username: 'admin', password: TRAINING_PASSWORD }, admin));
  await ok(core.dispatch('session.login', { username: 'revisor', password: TRAINING_PASSWORD }, revisor));
});
afterAll(async () => {
  await env.dispose();
});

describe('a domain whose people hold MitID Erhverv identities', () => {
  it('main knows the domain issues identities, from one MitID search', async () => {
    const facts = await ok<OpOutput<'policy.identities'>>(core.dispatch('policy.identities', { domain: TRAINING_DOMAIN }, revisor));
    expect(facts.state).toBe('issuing');
    expect(facts.withIdentity).toBeGreaterThan(100);
    expect(facts.message).toMatch(/^\d[\d.]* personer i fjordby\.kommune\.test har en MitID Erhverv-identitet\.$/);
  });

  it('an administrator cannot untick NSIS and save a 10-character minimum: refused in Danish, nothing changes', async () => {
    const before = await policy(TRAINING_DOMAIN);
    expect(before.settings.nsis).toBe(true);
    const draft = { ...before.settings, nsis: false, minLength: 10 };
    const r = await core.dispatch('policy.update', { domain: before.domain, basedOnVersion: before.version, settings: draft, reason: 'Elever skal have kortere koder' }, admin);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('refused');
    expect(r.error.message).toMatch(/^NSIS-reglerne kan ikke slås fra for fjordby\.kommune\.test, fordi domænet udsteder MitID Erhverv-identiteter\. \d[\d.]* personer/);
    expect(r.error.details?.fields).toEqual({ 'settings.nsis': 'Domænet udsteder MitID Erhverv-identiteter' });
    const after = await policy(TRAINING_DOMAIN);
    expect(after.version).toBe(before.version);
    expect(after.settings).toEqual(before.settings);

    // The review says so before a reason is written, and its consequences read the right way round.
    const pv = await ok<OpOutput<'policy.preview'>>(core.dispatch('policy.preview', { domain: before.domain, basedOnVersion: before.version, settings: draft }, admin));
    expect(pv.violations.find((v) => v.field === 'nsis')?.message).toContain('NSIS-reglerne kan ikke slås fra');
    expect(pv.consequences.join('\n')).toContain(`Krav, der lempes: mindst 10 tegn (før ${before.settings.minLength})`);
  });

  it('fails closed for a domain whose people the console cannot tell (a pseudo-domain without OUs)', async () => {
    const { policies } = await ok<OpOutput<'policy.list'>>(core.dispatch('policy.list', {}, revisor));
    const pseudo = policies.find((p) => p.kind === 'pseudo-domain' && p.settings.nsis) as PasswordPolicy;
    expect(pseudo).toBeDefined();
    // Training maps the pseudo-domain to the operators' OU (for the readiness check); take that away here.
    const { config } = await ok<OpOutput<'policy.getConfig'>>(core.dispatch('policy.getConfig', {}, admin));
    const domainOus = Object.fromEntries(Object.entries(config.domainOus).filter(([d]) => d !== pseudo.domain));
    await ok(core.dispatch('policy.updateConfig', { config: { ...config, domainOus }, reason: 'Pseudo-domænet uden OU\'er' }, admin));
    const facts = await ok<OpOutput<'policy.identities'>>(core.dispatch('policy.identities', { domain: pseudo.domain }, revisor));
    expect(facts.state).toBe('unknown');
    const r = await core.dispatch('policy.update', { domain: pseudo.domain, basedOnVersion: pseudo.version, settings: { ...pseudo.settings, nsis: false }, reason: 'Ikke længere NSIS' }, admin);
    expect(!r.ok && r.error.code).toBe('refused');
    expect(!r.ok && r.error.message).toContain('fordi konsollen ikke kan udelukke, at domænet udsteder MitID Erhverv-identiteter');
    expect((await policy(pseudo.domain)).version).toBe(pseudo.version);
  });
});

describe('a domain without identities (pupils)', () => {
  it('main knows nobody there holds an identity', async () => {
    const facts = await ok<OpOutput<'policy.identities'>>(core.dispatch('policy.identities', { domain: PUPILS }, revisor));
    expect(facts).toMatchObject({ state: 'none', withIdentity: 0 });
    expect(facts.peopleInScope).toBeGreaterThan(0);
  });

  it('may go into NSIS and out again with a weaker policy; the consequences read the right way both times', async () => {
    const start = await policy(PUPILS);
    expect(start.settings.nsis).toBe(false);
    const into = { ...start.settings, nsis: true, minLength: 15, triesBeforeLock: 5, lockedMinutes: 5 };
    const pvIn = await ok<OpOutput<'policy.preview'>>(core.dispatch('policy.preview', { domain: PUPILS, basedOnVersion: start.version, settings: into }, admin));
    expect(pvIn.violations).toEqual([]);
    expect(pvIn.consequences.join('\n')).toContain(`Nye krav: mindst 15 tegn (før ${start.settings.minLength})`);
    const saved = await ok<OpOutput<'policy.update'>>(core.dispatch('policy.update', { domain: PUPILS, basedOnVersion: start.version, settings: into, reason: 'Prøver NSIS for elever' }, admin));

    const out = { ...saved.policy.settings, nsis: false, minLength: 8, triesBeforeLock: 10 };
    const pvOut = await ok<OpOutput<'policy.preview'>>(core.dispatch('policy.preview', { domain: PUPILS, basedOnVersion: saved.policy.version, settings: out }, admin));
    expect(pvOut.violations).toEqual([]);
    const text = pvOut.consequences.join('\n');
    expect(text).toContain('Krav, der lempes: mindst 8 tegn (før 15)');
    expect(text).not.toContain('(før 8)');
    const back = await ok<OpOutput<'policy.update'>>(core.dispatch('policy.update', { domain: PUPILS, basedOnVersion: saved.policy.version, settings: out, reason: 'Elever tilbage til egen politik' }, admin));
    expect(back.policy.settings).toMatchObject({ nsis: false, minLength: 8 });
  });
});

describe('when MitID Erhverv cannot be asked', () => {
  let dead: Server;
  beforeAll(async () => {
    // A listener that accepts and drops every connection: MitID Erhverv "down", for real.
    dead = createServer((s) => s.destroy());
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => dead.close(() => r())));

  it('the answer is unknown, which the guard treats as issuing', async () => {
    const pki = makeTestPki('Død MitID');
    const mitid = createMitIdErhvervClient({
      baseUrl: `https://127.0.0.1:${(dead.address() as AddressInfo).port}`, pkcs12: pki.client.pfx, passphrase: pki.client.passphrase, ca: pki.ca.certPem,
      timeoutMs: 2000, backoff: { retries: 0 },
    });
    try {
      const pupils = await policy(PUPILS);
      const people = await allPeople(admin.slot.get()!.directory);
      const facts = await identitiesOfDomain(pupils, trainingPolicyDefaults, { people: async () => people, mitid });
      expect(facts.state).toBe('unknown');
      expect(facts.message).toMatch(/^MitID Erhverv kunne ikke spørges \(.+\), så konsollen går ud fra, at domænet udsteder MitID Erhverv-identiteter\.$/);
      const none = await identitiesOfDomain(pupils, trainingPolicyDefaults, { people: async () => people, mitid: null });
      expect(none.state).toBe('unknown');
    } finally {
      await mitid.close();
    }
  });
});
