import { viewerProcedure } from '../../trpc.ts';
import { listConflicts } from '../../services/conflicts.ts';
import { ZListConflictsInput, ZListConflictsOutput } from './list-conflicts.types.ts';

export const listConflictsRoute = viewerProcedure
  .input(ZListConflictsInput)
  .output(ZListConflictsOutput)
  .query(({ ctx, input }) => listConflicts(ctx.prisma, input));
