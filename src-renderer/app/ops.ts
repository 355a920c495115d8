import { useCallback } from 'react';
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
  type UseQueryOptions,
} from '@tanstack/react-query';
import type { OperationSpec } from '../../shared/operation.ts';
import { operations, type OpInput, type OpName, type OpOutput } from '../../shared/operations/index.ts';
import { invoke, type OpError } from './transport.ts';
import { inBackground } from './background.ts';

/*
 * The renderer's one way to call main. Features use the hooks and helpers below, never transport's
 * `invoke` (a lint rule says so), so every answer is cached under the one key below and every write
 * refreshes what its contract entry says it changes.
 */

/**
 * The one query key: `[operation]` covers every cached answer of an operation (what a refresh
 * names), `[operation, input]` one of them; a qualifier keeps answers apart that must not be shared
 * (one operator's saved views from the next one's, a block of the list from another index version).
 */
export function queryKey<N extends OpName>(operation: N, input?: OpInput<N>, qualifier?: string | number): QueryKey {
  if (input === undefined) return [operation];
  return qualifier === undefined ? [operation, input] : [operation, input, qualifier];
}

/** The reads an operation's contract entry says it changes. */
export function invalidatedBy(operation: OpName): readonly OpName[] {
  // The contract names them as plain strings (OpName is derived from that table); a unit test checks each is a read.
  return ((operations[operation] as OperationSpec).invalidates ?? []) as readonly OpName[];
}

/** Marks stale (and refetches, where shown) every cached answer of the reads `operation` changes. */
export async function refreshAfter(qc: QueryClient, operation: OpName): Promise<void> {
  await Promise.all(invalidatedBy(operation).map((read) => qc.invalidateQueries({ queryKey: queryKey(read) })));
}

/**
 * Key and call of one read, the same wherever it is asked for (`useOp`, `useQueries`, a prefetch), so
 * an answer fetched in one place is found again in another.
 */
export function opQuery<N extends OpName>(operation: N, input: OpInput<N>, qualifier?: string | number) {
  return { queryKey: queryKey(operation, input, qualifier), queryFn: (): Promise<OpOutput<N>> => invoke(operation, input) };
}

type ReadOptions<N extends OpName> = Omit<UseQueryOptions<OpOutput<N>, OpError>, 'queryKey' | 'queryFn'> & {
  /** See `queryKey`: answers with another qualifier are kept apart. */
  qualifier?: string | number;
};

/** A read operation as a TanStack query keyed by operation and input. */
export function useOp<N extends OpName>(operation: N, input: OpInput<N>, options: ReadOptions<N> = {}) {
  const { qualifier, ...rest } = options;
  return useQuery<OpOutput<N>, OpError>({ ...opQuery(operation, input, qualifier), ...rest });
}

/** Operations whose input takes a `cursor` and whose answer says where the next page starts. */
type PagedOp = {
  [K in OpName]: 'cursor' extends keyof OpInput<K> ? (OpOutput<K> extends { nextCursor: string | null } ? K : never) : never;
}[OpName];

/** A paged read, fetched page by page as the caller asks for more (`fetchNextPage`). */
export function useOpPages<N extends PagedOp>(operation: N, input: Omit<OpInput<N>, 'cursor'>) {
  return useInfiniteQuery<OpOutput<N>, OpError, InfiniteData<OpOutput<N>>, QueryKey, string | undefined>({
    // Qualified: a page list is cached apart from a single answer to the same input.
    queryKey: queryKey(operation, input as OpInput<N>, 'pages'),
    queryFn: ({ pageParam }) => invoke(operation, { ...input, cursor: pageParam } as OpInput<N>),
    initialPageParam: undefined,
    getNextPageParam: (last) => (last as { nextCursor: string | null }).nextCursor ?? undefined,
  });
}

export interface OpMutationOptions<N extends OpName> {
  /**
   * When the reads named by the contract are refreshed:
   * - 'background' (default): on success, not awaited, so the caller's own `mutate(…, { onSuccess })`
   *   runs even if the refresh re-renders the caller away;
   * - 'awaited': `mutateAsync` resolves only once the refreshed answers are back (a busy button stays
   *   busy until the screen shows the new state);
   * - 'by-caller': not here; the caller refreshes with `useRefreshAfter()` once it has handed the result
   *   on (a refresh that remounts the caller would otherwise swallow it).
   */
  refresh?: 'background' | 'awaited' | 'by-caller';
  /** Runs on every success, even when the calling component is gone (e.g. putting the answer in the cache). */
  onSuccess?: (data: OpOutput<N>, qc: QueryClient) => void;
}

/** A write (or an action-like read); on success the reads its contract entry names are refreshed. */
export function useOpMutation<N extends OpName>(operation: N, options: OpMutationOptions<N> = {}) {
  const qc = useQueryClient();
  const { refresh = 'background', onSuccess } = options;
  return useMutation<OpOutput<N>, OpError, OpInput<N>>({
    mutationFn: (input) => invoke(operation, input),
    onSuccess: (data) => {
      onSuccess?.(data, qc);
      if (refresh === 'awaited') return refreshAfter(qc, operation);
      // 'background': the write's answer shows at once and the reads catch up behind it.
      if (refresh === 'background') inBackground(refreshAfter(qc, operation), operation);
      return undefined;
    },
  });
}

/** Refreshes what an operation changes, for callers that choose the moment (`refresh: 'by-caller'`). */
export function useRefreshAfter(): (operation: OpName) => Promise<void> {
  const qc = useQueryClient();
  return useCallback((operation: OpName) => refreshAfter(qc, operation), [qc]);
}
