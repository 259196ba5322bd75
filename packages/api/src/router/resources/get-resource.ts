import { viewerProcedure } from '../../trpc.ts';
import { getResource } from '../../services/resources.ts';
import { ZGetResourceInput, ZGetResourceOutput } from './get-resource.types.ts';

export const getResourceRoute = viewerProcedure
  .input(ZGetResourceInput)
  .output(ZGetResourceOutput)
  .query(({ ctx, input }) => getResource(ctx, input.id));
