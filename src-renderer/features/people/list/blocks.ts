import type { PeopleQuery } from '../../../../shared/domain/people.ts';
import type { OpOutput } from '../../../../shared/operations/index.ts';
import { opQuery } from '../../../app/ops.ts';
import { emptyFilter } from '../PeopleFilters.tsx';

/** The list is fetched in blocks of this many rows, as they scroll into view. */
export const BLOCK = 100;
export type ListPage = OpOutput<'people.list'>;

/** The input of one block of the list. */
export const blockInput = (query: PeopleQuery, b: number) => ({ ...query, offset: b * BLOCK, limit: BLOCK });

/**
 * One block of the list: the same key wherever it is asked for, so a prefetch is found again. Blocks
 * after the first are keyed by the index version too: one fetched before the index changed is not shown after.
 */
export const block = (query: PeopleQuery, b: number, version?: number) => opQuery('people.list', blockInput(query, b), version);

/** The list as it opens without a saved view. */
export const plainQuery: PeopleQuery = { text: '', filter: emptyFilter, sort: 'displayName', dir: 'asc' };
