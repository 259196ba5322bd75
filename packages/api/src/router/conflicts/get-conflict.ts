import { viewerProcedure } from '../../trpc.ts';
import { getConflict } from '../../services/conflicts.ts';
import { ZGetConflictInput, ZGetConflictOutput } from './get-conflict.types.ts';

export const getConflictRoute = viewerProcedure
  .input(ZGetConflictInput)
  .output(ZGetConflictOutput)
  .query(({ ctx, input }) => getConflict(ctx.prisma, input.id));
