import { z } from 'zod';
import { JobStatus } from '@syncbridge/db';

export const ZCancelJobInput = z.object({ id: z.uuid() });
export type TCancelJobInput = z.infer<typeof ZCancelJobInput>;

export const ZCancelJobOutput = z.object({
  id: z.string(),
  /** CANCELLED for a run that had not started; RUNNING for one asked to stop (it ends as CANCELLED). */
  status: z.enum(JobStatus),
  cancelRequested: z.boolean(),
  /** A queued run's pg-boss job was withdrawn too. */
  queueCancelled: z.boolean(),
});
export type TCancelJobOutput = z.infer<typeof ZCancelJobOutput>;
