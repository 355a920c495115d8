// Create an identity: 20 DKK each [C], so ONE POST per call. When its outcome is unknown (no answer,
// 503, a generic 500, a 409 for a person the search does not show yet) the identity is looked up once;
// if it is not seen, the call fails with details.outcome = 'unknown' and the caller (the console's
// create guard) keeps the person "afventer bekræftelse" until it is certain — never POSTing meanwhile.
import { ConsoleError, isConsoleError } from '../../../shared/errors.ts';
import { authenticatorTypeLocal, authenticatorTypePrivateRequest, CreateEmployeeRequest, CreateEmployeeResponse } from '../../../shared/mitid/api.ts';
import { NewMitIdIdentity, type CreateOutcome, type NewMitIdIdentityInput } from '../../../shared/mitid/domain.ts';
import { A, type ClientContext } from './context.ts';
import { sendNonIdempotent } from './non-idempotent.ts';
import type { CallOptions, PersonMatch } from './port.ts';
import { matchPerson } from './search.ts';
import { parseJson } from '../http/json.ts';
import { MITID, unexpectedStatus } from './transport.ts';

/** For a create whose result could not be established: the caller must look up before trying again. */
export function unknownOutcome(e: ConsoleError, reason?: string): ConsoleError {
  return new ConsoleError(
    e.code,
    `Oprettelsen i MitID Erhverv har ukendt udfald – slå identiteten op, før der oprettes igen (${e.message})`,
    { ...e.details, outcome: 'unknown', ...(reason ? { reason } : {}) },
  ).withKey('mitidCreateUnknown');
}

/** A CPR or e-mail match that is not linked to this person: said as it is, with the fix. */
export function existsUnlinked(m: NonNullable<PersonMatch['unlinked']>, subjectNameId: string | null): ConsoleError {
  const held = m.localIds.length ? `identiteten har det lokale login ${m.localIds.join(', ')}` : 'identiteten har intet lokalt login';
  return new ConsoleError(
    'conflict',
    `Personen findes i MitID Erhverv, men er ikke koblet: MitID Erhverv har allerede en identitet med samme ${m.by === 'cpr' ? 'CPR-nummer' : 'e-mailadresse'}, og ${held}${subjectNameId ? ` (forventet ${subjectNameId})` : ''}. ` +
      'Ret koblingen: er det samme person (fx en omdøbt konto), så brug "Registrér det rigtige bruger-id" under Afvigelser; er det en anden person, så ret e-mail eller CPR i AD. Der er ikke oprettet noget.',
    { outcome: 'exists-unlinked', existingUuid: m.identity.uuid, localIds: m.localIds, matchedBy: m.by },
  ).withKey('mitidExistsUnlinked', { by: m.by === 'cpr' ? 'CPR' : 'e-mail' });
}

export function createBody(ctx: ClientContext, input: NewMitIdIdentity): CreateEmployeeRequest {
  const ial = ctx.o.ial ?? 'Substantial';
  const types = [
    ...(input.subjectNameId ? [authenticatorTypeLocal] : []),
    ...(input.withPrivateMitId || ctx.o.orderPrivateMitIdOnCreate ? [authenticatorTypePrivateRequest] : []),
  ];
  return CreateEmployeeRequest.parse({
    identityProfile: {
      status: 'Pending',
      registeredIal: ial,
      targetIal: ial,
      givenName: input.givenName.trim(),
      surname: input.surname.trim(),
      emailAddress: input.emailAddress.trim(),
      cprNumber: input.cprNumber,
      rid: input.rid,
      pseudonym: false,
      allowQualifiedCertificateIssuance: input.allowQualifiedCertificateIssuance || ctx.o.allowQualifiedOnCreate === true,
    },
    ...(ctx.o.invoiceMethodUuid ? { identityOrganizationProfile: { invoiceMethodUuid: ctx.o.invoiceMethodUuid } } : {}),
    identityAuthenticators: { authenticatorTypes: types, ...(input.subjectNameId ? { subjectNameId: input.subjectNameId } : {}) },
  });
}

type Created = { uuid: string; outcome: CreateOutcome };

export async function createIdentity(ctx: ClientContext, rawInput: NewMitIdIdentityInput, opts?: CallOptions): Promise<Created> {
  const parsedInput = NewMitIdIdentity.safeParse(rawInput);
  if (!parsedInput.success) throw new ConsoleError('validation', parsedInput.error.issues[0]?.message ?? 'Ugyldige oplysninger til MitID Erhverv').withKey('mitidBadInput');
  const input = parsedInput.data;
  if (!input.subjectNameId && !input.cprNumber) {
    // Without either there is no safe way to find out whether a failed create landed.
    throw new ConsoleError('validation', 'Angiv brugerid (subjectNameId) eller CPR-nummer, så en oprettelse kan genfindes').withKey('mitidCreateNeedsId');
  }
  const body = createBody(ctx, input);
  const lookup = async (): Promise<PersonMatch> => {
    ctx.o.onEvent?.({ type: 'reconcile', note: 'opslag efter ukendt udfald' });
    try {
      return await matchPerson(ctx, input, opts);
    } catch (e) {
      // A failing lookup must not read as "not created": the outcome stays unknown.
      if (!isConsoleError(e) || e.code === 'cancelled') throw e;
      throw unknownOutcome(e, 'lookup-failed');
    }
  };
  // Without a subjectNameId there is no credential to tell ours apart: a CPR match is then the identity.
  const oursOf = (m: PersonMatch): string | null => m.ours?.identity.uuid ?? (!input.subjectNameId && m.unlinked?.by === 'cpr' ? m.unlinked.identity.uuid : null);
  return sendNonIdempotent<Created>(
    ctx,
    {
      method: 'POST',
      path: `${A}/identity/employee`,
      body,
      maxAttempts: 1,
      landed: async () => {
        const uuid = oursOf(await lookup());
        return uuid ? { uuid, outcome: 'reconciled' } : null;
      },
      onAnswer: async (res) => {
        if (res.status === 200 || res.status === 201) {
          return { uuid: parseJson(MITID, res.text, CreateEmployeeResponse).employeeUuid.toLowerCase(), outcome: 'created' };
        }
        if (res.status === 409) {
          // A 409 for the person we are creating is most often our own earlier create: reconcile it.
          const m = await lookup();
          const uuid = oursOf(m);
          if (uuid) return { uuid, outcome: 'reconciled' };
          if (m.unlinked) throw existsUnlinked(m.unlinked, input.subjectNameId);
          if (m.heldByOther) {
            throw new ConsoleError('conflict', `MitID Erhverv har allerede en identitet med brugerid'et ${input.subjectNameId ?? ''} for en anden person (CPR-nummeret passer ikke). Der er ikke oprettet noget.`, {
              outcome: 'id-taken',
              existingUuid: m.heldByOther.uuid,
            }).withKey('mitidSubjectNameIdTaken', { subjectNameId: input.subjectNameId ?? '' });
          }
          // The service says it exists, the (lagging) search does not show it yet: not ours to decide now.
          throw unknownOutcome(new ConsoleError('conflict', 'MitID Erhverv melder, at identiteten allerede findes, men den ses ikke i søgningen endnu', { status: 409 }).withKey('mitidExistsUnseen'), 'conflict-unseen');
        }
        if (res.status >= 500) {
          // A generic 500 may or may not have landed.
          const uuid = oursOf(await lookup());
          if (uuid) return { uuid, outcome: 'reconciled' };
          throw unknownOutcome(unexpectedStatus(res, 'opret identitet'));
        }
        throw unexpectedStatus(res, 'opret identitet');
      },
      unknown: (last) => unknownOutcome(last),
    },
    opts,
  );
}
