import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { OpInput, OpName, OpOutput } from '../../shared/operations/index.ts';
import { invoke, type OpError } from './transport.ts';

/** A read operation as a TanStack query keyed by operation and input. */
export function useOp<N extends OpName>(
  operation: N,
  input: OpInput<N>,
  options: Omit<UseQueryOptions<OpOutput<N>, OpError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<OpOutput<N>, OpError>({
    queryKey: [operation, input],
    queryFn: () => invoke(operation, input),
    ...options,
  });
}

/** A write operation; on success the listed operations' cached results are refreshed. */
export function useOpMutation<N extends OpName>(operation: N, refresh: OpName[] = []) {
  const qc = useQueryClient();
  return useMutation<OpOutput<N>, OpError, OpInput<N>>({
    mutationFn: (input) => invoke(operation, input),
    // Not awaited: the caller's own onSuccess must run even if the refresh re-renders it away.
    onSuccess: () => {
      for (const op of refresh) void qc.invalidateQueries({ queryKey: [op] });
    },
  });
}
