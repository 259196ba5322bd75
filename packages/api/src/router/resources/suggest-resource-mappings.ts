import { viewerProcedure } from '../../trpc.ts';
import { suggestResourceMappings } from '../../services/resources.ts';
import { ZSuggestResourceMappingsInput, ZSuggestResourceMappingsOutput } from './suggest-resource-mappings.types.ts';

// VIEWER: it reads the fields the last discovery stored and calls nothing external.
export const suggestResourceMappingsRoute = viewerProcedure
  .input(ZSuggestResourceMappingsInput)
  .output(ZSuggestResourceMappingsOutput)
  .query(({ ctx, input }) => suggestResourceMappings(ctx, input.resourceId));
