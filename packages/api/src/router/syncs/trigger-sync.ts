import { staffProcedure } from '../../trpc.ts';
import { triggerSync } from '../../services/syncs.ts';
import { ZTriggerSyncInput, ZTriggerSyncOutput } from './trigger-sync.types.ts';

export const triggerSyncRoute = staffProcedure
  .input(ZTriggerSyncInput)
  .output(ZTriggerSyncOutput)
  .mutation(({ ctx, input }) => triggerSync(ctx, ctx.sendJob, { userId: ctx.user.id, ip: ctx.ip }, input));
