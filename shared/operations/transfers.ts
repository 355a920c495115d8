import { z } from 'zod';
import { op } from '../operation.ts';
import { PersonRow } from '../domain/people.ts';
import { WriteOutcome } from './people.ts';

const Reason = z.string().trim().min(5, 'Angiv en begrundelse på mindst 5 tegn').max(500);

/**
 * One MitID Erhverv write that did not end well: a console action whose outcome was failed or unknown
 * (and no later success of the same action, or a retry of it, has settled it), or a create that waits
 * for confirmation ("afventer bekræftelse").
 */
export const FailedTransfer = z.object({
  /** "c:<seq>" for the journal's outcome record, "p:<subjectNameId>" for a create awaiting confirmation. */
  key: z.string().max(500),
  kind: z.enum(['failed', 'unknown', 'pending-confirmation']),
  /** The console operation that wrote (people.assignLocalAuthenticator, people.setSigning, …). */
  operation: z.string(),
  /** Which kind of the operation (a drift fix's category, signing on/off), for its label. */
  variant: z.string().nullable(),
  at: z.string(),
  /** The person in AD; null when only the subjectNameId is known (a create from a bulk job). */
  personId: z.string().nullable(),
  person: z.string().nullable(),
  subjectNameId: z.string().nullable(),
  operator: z.string().nullable(),
  /** Danish: what went wrong, as the system said it. */
  message: z.string().nullable(),
  /** Whether "Genkør" applies: a person to act on, and the operation is one the queue can run again. */
  retryable: z.boolean(),
});
export type FailedTransfer = z.infer<typeof FailedTransfer>;

const USERADMIN = ['administrator', 'useradmin'] as const;

export const transfersOps = {
  'transfers.list': op({
    summary: 'Vis fejlede MitID Erhverv-overførsler',
    access: ['administrator', 'useradmin', 'helpdesk', 'auditor'],
    scope: 'filtered',
    writes: false,
    input: z.object({}).strict(),
    output: z.object({ items: z.array(FailedTransfer), total: z.number().int() }),
  }),
  'transfers.retry': op({
    summary: 'Genkør en fejlet MitID Erhverv-overførsel',
    access: USERADMIN,
    scope: 'person',
    writes: true,
    invalidates: ['transfers.list', 'people.list', 'people.overview', 'people.history', 'people.get'],
    input: z.object({ key: z.string().trim().min(3).max(500), personId: z.string().trim().min(1).max(100), reason: Reason }).strict(),
    /** `message` in Danish (as the person page's own write says it); `said` the same by code, for the operator's language. */
    output: z.object({ outcome: z.string(), message: z.string(), said: WriteOutcome, row: PersonRow.nullable() }),
    target: (i) => ({ personId: i.personId }),
  }),
};
