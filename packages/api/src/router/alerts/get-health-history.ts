import { viewerProcedure } from '../../trpc.ts';
import { integrationHealthHistory } from '../../services/alerts.ts';
import { ZGetHealthHistoryInput, ZGetHealthHistoryOutput } from './get-health-history.types.ts';

export const getHealthHistoryRoute = viewerProcedure
  .input(ZGetHealthHistoryInput)
  .output(ZGetHealthHistoryOutput)
  .query(({ ctx, input }) =>
    integrationHealthHistory(ctx, input.integrationId, { hours: input.hours, bucketMinutes: input.bucketMinutes }),
  );
