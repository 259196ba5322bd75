import { adminProcedure } from '../../trpc.ts';
import { confirmMassDelete } from '../../services/jobs.ts';
import { ZConfirmMassDeleteInput, ZConfirmMassDeleteOutput } from './confirm-mass-delete.types.ts';

// ADMIN, not STAFF: confirming removes many local records at once (per the resource's delete
// policy) and cannot be undone from here; it is a data-ownership decision, not a routine operation.
export const confirmMassDeleteRoute = adminProcedure
  .input(ZConfirmMassDeleteInput)
  .output(ZConfirmMassDeleteOutput)
  .mutation(({ ctx, input }) => confirmMassDelete(ctx, { userId: ctx.user.id, ip: ctx.ip }, input));
