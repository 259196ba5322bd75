import { runIntegration } from '@syncbridge/engine';
import { ZIntegrationSyncJob } from '@syncbridge/engine';
import type { JobHandler } from './context.ts';

/**
 * One run of an integration: every enabled resource, pulls then full pushes, each under its
 * resource lock. Records that failed inside the run are the engine's business (per-record retries,
 * the integration's failure count and backoff through next_sync_at), so the job completes; only an
 * error that stopped the run itself is thrown and retried by pg-boss.
 */
export const runIntegrationSync: JobHandler = async (job, { engine, logger, kickOutbox }) => {
  const { integrationId, trigger, full } = ZIntegrationSyncJob.parse(job.data);
  const integration = await engine.prisma.integration.findUnique({
    where: { id: integrationId },
    select: { id: true },
  });
  if (!integration) {
    logger.warn({ integrationId }, 'integration no longer exists; nothing to sync');
    return;
  }
  const pushed = await engine.prisma.syncResource.findMany({
    where: { integrationId, enabled: true, direction: { not: 'PULL' } },
    select: { id: true },
  });
  let result;
  try {
    result = await runIntegration(engine, integrationId, {
      trigger,
      full,
      jobType: trigger === 'schedule' ? 'SCHEDULED_SYNC' : 'MANUAL_SYNC',
      signal: job.signal,
      queueJobId: job.id,
    });
  } finally {
    for (const { id } of pushed) kickOutbox(id);
  }
  if (result.failed > 0) {
    logger.warn(
      { integrationId, resources: result.resources, failed: result.failed, errors: result.errors },
      'integration run had failures',
    );
  } else {
    logger.info({ integrationId, resources: result.resources }, 'integration run completed');
  }
};
