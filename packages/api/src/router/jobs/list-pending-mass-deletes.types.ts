import { z } from 'zod';

export const ZPendingMassDelete = z.object({
  jobId: z.string(),
  integrationId: z.string().nullable(),
  integrationName: z.string().nullable(),
  resourceId: z.string(),
  resourceName: z.string(),
  /** Records a confirmation would remove. */
  pendingDeletes: z.number().int(),
  /** Records mapped when the run compared. */
  mapped: z.number().int().nullable(),
  /** Up to 20 of the external ids that disappeared. */
  sampleExternalIds: z.array(z.string()),
  message: z.string().nullable(),
  createdAt: z.date(),
});
export type TPendingMassDelete = z.infer<typeof ZPendingMassDelete>;

export const ZListPendingMassDeletesOutput = z.object({ items: z.array(ZPendingMassDelete) });
export type TListPendingMassDeletesOutput = z.infer<typeof ZListPendingMassDeletesOutput>;
