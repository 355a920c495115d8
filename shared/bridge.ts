import type { OpName, OpResult } from './operations/index.ts';

/**
 * What the Electron preload exposes to the renderer as `window.lokalIdp`: one function. Shared so the
 * preload (main side) and the renderer type it from the same place, neither importing the other.
 */
export interface PreloadBridge {
  invoke(operation: string, input: unknown): Promise<OpResult<OpName>>;
}
