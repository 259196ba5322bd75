import { viewerProcedure } from '../../trpc.ts';
import { listSyncLogs } from '../../services/sync-logs.ts';
import { ZListLogsInput, ZListLogsOutput } from './list-logs.types.ts';

export const listLogsRoute = viewerProcedure
  .input(ZListLogsInput)
  .output(ZListLogsOutput)
  .query(({ ctx, input }) => listSyncLogs(ctx.prisma, input));
