// The identity resource: read, profile and e-mail, signing flags, suspend/reactivate, delete — all
// idempotent, so retried on unavailability.
import { ConsoleError } from '../../../shared/errors.ts';
import { AllowSigningRequest, EmployeeResponse, ProfileRequest } from '../../../shared/mitid/api.ts';
import type { MitIdIdentity } from '../../../shared/mitid/domain.ts';
import { A, assertUuid, call, enc, expectStatus, read, write, type ClientContext } from './context.ts';
import type { CallOptions, MitIdCapabilities, MitIdProfileUpdate } from './port.ts';

export async function getIdentity(ctx: ClientContext, uuid: string, opts?: CallOptions): Promise<MitIdIdentity> {
  const r = await read(ctx, EmployeeResponse, `${A}/identity/employee/${enc(assertUuid(uuid))}`, 'læs identitet', opts);
  return {
    uuid: r.uuid.toLowerCase(),
    status: r.identityProfile.status,
    rid: r.identityProfile.rid,
    givenName: r.identityProfile.givenName,
    surname: r.identityProfile.surname,
    emailAddress: r.identityProfile.emailAddress,
    allowQualifiedCertificateIssuance: r.identityProfile.allowQualifiedCertificateIssuance,
    allowSigning: r.identityPermissions.allowSigning,
    authorizedToRepresent: r.identityPermissions.authorizedToRepresent,
    adminRoles: r.identityProfile.roles,
  };
}

export async function setAllowSigning(ctx: ClientContext, uuid: string, allow: boolean, opts?: CallOptions): Promise<void> {
  await write(ctx, ctx.compat.allowSigningMethod, `${A}/identity/employee/${enc(assertUuid(uuid))}/allowsigning`, AllowSigningRequest.parse({ allowSigning: allow }), [200, 201, 204], 'signering', opts);
}

export async function setQualifiedEligibility(
  ctx: ClientContext,
  capabilities: MitIdCapabilities,
  uuid: string,
  allow: boolean,
  profile: MitIdProfileUpdate,
  opts?: CallOptions,
): Promise<void> {
  if (!capabilities.qualifiedEligibilityUpdate) {
    throw new ConsoleError(
      'refused',
      'Opgradering til kvalificeret signatur sker i MitID Erhverv: brugeren får en e-mail og validerer med sit private MitID.',
      { capability: 'qualifiedEligibilityUpdate' },
    ).withKey('mitidQualifiedInMitid');
  }
  await putProfile(ctx, uuid, profile, allow, opts);
}

export async function updateEmail(ctx: ClientContext, uuid: string, emailAddress: string, opts?: CallOptions): Promise<void> {
  const email = emailAddress.trim();
  if (!email) throw new ConsoleError('validation', 'E-mailadressen mangler').withKey('mitidNoEmail');
  await write(ctx, 'PUT', `${A}/identity/employee/${enc(assertUuid(uuid))}/profile/nonsensitive`, { emailAddress: email }, [200, 204], 'skift e-mail', opts);
}

export async function putProfile(ctx: ClientContext, uuid: string, profile: MitIdProfileUpdate, qualified: boolean | undefined, opts?: CallOptions): Promise<void> {
  const ial = ctx.o.ial ?? 'Substantial';
  const body = ProfileRequest.parse({
    // `registeredIAL` here, `registeredIal` on create: both observed [C].
    registeredIAL: ial,
    targetIal: ial,
    givenName: profile.givenName.trim(),
    surname: profile.surname.trim(),
    cprNumber: profile.cprNumber,
    emailAddress: profile.emailAddress.trim(),
    ...(qualified === undefined ? {} : { allowQualifiedCertificateIssuance: qualified }),
  });
  const res = await call(ctx, 'PUT', `${A}/identity/employee/${enc(assertUuid(uuid))}/profile`, body, opts);
  if (res.status === 409) throw new ConsoleError('conflict', 'CPR-nummeret hører allerede til en anden identitet i MitID Erhverv').withKey('mitidCprTaken');
  expectStatus(res, [200, 201, 204], 'opdater profil');
}

export async function suspend(ctx: ClientContext, uuid: string, opts?: CallOptions): Promise<void> {
  await write(ctx, 'PUT', `${A}/identity/employee/${enc(assertUuid(uuid))}/suspend`, undefined, [200, 204], 'spær', opts);
}

export async function reactivate(ctx: ClientContext, uuid: string, opts?: CallOptions): Promise<void> {
  await write(ctx, 'PUT', `${A}/identity/employee/${enc(assertUuid(uuid))}/reactivate`, undefined, [200, 204], 'genaktivér', opts);
}

export async function deleteIdentity(ctx: ClientContext, uuid: string, opts?: CallOptions): Promise<{ outcome: 'deleted' | 'already-gone' }> {
  const res = await call(ctx, 'DELETE', `${A}/identity/employee/${enc(assertUuid(uuid))}`, undefined, opts);
  // 404 = already gone [C]: deleting is idempotent for the caller.
  if (res.status === 404) return { outcome: 'already-gone' };
  expectStatus(res, [200, 204], 'slet identitet');
  return { outcome: 'deleted' };
}
