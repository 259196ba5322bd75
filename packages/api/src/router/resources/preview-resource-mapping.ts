import { viewerProcedure } from '../../trpc.ts';
import { previewMapping } from '../../services/mapping-preview.ts';
import { ZPreviewResourceMappingInput, ZPreviewResourceMappingOutput } from './preview-resource-mapping.types.ts';

// A query: it only reads (one sample row, the mapping table for lookups) and sends nothing anywhere.
export const previewResourceMappingRoute = viewerProcedure
  .input(ZPreviewResourceMappingInput)
  .output(ZPreviewResourceMappingOutput)
  .query(({ ctx, input }) => previewMapping(ctx, input));
