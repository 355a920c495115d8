// Create claims in the IdP simulator (shared/idp/claims.ts): one claim per key, taken atomically — the
// handler runs synchronously between reading the map and writing it, so of two callers exactly one wins.
import type { z } from 'zod';
import { AcquireClaimBody, ClaimKey, ReleaseClaimBody, UpdateClaimBody, type CreateClaim } from '../../../shared/idp/claims.ts';
import { SimError, type IdpState } from './state.ts';

type Add = (method: string, path: string, handler: (ctx: { params: string[]; body: unknown }) => { status: number; body?: unknown }) => void;

/** The claims of one simulator state (kept beside it, so a restarted server on the same state keeps them). */
const claimsOf = new WeakMap<IdpState, Map<string, CreateClaim>>();
export function createClaims(state: IdpState): Map<string, CreateClaim> {
  let m = claimsOf.get(state);
  if (!m) claimsOf.set(state, (m = new Map()));
  return m;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new SimError('validation', 'Ugyldige data i forespørgslen', { issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  return r.data;
}

export function registerCreateClaimRoutes(add: Add, state: IdpState): void {
  const claims = createClaims(state);
  const now = () => new Date(state.clock()).toISOString();
  const keyOf = (ctx: { params: string[] }) => parse(ClaimKey, ctx.params[0]);

  add('GET', '/create-claims/([^/]+)', (ctx) => {
    const c = claims.get(keyOf(ctx));
    if (!c) throw new SimError('not-found', 'Der er ingen claim for denne nøgle');
    return { status: 200, body: c };
  });
  add('POST', '/create-claims/([^/]+)', (ctx) => {
    const key = keyOf(ctx);
    const b = parse(AcquireClaimBody, ctx.body);
    const existing = claims.get(key);
    if (existing) return { status: 200, body: { granted: existing.holder === b.holder && existing.state !== 'created', claim: existing } };
    const at = now();
    const claim: CreateClaim = { key, holder: b.holder, workstation: b.workstation, label: b.label, state: 'claimed', uuid: null, claimedAt: at, updatedAt: at };
    claims.set(key, claim);
    return { status: 200, body: { granted: true, claim } };
  });
  add('PUT', '/create-claims/([^/]+)', (ctx) => {
    const key = keyOf(ctx);
    const b = parse(UpdateClaimBody, ctx.body);
    const c = claims.get(key);
    if (!c) throw new SimError('not-found', 'Der er ingen claim for denne nøgle');
    if (c.holder !== b.holder) throw new SimError('conflict', 'Claimet holdes af en anden konsol', { holder: c.holder, workstation: c.workstation });
    const next: CreateClaim = { ...c, state: b.state, uuid: b.uuid ?? c.uuid, updatedAt: now() };
    claims.set(key, next);
    return { status: 200, body: next };
  });
  add('POST', '/create-claims/([^/]+)/release', (ctx) => {
    const key = keyOf(ctx);
    const b = parse(ReleaseClaimBody, ctx.body);
    const c = claims.get(key);
    if (c && c.holder !== b.holder) throw new SimError('conflict', 'Claimet holdes af en anden konsol', { holder: c.holder, workstation: c.workstation });
    claims.delete(key);
    return { status: 204 };
  });
}
