import { staffProcedure } from '../../trpc.ts';
import { bulkResolveConflicts } from '../../services/conflicts.ts';
import { ZBulkResolveConflictsInput, ZBulkResolveConflictsOutput } from './bulk-resolve-conflicts.types.ts';

export const bulkResolveConflictsRoute = staffProcedure
  .input(ZBulkResolveConflictsInput)
  .output(ZBulkResolveConflictsOutput)
  .mutation(({ ctx, input }) => bulkResolveConflicts(ctx, { userId: ctx.user.id, ip: ctx.ip }, input));
