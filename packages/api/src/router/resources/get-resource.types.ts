import { z } from 'zod';
import { ZResource } from './list-resources.types.ts';

export const ZGetResourceInput = z.object({ id: z.uuid() });
export type TGetResourceInput = z.infer<typeof ZGetResourceInput>;

export const ZGetResourceOutput = ZResource;
export type TGetResourceOutput = z.infer<typeof ZGetResourceOutput>;
