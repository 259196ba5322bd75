import { JobStatus, JobType } from '@syncbridge/db';
import { cleanupOldRecords } from '@syncbridge/engine';
import { ZScheduledJob } from '@syncbridge/engine';
import type { JobHandler } from './context.ts';

/** Sync logs, job history and handled webhook events are kept this long (DESIGN.md, Queue). */
export const RETENTION_DAYS = 90;

/**
 * Daily housekeeping. Deleting is idempotent, so a retried attempt simply deletes again; the run
 * is recorded once per pg-boss job as a CLEANUP execution, visible in the job history.
 */
export const runCleanup: JobHandler = async (job, { engine, logger }) => {
  const startedAt = new Date();
  const { trigger } = ZScheduledJob.parse(job.data ?? {});
  job.signal.throwIfAborted();
  const removed = await cleanupOldRecords(engine, RETENTION_DAYS);
  logger.info({ ...removed, retentionDays: RETENTION_DAYS }, 'old records removed');
  const recorded = await engine.prisma.jobExecution.findFirst({ where: { queueJobId: job.id }, select: { id: true } });
  if (recorded) return;
  const completedAt = new Date();
  await engine.prisma.jobExecution.create({
    data: {
      jobType: JobType.CLEANUP,
      status: JobStatus.COMPLETED,
      trigger,
      queueJobId: job.id,
      retryCount: job.retryCount,
      removed: removed.logs + removed.jobs + removed.webhooks,
      startedAt,
      completedAt,
      durationMs: completedAt.getTime() - startedAt.getTime(),
    },
  });
};
