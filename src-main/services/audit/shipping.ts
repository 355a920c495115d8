import { auditActionLabel } from '../../../shared/domain/audit.ts';
import { domainFromDn } from '../../../shared/idp/common.ts';
import type { AuditEventWrite } from '../../../shared/idp/audit.ts';
import { JOURNAL_BATCH_MAX, type ChainedEvent } from '../../../shared/idp/journal.ts';
import { ConsoleError, errorRef, type ErrorRef } from '../../../shared/errors.ts';
import type { IdpPort } from '../../connectors/idp/idp-port.ts';
import { auditEventsAfter } from '../../connectors/idp/idp-port.ts';
import type { AuditStore } from '../../store/audit-store.ts';
import { GENESIS_HASH, type Journal, type JournalRecord } from '../../store/journal.ts';

export interface ShippingState {
  /** Journal records not yet acknowledged by the IdP. */
  pending: number;
  lastError: string | null;
  /** The same failure by code and key, for the renderer to word in the operator's language. */
  lastErrorRef: ErrorRef | null;
  lastShippedAt: string | null;
  lastPulledAt: string | null;
}

/** A journal record as the IdP's central audit log stores it; the record's own id makes retries idempotent. */
export function toIdpEvent(r: JournalRecord): AuditEventWrite {
  const username = r.targetLabel ? /\(([^()]+)\)$/.exec(r.targetLabel)?.[1] : undefined;
  const domain = r.targetOu ? domainFromDn(r.targetOu) : null;
  const outcome = r.kind === 'intent' ? 'påbegyndt' : r.outcome ?? r.kind;
  return {
    eventId: r.id,
    time: r.at,
    action: r.operation,
    message: `${auditActionLabel(r.operation)} (${outcome})`.slice(0, 2000),
    performer: { username: r.operatorUsername.slice(0, 100), displayName: r.operatorName.slice(0, 200) },
    person: username && domain ? { domain, username } : null,
    correlationId: r.correlationId.slice(0, 100),
    reason: r.reason ? r.reason.slice(0, 500) : null,
    details: JSON.stringify({ seq: r.seq, kind: r.kind, outcome: r.outcome, workstation: r.workstation, summary: r.summary, hash: r.hash }).slice(0, 20_000),
  };
}

/** A journal record in an outbox batch: the event for the IdP's log and its place in the chain. */
export function toChainedEvent(r: JournalRecord): ChainedEvent {
  return { seq: r.seq, hash: r.hash, prevHash: r.prevHash, event: toIdpEvent(r) };
}

const REFUSED = 'Der sendes ikke flere poster til IdP\'en, før journalen er kontrolleret (Revision → Kontrollér journalens kæde).';

/**
 * The outbox: journal records go to the IdP's central audit log in order, in batches that carry the
 * journal's identity and chain head, each retried until the IdP acknowledges it. Only the acknowledged
 * watermark is stored, so nothing is ever deleted to "send" it, and a restart continues where the last
 * acknowledgement left off. A batch must continue the chain: a gap or a broken link here, or a batch
 * the IdP refuses as not continuing what it acknowledged, stops shipping with the reason — it never
 * moves past a tampered point. The IdP's own log is pulled back by cursor into the local cache, minus
 * the events that came from this console.
 */
export function createAuditShipping(journal: Journal, store: AuditStore) {
  const state: Omit<ShippingState, 'pending'> = { lastError: null, lastErrorRef: null, lastShippedAt: null, lastPulledAt: null };
  let running: Promise<void> | null = null;

  const acked = () => journal.outbox.acked();
  // New records never take a seq at or below what the IdP acknowledged, even if newer rows were deleted.
  journal.ensureSeqAbove(acked());

  /** The records after `after` that continue the chain from it; throws at a gap or a broken link. */
  function nextBatch(after: number, limit: number): JournalRecord[] {
    const records = journal.list({ afterSeq: after, limit });
    let prev = { seq: after, hash: after === 0 ? GENESIS_HASH : journal.hashAt(after) };
    const out: JournalRecord[] = [];
    for (const r of records) {
      if (r.seq !== prev.seq + 1 || r.prevHash !== prev.hash) {
        if (out.length) return out;
        throw new ConsoleError(
          'conflict',
          r.seq !== prev.seq + 1
            ? `Journalen mangler poster ${prev.seq + 1}–${r.seq - 1} efter det, IdP'en har bekræftet. ${REFUSED}`
            : `Post ${r.seq} bygger ikke på post ${prev.seq}, som IdP'en har bekræftet. ${REFUSED}`,
        ).withKey('journalGap');
      }
      out.push(r);
      prev = { seq: r.seq, hash: r.hash };
    }
    return out;
  }

  async function ship(idp: IdpPort, batch = 500): Promise<number> {
    let sent = 0;
    let reconciled = false;
    const id = journal.identity();
    const ref = { journalId: id.journalId, workstation: id.workstation, createdAt: id.createdAt };
    for (;;) {
      const records = nextBatch(acked(), Math.min(batch, JOURNAL_BATCH_MAX));
      if (!records.length) return sent;
      const last = records.at(-1)!;
      try {
        await idp.shipJournalBatch({ journal: ref, events: records.map(toChainedEvent), head: { seq: last.seq, hash: last.hash } });
      } catch (e) {
        if (!(e instanceof ConsoleError) || e.code !== 'conflict') throw e;
        // The IdP may be behind (restored from a backup): when its newest head is one this journal still
        // has, unchanged, resend from there — once. Anything else is a journal that does not fit.
        const known = reconciled ? null : await idp.getJournal(id.journalId);
        const head = known?.head;
        if (head && head.seq < acked() && journal.hashAt(head.seq) === head.hash) {
          journal.outbox.rewind(head.seq);
          reconciled = true;
          continue;
        }
        throw new ConsoleError('conflict', `Lokal IdP afviste journalen: ${e.message.replace(/^Lokal IdP meldte konflikt \(409\): /, '')}. ${REFUSED}`).withKey('journalRefused');
      }
      journal.outbox.advance(last.seq);
      journal.outbox.markAnchored();
      sent += records.length;
      state.lastShippedAt = new Date().toISOString();
    }
  }

  async function pull(idp: IdpPort): Promise<number> {
    let added = 0;
    let buffer = [];
    for await (const e of auditEventsAfter(idp, store.idpCursor(), 1000)) {
      // Our own events are already in the journal; their copy in the IdP's log would show twice.
      if (e.source === 'console') continue;
      buffer.push(e);
      if (buffer.length >= 1000) {
        added += store.ingestIdpEvents(buffer);
        buffer = [];
      }
    }
    added += store.ingestIdpEvents(buffer);
    state.lastPulledAt = new Date().toISOString();
    return added;
  }

  return {
    ship,
    pull,
    ackedSeq: acked,
    /** The acknowledged watermark as far as the IdP can confirm it (0 before the first anchored batch). */
    anchoredSeq: () => (journal.outbox.anchored() ? acked() : 0),
    status(): ShippingState {
      const pending = journal.outbox.pending();
      return { pending, ...state };
    },
    /** One round of shipping then pulling; concurrent callers share the round in progress. */
    sync(idp: IdpPort): Promise<void> {
      running ??= (async () => {
        try {
          await ship(idp);
          await pull(idp);
          state.lastError = null;
          state.lastErrorRef = null;
        } catch (e) {
          state.lastError = e instanceof Error ? e.message : String(e);
          state.lastErrorRef = errorRef(e);
        } finally {
          running = null;
        }
      })();
      return running;
    },
  };
}

export type AuditShipping = ReturnType<typeof createAuditShipping>;
