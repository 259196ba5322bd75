import { z } from 'zod';

export const ZRetryFailedInput = z.object({
  resourceId: z.uuid(),
  /** Only these records (local keys); all failed records of the resource when omitted. */
  internalIds: z.array(z.string().min(1)).max(10_000).optional(),
});
export type TRetryFailedInput = z.infer<typeof ZRetryFailedInput>;

export const ZRetryFailedOutput = z.object({ requeued: z.number().int() });
export type TRetryFailedOutput = z.infer<typeof ZRetryFailedOutput>;
