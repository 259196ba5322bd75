import { z } from 'zod';
import { ZResourceSettings } from './create-resource.types.ts';
import { ZResource } from './list-resources.types.ts';

/** Only the fields given change; null clears a nullable one (frequency, conflict strategy, …). */
export const ZUpdateResourceInput = ZResourceSettings.partial().extend({ id: z.uuid() });
export type TUpdateResourceInput = z.infer<typeof ZUpdateResourceInput>;

export const ZUpdateResourceOutput = ZResource;
export type TUpdateResourceOutput = z.infer<typeof ZUpdateResourceOutput>;
