import { staffProcedure } from '../../trpc.ts';
import { cancelJob } from '../../services/jobs.ts';
import { ZCancelJobInput, ZCancelJobOutput } from './cancel-job.types.ts';

export const cancelJobRoute = staffProcedure
  .input(ZCancelJobInput)
  .output(ZCancelJobOutput)
  .mutation(({ ctx, input }) => cancelJob(ctx, ctx.sendJob, { userId: ctx.user.id, ip: ctx.ip }, input.id));
