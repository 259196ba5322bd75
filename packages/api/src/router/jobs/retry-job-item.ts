import { staffProcedure } from '../../trpc.ts';
import { retryItem } from '../../services/jobs.ts';
import { ZRetryJobItemInput, ZRetryJobItemOutput } from './retry-job-item.types.ts';

export const retryJobItemRoute = staffProcedure
  .input(ZRetryJobItemInput)
  .output(ZRetryJobItemOutput)
  .mutation(({ ctx, input }) => retryItem(ctx, { userId: ctx.user.id, ip: ctx.ip }, input));
