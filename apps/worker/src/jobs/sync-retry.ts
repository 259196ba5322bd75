import { failAbandonedRuns, promoteDueRetries, ZScheduledJob } from '@syncbridge/engine';
import type { JobHandler } from './context.ts';

/**
 * Every minute: records whose retry time has come go back into the outbox, and the NOTIFY that
 * comes with them wakes the realtime drainer, which pushes them (in whichever worker gets there).
 * Also ends runs that a dead worker left RUNNING.
 */
export const runRetryPromotion: JobHandler = async (job, { engine, logger }) => {
  ZScheduledJob.parse(job.data ?? {});
  job.signal.throwIfAborted();
  const promoted = await promoteDueRetries(engine);
  if (promoted > 0) logger.info({ promoted }, 'due retries moved to the outbox');
  // A worker that died mid-run (while others kept running) leaves its run RUNNING: ended here.
  await failAbandonedRuns(engine);
};
