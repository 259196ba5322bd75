import { z } from 'zod';
import { ZSyncLogItem } from './list-logs.types.ts';

export const ZGetLogInput = z.object({ id: z.uuid() });
export type TGetLogInput = z.infer<typeof ZGetLogInput>;

export const ZGetLogOutput = ZSyncLogItem.extend({
  /** Debug snapshots; secret-looking keys carry a mask instead of their value. */
  requestPayload: z.unknown(),
  responsePayload: z.unknown(),
});
export type TGetLogOutput = z.infer<typeof ZGetLogOutput>;
