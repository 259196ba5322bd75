import { viewerProcedure } from '../../trpc.ts';
import { getSyncLog } from '../../services/sync-logs.ts';
import { ZGetLogInput, ZGetLogOutput } from './get-log.types.ts';

export const getLogRoute = viewerProcedure
  .input(ZGetLogInput)
  .output(ZGetLogOutput)
  .query(({ ctx, input }) => getSyncLog(ctx.prisma, input.id));
