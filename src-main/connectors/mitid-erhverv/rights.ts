// Rights and the organisation's SE and P numbers.
import {
  CategorizedRolesResponse,
  IdentityRolesResponse,
  ProductionUnitsResponse,
  RightsRequest,
  SeNumbersResponse,
} from '../../../shared/mitid/api.ts';
import { RightsScope as RightsScopeSchema, type MitIdRightAssignment, type MitIdRole, type ProductionUnit, type RightsScope } from '../../../shared/mitid/domain.ts';
import { A, assertUuid, call, enc, read, type ClientContext } from './context.ts';
import { getIdentity } from './identities.ts';
import type { CallOptions } from './port.ts';
import { parseJson } from '../http/json.ts';
import { MITID, unexpectedStatus, type TextResponse } from './transport.ts';

/** Rights endpoints answer an unknown uuid with 500 [C]: tell that apart from a real failure. */
async function rightsFailure(ctx: ClientContext, uuid: string, res: TextResponse, what: string, opts?: CallOptions): Promise<never> {
  if (res.status === 500) await getIdentity(ctx, uuid, opts); // throws not-found when unknown
  throw unexpectedStatus(res, what);
}

export async function listRoleCatalogue(ctx: ClientContext, opts?: CallOptions): Promise<MitIdRole[]> {
  const { roles } = await read(ctx, CategorizedRolesResponse, `${A}/rights/categorizedRoles`, 'rettighedskatalog', opts);
  return roles.map((r) => ({ ...r, uuid: r.uuid.toLowerCase() }));
}

export async function listRights(ctx: ClientContext, uuid: string, opts?: CallOptions): Promise<MitIdRightAssignment[]> {
  const id = assertUuid(uuid);
  const res = await call(ctx, 'GET', `${A}/rights/identity/${enc(id)}/roles`, undefined, opts);
  if (res.status !== 200) return rightsFailure(ctx, id, res, 'rettigheder', opts);
  return parseJson(MITID, res.text, IdentityRolesResponse).map((r) => ({ roleUuid: (r.roleUuid ?? r.uuid)?.toLowerCase() ?? null, name: r.name, scope: r.scope }));
}

export async function writeRights(ctx: ClientContext, method: 'POST' | 'DELETE', uuid: string, scope: RightsScope, roleUuids: string[], opts?: CallOptions): Promise<void> {
  const id = assertUuid(uuid);
  const s = RightsScopeSchema.parse(scope);
  const body = RightsRequest.parse({ scope: s, roleUuids: roleUuids.map(assertUuid) });
  // DELETE carries a body here [C].
  const res = await call(ctx, method, `${A}/rights/identity/${enc(id)}/roles`, body, opts, ctx.compat.rightsWritesIdempotent);
  if (res.status < 200 || res.status >= 300) await rightsFailure(ctx, id, res, method === 'POST' ? 'tildel rettigheder' : 'fjern rettigheder', opts);
}

export async function listSeNumbers(ctx: ClientContext, opts?: CallOptions): Promise<string[]> {
  const numbers = await read(ctx, SeNumbersResponse, `${A}/organization/senumber`, 'SE-numre', opts);
  return numbers.map((s) => s.seNumber);
}

export async function listProductionUnits(ctx: ClientContext, opts?: CallOptions): Promise<ProductionUnit[]> {
  return read(ctx, ProductionUnitsResponse, `${A}/organization/productionunits`, 'P-numre', opts);
}
