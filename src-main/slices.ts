// Work on 100,000 rows in slices that yield to the event loop, so the main process keeps answering (the
// web host and IPC) while a refresh is applied, stored and indexed: one slice holds the loop ~15 ms at most.
// One helper for the store, the sync engine, its adapters and the people index alike.
import { setImmediate } from 'node:timers/promises';

/** Lets the event loop run (I/O, timers, the web host's and IPC's answers) before the work goes on. */
export const pause = (): Promise<void> => setImmediate();

/** The longest a slice should hold the event loop. */
const SLICE_MS = 15;
const CHECK_EVERY = 64;

/**
 * Counts units of work and says when a slice is over (its budget of units spent, or SLICE_MS gone):
 * `if (sliceDone()) await pause();`. A boolean, so a unit that does not end a slice costs no promise and no
 * microtask (an `await` on every unit would be hundreds of thousands of each per rebuild at 100,000 people).
 */
export function slicer(budget: number): (units?: number) => boolean {
  let done = 0;
  let unchecked = 0;
  /** When this slice's first unit began (-1: after a pause, not yet). */
  let began = -1;
  return (units = 1) => {
    if (began < 0) began = performance.now();
    done += units;
    unchecked += units;
    if (done < budget) {
      // Some units cost far more than others (a row with a long DN, a collection): the clock is asked
      // every CHECK_EVERY units as well, so a slice never runs much past SLICE_MS.
      if (unchecked < CHECK_EVERY) return false;
      unchecked = 0;
      if (performance.now() - began < SLICE_MS) return false;
    }
    done = 0;
    unchecked = 0;
    began = -1;
    return true;
  };
}
