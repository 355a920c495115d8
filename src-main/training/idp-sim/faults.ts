// Switchable faults of the Local IdP simulator, named as in the MitID Erhverv simulator. Tests flip these;
// the training environment may too (to show what "Lokal IdP svarer ikke" looks like).
import { prng } from '../prng.ts';

export class IdpSimFaults {
  /** Share of requests answered 503 before anything is applied. */
  unavailableRate = 0;
  /** Share of requests answered 500 before anything is applied. */
  serverErrorRate = 0;
  /** Random delay before every answer, in ms. */
  latencyMs = { min: 0, max: 0 };
  /** The next N writes are applied, then the connection is dropped before the answer. */
  dropNextWrites = 0;
  /** Share of writes applied and then answered by a dropped connection. */
  dropAfterApplyRate = 0;
  /**
   * Feed lag: a change to a person shows up in the change feed only this many ms after it was applied
   * (reads by person are current). The feed holds back what is behind a lagging change, never skips it.
   */
  feedLagMs = 0;
  /**
   * Late application: with `rate`, a write is not answered for `holdMs` (the connection is then dropped, the
   * client gives up) and is applied `applyDelayMs` after it arrived — with a feed position from then, so a
   * reader who already passed the time it was sent still gets it.
   */
  applyAfterTimeout = { rate: 0, applyDelayMs: 0, holdMs: 0 };

  random: () => number;

  constructor(seed?: number) {
    this.random = seed === undefined ? Math.random : prng(seed);
  }

  chance(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  latency(): number {
    const { min, max } = this.latencyMs;
    return max > min ? min + Math.floor(this.random() * (max - min)) : min;
  }

  /** Decides, once per applied write, whether its answer is dropped. */
  dropThisWrite(): boolean {
    if (this.dropNextWrites > 0) {
      this.dropNextWrites--;
      return true;
    }
    return this.chance(this.dropAfterApplyRate);
  }

  reset(): void {
    this.unavailableRate = 0;
    this.serverErrorRate = 0;
    this.latencyMs = { min: 0, max: 0 };
    this.dropNextWrites = 0;
    this.dropAfterApplyRate = 0;
    this.feedLagMs = 0;
    this.applyAfterTimeout = { rate: 0, applyDelayMs: 0, holdMs: 0 };
  }
}
