// Client for the IdP admin API's create claims (shared/idp/claims.ts), kept apart from the main IdP
// client: a small port of its own on the same stack — its own from the same options, or the IdP client's
// when handed that one (idpHttpFor).
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ConsoleError, isConsoleError } from '../../../shared/errors.ts';
import { AcquireClaimBody, AcquireClaimResult, ClaimKey, CreateClaim, ReleaseClaimBody, UpdateClaimBody } from '../../../shared/idp/claims.ts';
import { idpHttpFrom, type IdpClientOptions, type IdpHttp } from './http.ts';

export interface CreateClaimsPort {
  /** Take the claim (idempotent for the same holder). `unavailable-idp` when the IdP cannot be asked. */
  acquire(key: string, body: z.input<typeof AcquireClaimBody>): Promise<AcquireClaimResult>;
  /** null when there is none. */
  get(key: string): Promise<CreateClaim | null>;
  update(key: string, body: z.input<typeof UpdateClaimBody>): Promise<CreateClaim>;
  release(key: string, holder: string): Promise<void>;
  close(): void;
}

/** The key for a person: SHA-256 of the subjectNameId, lower-cased (no personal data leaves the console). */
export function claimKeyFor(subjectNameId: string): string {
  return createHash('sha256').update(`mitid-create:${subjectNameId.trim().toLowerCase()}`, 'utf8').digest('hex');
}

function checked<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ConsoleError('validation', `Ugyldige data til Lokal IdP: ${r.error.issues.map((i) => i.message).join('; ')}`).withKey('idpBadInput');
  return r.data;
}

export function createIdpClaimsClient(source: IdpClientOptions | IdpHttp): CreateClaimsPort {
  const { h, close } = idpHttpFrom(source);
  const path = (key: string) => `/create-claims/${checked(ClaimKey, key)}`;
  return {
    // Idempotent by contract for the same holder, so a lost answer is simply asked again.
    acquire: (key, body) => h.request({ method: 'POST', path: path(key), body: checked(AcquireClaimBody, body), schema: AcquireClaimResult, idempotent: true }),
    get: async (key) => {
      try {
        return await h.request({ method: 'GET', path: path(key), schema: CreateClaim, idempotent: true });
      } catch (e) {
        if (isConsoleError(e) && e.code === 'not-found') return null;
        throw e;
      }
    },
    // Setting the same state again changes nothing: safe to repeat.
    update: (key, body) => h.request({ method: 'PUT', path: path(key), body: checked(UpdateClaimBody, body), schema: CreateClaim, idempotent: true }),
    release: async (key, holder) => {
      await h.request({ method: 'POST', path: `${path(key)}/release`, body: checked(ReleaseClaimBody, { holder }), schema: null, idempotent: true });
    },
    close,
  };
}
