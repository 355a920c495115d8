import { describe, expect, it } from 'vitest';
import { can, inScope } from '../../../shared/access.ts';
import type { Operator, OperatorDomain, Role } from '../../../shared/roles.ts';

const SCHOOLS = 'OU=Skoler,DC=fjordby,DC=dk';
const DAYCARE = 'OU=Dagtilbud,OU=Børn og Unge,DC=fjordby,DC=dk';
const pupil = { dn: 'CN=Emil,OU=Elever,OU=Skoler,DC=fjordby,DC=dk' };
const clerk = { dn: 'CN=Bo,OU=Borgerservice,DC=fjordby,DC=dk' };
const orphan = { dn: null };

const op = (roles: Role[], helpdeskOus: string[] | null = null): Operator => ({ username: 'x', displayName: 'X', dn: 'CN=X,DC=fjordby,DC=dk', roles, helpdeskOus });

describe('can()', () => {
  it('lets nobody signed out past a signed-in operation, and anyone call a public one', () => {
    expect(can(null, 'people.get', pupil)).toMatchObject({ allowed: false, code: 'unauthenticated', reason: 'signed-out' });
    expect(can(null, 'app.info')).toEqual({ allowed: true, scope: null });
  });

  it('refuses a role the operation does not name, in Danish, naming the operation', () => {
    expect(can(op(['auditor']), 'people.unlockAccount', pupil)).toEqual({
      allowed: false, code: 'forbidden', reason: 'role', message: 'Din rolle giver ikke adgang til: Lås AD-konto op.',
    });
  });

  it('limits a scoped helpdesk on reads as on writes, and names its OUs in the refusal', () => {
    const agent = op(['helpdesk'], [SCHOOLS, DAYCARE]);
    for (const name of ['people.get', 'people.history', 'people.revealCpr', 'people.unlockAccount'] as const) {
      expect(can(agent, name, pupil)).toEqual({ allowed: true, scope: [SCHOOLS, DAYCARE] });
      expect(can(agent, name, clerk)).toEqual({
        allowed: false, code: 'forbidden', reason: 'scope', message: 'Personen ligger uden for dine enheder: Skoler, Børn og Unge / Dagtilbud.',
        // The same units as parameters, for a refusal said in another language.
        units: ['Skoler', 'Børn og Unge / Dagtilbud'], noAccount: false,
      });
    }
  });

  it('never lets a scoped helpdesk reach an identity that has no AD account', () => {
    expect(can(op(['helpdesk'], [SCHOOLS]), 'people.get', orphan)).toMatchObject({ allowed: false, reason: 'scope', message: 'Personen har ingen AD-konto i dine enheder: Skoler.' });
    expect(can(op(['useradmin']), 'people.fixDrift', orphan)).toEqual({ allowed: true, scope: null });
  });

  it('lifts the limit only where another role of the operator grants the same operation', () => {
    const both = op(['helpdesk', 'auditor'], [SCHOOLS]);
    // Auditors may read any person: the limit does not apply to that read.
    expect(can(both, 'people.get', clerk)).toEqual({ allowed: true, scope: null });
    // But auditors may neither unlock nor see a full CPR number: there the helpdesk limit holds.
    expect(can(both, 'people.unlockAccount', clerk)).toMatchObject({ allowed: false, reason: 'scope' });
    expect(can(both, 'people.revealCpr', clerk)).toMatchObject({ allowed: false, reason: 'scope' });
    expect(can(op(['helpdesk', 'useradmin'], [SCHOOLS]), 'people.unlockAccount', clerk)).toEqual({ allowed: true, scope: null });
  });

  it('gives a list operation the scope to filter by, without a target', () => {
    expect(can(op(['helpdesk'], [SCHOOLS]), 'people.list')).toEqual({ allowed: true, scope: [SCHOOLS] });
    expect(can(op(['helpdesk']), 'people.list')).toEqual({ allowed: true, scope: null });
    expect(can(op(['auditor']), 'people.list')).toEqual({ allowed: true, scope: null });
  });

  it('keeps full CPR numbers from auditors', () => {
    expect(can(op(['auditor']), 'people.revealCpr', clerk)).toMatchObject({ allowed: false, reason: 'role' });
    expect(can(op(['administrator']), 'people.revealCpr', clerk)).toEqual({ allowed: true, scope: null });
  });
});

describe('can() with several AD domains', () => {
  // A child domain of the municipality's: its DNs lie below the municipality's base DN, yet are not its people.
  const SKOLE: OperatorDomain = { id: 'skole', name: 'Skolerne', baseDn: 'DC=skole,DC=fjordby,DC=dk', primary: false, nested: [] };
  const kommune: OperatorDomain = { id: 'kommune', name: 'Kommunen', baseDn: 'DC=fjordby,DC=dk', primary: true, nested: [SKOLE.baseDn] };
  const teacher = { dn: 'CN=Anne,OU=Lærere,DC=skole,DC=fjordby,DC=dk' };
  const inDomain = (roles: Role[], domain: OperatorDomain, helpdeskOus: string[] | null = null): Operator => ({ ...op(roles, helpdeskOus), domain });

  it('refuses a person of another domain to every role, reads included, naming the operator’s domain', () => {
    for (const roles of [['administrator'], ['useradmin'], ['helpdesk'], ['auditor']] as Role[][]) {
      expect(can(inDomain(roles, SKOLE), 'people.get', clerk)).toMatchObject({ allowed: false, code: 'forbidden', reason: 'domain', domain: 'Skolerne', noAccount: false });
      expect(can(inDomain(roles, kommune), 'people.get', teacher)).toMatchObject({ allowed: false, reason: 'domain', domain: 'Kommunen' });
      expect(can(inDomain(roles, SKOLE), 'people.get', teacher)).toMatchObject({ allowed: true });
      expect(can(inDomain(roles, kommune), 'people.get', clerk)).toMatchObject({ allowed: true });
    }
    expect(can(inDomain(['administrator'], SKOLE), 'people.unlockAccount', clerk)).toMatchObject({
      allowed: false, reason: 'domain', message: 'Personen hører ikke til domænet Skolerne, som du er logget ind i. Log ind med en konto i personens domæne.',
    });
  });

  it('keeps the identities with no AD account for the municipality’s own domain', () => {
    expect(can(inDomain(['useradmin'], kommune), 'people.fixDrift', orphan)).toMatchObject({ allowed: true });
    expect(can(inDomain(['useradmin'], SKOLE), 'people.fixDrift', orphan)).toMatchObject({ allowed: false, reason: 'domain', noAccount: true });
  });

  it('confines every list to the domain, and a helpdesk’s OUs to those inside it', () => {
    const list = (o: Operator) => {
      const d = can(o, 'people.list');
      if (!d.allowed) throw new Error('refused');
      return d.scope;
    };
    expect(list(inDomain(['auditor'], SKOLE))).toEqual([SKOLE.baseDn]);
    const own = list(inDomain(['administrator'], kommune));
    for (const [dn, visible] of [[clerk.dn, true], [teacher.dn, false], [null, true]] as const) expect(inScope(own, dn)).toBe(visible);
    expect(inScope(list(inDomain(['administrator'], SKOLE)), null)).toBe(false);
    // A mapping that names an OU of the other domain grants nothing there.
    const scoped = list(inDomain(['helpdesk'], SKOLE, [`OU=Lærere,${SKOLE.baseDn}`, SCHOOLS]));
    expect(inScope(scoped, teacher.dn)).toBe(true);
    expect(inScope(scoped, pupil.dn)).toBe(false);
    expect(can(inDomain(['helpdesk'], SKOLE, [SCHOOLS]), 'people.get', teacher)).toMatchObject({ allowed: false, reason: 'scope' });
  });

  it('names the operator’s units without the scope’s markers', () => {
    const d = can(inDomain(['helpdesk'], kommune, [SCHOOLS]), 'people.get', clerk);
    expect(d).toMatchObject({ allowed: false, reason: 'scope', units: ['Skoler'], message: 'Personen ligger uden for dine enheder: Skoler.' });
  });

  it('keeps the administration of the whole console and IdP to the municipality’s own domain', () => {
    const whole = ['settings.setSecret', 'audit.setRetention', 'audit.purgeNow', 'terms.publish', 'mail.update', 'policy.updateConfig'] as const;
    for (const operation of whole) {
      expect(can(inDomain(['administrator'], SKOLE), operation)).toMatchObject({ allowed: false, code: 'forbidden', reason: 'municipality', domain: 'Skolerne' });
      expect(can(inDomain(['administrator'], kommune), operation).allowed, operation).toBe(true);
      // With one domain (no domain facts) nothing changes.
      expect(can(op(['administrator']), operation).allowed, operation).toBe(true);
    }
    // The school's administrator still administers the school: its policies, its bulk jobs, its settings entry.
    for (const operation of ['policy.update', 'bulk.list', 'settings.update', 'audit.search'] as const) {
      expect(can(inDomain(['administrator'], SKOLE), operation).allowed, operation).toBe(true);
    }
  });
});


describe('can() with grants in several domains in one session (#19)', () => {
  const SKOLE: OperatorDomain = { id: 'skole', name: 'Skolerne', baseDn: 'DC=skole,DC=fjordby,DC=dk', primary: false, nested: [] };
  const kommune: OperatorDomain = { id: 'kommune', name: 'Kommunen', baseDn: 'DC=fjordby,DC=dk', primary: true, nested: [SKOLE.baseDn] };
  const teacher = { dn: 'CN=Anne,OU=Lærere,DC=skole,DC=fjordby,DC=dk' };
  const schoolPupil = { dn: 'CN=Ida,OU=Elever,DC=skole,DC=fjordby,DC=dk' };
  const grant = (username: string, roles: Role[], domain: OperatorDomain, helpdeskOus: string[] | null = null) => ({ ...op(roles, helpdeskOus), username, domain });
  const both = (home: ReturnType<typeof grant>, other: ReturnType<typeof grant>): Operator => ({ ...home, also: [other] });

  it('decides a person by the grant of their own domain, never by the other grant’s roles', () => {
    // An administrator at home and only helpdesk in the schools: in the schools they are helpdesk.
    const o = both(grant('admin', ['administrator'], kommune), grant('hd@skole', ['helpdesk'], SKOLE));
    expect(can(o, 'people.assignLocalAuthenticator', clerk)).toMatchObject({ allowed: true, by: { username: 'admin' } });
    expect(can(o, 'people.assignLocalAuthenticator', teacher)).toMatchObject({ allowed: false, reason: 'role' });
    expect(can(o, 'people.unlockAccount', teacher)).toMatchObject({ allowed: true, by: { username: 'hd@skole' } });
    // The grant's OUs hold in its own domain only.
    const limited = both(grant('admin', ['administrator'], kommune), grant('hd@skole', ['helpdesk'], SKOLE, [`OU=Lærere,${SKOLE.baseDn}`]));
    expect(can(limited, 'people.unlockAccount', teacher).allowed).toBe(true);
    expect(can(limited, 'people.unlockAccount', schoolPupil)).toMatchObject({ allowed: false, reason: 'scope' });
    // Identities with no AD account stay with the municipality's grant.
    expect(can(o, 'people.fixDrift', orphan)).toMatchObject({ allowed: true, by: { username: 'admin' } });
    const schoolFirst = both(grant('hd@skole', ['helpdesk'], SKOLE), grant('hd', ['helpdesk'], kommune, [SCHOOLS]));
    expect(can(schoolFirst, 'people.get', clerk)).toMatchObject({ allowed: false, reason: 'scope' });
    expect(can(schoolFirst, 'people.get', pupil)).toMatchObject({ allowed: true, by: { username: 'hd' } });
  });

  it('gives a list the union of the grants that allow it, and nothing of one that does not', () => {
    const o = both(grant('hd', ['helpdesk'], kommune, [SCHOOLS]), grant('hd@skole', ['helpdesk'], SKOLE));
    const d = can(o, 'people.list');
    if (!d.allowed) throw new Error('refused');
    for (const [dn, visible] of [[pupil.dn, true], [clerk.dn, false], [teacher.dn, true], [schoolPupil.dn, true], [null, false]] as const) {
      expect(inScope(d.scope, dn), String(dn)).toBe(visible);
    }
    expect(d.grants?.map((g) => g.username)).toEqual(['hd', 'hd@skole']);
    // The school grant is an auditor's: the municipality's audit search is allowed by it alone, and a
    // helpdesk-only list operation holds only the grant that allows it.
    const mixed = both(grant('hd', ['helpdesk'], kommune), grant('rev@skole', ['auditor'], SKOLE));
    const unlockable = can(mixed, 'bulk.plan');
    expect(unlockable).toMatchObject({ allowed: false });
    const audit = can(mixed, 'audit.search');
    expect(audit).toMatchObject({ allowed: true, by: { username: 'rev@skole' } });
    if (audit.allowed) expect(audit.grants?.map((g) => g.username)).toEqual(['rev@skole']);
  });

  it('keeps what administers the whole console to a municipality grant that allows it', () => {
    const schoolAdminHomeHelpdesk = both(grant('admin@skole', ['administrator'], SKOLE), grant('hd', ['helpdesk'], kommune));
    expect(can(schoolAdminHomeHelpdesk, 'settings.setSecret')).toMatchObject({ allowed: false, reason: 'municipality' });
    const townAdmin = both(grant('admin@skole', ['administrator'], SKOLE), grant('admin', ['administrator'], kommune));
    expect(can(townAdmin, 'settings.setSecret')).toMatchObject({ allowed: true, by: { username: 'admin' } });
  });
});

describe('inScope: an exception takes nothing from an OU at or below it', () => {
  it('joins two domains’ scopes by concatenation', () => {
    const SKOLE = 'DC=skole,DC=fjordby,DC=dk';
    const town = ['DC=fjordby,DC=dk', `!${SKOLE}`];
    expect(inScope(town, `CN=A,${SKOLE}`)).toBe(false);
    expect(inScope([...town, SKOLE], `CN=A,${SKOLE}`)).toBe(true);
    expect(inScope([...town, `OU=Lærere,${SKOLE}`], `CN=A,OU=Elever,${SKOLE}`)).toBe(false);
    expect(inScope([...town, `OU=Lærere,${SKOLE}`], `CN=A,OU=Lærere,${SKOLE}`)).toBe(true);
    expect(inScope(town, 'CN=B,OU=X,DC=fjordby,DC=dk')).toBe(true);
  });
});
