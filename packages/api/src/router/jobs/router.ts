import { router } from '../../trpc.ts';
import { cancelJobRoute } from './cancel-job.ts';
import { confirmMassDeleteRoute } from './confirm-mass-delete.ts';
import { getJobRoute } from './get-job.ts';
import { listJobsRoute } from './list-jobs.ts';
import { listPendingMassDeletesRoute } from './list-pending-mass-deletes.ts';
import { retryJobItemRoute } from './retry-job-item.ts';
import { retryJobRunRoute } from './retry-job-run.ts';

export const jobsRouter = router({
  list: listJobsRoute,
  get: getJobRoute,
  cancel: cancelJobRoute,
  retryItem: retryJobItemRoute,
  retryRun: retryJobRunRoute,
  pendingMassDeletes: listPendingMassDeletesRoute,
  confirmMassDelete: confirmMassDeleteRoute,
});
