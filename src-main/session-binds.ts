// A session's binds to AD: its own domain's, and one per further domain signed in to in the same session
// (#19). One place knows that they are several, so none is ever left open.
import type { ActiveSession, DirectorySession } from './ports.ts';

/** Every bind a session (or a call's view of it) holds, its own first. */
export function bindsOf(session: ActiveSession): DirectorySession[] {
  return [session.directory, ...(session.others ?? [])];
}

/** Close every bind; one that fails to close is dropped with the session all the same. */
export async function closeSession(session: ActiveSession): Promise<void> {
  await Promise.all(bindsOf(session).map((d) => d.close().catch(() => {})));
}
