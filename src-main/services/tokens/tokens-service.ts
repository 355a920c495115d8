// Kodeviser (hardware TOTP token) assignment: the serial number is checked with the IdP (does it exist, is
// it free) before it is assigned, and the assignment is journaled with the operator's reason. A released
// kodeviser is free again and can be given to someone else.
import { ConsoleError } from '../../../shared/errors.ts';
import type { Person } from '../../../shared/domain/person.ts';
import { KodeviserSerial, type TokenCheck, type tokensOps } from '../../../shared/operations/tokens.ts';
import type { Call, Connections, FeatureService } from '../../ports.ts';
import type { PeopleIndex } from '../people/index/people-index.ts';
import { requireIdpPort, writeContext } from '../people/person-service.ts';

export interface TokensServiceDeps {
  connections(): Connections;
  index(): PeopleIndex;
}

const person = (ctx: Call): Person => {
  if (!ctx.target?.person) throw new ConsoleError('not-found', 'Personen findes ikke i Active Directory.').withKey('personNotInAd');
  return ctx.target.person;
};

/** Where a serial number stands for this person (never who else has it: that is another person's data). */
async function check(conn: Connections, p: Person, raw: string): Promise<TokenCheck> {
  const parsed = KodeviserSerial.safeParse(raw);
  if (!parsed.success) return { serialNumber: raw.trim(), state: 'invalid', message: parsed.error.issues[0]?.message ?? 'Ugyldigt serienummer' };
  const serialNumber = parsed.data;
  const t = await requireIdpPort(conn).getHardwareToken(serialNumber);
  if (!t) return { serialNumber, state: 'unknown', message: `Kodeviseren ${serialNumber} findes ikke i den lokale IdP. Kontrollér serienummeret.` };
  if (!t.assignedTo) return { serialNumber, state: 'free', message: `Kodeviseren ${serialNumber} er ledig.` };
  const key = conn.idpKey(p.dn, p.username);
  const here = t.assignedTo.domain.toLowerCase() === key.domain.toLowerCase() && t.assignedTo.username.toLowerCase() === key.username.toLowerCase();
  return here
    ? { serialNumber, state: 'assigned-here', message: `Personen har allerede kodeviseren ${serialNumber}.` }
    : { serialNumber, state: 'assigned-other', message: `Kodeviseren ${serialNumber} er tildelt en anden person. Den skal frigives, før den kan tildeles igen.` };
}

export function createTokensService(deps: TokensServiceDeps): FeatureService<typeof tokensOps> {
  return {
    'people.checkHardwareToken': async (input, ctx) => check(deps.connections(), person(ctx), input.serialNumber),

    'people.assignHardwareToken': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = person(ctx);
      const conn = deps.connections();
      const c = await check(conn, p, input.serialNumber);
      const field = { fields: { serialNumber: c.message } };
      if (c.state === 'unknown' || c.state === 'invalid') throw new ConsoleError('validation', c.message, field).withKey('tokenInvalid');
      if (c.state === 'assigned-other') throw new ConsoleError('conflict', c.message, field).withKey('tokenAssignedOther');
      if (c.state === 'assigned-here') return { outcome: 'already-assigned', message: c.message, said: { code: 'tokenAlreadyAssigned', params: { serial: c.serialNumber } }, row: null };
      const device = await requireIdpPort(conn).assignHardwareToken(conn.idpKey(p.dn, p.username), c.serialNumber, writeContext(s.operator, input.reason));
      const serial = device.serialNumber ?? c.serialNumber;
      return {
        outcome: 'assigned',
        message: `Kodeviseren ${serial} er tildelt. Personen logger ind med koden fra den.`,
        said: { code: 'tokenAssigned', params: { serial } },
        row: await deps.index().refreshPerson(s.directory, p.id),
      };
    },
  };
}
