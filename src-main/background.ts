// Work main starts on purpose without waiting for it: a timer's tick, a refresh behind an answer already
// given, a signal handler. An unawaited promise that rejects is an unhandled rejection, which stops Node,
// and a `.catch(() => {})` hides the failure for good; so every such start goes through runInBackground,
// which hands the failure to someone who reports it. Lint (no-floating-promises, `void` included) leaves
// no other way, and each call says why its caller does not wait.

/** Where a failure nobody waits for goes. */
export type ReportError = (error: unknown) => void;

/** The default report: one line on stderr, which is where main's own failures are logged. */
export function logBackgroundError(what: string): ReportError {
  return (error) => console.error(`${what} fejlede i baggrunden:`, error);
}

/**
 * Starts `work` without waiting for it. A failure goes to `report` (by default logged under `what`);
 * a report that itself throws is logged instead of becoming an unhandled rejection.
 */
export function runInBackground(what: string, work: Promise<unknown>, report: ReportError = logBackgroundError(what)): void {
  work.then(undefined, (error: unknown) => {
    try {
      report(error);
    } catch (reportFailed) {
      console.error(`${what} fejlede i baggrunden, og fejlen kunne ikke rapporteres:`, error, reportFailed);
    }
  });
}
