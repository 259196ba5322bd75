import { viewerProcedure } from '../../trpc.ts';
import { getJob } from '../../services/jobs.ts';
import { ZGetJobInput, ZGetJobOutput } from './get-job.types.ts';

export const getJobRoute = viewerProcedure
  .input(ZGetJobInput)
  .output(ZGetJobOutput)
  .query(({ ctx, input }) => getJob(ctx, input));
