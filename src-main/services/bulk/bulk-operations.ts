import type { bulkOps } from '../../../shared/operations/bulk.ts';
import type { Call, FeatureService } from '../../ports.ts';
import type { BulkService } from './index.ts';

/** Masseopgaver as operations: the bulk service (planning, the resumable runner) behind the contract. */
export function bulkOperations(bulk: BulkService): FeatureService<typeof bulkOps> {
  const actor = (ctx: Call) => ({ operator: ctx.requireSession().operator, workstation: ctx.workstation });
  /** A job of the operator's own domain, by id (another domain's job is not there for them). */
  const mine = (ctx: Call, jobId: string) => bulk.ownJob(jobId, ctx.requireSession().operator);

  return {
    'bulk.targets': async (_input, ctx) => bulk.targets(ctx.requireSession().directory, ctx.scope),

    'bulk.plan': async (input, ctx) => {
      const s = ctx.requireSession();
      return { job: await bulk.plan(s.directory, s.operator, input.action, input.target, ctx.scope) };
    },

    'bulk.list': async (input, ctx) => ({ jobs: bulk.list(input.limit, ctx.requireSession().operator) }),

    'bulk.get': async (input, ctx) => bulk.get(mine(ctx, input.jobId), input.states, input.offset, input.limit),

    'bulk.start': async (input, ctx) => ({ job: bulk.start(mine(ctx, input.jobId), actor(ctx), input.reason, input.concurrency) }),

    'bulk.pause': async (input, ctx) => ({ job: bulk.pause(mine(ctx, input.jobId), actor(ctx), input.reason) }),

    'bulk.resume': async (input, ctx) => ({ job: bulk.resume(mine(ctx, input.jobId), actor(ctx), input.reason) }),

    'bulk.cancel': async (input, ctx) => ({ job: bulk.cancel(mine(ctx, input.jobId), actor(ctx), input.reason) }),

    'bulk.addNote': async (input, ctx) => ({ job: bulk.addNote(mine(ctx, input.jobId), actor(ctx), input.reason) }),

    'bulk.retryFailed': async (input, ctx) => bulk.retryFailed(mine(ctx, input.jobId), actor(ctx), input.reason, input.seqs),

    'bulk.resultFile': async (input, ctx) => bulk.resultFile(mine(ctx, input.jobId)),
  };
}
