import type { bulkOps } from '../../../shared/operations/bulk.ts';
import type { Call, FeatureService } from '../../ports.ts';
import type { BulkService } from './index.ts';

/** Masseopgaver as operations: the bulk service (planning, the resumable runner) behind the contract. */
export function bulkOperations(bulk: BulkService): FeatureService<typeof bulkOps> {
  const actor = (ctx: Call) => ({ operator: ctx.requireSession().operator, workstation: ctx.workstation });

  return {
    'bulk.targets': async (_input, ctx) => bulk.targets(ctx.requireSession().directory, ctx.scope),

    'bulk.plan': async (input, ctx) => {
      const s = ctx.requireSession();
      return { job: await bulk.plan(s.directory, s.operator, input.action, input.target, ctx.scope) };
    },

    'bulk.list': async (input) => ({ jobs: bulk.list(input.limit) }),

    'bulk.get': async (input) => bulk.get(input.jobId, input.states, input.offset, input.limit),

    'bulk.start': async (input, ctx) => ({ job: bulk.start(input.jobId, actor(ctx), input.reason, input.concurrency) }),

    'bulk.pause': async (input, ctx) => ({ job: bulk.pause(input.jobId, actor(ctx), input.reason) }),

    'bulk.resume': async (input, ctx) => ({ job: bulk.resume(input.jobId, actor(ctx), input.reason) }),

    'bulk.cancel': async (input, ctx) => ({ job: bulk.cancel(input.jobId, actor(ctx), input.reason) }),

    'bulk.addNote': async (input, ctx) => ({ job: bulk.addNote(input.jobId, actor(ctx), input.reason) }),

    'bulk.retryFailed': async (input, ctx) => bulk.retryFailed(input.jobId, actor(ctx), input.reason, input.seqs),

    'bulk.resultFile': async (input) => bulk.resultFile(input.jobId),
  };
}
