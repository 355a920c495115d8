import { randomUUID } from 'node:crypto';
import { ConsoleError, type ErrorPayload } from '../../../shared/errors.ts';
import { runInBackground } from '../../background.ts';
import type { JobPhase } from '../../../shared/operations/audit.ts';

export interface JobProgress {
  phase: JobPhase;
  done: number;
  total: number | null;
}

export interface JobView {
  id: string;
  kind: string;
  owner: string;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: JobProgress;
  startedAt: string;
  finishedAt: string | null;
  result: unknown;
  error: ErrorPayload | null;
}

export interface JobContext {
  signal: AbortSignal;
  progress(p: JobProgress): void;
}

/**
 * Long work (exports, bulk runs) runs as a job: the call that starts it returns at once with an id, the
 * UI polls progress and may cancel. Jobs are visible only to the operator who started them.
 */
export function createJobRegistry(toPayload: (e: unknown) => ErrorPayload) {
  const jobs = new Map<string, JobView & { controller: AbortController }>();

  const view = ({ controller: _c, ...v }: JobView & { controller: AbortController }): JobView => ({ ...v, progress: { ...v.progress } });

  return {
    start(kind: string, owner: string, work: (ctx: JobContext) => Promise<unknown>): JobView {
      const controller = new AbortController();
      const job: JobView & { controller: AbortController } = {
        id: randomUUID(),
        kind,
        owner,
        state: 'running',
        progress: { phase: 'start', done: 0, total: null },
        startedAt: new Date().toISOString(),
        finishedAt: null,
        result: null,
        error: null,
        controller,
      };
      jobs.set(job.id, job);
      // Not awaited: the caller gets the job's id at once and polls its state, which holds the outcome.
      runInBackground(`Baggrundsjobbet ${job.id}`, work({ signal: controller.signal, progress: (p) => (job.progress = p) }).then(
        (result) => {
          job.state = controller.signal.aborted ? 'cancelled' : 'succeeded';
          job.result = controller.signal.aborted ? null : result;
          job.finishedAt = new Date().toISOString();
        },
        (e: unknown) => {
          job.state = controller.signal.aborted ? 'cancelled' : 'failed';
          job.error = controller.signal.aborted ? null : toPayload(e);
          job.finishedAt = new Date().toISOString();
        },
      ));
      return view(job);
    },
    get(id: string, owner: string): JobView {
      const job = jobs.get(id);
      if (!job || job.owner !== owner) throw new ConsoleError('not-found', 'Opgaven findes ikke.').withKey('jobMissing');
      return view(job);
    },
    cancel(id: string, owner: string): JobView {
      const job = jobs.get(id);
      if (!job || job.owner !== owner) throw new ConsoleError('not-found', 'Opgaven findes ikke.').withKey('jobMissing');
      job.controller.abort();
      return view(job);
    },
  };
}

export type JobRegistry = ReturnType<typeof createJobRegistry>;
