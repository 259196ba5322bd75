import { z } from 'zod';

export const ZRetryJobRunInput = z.object({ jobId: z.uuid() });
export type TRetryJobRunInput = z.infer<typeof ZRetryJobRunInput>;

export const ZRetryJobRunOutput = z.object({
  /** Distinct records the run logged as failed. */
  items: z.number().int(),
  /** Of those, the ones put back in line (records synced since are left alone). */
  requeued: z.number().int(),
});
export type TRetryJobRunOutput = z.infer<typeof ZRetryJobRunOutput>;
