import type { ActiveSession } from '../ports.ts';

export type { ActiveSession };

/**
 * Where a host keeps the session of one caller: one per Electron window, one per browser session
 * in the web host. The dispatcher reads and replaces it; it never knows which host it runs in.
 */
export interface SessionSlot {
  get(): ActiveSession | null;
  set(session: ActiveSession | null): void;
}

export function memorySlot(): SessionSlot {
  let current: ActiveSession | null = null;
  return {
    get: () => current,
    set: (s) => {
      current = s;
    },
  };
}

export interface CallContext {
  slot: SessionSlot;
  /** Name of the workstation or host, for the journal. */
  workstation: string;
  /** One per UI action or bulk job; the dispatcher makes one when the caller sends none. */
  correlationId?: string;
}
