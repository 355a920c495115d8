import { useOp } from '../../app/ops.ts';

/** The signed-in operator, or null. */
export function useOperator() {
  return useOp('session.current', {}).data?.operator ?? null;
}
