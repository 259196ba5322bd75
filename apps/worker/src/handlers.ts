import { runCleanup } from './jobs/cleanup.ts';
import type { JobHandler } from './jobs/context.ts';
import { runHealthCheck } from './jobs/health-check.ts';
import { runSyncDispatch } from './jobs/sync-dispatch.ts';
import { runIntegrationSync } from './jobs/sync-integration.ts';
import { runResourceSync } from './jobs/sync-resource.ts';
import { runRetryPromotion } from './jobs/sync-retry.ts';
import { runWebhookProcessing } from './jobs/sync-webhook.ts';
import type { QueueName } from './queues.ts';

/** One handler per queue; a queue added to QueueName without one here does not compile. */
export const HANDLERS: { readonly [Name in QueueName]: JobHandler } = {
  'maintenance.health-check': runHealthCheck,
  'maintenance.cleanup': runCleanup,
  'sync.dispatch': runSyncDispatch,
  'sync.integration': runIntegrationSync,
  'sync.resource': runResourceSync,
  'sync.retry': runRetryPromotion,
  'sync.webhook': runWebhookProcessing,
};
