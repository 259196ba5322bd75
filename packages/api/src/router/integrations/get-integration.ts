import { viewerProcedure } from '../../trpc.ts';
import { getIntegrationSummary } from '../../services/integrations.ts';
import { ZGetIntegrationInput, ZGetIntegrationOutput } from './get-integration.types.ts';

export const getIntegrationRoute = viewerProcedure
  .input(ZGetIntegrationInput)
  .output(ZGetIntegrationOutput)
  .query(({ ctx, input }) => getIntegrationSummary(ctx, input.id));
