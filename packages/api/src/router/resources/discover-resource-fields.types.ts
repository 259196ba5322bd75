import { z } from 'zod';
import { ZFieldDescriptor } from './list-resources.types.ts';

export const ZDiscoverResourceFieldsInput = z.object({ resourceId: z.uuid() });
export type TDiscoverResourceFieldsInput = z.infer<typeof ZDiscoverResourceFieldsInput>;

export const ZLocalColumn = z.object({
  name: z.string(),
  dataType: z.string(),
  nullable: z.boolean(),
  hasDefault: z.boolean(),
});

export const ZDiscoverResourceFieldsOutput = z.object({
  /** Fields the external object has now, as the connector reports them. */
  fields: z.array(ZFieldDescriptor),
  /** Changes since the previous discovery (also raised as a SCHEMA_DRIFT alert); null when none or first look. */
  drift: z
    .object({ added: z.array(z.string()), removed: z.array(z.string()), brokenMappings: z.array(z.string()) })
    .nullable(),
  /** Columns of the resource's local table, in table order. */
  localColumns: z.array(ZLocalColumn),
});
export type TDiscoverResourceFieldsOutput = z.infer<typeof ZDiscoverResourceFieldsOutput>;
