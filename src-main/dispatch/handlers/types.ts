import type { z } from 'zod';
import type { OperationSpec } from '../../../shared/operation.ts';
import type { Core } from '../../core.ts';
import type { HandlerContext } from '../dispatcher.ts';

export interface HandlerDeps {
  core: Core;
  /** Rebuild the connections after the settings changed. */
  reconnect(): Promise<void>;
}

/** The handlers of one feature's slice of the operation table. */
export type FeatureHandlers<T extends Record<string, OperationSpec>> = {
  [N in keyof T]: (input: z.output<T[N]['input']>, ctx: HandlerContext) => Promise<z.output<T[N]['output']>>;
};
