// The search resource: the whole organisation, streamed [C: "very unstable"], and the lookups built on
// it (the API has no lookup by subjectNameId, CPR or e-mail).
import { ConsoleError, isConsoleError } from '../../../shared/errors.ts';
import { SearchItem } from '../../../shared/mitid/api.ts';
import type { MitIdAuthenticator, MitIdIdentitySummary } from '../../../shared/mitid/domain.ts';
import { listAuthenticators } from './authenticators.ts';
import { A, type ClientContext } from './context.ts';
import type { CallOptions, PersonMatch } from './port.ts';
import { cancelled } from '../http/errors.ts';
import { forEachEmployee } from './search-stream.ts';
import { AttemptFailure, MITID } from './transport.ts';

function toSummary(i: SearchItem): MitIdIdentitySummary {
  return {
    uuid: i.uuid.toLowerCase(),
    id: i.id ?? null,
    status: i.status,
    givenName: i.profile?.givenName ?? null,
    surname: i.profile?.surname ?? null,
    cprNumber: i.profile?.cprNumber ?? null,
    emailAddress: i.emailAddress ?? null,
    rid: i.rid ?? null,
  };
}

/**
 * The search, handed on item by item (`onItem` is awaited only when it returns a promise). A failure
 * before the first item is retried like any idempotent read; after items were handed on it is not,
 * because the consumer has already acted on them.
 */
export async function streamSearch(
  ctx: ClientContext,
  onItem: (item: MitIdIdentitySummary) => void | Promise<void>,
  opts: CallOptions | undefined,
  control: { stopped?: () => boolean; onBody?: (body: { destroy(): void }) => void } = {},
): Promise<number> {
  const spec = {
    method: 'POST' as const,
    path: `${A}/identity/employee/search`,
    body: { maxCount: 0, removeUuidFromResultSet: false },
    signal: opts?.signal,
    timeoutMs: opts?.timeoutMs,
    background: opts?.background,
  };
  const stopped = control.stopped ?? (() => false);
  let delivered = 0;
  let consumerError: { e: unknown } | undefined;
  await ctx.t.withRetry(true, opts?.signal, () =>
    ctx.t.attemptStream(spec, async (_status, body) => {
      control.onBody?.(body);
      try {
        // Synchronous per item unless the consumer returns a promise: 100,000 awaits would show.
        await forEachEmployee(body, ctx.o.searchParser, (raw) => {
          if (stopped()) return false;
          const parsed = SearchItem.safeParse(raw);
          if (!parsed.success) throw new ConsoleError('unavailable-mitid', 'MitID Erhverv svarede med et uventet format i søgningen').withKey('mitidSearchFormat');
          delivered++;
          let r: void | Promise<void>;
          try {
            r = onItem(toSummary(parsed.data));
          } catch (e) {
            consumerError = { e };
            throw e;
          }
          if (!r) return true;
          return r.then(
            () => true,
            (e: unknown) => {
              consumerError = { e };
              throw e;
            },
          );
        });
      } catch (e) {
        if (consumerError || isConsoleError(e) || stopped()) throw e;
        if (opts?.signal?.aborted) throw new AttemptFailure(cancelled(MITID), false);
        const f = new ConsoleError('unavailable-mitid', 'MitID Erhverv svarer ikke (søgningen blev afbrudt undervejs)', { reason: 'search-aborted' }).withKey('mitidSearchAborted');
        if (delivered === 0) throw new AttemptFailure(f, true);
        throw f;
      } finally {
        body.destroy();
      }
    }),
    opts?.retries,
  );
  return delivered;
}

export async function* iterateAll(ctx: ClientContext, opts?: CallOptions): AsyncGenerator<MitIdIdentitySummary> {
  const queue: MitIdIdentitySummary[] = [];
  let done = false;
  let failure: unknown;
  let stopped = false;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  let currentBody: { destroy(): void } | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const run = streamSearch(
    ctx,
    (item) => {
      queue.push(item);
      notify();
      // Backpressure: stop reading until the consumer has caught up.
      if (queue.length >= 256) return new Promise<void>((r) => (resume = r));
    },
    opts,
    { stopped: () => stopped, onBody: (b) => (currentBody = b) },
  ).then(
    () => {
      done = true;
      notify();
    },
    (e: unknown) => {
      failure = e;
      done = true;
      notify();
    },
  );
  try {
    for (;;) {
      const item = queue.shift();
      if (item) {
        if (queue.length < 64) {
          resume?.();
          resume = undefined;
        }
        yield item;
        continue;
      }
      if (done) break;
      await new Promise<void>((r) => (wake = r));
    }
    if (failure !== undefined) throw failure;
  } finally {
    stopped = true;
    resume?.();
    // Closing the body ends the connection at once when the consumer stops early.
    currentBody?.destroy();
    await run;
  }
}

/** subjectNameIds are compared case-insensitively, as the service compares them for uniqueness [I]. */
export const sameSubjectNameId = (a: string | null | undefined, b: string | null | undefined): boolean =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Where a person stands, in one pass over the search: candidates share the CPR or the e-mail (or have
 * the subjectNameId as e-mail) and are told apart by their local credential. `ours` carries our
 * subjectNameId; `unlinked` matched by CPR or e-mail but carries no local credential, or another's —
 * never taken for ours, whatever the CPR says.
 */
export async function matchPerson(
  ctx: ClientContext,
  person: { subjectNameId: string | null; cprNumber?: string | null; emailAddress?: string | null },
  opts?: CallOptions,
): Promise<PersonMatch> {
  const sni = person.subjectNameId?.trim() || null;
  const cpr = person.cprNumber?.replace(/\D/g, '') || null;
  const emails = new Set([person.emailAddress, sni].filter((e): e is string => !!e).map((e) => e.trim().toLowerCase()));
  const candidates: MitIdIdentitySummary[] = [];
  for await (const item of iterateAll(ctx, opts)) {
    const byCpr = !!cpr && item.cprNumber === cpr;
    const byEmail = !!item.emailAddress && emails.has(item.emailAddress.trim().toLowerCase());
    // CPR matches first: the person's own identity, if any, is the one with their CPR.
    if (byCpr) candidates.unshift(item);
    else if (byEmail) candidates.push(item);
  }
  let unlinked: PersonMatch['unlinked'] = null;
  let heldByOther: MitIdIdentitySummary | null = null;
  for (const c of candidates) {
    const auths: MitIdAuthenticator[] = await listAuthenticators(ctx, c.uuid, opts).catch((e: unknown) => {
      if (isConsoleError(e) && e.code === 'not-found') return [];
      throw e;
    });
    const local = auths.filter((a) => a.kind === 'local');
    const ours = local.find((a) => sameSubjectNameId(a.id, sni));
    // The id is ours, the person is not (another CPR): the id is taken, not our identity.
    if (ours && cpr && c.cprNumber && c.cprNumber !== cpr) {
      heldByOther ??= c;
      continue;
    }
    if (ours) return { ours: { identity: c, localCredential: ours }, unlinked: null };
    unlinked ??= { identity: c, localIds: local.map((a) => a.id ?? '').filter(Boolean), by: cpr && c.cprNumber === cpr ? 'cpr' : 'email' };
  }
  return { ours: null, unlinked, heldByOther };
}
