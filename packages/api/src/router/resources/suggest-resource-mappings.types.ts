import { z } from 'zod';
import { ZFieldDescriptor } from './list-resources.types.ts';

export const ZSuggestResourceMappingsInput = z.object({ resourceId: z.uuid() });
export type TSuggestResourceMappingsInput = z.infer<typeof ZSuggestResourceMappingsInput>;

export const ZSuggestResourceMappingsOutput = z.object({
  /** False until a discovery (resources.discoverFields, or the worker's drift check) has listed the fields. */
  discovered: z.boolean(),
  fields: z.array(ZFieldDescriptor),
  localColumns: z.array(z.string()),
  /** Local columns paired with external fields of the same normalised name ("Full Name" ~ full_name). */
  suggestions: z.array(
    z.object({
      local: z.string(),
      external: z.string(),
      type: ZFieldDescriptor.shape.type,
      /** The resource's mappings already use this local column or external field. */
      alreadyMapped: z.boolean(),
    }),
  ),
});
export type TSuggestResourceMappingsOutput = z.infer<typeof ZSuggestResourceMappingsOutput>;
