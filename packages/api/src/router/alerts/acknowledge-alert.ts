import { staffProcedure } from '../../trpc.ts';
import { acknowledgeAlert } from '../../services/alerts.ts';
import { ZAcknowledgeAlertInput, ZAcknowledgeAlertOutput } from './acknowledge-alert.types.ts';

export const acknowledgeAlertRoute = staffProcedure
  .input(ZAcknowledgeAlertInput)
  .output(ZAcknowledgeAlertOutput)
  .mutation(({ ctx, input }) => acknowledgeAlert(ctx, { userId: ctx.user.id, ip: ctx.ip }, input.id));
