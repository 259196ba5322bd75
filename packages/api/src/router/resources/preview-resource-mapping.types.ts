import { z } from 'zod';

export const ZPreviewResourceMappingInput = z.object({
  resourceId: z.uuid(),
  /** Mappings to try (the form's unsaved state); the resource's saved mappings when absent. */
  mapping: z.array(z.record(z.string(), z.unknown())).max(500).optional(),
  /** The record to map: a local row (toExternal) or external fields (toLocal). */
  sample: z.record(z.string(), z.unknown()).optional(),
  /** Without a sample: the local row with this key (else the first row by key). */
  sampleKey: z.string().min(1).max(200).optional(),
  /** Default: toLocal for PULL resources, toExternal otherwise. */
  direction: z.enum(['toExternal', 'toLocal']).optional(),
});
export type TPreviewResourceMappingInput = z.infer<typeof ZPreviewResourceMappingInput>;

export const ZMappingPreviewError = z.object({
  /** Index in the mapping list; null for a problem with the list itself. */
  index: z.number().int().nullable(),
  external: z.string().nullable(),
  /** Where, in form terms: `fieldMappings.2.transform.expression`. */
  path: z.string(),
  message: z.string(),
});

export const ZPreviewResourceMappingOutput = z.object({
  direction: z.enum(['toExternal', 'toLocal']),
  sampleSource: z.enum(['given', 'table', 'none']),
  /** The record that was mapped (secret-looking columns removed); null when the table is empty. */
  sample: z.record(z.string(), z.unknown()).nullable(),
  /** What the mappings that worked produce; null without a sample. */
  output: z.record(z.string(), z.unknown()).nullable(),
  errors: z.array(ZMappingPreviewError),
  ok: z.boolean(),
});
export type TPreviewResourceMappingOutput = z.infer<typeof ZPreviewResourceMappingOutput>;
