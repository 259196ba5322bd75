import { claimDueIntegrations } from '@syncbridge/engine';
import { ZScheduledJob, enqueueIntegrationSync } from '@syncbridge/engine';
import type { JobHandler } from './context.ts';

/**
 * Every minute: claims the integrations whose next sync is due (the claim moves next_sync_at on,
 * so two dispatchers never claim one twice) and asks for one run of each. A claim whose run is
 * already waiting adds nothing: the waiting run covers it.
 */
export const runSyncDispatch: JobHandler = async (job, { engine, queue, logger }) => {
  ZScheduledJob.parse(job.data ?? {});
  job.signal.throwIfAborted();
  const claimed = await claimDueIntegrations(engine);
  let queued = 0;
  for (const integrationId of claimed) {
    const sent = await enqueueIntegrationSync(queue, { integrationId, trigger: 'schedule' });
    if (sent.queued) queued++;
    else logger.debug({ integrationId }, 'a run of this integration is already waiting');
  }
  if (claimed.length > 0) logger.info({ claimed: claimed.length, queued }, 'due integrations dispatched');
};
