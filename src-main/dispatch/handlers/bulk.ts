import { join } from 'node:path';
import type { bulkOps } from '../../../shared/operations/bulk.ts';
import { createBulkService } from '../../services/bulk/index.ts';
import type { HandlerContext } from '../dispatcher.ts';
import type { FeatureHandlers, HandlerDeps } from './types.ts';

export function bulkHandlers({ core }: HandlerDeps): FeatureHandlers<typeof bulkOps> {
  // One service per core, made when the core starts: it recovers jobs an earlier process left running.
  const bulk = createBulkService({
    journal: core.journal,
    mitid: () => core.connections().mitid,
    linkRule: () => core.connections().linkRule,
    // Next to the evidence packages, in the console's data folder.
    resultDir: join(core.dataDir, 'bulk'),
  });
  // A running job stops between rows; its in-flight rows are recovered at the next start.
  core.onClose(() => bulk.stopAll());
  const actor = (ctx: HandlerContext) => ({ operator: ctx.requireSession().operator, workstation: ctx.call.workstation });

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

    'bulk.retryFailed': async (input, ctx) => bulk.retryFailed(input.jobId, actor(ctx), input.reason, input.seqs),

    'bulk.resultFile': async (input) => bulk.resultFile(input.jobId),
  };
}
