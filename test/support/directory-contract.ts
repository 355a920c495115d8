// One behavioural contract for every DirectoryPort adapter. The Samba-backed AD adapter and the
// training directory both run it, so the training environment cannot drift from what AD does.
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/errors.ts';
import type { DirectoryPort, DirectorySession } from '../../src-main/connectors/directory-port.ts';

export interface ContractFixture {
  port: DirectoryPort;
  /** An operator allowed to write (unlock, reset, groups, PSO). */
  operator: { username: string; password: string };
  /** Username of an ordinary, enabled person the tests may change. */
  person: string;
  /** A group the person can be added to and removed from. */
  groupDn: string;
  /** The name part of that group's DN, as Person.groups lists it. */
  groupName: string;
  cleanup?(): Promise<void>;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!(e instanceof ConsoleError)) throw e;
    return e.code;
  }
}

async function idOf(s: DirectorySession, username: string): Promise<string> {
  const { items } = await s.searchPeople({ text: username, limit: 10 });
  const hit = items.find((p) => p.username === username);
  if (!hit) throw new Error(`fandt ikke ${username}`);
  return hit.id;
}

export function directoryContract(name: string, make: () => Promise<ContractFixture>): void {
  describe(`DirectoryPort contract: ${name}`, () => {
    const run = async (fn: (f: ContractFixture, s: DirectorySession) => Promise<void>) => {
      const f = await make();
      const s = await f.port.signIn(f.operator.username, f.operator.password);
      try {
        await fn(f, s);
      } finally {
        await s.close();
        await f.cleanup?.();
      }
    };

    it('refuses a wrong password and an unknown user alike, as unauthenticated', async () => {
      const f = await make();
      expect(await codeOf(f.port.signIn(f.operator.username, 'forkert-kode-123'))).toBe('unauthenticated');
      expect(await codeOf(f.port.signIn('findes.ikke.xyz', 'forkert-kode-123'))).toBe('unauthenticated');
      await f.cleanup?.();
    });

    it('signs in with groups and answers a ping', async () => {
      await run(async (f, s) => {
        expect(s.identity.username.toLowerCase()).toBe(f.operator.username.toLowerCase());
        expect(s.identity.groups.length).toBeGreaterThan(0);
        expect((await f.port.ping()).ok).toBe(true);
      });
    });

    it('ranks the exact username first, and treats filter syntax as literal text', async () => {
      await run(async (f, s) => {
        const r = await s.searchPeople({ text: f.person, limit: 5 });
        expect(r.items[0]?.username).toBe(f.person);
        for (const text of ['*)(objectClass=*', '\\2a', 'a\u0000b', '*', 'x'.repeat(10_000)]) {
          const hits = await s.searchPeople({ text, limit: 50 });
          for (const p of hits.items) {
            const hay = `${p.displayName} ${p.username} ${p.email ?? ''} ${p.employeeId ?? ''}`.toLowerCase();
            expect(hay, `søgning på ${JSON.stringify(text.slice(0, 20))} fandt ${p.username}`).toContain(text.toLowerCase().slice(0, 50));
          }
        }
      });
    });

    it('reads a person by id, and says not-found for an unknown id', async () => {
      await run(async (f, s) => {
        const id = await idOf(s, f.person);
        const p = await s.getPerson(id);
        expect(p).toMatchObject({ id, username: f.person });
        expect(await codeOf(s.getPerson('00000000-0000-4000-8000-000000000000'))).toBe('not-found');
      });
    });

    it('unlocks an unlocked account without complaint', async () => {
      await run(async (f, s) => {
        const id = await idOf(s, f.person);
        await s.unlockAccount(id);
        expect((await s.getPerson(id)).locked).toBe(false);
      });
    });

    it('refuses a password the policy does not allow, as refused', async () => {
      await run(async (f, s) => {
        expect(await codeOf(s.resetPassword(await idOf(s, f.person), 'kort', true))).toBe('refused');
      });
    });

    it('adds to and removes from a group idempotently', async () => {
      await run(async (f, s) => {
        const id = await idOf(s, f.person);
        await s.addToGroup(id, f.groupDn);
        await s.addToGroup(id, f.groupDn);
        expect((await s.getPerson(id)).groups).toContain(f.groupName);
        await s.removeFromGroup(id, f.groupDn);
        await s.removeFromGroup(id, f.groupDn);
        expect((await s.getPerson(id)).groups).not.toContain(f.groupName);
      });
    });

    it('mirrors a password policy and reads it back', async () => {
      await run(async (f, s) => {
        const settings = { minLength: 15, historyLength: 10, complexity: true, maxAgeDays: 365, minAgeDays: 0, lockoutThreshold: 5, lockoutDurationMinutes: 5, lockoutWindowMinutes: 5 };
        await s.mirrorPasswordPolicy({ domain: 'kontrakt.test', settings, appliesTo: [f.groupDn] });
        expect(await s.readMirroredPolicy('kontrakt.test')).toMatchObject({ ...settings, appliesTo: [f.groupDn] });
      });
    });
  });
}
