import { z } from 'zod';
import { ZJobSummary } from './list-jobs.types.ts';

export const ZGetJobInput = z.object({
  id: z.uuid(),
  /** Failed items to return (newest first). */
  failedLimit: z.number().int().min(1).max(500).default(100),
});
export type TGetJobInput = z.infer<typeof ZGetJobInput>;

/** A record that failed in the run, with what it takes to retry it (jobs.retryItem with mappingId). */
export const ZJobFailedItem = z.object({
  logId: z.string(),
  /** The local record's key. */
  recordId: z.string().nullable(),
  externalId: z.string().nullable(),
  /** FAILED: cannot succeed as sent; RETRYING: transient (it may since have run out of attempts). */
  logStatus: z.enum(['FAILED', 'RETRYING']),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  httpStatus: z.number().int().nullable(),
  createdAt: z.date(),
  mappingId: z.string().nullable(),
  /** The record's state now (SYNCED once a later attempt worked). */
  mappingStatus: z.string().nullable(),
  /** jobs.retryItem can put it back in line. */
  retryable: z.boolean(),
});
export type TJobFailedItem = z.infer<typeof ZJobFailedItem>;

export const ZGetJobOutput = ZJobSummary.extend({
  failedItems: z.array(ZJobFailedItem),
  /** All failed items of the run (failedItems holds at most failedLimit of them). */
  failedItemsTotal: z.number().int(),
});
export type TGetJobOutput = z.infer<typeof ZGetJobOutput>;
