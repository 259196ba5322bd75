import { viewerProcedure } from '../../trpc.ts';
import { listIntegrationSummariesWithHealth } from '../../services/integration-summaries.ts';
import { ZListIntegrationsInput, ZListIntegrationsOutput } from './list-integrations.types.ts';

export const listIntegrationsRoute = viewerProcedure
  .input(ZListIntegrationsInput)
  .output(ZListIntegrationsOutput)
  .query(async ({ ctx, input }) => {
    // The output schema strips unknown keys as well: a second guard on top of the select.
    return { items: await listIntegrationSummariesWithHealth(ctx, input ?? {}) };
  });
