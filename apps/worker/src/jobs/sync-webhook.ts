import { processWebhookEvent, ZWebhookJob } from '@syncbridge/engine';
import type { JobHandler } from './context.ts';

/**
 * A webhook delivery stored by the ingress: parse it with the integration's connector and apply
 * the changes to the matching pull resources. Failing attempts are retried by the queue; the
 * event row keeps the last error for the admin.
 */
export const runWebhookProcessing: JobHandler = async (job, { engine, logger }) => {
  const { eventId } = ZWebhookJob.parse(job.data);
  job.signal.throwIfAborted();
  const result = await processWebhookEvent(engine, eventId);
  logger.info({ eventId, ...result }, 'webhook delivery processed');
};
