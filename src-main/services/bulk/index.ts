// Masseopgaver: plan (dry run) → start → pause/resume/cancel → retry failed rows → result file.
// State lives in bulk_jobs/bulk_rows (store/bulk-store.ts) beside the journal; runs live in memory only
// while this process works on them. A job the database says is running, but no run of this process
// has, was interrupted (the console stopped or crashed): it is recovered as paused, and resuming it
// continues with the rows not yet done — those that were in flight are looked up before anything is sent.
import { randomUUID } from 'node:crypto';
import { ConsoleError } from '../../../shared/errors.ts';
import type { BulkAction, BulkJobView, BulkRowState, BulkRowView, BulkTarget } from '../../../shared/domain/bulk.ts';
import type { LinkRule } from '../../../shared/mitid/link-rule.ts';
import { inScope, madeInOwnDomain, type Operator, type Scope } from '../../../shared/roles.ts';
import type { DirectorySession } from '../../connectors/directory-port.ts';
import type { MitIdErhvervPort } from '../../connectors/mitid-erhverv/port.ts';
import type { Journal } from '../../store/journal.ts';
import { planRows, resolveTarget, loadAllPeople } from './plan.ts';
import { ouLabel, parentDn } from '../../../shared/dn.ts';
import { writeResultFile } from './result-file.ts';
import { BulkRun, type OutagePolicy } from './runner.ts';
import type { GuardedMitIdPort } from '../mitid/create-guard.ts';
import { openBulkStore, rowView, type BulkJobRecord, type BulkStore } from '../../store/bulk-store.ts';

export interface BulkServiceDeps {
  journal: Journal;
  /** The jobs' store; default: its tables beside the journal, through a connection of its own. */
  store?: BulkStore;
  mitid: () => MitIdErhvervPort | null;
  /** The link rule of the domain a person (by DN) lives in (Connections.rulesFor). */
  linkRuleFor: (dn: string | null) => LinkRule;
  /** Where result files are written. */
  resultDir: string;
  outage?: Partial<OutagePolicy>;
  logError?: (e: unknown) => void;
  /** How long an awaiting row rests between looks (default: the create guard's interval between counted searches). */
  recheckMs?: number;
}

export interface Actor {
  operator: Operator;
  workstation: string;
}

const defaultOutage: OutagePolicy = { baseDelayMs: 2_000, maxDelayMs: 30_000, pauseAfter: 6 };

function mitidOrFail(mitid: MitIdErhvervPort | null): MitIdErhvervPort {
  if (!mitid) throw new ConsoleError('unavailable-mitid', 'MitID Erhverv er ikke sat op. Udfyld forbindelsen under Indstillinger, før en masseopgave kan køre.').withKey('mitidNotConfigured');
  return mitid;
}

const stateDa: Record<string, string> = {
  planned: 'er kun planlagt',
  running: 'kører',
  pausing: 'er ved at gå på pause',
  paused: 'er sat på pause',
  cancelling: 'er ved at blive annulleret',
  cancelled: 'er annulleret',
  completed: 'er afsluttet',
};

export function createBulkService(deps: BulkServiceDeps) {
  const store = deps.store ?? openBulkStore(deps.journal.file);
  const outage: OutagePolicy = { ...defaultOutage, ...deps.outage };
  const logError = deps.logError ?? ((e: unknown) => console.error('Masseopgave fejlede:', e));
  const runs = new Map<string, BulkRun>();

  const mustGet = (jobId: string): BulkJobRecord => {
    const job = store.getJob(jobId);
    if (!job) throw new ConsoleError('not-found', 'Masseopgaven findes ikke.').withKey('bulkJobMissing');
    return job;
  };
  const conflict = (job: BulkJobRecord, what: string): never => {
    throw new ConsoleError('conflict', `Opgaven kan ikke ${what}: den ${stateDa[job.state] ?? job.state}.`, { state: job.state }).withKey('bulkJobState', { state: job.state });
  };
  const view = (jobId: string): BulkJobView => store.view(mustGet(jobId));

  /**
   * The job's own story in the journal, under the job's id as correlation id: started, paused, resumed,
   * cancelled, retried, interrupted, completed — next to every row's records. (The operations themselves
   * are journaled by the dispatcher too, with the job id in their input.)
   */
  const event = (job: BulkJobRecord, event: string, summary: Record<string, unknown> = {}, by?: Actor, reason?: string) => {
    const operator = by?.operator ?? job.operator;
    if (!operator) return;
    deps.journal.append({
      kind: 'event',
      operation: 'bulk.job',
      operator,
      workstation: by?.workstation ?? job.workstation ?? 'ukendt',
      correlationId: job.id,
      target: null,
      reason: reason ?? job.reason,
      outcome: null,
      summary: { job: job.id, event, action: job.action, target: job.targetLabel, counts: store.counts(job.id), ...summary },
    });
  };

  const writeFile = (jobId: string) => {
    const job = mustGet(jobId);
    const file = writeResultFile(deps.resultDir, job, store.allRows(jobId));
    store.setJob(jobId, { resultFile: file.path });
    return file;
  };

  const launch = (jobId: string) => {
    const policy = (deps.mitid() as GuardedMitIdPort | null)?.createGuard?.policy;
    const recheckMs = deps.recheckMs ?? (policy ? Math.max(200, Math.ceil(policy.windowMs / policy.absentSearches)) : 30_000);
    const run = new BulkRun(jobId, {
      store,
      recheckMs,
      journal: deps.journal,
      mitid: deps.mitid,
      linkRuleFor: deps.linkRuleFor,
      outage,
      logError,
      onSettled: (id) => {
        if (runs.get(id) === run) runs.delete(id);
        try {
          const job = store.isOpen() ? store.getJob(id) : null;
          if (job && (job.state === 'completed' || job.state === 'cancelled')) writeFile(id);
        } catch (e) {
          logError(e);
        }
      },
    });
    runs.set(jobId, run);
  };

  // Recover what an earlier process left running (crash, kill, power cut).
  for (const job of store.unfinishedJobs()) {
    const inFlight = store.recoverInFlight(job.id);
    if (job.state === 'cancelling') {
      store.cancelPending(job.id);
      store.setJob(job.id, { state: 'cancelled', finishedAt: new Date().toISOString() });
      event(job, 'cancelled-after-interruption', { inFlight });
      writeFile(job.id);
    } else {
      store.setJob(job.id, {
        state: 'paused',
        pauseCode: 'interrupted',
        ...(job.state === 'pausing' && job.pauseMessage
          ? { pauseMessage: job.pauseMessage, pauseDetail: job.pauseDetail }
          : {
              pauseMessage: `Konsollen blev lukket, mens opgaven kørte. Genoptag den for at fortsætte: færdige rækker gentages ikke, og ${inFlight} række(r), der var i gang, slås op i MitID Erhverv før noget sendes igen.`,
              pauseDetail: { code: 'interrupted', params: { inFlight } },
            }),
      });
      event(job, 'interrupted', { inFlight });
    }
  }

  return {
    async targets(session: DirectorySession, scope: Scope = null): Promise<{ ous: Array<{ dn: string; label: string; people: number }> }> {
      const counts = new Map<string, number>();
      for (const p of await loadAllPeople(session)) {
        if (!inScope(scope, p.dn)) continue;
        // Every OU on the way up counts the person: an OU's job includes its sub-OUs.
        let ou = parentDn(p.dn);
        while (ou && /^OU=/i.test(ou)) {
          counts.set(ou, (counts.get(ou) ?? 0) + 1);
          ou = parentDn(ou);
        }
      }
      const ous = [...counts].map(([dn, people]) => ({ dn, label: ouLabel(dn), people }));
      ous.sort((a, b) => a.label.localeCompare(b.label, 'da'));
      return { ous };
    },

    /** The dry run: validates every row and stores the plan as a job in state "planned". */
    async plan(session: DirectorySession, operator: Operator, action: BulkAction, target: BulkTarget, scope: Scope = null, targetLabel?: string): Promise<BulkJobView> {
      const mitid = mitidOrFail(deps.mitid());
      const { label: resolvedLabel, candidates: all } = await resolveTarget(session, target);
      // A caller that knows what the people have in common (a drift category) names the job after it.
      const label = targetLabel ?? resolvedLabel;
      // Nobody outside the operator's scope enters a job; to the operator they are not in the directory.
      const candidates = all.map((c) => (c.person && !inScope(scope, c.person.dn) ? { input: c.input, person: null, skip: 'not-in-directory' as const } : c));
      const rows = await planRows(action, candidates, mitid, deps.linkRuleFor);
      const id = randomUUID();
      store.createJob({ id, action, targetKind: target.kind, targetLabel: label, createdBy: operator.username }, rows);
      return view(id);
    },

    list(limit: number, operator: Operator): BulkJobView[] {
      return store.listJobs(limit, operator.domain ? (operator.domain.primary ? null : operator.domain.id) : undefined).map((j) => store.view(j));
    },

    ownJob(jobId: string, operator: Operator): string {
      // Jobs belong to the domain of the operator who planned them: another domain's job does not exist here.
      if (!madeInOwnDomain(operator, mustGet(jobId).createdBy)) throw new ConsoleError('not-found', 'Masseopgaven findes ikke.').withKey('bulkJobMissing');
      return jobId;
    },

    get(jobId: string, states: readonly BulkRowState[], offset: number, limit: number): { job: BulkJobView; rows: BulkRowView[]; matching: number } {
      const job = view(jobId);
      const r = store.rows(jobId, states, offset, limit);
      return { job, rows: r.rows.map(rowView), matching: r.matching };
    },

    start(jobId: string, actor: Actor, reason: string, concurrency: number): BulkJobView {
      const job = mustGet(jobId);
      if (job.state !== 'planned') conflict(job, 'startes');
      mitidOrFail(deps.mitid());
      const counts = store.counts(jobId);
      store.setJob(jobId, {
        state: counts.pending > 0 ? 'running' : 'completed',
        operator: actor.operator,
        workstation: actor.workstation,
        reason,
        concurrency,
        startedAt: new Date().toISOString(),
        ...(counts.pending > 0 ? {} : { finishedAt: new Date().toISOString() }),
      });
      event(job, 'started', { concurrency }, actor, reason);
      if (counts.pending > 0) launch(jobId);
      else writeFile(jobId);
      return view(jobId);
    },

    pause(jobId: string, actor: Actor, reason: string): BulkJobView {
      const job = mustGet(jobId);
      if (job.state !== 'running') conflict(job, 'sættes på pause');
      const message = `Sat på pause af ${actor.operator.displayName}: ${reason}`;
      const run = runs.get(jobId);
      store.setJob(jobId, { state: run ? 'pausing' : 'paused', pauseCode: 'operator', pauseMessage: message, pauseDetail: { code: 'operator', params: { by: actor.operator.displayName, reason } } });
      event(job, 'paused', {}, actor, reason);
      run?.stop();
      return view(jobId);
    },

    resume(jobId: string, actor: Actor, reason: string): BulkJobView {
      const job = mustGet(jobId);
      if (job.state !== 'paused' || runs.has(jobId)) conflict(job, 'genoptages');
      mitidOrFail(deps.mitid());
      store.recoverInFlight(jobId);
      // The rows run from now on are journaled under the operator who resumed, with their reason.
      store.setJob(jobId, { state: 'running', operator: actor.operator, workstation: actor.workstation, reason, pauseCode: null, pauseMessage: null, pauseDetail: null });
      event(job, 'resumed', { after: job.pauseCode }, actor, reason);
      launch(jobId);
      return view(jobId);
    },

    cancel(jobId: string, actor: Actor, reason: string): BulkJobView {
      const job = mustGet(jobId);
      const run = runs.get(jobId);
      if (job.state === 'running' || job.state === 'pausing') {
        store.setJob(jobId, { state: 'cancelling', pauseMessage: `Annulleret af ${actor.operator.displayName}: ${reason}` });
        run?.stop();
        if (!run) {
          store.cancelPending(jobId);
          store.setJob(jobId, { state: 'cancelled', finishedAt: new Date().toISOString() });
          writeFile(jobId);
        }
      } else if (job.state === 'planned' || job.state === 'paused') {
        store.recoverInFlight(jobId);
        store.cancelPending(jobId);
        store.setJob(jobId, { state: 'cancelled', finishedAt: new Date().toISOString(), pauseMessage: `Annulleret af ${actor.operator.displayName}: ${reason}` });
        writeFile(jobId);
      } else {
        conflict(job, 'annulleres');
      }
      event(job, 'cancel-requested', {}, actor, reason);
      return view(jobId);
    },

    /** A note on the job, any time after it was planned; the job itself is not touched. */
    addNote(jobId: string, actor: Actor, text: string): BulkJobView {
      const job = mustGet(jobId);
      store.addNote(jobId, { at: new Date().toISOString(), by: actor.operator.displayName, text });
      event(job, 'note', {}, actor, text);
      return view(jobId);
    },

    /** Failed rows back to pending; a finished job runs again for just those rows. */
    retryFailed(jobId: string, actor: Actor, reason: string, seqs?: number[]): { job: BulkJobView; retried: number } {
      const job = mustGet(jobId);
      if (!['completed', 'cancelled', 'paused'].includes(job.state) || runs.has(jobId)) conflict(job, 'køre fejlede rækker igen');
      mitidOrFail(deps.mitid());
      const retried = store.retryFailed(jobId, seqs);
      if (retried === 0) throw new ConsoleError('validation', 'Der er ingen fejlede rækker at prøve igen.').withKey('bulkNothingToRetry');
      event(job, 'retry-failed', { retried, seqs: seqs ?? 'alle' }, actor, reason);
      if (job.state !== 'paused') {
        store.setJob(jobId, { state: 'running', operator: actor.operator, workstation: actor.workstation, reason, finishedAt: null, pauseCode: null, pauseMessage: null, pauseDetail: null });
        launch(jobId);
      }
      return { job: view(jobId), retried };
    },

    resultFile(jobId: string): { path: string; fileName: string; csv: string } {
      return writeFile(jobId);
    },

    /** Resolves when this process no longer runs the job (tests, shutdown). */
    async whenIdle(jobId: string): Promise<void> {
      await runs.get(jobId)?.done;
    },

    /** Stop taking rows in every job (shutdown); the jobs stay "running" on disk and recover as interrupted. */
    async stopAll(): Promise<void> {
      const all = [...runs.values()];
      for (const r of all) r.stop();
      await Promise.all(all.map((r) => r.done));
    },
  };
}

export type BulkService = ReturnType<typeof createBulkService>;
