import type { policiesOps } from '../../../shared/operations/policies.ts';
import type { FeatureHandlers, HandlerDeps } from './types.ts';

export function policiesHandlers(_deps: HandlerDeps): FeatureHandlers<typeof policiesOps> {
  return {};
}
