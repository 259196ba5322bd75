import { viewerProcedure } from '../../trpc.ts';
import { listPendingMassDeletes } from '../../services/jobs.ts';
import { ZListPendingMassDeletesOutput } from './list-pending-mass-deletes.types.ts';

export const listPendingMassDeletesRoute = viewerProcedure
  .output(ZListPendingMassDeletesOutput)
  .query(async ({ ctx }) => ({ items: await listPendingMassDeletes(ctx) }));
