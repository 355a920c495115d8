// The training environment's second domain (#19) is generated apart from the municipality: the generator
// behind the benchmarks and the scaled Samba domain gives exactly what it gave before, and the schools'
// people, identities and sign-in are their own.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signInDomainOf } from '../../../shared/domain/settings.ts';
import { trainingDomains, trainingOperatorCards } from '../../../src-main/training/environment.ts';
import { MitIdSimState } from '../../../src-main/training/mitid-sim/state.ts';
import { seedMitIdSimulator } from '../../../src-main/training/mitid-sim/seed.ts';
import { generateSchoolAccounts, generateTrainingAccounts, SCHOOL_UPN_SUFFIX, schoolHasMitIdIdentity } from '../../../src-main/training/seed.ts';

const hashOf = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);

describe('the training generators', () => {
  it('give the municipality exactly what they gave before the schools’ domain (benchmarks and the scaled Samba domain hash it)', () => {
    expect(hashOf(generateTrainingAccounts())).toBe('e9e788cd98bbec2f');
    expect(hashOf(generateTrainingAccounts(4242, 5010))).toBe('9a086b0b2f2016a9');
  });

  it('give the schools a few hundred staff and pupils of their own, the same on every run', () => {
    const school = generateSchoolAccounts();
    expect(hashOf(school)).toBe(hashOf(generateSchoolAccounts()));
    expect(school.length).toBeGreaterThan(300);
    expect(school.length).toBeLessThan(500);
    const staff = school.filter((a) => a.ouPath.includes('Medarbejdere'));
    const pupils = school.filter((a) => a.ouPath.includes('Elever'));
    expect(staff.length).toBeGreaterThan(50);
    expect(pupils.length).toBeGreaterThan(150);
    expect(pupils.every((a) => a.email === null && !schoolHasMitIdIdentity(a))).toBe(true);
    const holders = staff.filter(schoolHasMitIdIdentity);
    expect(holders.length).toBeGreaterThan(staff.length / 3);
    expect(holders.length).toBeLessThan(staff.length);
    expect(staff.every((a) => a.email === null || a.email.endsWith(`@${SCHOOL_UPN_SUFFIX}`))).toBe(true);
  });
});

describe('the schools in the MitID Erhverv simulator', () => {
  it('are added beside the municipality’s identities, never in place of one, under the schools’ link rule', () => {
    const state = new MitIdSimState();
    const town = generateTrainingAccounts().slice(0, 200);
    const person = (a: { username: string; givenName: string; surname: string; email: string | null }) => ({ username: a.username, givenName: a.givenName, surname: a.surname, email: a.email });
    const first = seedMitIdSimulator(state, { people: town.map(person), linkRule: { kind: 'samaccountname-suffix', suffix: 'fjordby.dk', lowercase: false } });
    const school = generateSchoolAccounts().filter(schoolHasMitIdIdentity);
    // A username the municipality has too gets an identity of its own.
    const twin = { ...school[0]!, username: town[0]!.username };
    const added = seedMitIdSimulator(state, {
      people: [twin, ...school.slice(1)].map(person),
      linkRule: { kind: 'samaccountname-suffix', suffix: SCHOOL_UPN_SUFFIX, lowercase: false },
      addDomain: 'skolerne',
      drift: { suspendedWhileActive: 0, withoutLocalCredential: 0, staleSubjectNameId: 0, onlyInMitId: 0 },
    });
    expect(state.identities.size).toBe(first.identities + added.identities);
    expect(added.byUsername.get(twin.username)).not.toBe(first.byUsername.get(twin.username));
    const ids = state.all().flatMap((i) => i.authenticators.map((a) => a.id ?? ''));
    expect(ids).toContain(`${twin.username}@${SCHOOL_UPN_SUFFIX}`);
    expect(ids).toContain(`${twin.username}@fjordby.dk`);
    const cprs = state.all().map((i) => i.cprNumber).filter(Boolean);
    expect(new Set(cprs).size).toBe(cprs.length);
  });
});

describe('the training’s domains', () => {
  it('send a name with the schools’ suffix to the schools’ domain and every other name to the municipality’s', () => {
    expect(signInDomainOf(`skolehelpdesk@${SCHOOL_UPN_SUFFIX}`, trainingDomains)?.id).toBe('skolerne');
    for (const name of ['admin', 'helpdesk.skole', 'admin@fjordby.dk', 'FJORDBY\\revisor']) expect(signInDomainOf(name, trainingDomains)?.id).toBe('kommunen');
    const cards = trainingOperatorCards.map((c) => c.username);
    expect(cards.slice(0, 5)).toEqual(['admin', 'brugeradmin', 'helpdesk', 'helpdesk.skole', 'revisor']);
    expect(cards.filter((c) => signInDomainOf(c, trainingDomains)?.id === 'skolerne').length).toBeGreaterThanOrEqual(2);
  });
});
