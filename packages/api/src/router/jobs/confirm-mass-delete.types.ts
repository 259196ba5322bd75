import { z } from 'zod';
import { JobStatus } from '@syncbridge/db';

export const ZConfirmMassDeleteInput = z.object({
  resourceId: z.uuid(),
  /** true: apply the held-back deletes; false: delete nothing and close the run. */
  confirm: z.boolean(),
  /** The run that was reviewed; refused (CONFLICT) when a newer run has replaced it. */
  jobId: z.uuid().optional(),
});
export type TConfirmMassDeleteInput = z.infer<typeof ZConfirmMassDeleteInput>;

export const ZConfirmMassDeleteOutput = z.object({
  jobId: z.string(),
  removed: z.number().int(),
  status: z.enum(JobStatus),
});
export type TConfirmMassDeleteOutput = z.infer<typeof ZConfirmMassDeleteOutput>;
