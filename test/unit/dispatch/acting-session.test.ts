import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../shared/access.ts';
import type { Operator } from '../../../shared/roles.ts';
import { actingSession, storableSession } from '../../../src-main/dispatch/dispatcher.ts';
import type { ActiveSession, DirectorySession } from '../../../src-main/ports.ts';

// A session in two domains: the municipality's administrator who is also helpdesk in the schools (#19).
const bind = (id: string) => ({ domain: { id, baseDn: `DC=${id},DC=test`, nested: [] } }) as unknown as DirectorySession;
const kommune = bind('kommune');
const skoler = bind('skoler');
const school = { username: 'skolehelpdesk', displayName: 'Skolehelpdesk', dn: 'CN=s,DC=skoler,DC=test', roles: ['helpdesk' as const], helpdeskOus: null, domain: { id: 'skoler', name: 'Skolerne' } };
const operator = {
  username: 'admin', displayName: 'Admin', dn: 'CN=a,DC=kommune,DC=test', roles: ['administrator' as const], helpdeskOus: null,
  domain: { id: 'kommune', name: 'Kommunen' }, also: [school],
} as unknown as Operator;
const session: ActiveSession = { operator, directory: kommune, others: [skoler], startedAt: 0, lastUsedAt: 0 };
const bySchool = { allowed: true, scope: null, by: school, grants: [school] } as unknown as Decision;

describe('the session a call acts as', () => {
  it('is narrowed to the grant that allowed it, with that domain\'s bind', () => {
    const actor = actingSession(session, bySchool);
    expect(actor.operator).toBe(school);
    expect(actor.directory).toBe(skoler);
  });

  it('may not be stored: the session would lose its other domain; the whole session and a sign-out may', () => {
    const actor = actingSession(session, bySchool);
    expect(() => storableSession(session, actor, { ...actor, lastUsedAt: 1 })).toThrow(/must not store its narrowed session/);
    expect(storableSession(session, actor, { ...session, lastUsedAt: 1 })).toMatchObject({ operator, others: [skoler] });
    expect(storableSession(session, actor, null)).toBeNull();
    // A call not narrowed (one domain, or a public operation) stores what it is given.
    expect(storableSession(session, session, { ...session, lastUsedAt: 2 })).toMatchObject({ lastUsedAt: 2 });
  });
});
