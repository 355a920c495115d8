import type { Handlers } from './dispatcher.ts';
import { auditHandlers } from './handlers/audit.ts';
import { bulkHandlers } from './handlers/bulk.ts';
import { peopleHandlers } from './handlers/people.ts';
import { policiesHandlers } from './handlers/policies.ts';
import { sessionHandlers } from './handlers/session.ts';
import { settingsHandlers } from './handlers/settings.ts';
import type { HandlerDeps } from './handlers/types.ts';

/** One handler per operation, one module per feature; the work itself lives in services and connectors. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    ...sessionHandlers(deps),
    ...settingsHandlers(deps),
    ...peopleHandlers(deps),
    ...auditHandlers(deps),
    ...policiesHandlers(deps),
    ...bulkHandlers(deps),
  };
}
