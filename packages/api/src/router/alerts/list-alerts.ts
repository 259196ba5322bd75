import { viewerProcedure } from '../../trpc.ts';
import { listAlerts } from '../../services/alerts.ts';
import { ZListAlertsInput, ZListAlertsOutput } from './list-alerts.types.ts';

export const listAlertsRoute = viewerProcedure
  .input(ZListAlertsInput)
  .output(ZListAlertsOutput)
  .query(({ ctx, input }) => listAlerts(ctx, input));
