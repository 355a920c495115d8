// The failed-transfer queue (the peer's "fejlede MitID Erhverv overførsler"): every MitID Erhverv write
// that ended failed or unknown and that nothing later settled, and every create awaiting confirmation;
// "Genkør" runs the write again through the same actions as the person page. Those look before they act
// (the person is searched by subjectNameId, CPR and e-mail), and a create goes through the create guard,
// so a retry never POSTs a create twice.
import { ConsoleError } from '../../../shared/errors.ts';
import type { Person } from '../../../shared/domain/person.ts';
import { inScope } from '../../../shared/roles.ts';
import type { FailedTransfer, transfersOps } from '../../../shared/operations/transfers.ts';
import type { Call, Connections, FeatureService } from '../../ports.ts';
import type { TransferQueue } from '../../store/transfer-queue.ts';
import type { PeopleIndex } from '../people/index/people-index.ts';
import type { GuardedMitIdPort } from '../mitid/create-guard.ts';
import { assign, driftFixes, reactivate, revoke, signing, suspend, type WriteAnswer } from '../people/person-service.ts';

export interface TransfersServiceDeps {
  connections(): Connections;
  index(): PeopleIndex;
  queue: TransferQueue;
}

type Result = WriteAnswer;

/** What "Genkør" runs for a failed write: the operation, with the input the operator gave then. */
function rerunFor(operation: string, input: Record<string, unknown> | null): ((conn: Connections, p: Person, call: Call) => Promise<Result>) | null {
  switch (operation) {
    case 'people.assignLocalAuthenticator':
      return (conn, p) => assign(conn, p);
    case 'people.revokeLocalAuthenticator':
      return (conn, p) => revoke(conn, p);
    case 'people.suspendIdentity':
      return (conn, p) => suspend(conn, p);
    case 'people.reactivateIdentity':
      return (conn, p) => reactivate(conn, p);
    case 'people.setSigning': {
      const allow = input?.['allow'];
      return typeof allow === 'boolean' ? (conn, p, call) => signing(conn, p, allow, call.requireSession().directory) : null;
    }
    case 'people.fixDrift': {
      const kind = String(input?.['kind'] ?? '');
      return Object.hasOwn(driftFixes, kind) ? (conn, p) => driftFixes[kind as keyof typeof driftFixes](conn, p) : null;
    }
    default:
      return null;
  }
}

export function createTransfersService(deps: TransfersServiceDeps): FeatureService<typeof transfersOps> {
  const guard = () => (deps.connections().mitid as GuardedMitIdPort | null)?.createGuard ?? null;

  /** The person a create awaiting confirmation was for: the action whose guard events carry its correlation id. */
  const personOfCreate = (subjectNameId: string) => {
    for (const c of deps.queue.guardCorrelations(subjectNameId)) {
      const p = deps.queue.personOfCorrelation(c);
      if (p) return p;
    }
    return null;
  };

  return {
    'transfers.list': async (_input, ctx) => {
      const items: FailedTransfer[] = deps.queue.open(ctx.scope, 500).map((w) => ({
        key: `c:${w.seq}`, kind: w.outcome, operation: w.operation, variant: w.variant, at: w.at, personId: w.personId, person: w.person,
        subjectNameId: null, operator: w.operator, message: w.message, retryable: rerunFor(w.operation, w.input) !== null,
      }));
      for (const u of guard()?.unconfirmed() ?? []) {
        const p = personOfCreate(u.subjectNameId);
        // A create whose person is not known here counts as one with no AD account: seen only where those are.
        if (!inScope(ctx.scope, p ? p.ou : null)) continue;
        items.push({
          key: `p:${u.subjectNameId}`, kind: 'pending-confirmation', operation: p?.operation ?? 'people.assignLocalAuthenticator', variant: null,
          at: u.since, personId: p?.personId ?? null, person: p?.person ?? u.subjectNameId, subjectNameId: u.subjectNameId, operator: p?.operator ?? null,
          message: u.message, retryable: p !== null,
        });
      }
      items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
      return { items, total: items.length };
    },

    'transfers.retry': async (input, ctx) => {
      const s = ctx.requireSession();
      const p = ctx.target?.person;
      if (!p) throw new ConsoleError('not-found', 'Personen findes ikke i Active Directory.').withKey('personNotInAd');
      const conn = deps.connections();
      let run: ((conn: Connections, p: Person, call: Call) => Promise<Result>) | null;
      if (input.key.startsWith('c:')) {
        const w = deps.queue.get(Number(input.key.slice(2)));
        if (!w) throw new ConsoleError('conflict', 'Overførslen er allerede afklaret (en senere handling lykkedes, eller den er genkørt). Listen er opdateret.').withKey('transferSettled');
        if (w.personId !== p.id) throw new ConsoleError('validation', 'Overførslen hører til en anden person.').withKey('transferOtherPerson');
        run = rerunFor(w.operation, w.input);
      } else if (input.key.startsWith('p:')) {
        const sni = input.key.slice(2);
        if (!guard()?.pendingFor(sni)) throw new ConsoleError('conflict', 'Oprettelsen er allerede bekræftet eller afklaret. Listen er opdateret.').withKey('createSettled');
        if (personOfCreate(sni)?.personId !== p.id) throw new ConsoleError('validation', 'Oprettelsen hører til en anden person.').withKey('createOtherPerson');
        // The create guard looks first (search by subjectNameId, CPR, e-mail) and POSTs only once it is certain nothing landed.
        run = (c, person) => assign(c, person);
      } else {
        throw new ConsoleError('validation', 'Ukendt overførsel.').withKey('transferUnknown');
      }
      if (!run) throw new ConsoleError('refused', 'Denne overførsel kan ikke genkøres herfra; ret den fra personens side.').withKey('transferNotRetriable');
      const r = await run(conn, p, ctx);
      return { ...r, row: await deps.index().refreshPerson(s.directory, p.id) };
    },
  };
}
