import type { bulkOps } from '../../../shared/operations/bulk.ts';
import type { FeatureHandlers, HandlerDeps } from './types.ts';

export function bulkHandlers(_deps: HandlerDeps): FeatureHandlers<typeof bulkOps> {
  return {};
}
