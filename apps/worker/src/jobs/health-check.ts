import { JobStatus, JobType } from '@syncbridge/db';
import { ZScheduledJob } from '@syncbridge/engine';
import type { JobHandler } from './context.ts';

/**
 * The periodic health check. For now it proves the loop works end to end (the schedule fired, a
 * worker took the job, the database took a write) by recording a JobExecution; per-integration
 * connection checks join it with the connectors.
 */
export const runHealthCheck: JobHandler = async (job, { db, logger }) => {
  const startedAt = new Date();
  const { trigger } = ZScheduledJob.parse(job.data ?? {});
  // At-least-once delivery: a retry of an attempt that already recorded its run must not add a row.
  const recorded = await db.prisma.jobExecution.findFirst({ where: { queueJobId: job.id }, select: { id: true } });
  if (recorded) {
    logger.info({ jobId: job.id }, 'health check already recorded for this job');
    return;
  }
  const completedAt = new Date();
  await db.prisma.jobExecution.create({
    data: {
      jobType: JobType.HEALTH_CHECK,
      status: JobStatus.COMPLETED,
      trigger,
      queueJobId: job.id,
      retryCount: job.retryCount,
      startedAt,
      completedAt,
      durationMs: completedAt.getTime() - startedAt.getTime(),
    },
  });
};
