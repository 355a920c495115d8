// Switchable faults of the MitID Erhverv simulator. Tests flip these (in-process, or through the
// simulator's control endpoint); the training environment may too (to let helpdesk staff see what
// "MitID Erhverv svarer ikke" looks like). The defaults are the real service on a good day; every switch
// below makes it as hard as the real one can be on a bad day.
import { z } from 'zod';
import { prng as mulberry32 } from '../prng.ts';

/** What a write answers when it fails after it was applied. */
export const FailAfterApplyAnswer = z.enum(['503', '500', 'drop']);
export type FailAfterApplyAnswer = z.infer<typeof FailAfterApplyAnswer>;

const rate = z.number().min(0).max(1);
const ms = z.number().int().min(0).max(600_000);

/** The switches as the control endpoint takes them (every field optional: only what is given changes). */
export const MitIdSimSwitches = z
  .object({
    unavailableRate: rate,
    serverErrorRate: rate,
    latencyMs: z.object({ min: ms, max: ms }).strict(),
    tokenLifetimeSec: z.number().int().min(1).max(86_400),
    search: z
      .object({ failRate: rate, failStatus: z.union([z.literal(500), z.literal(503)]), delayMs: ms, chunkDelayMs: ms, dropMidway: z.boolean() })
      .partial()
      .strict(),
    dropNextCreates: z.number().int().min(0).max(10_000),
    dropAfterApplyRate: rate,
    searchLagMs: ms,
    applyAfterTimeout: z.object({ rate, applyDelayMs: ms, holdMs: ms }).partial().strict(),
    failAfterApply: z.object({ rate, answer: FailAfterApplyAnswer }).partial().strict(),
    failBeforeApply: z.object({ rate, answer: FailAfterApplyAnswer }).partial().strict(),
    duplicateRefusal: z.boolean(),
    subjectNameIdMatch: z.enum(['case-insensitive', 'exact']),
    rejectUnknownFields: z.boolean(),
    storm: z
      .object({
        status: z.union([z.literal(429), z.literal(503)]),
        forMs: ms,
        retryAfterSeconds: z.number().int().min(0).max(86_400),
        endpoints: z.enum(['all', 'reads']),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
export type MitIdSimSwitches = z.infer<typeof MitIdSimSwitches>;

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

  // ---- the hostile switches (issue #16) ----

  /** Search lag: an identity created through the API appears in the search only this many ms later [C: "very unstable"]. */
  searchLagMs = 0;
  /**
   * Apply after timeout: with `rate`, a create is not answered for `holdMs` (the client gives up first)
   * and is applied `applyDelayMs` after it arrived — whether or not anyone still waits for the answer.
   */
  applyAfterTimeout = { rate: 0, applyDelayMs: 0, holdMs: 0 };
  /** Failure after apply: with `rate`, a write is applied and then answered 503, 500 or by a dropped connection. */
  failAfterApply = { rate: 0, answer: '503' as FailAfterApplyAnswer };
  /** Failure before apply, for writes only: with `rate`, a write is answered 503, 500 or dropped and NOT applied (the client cannot tell which). */
  failBeforeApply = { rate: 0, answer: '503' as FailAfterApplyAnswer };
  /** Duplicate refusal: 409 for a second identity with the same subjectNameId or CPR. Off: it is created (and paid) again. */
  duplicateRefusal = true;
  /** How subjectNameId uniqueness is compared: case-insensitively as OS2faktor does [I], or exactly. */
  subjectNameIdMatch: 'case-insensitive' | 'exact' = 'case-insensitive';
  /** Refuse a create whose body has a property the API does not know (compared case-insensitively), so a misspelt field fails. */
  rejectUnknownFields = true;
  /**
   * A storm: until `untilMs` (epoch ms) every call — or with `endpoints: 'reads'` every GET, so the search
   * still answers — is answered `status` (429 Too Many Requests or 503 ServiceUnavailable), with a
   * Retry-After header when `retryAfterSeconds` > 0. The token call is spared. Set with `forMs`.
   */
  storm = { status: 429 as 429 | 503, untilMs: 0, retryAfterSeconds: 0, endpoints: 'all' as 'all' | 'reads' };
  /**
   * The next N calls that arrive on a kept-alive connection which has served a call already find it closed
   * (as a server closing an idle connection just as the client sends on it): the connection is dropped and
   * the call is neither read nor counted.
   */
  closeReusedConnections = 0;

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
    this.searchLagMs = 0;
    this.applyAfterTimeout = { rate: 0, applyDelayMs: 0, holdMs: 0 };
    this.failAfterApply = { rate: 0, answer: '503' };
    this.failBeforeApply = { rate: 0, answer: '503' };
    this.duplicateRefusal = true;
    this.subjectNameIdMatch = 'case-insensitive';
    this.rejectUnknownFields = true;
    this.storm = { status: 429, untilMs: 0, retryAfterSeconds: 0, endpoints: 'all' };
    this.closeReusedConnections = 0;
  }

  /** Starts a storm now, for `forMs`. */
  startStorm(s: { status: 429 | 503; forMs: number; retryAfterSeconds?: number; endpoints?: 'all' | 'reads' }): void {
    this.storm = { status: s.status, untilMs: Date.now() + s.forMs, retryAfterSeconds: s.retryAfterSeconds ?? 0, endpoints: s.endpoints ?? 'all' };
  }

  /** Whether a storm answers this call (never the token call). */
  storming(method: string, path: string, now = Date.now()): boolean {
    if (now >= this.storm.untilMs || path.endsWith('/tls/authenticate')) return false;
    return this.storm.endpoints === 'all' || method === 'GET';
  }

  /** Apply switches (validated: the control endpoint takes them from a test in another process). */
  apply(raw: unknown): void {
    const s = MitIdSimSwitches.parse(raw);
    const { search, applyAfterTimeout, failAfterApply, failBeforeApply, latencyMs, storm, ...flat } = s;
    Object.assign(this, flat);
    if (latencyMs) this.latencyMs = { ...latencyMs };
    if (search) this.search = { ...this.search, ...search };
    if (applyAfterTimeout) this.applyAfterTimeout = { ...this.applyAfterTimeout, ...applyAfterTimeout };
    if (failAfterApply) this.failAfterApply = { ...this.failAfterApply, ...failAfterApply };
    if (failBeforeApply) this.failBeforeApply = { ...this.failBeforeApply, ...failBeforeApply };
    if (storm) {
      const { forMs, ...rest } = storm;
      this.storm = { ...this.storm, ...rest, ...(forMs !== undefined ? { untilMs: Date.now() + forMs } : {}) };
    }
  }

  /** The switches as they stand (what the control endpoint shows). */
  view(): Required<MitIdSimSwitches> {
    return {
      unavailableRate: this.unavailableRate,
      serverErrorRate: this.serverErrorRate,
      latencyMs: { ...this.latencyMs },
      tokenLifetimeSec: this.tokenLifetimeSec,
      search: { ...this.search },
      dropNextCreates: this.dropNextCreates,
      dropAfterApplyRate: this.dropAfterApplyRate,
      searchLagMs: this.searchLagMs,
      applyAfterTimeout: { ...this.applyAfterTimeout },
      failAfterApply: { ...this.failAfterApply },
      failBeforeApply: { ...this.failBeforeApply },
      duplicateRefusal: this.duplicateRefusal,
      subjectNameIdMatch: this.subjectNameIdMatch,
      rejectUnknownFields: this.rejectUnknownFields,
      storm: { status: this.storm.status, forMs: Math.max(0, this.storm.untilMs - Date.now()), retryAfterSeconds: this.storm.retryAfterSeconds, endpoints: this.storm.endpoints },
    };
  }

  chance(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  latency(): number {
    const { min, max } = this.latencyMs;
    return max <= 0 ? 0 : min + Math.floor(this.random() * Math.max(0, max - min + 1));
  }
}
