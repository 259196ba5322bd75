import { viewerProcedure } from '../../trpc.ts';
import { integrationHealth } from '../../services/alerts.ts';
import { ZGetHealthInput, ZGetHealthOutput } from './get-health.types.ts';

export const getHealthRoute = viewerProcedure
  .input(ZGetHealthInput)
  .output(ZGetHealthOutput)
  .query(async ({ ctx, input }) => ({ items: await integrationHealth(ctx, input) }));
