import { z } from 'zod';
import { op } from '../operation.ts';
import { BulkJobView, type BulkAction } from '../domain/bulk.ts';
import type { DriftKind } from '../domain/people.ts';

/**
 * The drift categories a bulk job can fix, and the bulk action that fixes each. Re-linking a changed
 * user id and suspending an identity without an AD account stay one by one (they need a look each).
 */
export const driftBulkAction = {
  'identity-missing': 'assign-local',
  'credential-missing': 'assign-local',
  'suspended-active-ad': 'reactivate',
  'active-disabled-ad': 'suspend',
} as const satisfies Partial<Record<DriftKind, BulkAction>>;
export const bulkFixableDrift = Object.keys(driftBulkAction) as Array<keyof typeof driftBulkAction>;
export const BulkFixableDrift = z.enum(['identity-missing', 'credential-missing', 'suspended-active-ad', 'active-disabled-ad']);

export const driftFixOps = {
  'bulk.planDriftFix': op({
    summary: 'Prøvekørsel: ret en hel afvigelseskategori som masseopgave',
    access: ['administrator', 'useradmin'],
    // The category's people are taken from the list as the operator sees it (their scope).
    scope: 'filtered',
    writes: false,
    invalidates: ['bulk.list'],
    input: z.object({ drift: BulkFixableDrift }).strict(),
    output: z.object({ job: BulkJobView }),
  }),
};
