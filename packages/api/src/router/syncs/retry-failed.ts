import { staffProcedure } from '../../trpc.ts';
import { retryFailed } from '../../services/syncs.ts';
import { ZRetryFailedInput, ZRetryFailedOutput } from './retry-failed.types.ts';

export const retryFailedRoute = staffProcedure
  .input(ZRetryFailedInput)
  .output(ZRetryFailedOutput)
  .mutation(({ ctx, input }) => retryFailed(ctx, { userId: ctx.user.id, ip: ctx.ip }, input));
