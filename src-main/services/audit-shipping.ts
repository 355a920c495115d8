import type { DatabaseSync } from 'node:sqlite';
import { auditActionLabel } from '../../shared/domain/audit.ts';
import { domainFromDn } from '../../shared/idp/common.ts';
import type { AuditEventWrite } from '../../shared/idp/audit.ts';
import type { IdpPort } from '../connectors/idp/idp-port.ts';
import { auditEventsAfter } from '../connectors/idp/idp-port.ts';
import type { AuditStore } from '../store/audit-store.ts';
import type { Journal, JournalRecord } from '../store/journal.ts';

export interface ShippingState {
  /** Journal records not yet acknowledged by the IdP. */
  pending: number;
  lastError: string | null;
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

/**
 * The outbox: journal records go to the IdP's central audit log in order, each retried until the IdP
 * acknowledges it. Only the acknowledged watermark is stored, so nothing is ever deleted to "send" it,
 * and a restart continues where the last acknowledgement left off. The IdP's own log is pulled back by
 * cursor into the local cache, minus the events that came from this console.
 */
export function createAuditShipping(journal: Journal, store: AuditStore) {
  const db: DatabaseSync = journal.db;
  db.exec(`CREATE TABLE IF NOT EXISTS outbox_state (id INTEGER PRIMARY KEY CHECK (id = 1), acked_seq INTEGER NOT NULL);
           INSERT OR IGNORE INTO outbox_state (id, acked_seq) VALUES (1, 0);`);
  const getAcked = db.prepare('SELECT acked_seq AS s FROM outbox_state WHERE id = 1');
  const setAcked = db.prepare('UPDATE outbox_state SET acked_seq = ? WHERE id = 1 AND acked_seq < ?');
  const state: Omit<ShippingState, 'pending'> = { lastError: null, lastShippedAt: null, lastPulledAt: null };
  let running: Promise<void> | null = null;

  const acked = () => Number((getAcked.get() as { s: number }).s);

  async function ship(idp: IdpPort, batch = 500): Promise<number> {
    let sent = 0;
    for (;;) {
      const records = journal.list({ afterSeq: acked(), limit: batch });
      if (!records.length) return sent;
      for (const r of records) {
        await idp.writeAuditEvent(toIdpEvent(r));
        setAcked.run(r.seq, r.seq);
        sent++;
      }
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
    status(): ShippingState {
      const pending = Number((db.prepare('SELECT count(*) AS n FROM journal WHERE seq > ?').get(acked()) as { n: number }).n);
      return { pending, ...state };
    },
    /** One round of shipping then pulling; concurrent callers share the round in progress. */
    sync(idp: IdpPort): Promise<void> {
      running ??= (async () => {
        try {
          await ship(idp);
          await pull(idp);
          state.lastError = null;
        } catch (e) {
          state.lastError = e instanceof Error ? e.message : String(e);
        } finally {
          running = null;
        }
      })();
      return running;
    },
  };
}

export type AuditShipping = ReturnType<typeof createAuditShipping>;
