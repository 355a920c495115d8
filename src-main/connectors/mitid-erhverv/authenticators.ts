// The authenticators resource: list, assign the local credential or private MitID (not idempotent:
// list first, list again after an unknown outcome), and revoke.
import { ConsoleError } from '../../../shared/errors.ts';
import {
  AuthenticatorsResponse,
  authenticatorTypeLocal,
  authenticatorTypePrivateListed,
  authenticatorTypePrivateRequest,
  RequestCredentialsRequest,
} from '../../../shared/mitid/api.ts';
import type { MitIdAuthenticator } from '../../../shared/mitid/domain.ts';
import { A, assertUuid, enc, read, type ClientContext } from './context.ts';
import { getIdentity } from './identities.ts';
import { sendNonIdempotent } from './non-idempotent.ts';
import type { CallOptions } from './port.ts';
import { unexpectedStatus } from './transport.ts';

function kindOf(type: string): MitIdAuthenticator['kind'] {
  if (type === authenticatorTypeLocal) return 'local';
  // Listed as PrivateMitId; accept the request spelling too in case the listing ever follows it.
  if (type === authenticatorTypePrivateListed || type === authenticatorTypePrivateRequest) return 'private-mitid';
  return 'other';
}

export async function listAuthenticators(ctx: ClientContext, uuid: string, opts?: CallOptions): Promise<MitIdAuthenticator[]> {
  const { authenticators } = await read(ctx, AuthenticatorsResponse, `${A}/identity/employee/${enc(assertUuid(uuid))}/authenticators`, 'autentifikatorer', opts);
  return authenticators.map((a) => ({
    uuid: a.uuid.toLowerCase(),
    kind: kindOf(a.type),
    type: a.type,
    status: a.status,
    id: a.id,
  }));
}

type CredentialOutcome = { outcome: 'assigned' | 'already-assigned' | 'reconciled' };

async function requestCredential(
  ctx: ClientContext,
  uuid: string,
  isPresent: (a: MitIdAuthenticator[]) => 'ours' | 'other' | 'none',
  body: unknown,
  conflictMessage: string,
  opts?: CallOptions,
): Promise<CredentialOutcome> {
  const id = assertUuid(uuid);
  const present = async () => isPresent(await listAuthenticators(ctx, id, opts));
  const before = await present();
  if (before === 'ours') return { outcome: 'already-assigned' };
  if (before === 'other') throw new ConsoleError('conflict', conflictMessage).withKey('mitidAuthenticatorConflict');
  return sendNonIdempotent<CredentialOutcome>(
    ctx,
    {
      method: 'POST',
      path: `${A}/identity/employee/${enc(id)}/requestcredentials`,
      body,
      // Free of charge, so a few attempts — each after looking.
      maxAttempts: ctx.t.retry.retries + 1,
      landed: async () => ((await present()) === 'ours' ? { outcome: 'reconciled' } : null),
      onAnswer: async (res, uncertain) => {
        if (res.status >= 200 && res.status < 300) return { outcome: 'assigned' };
        if (res.status === 409 || res.status >= 500) {
          if ((await present()) === 'ours') return { outcome: uncertain ? 'reconciled' : 'already-assigned' };
          if (res.status === 409) throw new ConsoleError('conflict', conflictMessage).withKey('mitidAuthenticatorConflict');
        }
        throw unexpectedStatus(res, 'tildel loginmiddel');
      },
      unknown: (last) => last,
    },
    opts,
  );
}

export function requestLocalCredential(ctx: ClientContext, uuid: string, subjectNameId: string, opts?: CallOptions): Promise<CredentialOutcome> {
  const sni = subjectNameId.trim();
  if (!sni) throw new ConsoleError('validation', 'Brugerid (subjectNameId) mangler').withKey('mitidNoSubjectNameId');
  return requestCredential(
    ctx,
    uuid,
    (list) => {
      const local = list.filter((a) => a.kind === 'local');
      if (local.some((a) => a.id === sni)) return 'ours';
      return local.length > 0 ? 'other' : 'none';
    },
    RequestCredentialsRequest.parse({ authenticatorSettingTypes: [authenticatorTypeLocal], authenticatorTypesToShip: [], sharedCredentialUuids: [], subjectNameId: sni }),
    `Brugerid'et ${sni} kan ikke tildeles: identiteten har et andet lokalt login, eller brugerid'et bruges af en anden identitet`,
    opts,
  );
}

export function requestPrivateMitId(ctx: ClientContext, uuid: string, opts?: CallOptions): Promise<CredentialOutcome> {
  return requestCredential(
    ctx,
    uuid,
    (list) => (list.some((a) => a.kind === 'private-mitid') ? 'ours' : 'none'),
    RequestCredentialsRequest.parse({ authenticatorSettingTypes: [authenticatorTypePrivateRequest], authenticatorTypesToShip: [], sharedCredentialUuids: [] }),
    'Identiteten har allerede privat MitID tilknyttet',
    opts,
  );
}

export async function revokeCredential(
  ctx: ClientContext,
  uuid: string,
  authenticatorUuid: string,
  opts?: CallOptions,
): Promise<{ outcome: 'revoked' | 'already-gone' }> {
  const id = assertUuid(uuid);
  const authId = assertUuid(authenticatorUuid).toLowerCase();
  return sendNonIdempotent<{ outcome: 'revoked' | 'already-gone' }>(
    ctx,
    {
      method: 'POST',
      path: `${A}/identity/employee/${enc(id)}/revokecredential/${enc(authId)}`,
      maxAttempts: ctx.t.retry.retries + 1,
      landed: async () => ((await listAuthenticators(ctx, id, opts)).some((a) => a.uuid === authId) ? null : { outcome: 'revoked' }),
      onAnswer: async (res, uncertain) => {
        if (res.status >= 200 && res.status < 300) return { outcome: 'revoked' };
        if (res.status === 404 && ctx.compat.revokeNotFoundIsGone) {
          // 404 may mean the identity is gone too; that is a not-found for the caller.
          await getIdentity(ctx, id, opts);
          return { outcome: uncertain ? 'revoked' : 'already-gone' };
        }
        throw unexpectedStatus(res, 'fjern loginmiddel');
      },
      unknown: (last) => last,
    },
    opts,
  );
}
