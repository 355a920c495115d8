// Work the renderer starts without waiting for it: React calls event handlers and effects and never waits
// for a promise they return. The work passed here shows its own errors on the page (error state, an
// Alert); inBackground is the net under it, so an unexpected failure is logged (as ErrorBoundary does)
// instead of vanishing. Lint (no-floating-promises, `void` included) leaves no other way.

/** Starts `work` without waiting for it; a failure is logged under `what`. */
export function inBackground(work: Promise<unknown>, what = 'Baggrundsarbejde'): void {
  work.then(undefined, (error: unknown) => console.error(`${what} fejlede:`, error));
}
