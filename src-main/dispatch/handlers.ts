import type { Services } from '../ports.ts';
import type { Handlers } from './dispatcher.ts';

/**
 * The dispatcher's table: every operation answered by the method of the same name on its feature's
 * service. The type makes an operation without one a compile error.
 */
export function createHandlers(s: Services): Handlers {
  return { ...s.session, ...s.settings, ...s.people, ...s.audit, ...s.policies, ...s.bulk, ...s.transfers, ...s.tokens, ...s.driftFix, ...s.fullService };
}
