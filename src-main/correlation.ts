// The console operation a piece of work belongs to, without threading it through every service signature:
// the dispatcher runs each handler inside its call's correlation id, and the connectors read it to send it
// along (the IdP stores it on the audit events the call causes). Work started from inside a handler
// (a refresh behind the answer) carries the same id, which is what it is: part of that operation.
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

/** Runs `work` as part of the operation `correlationId`. */
export function withCorrelation<T>(correlationId: string, work: () => Promise<T>): Promise<T> {
  return current.run(correlationId, work);
}

/** The correlation id of the operation this code runs for, if any. */
export function currentCorrelationId(): string | undefined {
  return current.getStore();
}
