import { can, type AccessTarget } from '../../../shared/access.ts';
import type { OpName } from '../../../shared/operations/index.ts';
import { useOp } from '../../app/ops.ts';

/** The signed-in operator, or null. */
export function useOperator() {
  return useOp('session.current', {}).data?.operator ?? null;
}

/**
 * May the signed-in operator call this operation (on this person)? The very decision main makes on every
 * call, so the UI offers exactly what main will accept — never a copy of the role rules.
 */
export function useCan(): (operation: OpName, target?: AccessTarget) => boolean {
  const operator = useOperator();
  return (operation, target) => can(operator, operation, target).allowed;
}
