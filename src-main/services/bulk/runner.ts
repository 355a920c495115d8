// Runs one bulk job: a fixed number of workers take pending rows one at a time. Each row is stored as
// in flight before its MitID Erhverv call and as done/failed after it; the journal gets the intent
// before and the outcome after, under the job's id as correlation id. A call that may have landed
// (unavailable, lost answer, crash) leaves the row pending and "uncertain": the next attempt goes
// through the actions in mitid-actions.ts, which look the person up before they change anything.
import { ConsoleError, isConsoleError } from '../../../shared/errors.ts';
import { bulkActionDa, type BulkAction } from '../../../shared/domain/bulk.ts';
import type { LinkRule } from '../../../shared/mitid/link-rule.ts';
import type { MitIdErhvervPort } from '../../connectors/mitid-erhverv/port.ts';
import type { Journal, JournalOutcome } from '../../store/journal.ts';
import { assignLocalAuthenticator, reactivateIdentity, setSigning, suspendIdentity } from '../mitid/actions.ts';
import { pendingMessage } from '../mitid/create-guard.ts';
import { type BulkJobRecord, type BulkRowRecord, type BulkStore } from '../../store/bulk-store.ts';
import { parentDn } from '../../../shared/dn.ts';

export interface OutagePolicy {
  /** First wait after a row failed because MitID Erhverv did not answer; doubles per round. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Rounds of waiting without one success before the job pauses itself. */
  pauseAfter: number;
}

export interface RunnerDeps {
  store: BulkStore;
  /** How long a create waiting for confirmation rests before its row is looked at again (ms). */
  recheckMs?: number;
  journal: Journal;
  mitid: () => MitIdErhvervPort | null;
  linkRuleFor: (dn: string | null) => LinkRule;
  outage: OutagePolicy;
  /** Called once the run has stopped (for any reason), after the job's state was settled. */
  onSettled: (jobId: string) => void;
  logError: (e: unknown) => void;
}

interface RowOutcome {
  result: string;
  uuid: string | null;
  /** For a create waiting for confirmation: what the operator is told. */
  awaiting?: string;
}

async function execute(action: BulkAction, row: BulkRowRecord, mitid: MitIdErhvervPort, rule: LinkRule): Promise<RowOutcome> {
  const person = row.person;
  if (!person) throw new Error('row without person snapshot');
  switch (action) {
    case 'assign-local': {
      // The NSIS floor of the person's domain (row.dn) is decided in there too. Looks first: an identity that already has the credential is never created or requested again.
      const r = await assignLocalAuthenticator(mitid, rule, { ...person, dn: row.dn });
      if (r.outcome === 'pending-confirmation') return { result: r.outcome, uuid: null, awaiting: r.pending ? pendingMessage(r.pending) : 'Afventer bekræftelse' };
      const result = r.outcome === 'already-assigned' && (row.uncertain || row.state === 'awaiting' || row.result === 'pending-confirmation') ? 'reconciled' : r.outcome;
      return { result, uuid: r.uuid };
    }
    case 'allow-signing': {
      const r = await setSigning(mitid, rule, person, true);
      return { result: 'signing-allowed', uuid: r.uuid };
    }
    case 'suspend': {
      const r = await suspendIdentity(mitid, rule, person);
      return { result: r.outcome, uuid: r.uuid };
    }
    case 'reactivate': {
      const r = await reactivateIdentity(mitid, rule, person);
      return { result: r.outcome, uuid: r.uuid };
    }
  }
}

/** Errors after which the same call may well succeed later, and whose effect is unknown. */
export function isTransient(code: string): boolean {
  return code.startsWith('unavailable-') || code === 'cancelled';
}

function journalOutcomeFor(code: string): JournalOutcome {
  if (isTransient(code)) return 'unknown';
  if (code === 'internal') return 'failed';
  return 'refused';
}

export class BulkRun {
  readonly jobId: string;
  private readonly d: RunnerDeps;
  private rounds = 0;
  private backoffUntil = 0;
  private readonly stopper = new AbortController();
  readonly done: Promise<void>;

  constructor(jobId: string, deps: RunnerDeps) {
    this.jobId = jobId;
    this.d = deps;
    this.done = this.run();
  }

  /** Take no new rows; calls in flight finish and are stored. */
  stop(): void {
    this.stopper.abort();
  }

  private alive(): boolean {
    return this.d.store.isOpen() && !this.stopper.signal.aborted;
  }

  private async run(): Promise<void> {
    try {
      const job = this.d.store.getJob(this.jobId);
      if (!job) return;
      await Promise.all(Array.from({ length: Math.max(1, job.concurrency) }, () => this.worker()));
      this.settle();
    } catch (e) {
      // The store went away under us (the console is closing): the job stays "running" on disk and is
      // recovered as interrupted on the next start. Anything else is a bug worth logging.
      if (this.d.store.isOpen()) this.d.logError(e);
    } finally {
      this.d.onSettled(this.jobId);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const signal = this.stopper.signal;
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (!this.alive()) return;
      const job = this.d.store.getJob(this.jobId);
      if (!job || job.state !== 'running') return;
      const wait = this.backoffUntil - Date.now();
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      const recheckMs = this.d.recheckMs ?? 30_000;
      const row = this.d.store.claimNext(this.jobId, new Date(Date.now() - recheckMs).toISOString());
      if (!row) {
        // Nothing to do now, but creates still waiting for confirmation: look again in a while.
        if (this.d.store.counts(this.jobId).awaiting === 0) return;
        await this.sleep(Math.min(recheckMs, 1_000));
        continue;
      }
      await this.runRow(job, row);
    }
  }

  private target(row: BulkRowRecord) {
    return { id: row.personId ?? row.username, label: row.displayName ? `${row.displayName} (${row.username})` : row.username, ou: row.dn ? parentDn(row.dn) : null };
  }

  private record(job: BulkJobRecord, row: BulkRowRecord, kind: 'intent' | 'outcome', outcome: JournalOutcome | null, summary: Record<string, unknown>): void {
    if (!job.operator) return;
    this.d.journal.append({
      kind,
      operation: 'bulk.row',
      operator: job.operator,
      workstation: job.workstation ?? 'ukendt',
      correlationId: job.id,
      target: this.target(row),
      reason: job.reason,
      outcome,
      summary: { job: job.id, seq: row.seq, action: job.action, actionLabel: bulkActionDa[job.action], plan: row.plan, ...summary },
    });
  }

  private async runRow(job: BulkJobRecord, row: BulkRowRecord): Promise<void> {
    // The row is already stored in flight (claimNext); the intent goes to the journal before the call.
    this.record(job, row, 'intent', null, { attempt: row.attempts, lookupFirst: row.uncertain });
    const mitid = this.d.mitid();
    let outcome: RowOutcome;
    try {
      if (!mitid) throw new ConsoleError('unavailable-mitid', 'MitID Erhverv er ikke sat op.').withKey('mitidNotConfigured');
      outcome = await execute(job.action, row, mitid, this.d.linkRuleFor(row.dn));
    } catch (e) {
      if (isConsoleError(e) && e.details?.outcome === 'claimed-elsewhere' && this.d.store.isOpen()) {
        // Another workstation is creating this person: wait and look again, like a create awaiting confirmation.
        this.record(job, row, 'outcome', 'unknown', { awaiting: true, error: { code: e.code, message: e.message } });
        this.d.store.finishRow(job.id, row.seq, { state: 'awaiting', result: 'pending-confirmation', error: e.message });
        return;
      }
      const code: string = isConsoleError(e) ? e.code : 'internal';
      const message = isConsoleError(e) ? e.message : 'Der opstod en intern fejl. Prøv rækken igen, eller kontakt IT-afdelingen.';
      if (!isConsoleError(e) && this.d.store.isOpen()) this.d.logError(e);
      if (!this.d.store.isOpen()) return;
      if (isTransient(code)) {
        this.record(job, row, 'outcome', 'unknown', { error: { code, message }, retry: true });
        this.d.store.releaseRow(job.id, row.seq, message, code);
        this.outage(job, message);
      } else {
        this.record(job, row, 'outcome', journalOutcomeFor(code), { error: { code, message } });
        this.d.store.finishRow(job.id, row.seq, { state: 'failed', error: message, errorCode: code });
      }
      return;
    }
    if (!this.d.store.isOpen()) return;
    this.rounds = 0;
    if (outcome.awaiting) {
      // Not done, not failed: the create's outcome is unknown and the person is not created again meanwhile.
      this.record(job, row, 'outcome', 'unknown', { result: outcome.result, awaiting: true });
      this.d.store.finishRow(job.id, row.seq, { state: 'awaiting', result: outcome.result, error: outcome.awaiting });
      return;
    }
    // Journal first, then the row: a crash in between leaves the row in flight, so the next run looks
    // it up (and journals that too) — the journal never lacks a call that happened.
    this.record(job, row, 'outcome', 'success', { result: outcome.result, uuid: outcome.uuid });
    this.d.store.finishRow(job.id, row.seq, { state: 'done', result: outcome.result, uuid: outcome.uuid });
  }

  /** MitID Erhverv did not answer: wait longer each round; after enough rounds, pause with the reason. */
  private outage(job: BulkJobRecord, message: string): void {
    if (Date.now() < this.backoffUntil) return; // the same outage, already being waited out
    this.rounds++;
    const o = this.d.outage;
    if (this.rounds > o.pauseAfter) {
      const current = this.d.store.getJob(job.id);
      if (current?.state !== 'running') return;
      const text = `MitID Erhverv svarer ikke (${message.replace(/\.$/, '')}). Opgaven er sat på pause efter ${o.pauseAfter} forsøg med stigende ventetid – genoptag den, når MitID Erhverv svarer igen. Intet bliver gentaget: rækker med ukendt udfald slås op først.`;
      // The system's words stay in the Danish message; the detail names the figure, the renderer the rest.
      this.d.store.setJob(job.id, { state: 'pausing', pauseCode: 'mitid-unavailable', pauseMessage: text, pauseDetail: { code: 'mitid-unavailable', params: { attempts: o.pauseAfter } } });
      this.event(job, 'auto-paused', { message });
      this.stop();
      return;
    }
    this.backoffUntil = Date.now() + Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (this.rounds - 1));
  }

  private event(job: BulkJobRecord, event: string, summary: Record<string, unknown> = {}): void {
    if (!job.operator) return;
    this.d.journal.append({
      kind: 'event',
      operation: 'bulk.job',
      operator: job.operator,
      workstation: job.workstation ?? 'ukendt',
      correlationId: job.id,
      target: null,
      reason: job.reason,
      outcome: null,
      summary: { job: job.id, event, counts: this.d.store.counts(job.id), ...summary },
    });
  }

  /** All workers have returned: decide what the job is now. */
  private settle(): void {
    if (!this.d.store.isOpen()) return;
    const job = this.d.store.getJob(this.jobId);
    if (!job) return;
    const counts = this.d.store.counts(job.id);
    const at = new Date().toISOString();
    if (job.state === 'pausing') {
      this.d.store.setJob(job.id, { state: 'paused' });
    } else if (job.state === 'cancelling') {
      this.d.store.cancelPending(job.id);
      this.d.store.setJob(job.id, { state: 'cancelled', finishedAt: at });
      this.event(job, 'cancelled');
    } else if (job.state === 'running' && counts.pending === 0 && counts.inFlight === 0 && counts.awaiting === 0) {
      this.d.store.setJob(job.id, { state: 'completed', finishedAt: at, pauseCode: null, pauseMessage: null, pauseDetail: null });
      this.event(job, 'completed');
    }
  }
}
