import type { z } from 'zod';
import type { Role } from './roles.ts';

/**
 * One capability of the console. The renderer, the preload, the web host and the dispatcher are all
 * typed from the table of these in `operations/index.ts`.
 */
export interface OperationSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** 'public' = callable before sign-in; otherwise the roles that may call it. */
  readonly access: 'public' | 'signed-in' | readonly Role[];
  /** Writes are journaled (intent before, outcome after) and always need a signed-in operator. */
  readonly writes: boolean;
  /** A read that is journaled like a write (revealing a full CPR number, exporting evidence). */
  readonly sensitive?: boolean;
  /**
   * The read operations whose answers this one changes: the renderer refreshes exactly these after it
   * succeeds (`useOpMutation`). Every write names them, an empty list being an answer too; a unit test
   * checks that, and that each name is a read. Plain strings: `OpName` is derived from this very table.
   */
  readonly invalidates?: readonly string[];
  /** Danish one-liner used in the audit journal and in `GET /api/ops`. */
  readonly summary: string;
  /**
   * How a helpdesk operator's OU scope applies (see `shared/access.ts`), declared for every operation:
   * - 'person': it names one person (`target`); the dispatcher checks the person is in scope first.
   * - 'filtered': it returns people (list, search, export, report); main filters them to the scope.
   * - 'none': it returns nothing about individual people.
   */
  readonly scope: 'person' | 'filtered' | 'none';
  /** For operations on one person: where to find the target in the input. Required with scope 'person'. */
  readonly target?: (input: z.output<I>) => { personId: string };
  /** Input fields never written to the journal (passwords and the like). */
  readonly secretFields?: readonly string[];
  /**
   * Administration of the whole console or the whole IdP (retention, secrets, terms, mail templates, the
   * policies' setup): only for operators of the municipality's own domain, never another domain's (#19).
   */
  readonly municipalityOnly?: boolean;
}

export function op<I extends z.ZodType, O extends z.ZodType>(spec: OperationSpec<I, O>): OperationSpec<I, O> {
  return spec;
}
