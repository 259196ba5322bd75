import { staffProcedure } from '../../trpc.ts';
import { retryRun } from '../../services/jobs.ts';
import { ZRetryJobRunInput, ZRetryJobRunOutput } from './retry-job-run.types.ts';

export const retryJobRunRoute = staffProcedure
  .input(ZRetryJobRunInput)
  .output(ZRetryJobRunOutput)
  .mutation(({ ctx, input }) => retryRun(ctx, { userId: ctx.user.id, ip: ctx.ip }, input));
