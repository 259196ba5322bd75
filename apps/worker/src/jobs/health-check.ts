import { JobStatus, JobType } from '@syncbridge/db';
import { checkSchemaDrift, evaluateAlertRules, ZScheduledJob } from '@syncbridge/engine';
import type { JobHandler } from './context.ts';

/**
 * The periodic health check: looks for schema drift on every active resource whose connector can
 * list its fields (a column added or removed outside becomes an alert), evaluates the alert rules
 * and sends new alerts to the configured channels, and records the run.
 */
export const runHealthCheck: JobHandler = async (job, { db, logger, engine, alertChannels }) => {
  const startedAt = new Date();
  const { trigger } = ZScheduledJob.parse(job.data ?? {});
  // At-least-once delivery: a retry of an attempt that already recorded its run must not add a row.
  const recorded = await db.prisma.jobExecution.findFirst({ where: { queueJobId: job.id }, select: { id: true } });
  if (recorded) {
    logger.info({ jobId: job.id }, 'health check already recorded for this job');
    return;
  }
  const drift = await checkSchemaDrift(engine);
  if (drift.drifted > 0 || drift.failed > 0) logger.warn(drift, 'schema drift check found changes or failures');
  // Rules honour their cooldowns and each alert is notified once, so a retried attempt repeats nothing.
  const alerts = await evaluateAlertRules(engine, { channels: alertChannels ?? null });
  if (alerts.raised.length > 0 || alerts.notified.length > 0) {
    logger.info({ raised: alerts.raised.length, notified: alerts.notified.length }, 'alert rules evaluated');
  }
  const completedAt = new Date();
  await db.prisma.jobExecution.create({
    data: {
      jobType: JobType.HEALTH_CHECK,
      status: JobStatus.COMPLETED,
      trigger,
      processed: drift.checked,
      failed: drift.failed,
      errorDetails: drift.drifted > 0 ? { drifted: drift.drifted } : undefined,
      queueJobId: job.id,
      retryCount: job.retryCount,
      startedAt,
      completedAt,
      durationMs: completedAt.getTime() - startedAt.getTime(),
    },
  });
};
