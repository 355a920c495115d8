import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdDirectorySession } from '../../../src-main/connectors/ad/ad-directory.ts';
import { expectConsoleError, idOf, setup, signInAs } from './helpers.ts';

const { ctx, dir } = setup();
const f = ctx.facts;
const sessions: AdDirectorySession[] = [];
let admin: AdDirectorySession;
let useradmin: AdDirectorySession;
let helpdesk: AdDirectorySession;
let schools: AdDirectorySession;
let auditor: AdDirectorySession;

beforeAll(async () => {
  [admin, useradmin, helpdesk, schools, auditor] = await Promise.all(
    [f.operators.administrator, f.operators.useradmin, f.operators.helpdesk, f.operators.helpdeskSchools, f.operators.auditor].map((u) => signInAs(dir, ctx, u)),
  ) as [AdDirectorySession, AdDirectorySession, AdDirectorySession, AdDirectorySession, AdDirectorySession];
  sessions.push(admin, useradmin, helpdesk, schools, auditor);
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
});

const projektDn = () => `CN=${f.groups.projekt},${f.ou.grupper}`;

describe('unlock', () => {
  it('unlocks an account that wrong passwords locked', async () => {
    const u = f.special.lockTarget.username;
    for (let i = 0; i < f.domainPolicy.lockoutThreshold; i++) {
      await expectConsoleError(dir.signIn(u, `Forkert-${i}-Kode!`), 'unauthenticated');
    }
    await expectConsoleError(dir.signIn(u, f.password), 'unauthenticated', /låst/);
    const id = await idOf(helpdesk, u);
    expect((await helpdesk.getPerson(id)).locked).toBe(true);

    await helpdesk.unlockAccount(id);
    const after = await helpdesk.getPerson(id);
    expect(after.locked).toBe(false);
    expect(after.lockoutTime).toBeNull();
    const own = await dir.signIn(u, f.password);
    await own.close();
  });

  it('works on people whose DN needs escaping', async () => {
    for (const u of Object.values(f.nasty)) {
      await useradmin.unlockAccount(await idOf(useradmin, u.username));
    }
  });

  it('an auditor may not unlock: AD refuses and the console says so', async () => {
    const id = await idOf(auditor, f.special.locked.username);
    await expectConsoleError(auditor.unlockAccount(id), 'forbidden', /rettighed/);
    expect((await auditor.getPerson(id)).locked).toBe(true);
  });

  it('a schools helpdesk may unlock pupils but not people in Borgerservice', async () => {
    await schools.unlockAccount(await idOf(schools, f.special.pupil.username));
    await expectConsoleError(schools.unlockAccount(await idOf(schools, f.special.noEmail.username)), 'forbidden');
  });

  it('an unknown person is not-found', async () => {
    await expectConsoleError(helpdesk.unlockAccount(randomUUID()), 'not-found');
    await expectConsoleError(helpdesk.unlockAccount('CN=x'), 'not-found');
  });
});

describe('password reset', () => {
  it('sets a new password the person can sign in with; older ones stop working', async () => {
    const u = f.special.resetTarget.username;
    const id = await idOf(helpdesk, u);
    await helpdesk.resetPassword(id, 'Første-Nye-Kodeord-2026!', false);
    await helpdesk.resetPassword(id, 'Nyt-Kodeord-Æøå-2026!', false);
    const own = await dir.signIn(u, 'Nyt-Kodeord-Æøå-2026!');
    await own.close();
    // AD (and Samba) still accept the immediately previous password for a while (NTLM's
    // OldPasswordAllowedPeriod), so check the one before that.
    await expectConsoleError(dir.signIn(u, f.password), 'unauthenticated');
    const p = await helpdesk.getPerson(id);
    expect(p.mustChangePassword).toBe(false);
    expect(Date.now() - Date.parse(p.passwordLastSet ?? '')).toBeLessThan(120_000);
  });

  it('"must change at next logon" is set together with the password', async () => {
    const u = f.special.resetTarget.username;
    const id = await idOf(helpdesk, u);
    await helpdesk.resetPassword(id, 'Endnu-Et-Kodeord-2026!', true);
    expect((await helpdesk.getPerson(id)).mustChangePassword).toBe(true);
    await expectConsoleError(dir.signIn(u, 'Endnu-Et-Kodeord-2026!'), 'unauthenticated', /skal skiftes/);
    await helpdesk.resetPassword(id, 'Endnu-Et-Kodeord-2026!', false);
    expect((await helpdesk.getPerson(id)).mustChangePassword).toBe(false);
  });

  it('a password shorter than the PSO allows is refused, with the minimum in Danish', async () => {
    const id = await idOf(useradmin, f.special.privileged.username);
    const e = await expectConsoleError(useradmin.resetPassword(id, 'Kort-Kode-12!', false), 'refused', /for kort\. Den skal være mindst 15 tegn/);
    expect(e.details).toMatchObject({ reason: 'too-short', minLength: 15 });
    // Nothing was half-applied: the old password still works.
    const own = await dir.signIn(f.special.privileged.username, f.password);
    await own.close();
  });

  it('the domain policy\'s length and complexity rules come back as readable refusals', async () => {
    const id = await idOf(useradmin, f.special.toggleTarget.username);
    await expectConsoleError(useradmin.resetPassword(id, 'Ab1!', true), 'refused', /mindst 7 tegn/);
    await expectConsoleError(useradmin.resetPassword(id, 'abcdefghijkl', true), 'refused', /kompleksitet/);
    expect((await useradmin.getPerson(id)).mustChangePassword).toBe(false);
  });

  it('an auditor may not reset passwords', async () => {
    const id = await idOf(auditor, f.special.toggleTarget.username);
    await expectConsoleError(auditor.resetPassword(id, 'Helt-Nyt-Kodeord-1!', false), 'forbidden', /nulstille adgangskoden/);
  });

  it('an empty password is rejected before AD is asked', async () => {
    await expectConsoleError(helpdesk.resetPassword(await idOf(helpdesk, f.special.resetTarget.username), '', false), 'validation');
  });
});

describe('enable / disable', () => {
  it('disables and re-enables an account', async () => {
    const u = f.special.toggleTarget.username;
    const id = await idOf(useradmin, u);
    await useradmin.setEnabled(id, false);
    expect((await useradmin.getPerson(id)).enabled).toBe(false);
    await expectConsoleError(dir.signIn(u, f.password), 'unauthenticated', /deaktiveret/);
    await useradmin.setEnabled(id, false); // already disabled: no-op
    await useradmin.setEnabled(id, true);
    const p = await useradmin.getPerson(id);
    expect(p.enabled).toBe(true);
    expect((await useradmin.getAccountFlags(id)).normalAccount).toBe(true);
    const own = await dir.signIn(u, f.password);
    await own.close();
  });

  it('a helpdesk operator has no delegation for it', async () => {
    const id = await idOf(helpdesk, f.special.toggleTarget.username);
    await expectConsoleError(helpdesk.setEnabled(id, false), 'forbidden', /deaktivere kontoen/);
    expect((await helpdesk.getPerson(id)).enabled).toBe(true);
  });
});

describe('group membership', () => {
  it('adds and removes, idempotently', async () => {
    const id = await idOf(useradmin, f.special.toggleTarget.username);
    await useradmin.addToGroup(id, projektDn());
    expect((await useradmin.getPerson(id)).groups).toContain(f.groups.projekt);
    await useradmin.addToGroup(id, projektDn());
    const members = await useradmin.listGroupMembers(projektDn());
    expect(members).toHaveLength(1);
    expect(members[0]?.toLowerCase()).toBe((await useradmin.getPerson(id)).dn.toLowerCase());

    await useradmin.removeFromGroup(id, projektDn());
    expect((await useradmin.getPerson(id)).groups).not.toContain(f.groups.projekt);
    await useradmin.removeFromGroup(id, projektDn());
    expect(await useradmin.listGroupMembers(projektDn())).toEqual([]);
  });

  it('adds a person whose DN needs escaping', async () => {
    const id = await idOf(admin, f.nasty.comma.username);
    await admin.addToGroup(id, projektDn());
    expect((await admin.getPerson(id)).groups).toContain(f.groups.projekt);
    await admin.removeFromGroup(id, projektDn());
    expect((await admin.getPerson(id)).groups).not.toContain(f.groups.projekt);
  });

  it('refuses a helpdesk operator, a missing group and a malformed DN', async () => {
    const id = await idOf(helpdesk, f.special.toggleTarget.username);
    await expectConsoleError(helpdesk.addToGroup(id, projektDn()), 'forbidden');
    await expectConsoleError(useradmin.addToGroup(id, `CN=Findes ikke,${f.ou.grupper}`), 'not-found');
    await expectConsoleError(useradmin.addToGroup(id, 'CN=x,,'), 'validation');
    expect(await useradmin.listGroupMembers(projektDn())).toEqual([]);
  });
});
