// Switchable faults of the MitID Erhverv simulator. Tests flip these; the training environment may too
// (to let helpdesk staff see what "MitID Erhverv svarer ikke" looks like).
import { prng as mulberry32 } from '../prng.ts';


export class MitIdSimFaults {
  /** Share of requests answered 503 `ServiceUnavailable` before anything is applied. */
  unavailableRate = 0;
  /** Share of requests answered 500 `See log for exception details` before anything is applied. */
  serverErrorRate = 0;
  /** Random delay before every answer, in ms. */
  latencyMs = { min: 0, max: 0 };
  /** Token lifetime handed out by the authenticate call, in seconds. */
  tokenLifetimeSec = 3600;
  search = {
    /** Share of searches that fail… */
    failRate: 0,
    /** …with 500 `See log for exception details` or 503 `ServiceUnavailable`. */
    failStatus: 500 as 500 | 503,
    /** Extra delay before the search answers, in ms. */
    delayMs: 0,
    /** Pause between streamed chunks of the body, in ms (a slow, large answer). */
    chunkDelayMs: 0,
    /** Drop the connection after half of the body was sent. */
    dropMidway: false,
  };
  /** The next N creates are applied, then the connection is dropped before the answer. */
  dropNextCreates = 0;
  /** Share of writes (any non-read call) applied and then answered by a dropped connection. */
  dropAfterApplyRate = 0;

  random: () => number;
  /** Set by the server: invalidates every token issued so far. */
  private expire: () => void = () => {};

  constructor(seed?: number) {
    this.random = seed === undefined ? Math.random : mulberry32(seed);
  }

  /** Every issued token becomes invalid at once (the next call gets a 401). */
  expireTokens(): void {
    this.expire();
  }

  /** @internal wired by the server */
  bindExpire(fn: () => void): void {
    this.expire = fn;
  }

  reset(): void {
    this.unavailableRate = 0;
    this.serverErrorRate = 0;
    this.latencyMs = { min: 0, max: 0 };
    this.tokenLifetimeSec = 3600;
    this.search = { failRate: 0, failStatus: 500, delayMs: 0, chunkDelayMs: 0, dropMidway: false };
    this.dropNextCreates = 0;
    this.dropAfterApplyRate = 0;
  }

  chance(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  latency(): number {
    const { min, max } = this.latencyMs;
    return max <= 0 ? 0 : min + Math.floor(this.random() * Math.max(0, max - min + 1));
  }
}
