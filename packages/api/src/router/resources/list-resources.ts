import { viewerProcedure } from '../../trpc.ts';
import { listResources } from '../../services/resources.ts';
import { ZListResourcesInput, ZListResourcesOutput } from './list-resources.types.ts';

export const listResourcesRoute = viewerProcedure
  .input(ZListResourcesInput)
  .output(ZListResourcesOutput)
  .query(async ({ ctx, input }) => ({ items: await listResources(ctx, input.integrationId) }));
