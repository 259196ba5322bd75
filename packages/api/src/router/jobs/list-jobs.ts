import { viewerProcedure } from '../../trpc.ts';
import { listJobs } from '../../services/jobs.ts';
import { ZListJobsInput, ZListJobsOutput } from './list-jobs.types.ts';

export const listJobsRoute = viewerProcedure
  .input(ZListJobsInput)
  .output(ZListJobsOutput)
  .query(({ ctx, input }) => listJobs(ctx, input));
