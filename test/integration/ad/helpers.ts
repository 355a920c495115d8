// Shared bits for the AD integration tests (not a test file itself).
import { expect } from 'vitest';
import { ConsoleError, type ErrorCode } from '../../../shared/errors.ts';
import { createAdDirectory, type AdDirectory, type AdDirectorySession } from '../../../src-main/connectors/ad/ad-directory.ts';
import { sambaContext, testProfile, type SambaContext } from '../../support/samba/context.ts';
import type { AdProfile } from '../../../shared/domain/settings.ts';

export function setup(overrides: Partial<AdProfile> = {}): { ctx: SambaContext; dir: AdDirectory } {
  const ctx = sambaContext();
  return { ctx, dir: createAdDirectory(testProfile(ctx, overrides)) };
}

/** Sign in as a seeded account (all share the seed password). */
export function signInAs(dir: AdDirectory, ctx: SambaContext, username: string, password = ctx.facts.password): Promise<AdDirectorySession> {
  return dir.signIn(username, password);
}

export async function expectConsoleError(p: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<ConsoleError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `forventede ConsoleError(${code})`).toBeInstanceOf(ConsoleError);
  const ce = err as ConsoleError;
  expect(ce.code, ce.message).toBe(code);
  if (message) expect(ce.message).toMatch(message);
  // Never a stack trace or an LDAP dump in what the operator sees.
  expect(ce.message).not.toMatch(/\bat .*\.ts:|DSID-|0000052D|Code: 0x/);
  return ce;
}

/** The objectGUID of a seeded account, looked up by exact username. */
export async function idOf(session: AdDirectorySession, username: string): Promise<string> {
  const { items } = await session.searchPeople({ text: username, limit: 5 });
  const hit = items.find((p) => p.username === username);
  if (!hit) throw new Error(`fandt ikke ${username}`);
  return hit.id;
}
