// Job names, payload schemas and typed enqueue helpers: the contract between whoever asks for
// work (the API's "sync now" buttons, webhook ingress, the dispatcher) and the worker's handlers.
import type { PgBoss, Queue, SendOptions } from 'pg-boss';
import { z } from 'zod';

export const QueueName = {
  healthCheck: 'maintenance.health-check',
  cleanup: 'maintenance.cleanup',
  syncDispatch: 'sync.dispatch',
  syncIntegration: 'sync.integration',
  syncResource: 'sync.resource',
  syncRetry: 'sync.retry',
  syncWebhook: 'sync.webhook',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** What asked for the work: 'schedule', 'manual:<userId>', 'webhook', … (shown in job history). */
const ZTrigger = z.string().trim().min(1).max(200);

/** The recurring jobs (dispatch, retry promotion, cleanup, health check) carry only their trigger. */
export const ZScheduledJob = z.object({ trigger: ZTrigger.default('schedule') });
export type TScheduledJob = z.infer<typeof ZScheduledJob>;

export const ZIntegrationSyncJob = z.object({
  integrationId: z.uuid(),
  trigger: ZTrigger,
  /** Pulls ignore their cursor and read everything (deletions are then inferred). */
  full: z.boolean().optional(),
});
export type TIntegrationSyncJob = z.infer<typeof ZIntegrationSyncJob>;

export const ZResourceSyncJob = z.object({
  resourceId: z.uuid(),
  direction: z.enum(['push', 'pull']),
  trigger: ZTrigger,
  /** Pull only: ignore the cursor and read everything. A push always compares every row. */
  full: z.boolean().optional(),
});
export type TResourceSyncJob = z.infer<typeof ZResourceSyncJob>;

export const ZWebhookJob = z.object({ eventId: z.uuid() });
export type TWebhookJob = z.infer<typeof ZWebhookJob>;

/**
 * Anything that can send a job: the worker's PgBoss, or one the API starts just for sending. Those
 * that can also withdraw a queued job (`cancel`) let an admin cancel a run before it starts.
 */
export type JobSender = Pick<PgBoss, 'send'> & Partial<Pick<PgBoss, 'cancel'>>;

/** A queued job's id, or null when one for the same key was already waiting (nothing is lost). */
export type EnqueueResult = { queued: true; jobId: string } | { queued: false; jobId: null };

/**
 * Asks for a run of every enabled resource of an integration (pull, then full push). At most one
 * run per integration waits and one runs (the queue is `stately`, keyed by integration id): a
 * second request while one waits is absorbed by it.
 */
export async function enqueueIntegrationSync(
  sender: JobSender,
  payload: TIntegrationSyncJob,
  options: Pick<SendOptions, 'startAfter' | 'priority'> = {},
): Promise<EnqueueResult> {
  const data = ZIntegrationSyncJob.parse(payload);
  return result(await sender.send(QueueName.syncIntegration, data, { ...options, singletonKey: data.integrationId }));
}

/**
 * Asks for a "sync now" of one resource in one direction. Keyed by resource and direction, so a
 * push and a pull may both wait, while a second push request joins the one already waiting.
 */
export async function enqueueResourceSync(
  sender: JobSender,
  payload: TResourceSyncJob,
  options: Pick<SendOptions, 'startAfter' | 'priority'> = {},
): Promise<EnqueueResult> {
  const data = ZResourceSyncJob.parse(payload);
  return result(await sender.send(QueueName.syncResource, data, { ...options, singletonKey: resourceSyncKey(data) }));
}

/** Asks the worker to process a stored webhook delivery (one job per delivery). */
export async function enqueueWebhookProcessing(sender: JobSender, payload: TWebhookJob): Promise<EnqueueResult> {
  const data = ZWebhookJob.parse(payload);
  return result(await sender.send(QueueName.syncWebhook, data, { singletonKey: data.eventId }));
}

/** The recurring jobs that may also be asked for on demand (an external cron calling the web app). */
export type ScheduledQueueName = typeof QueueName.syncDispatch | typeof QueueName.syncRetry | typeof QueueName.cleanup;

/**
 * Asks for a run of a recurring job now. Those queues are `stately`: while one run waits, another
 * request is absorbed by it ({ queued: false }).
 */
export async function enqueueScheduledJob(
  sender: JobSender,
  queue: ScheduledQueueName,
  payload: TScheduledJob,
): Promise<EnqueueResult> {
  return result(await sender.send(queue, ZScheduledJob.parse(payload)));
}

export function resourceSyncKey(payload: Pick<TResourceSyncJob, 'resourceId' | 'direction'>): string {
  return `${payload.resourceId}:${payload.direction}`;
}

function result(jobId: string | null): EnqueueResult {
  return jobId ? { queued: true, jobId } : { queued: false, jobId: null };
}

const DAY = 24 * 60 * 60;

/** Options pg-boss stores on each queue (retries, backoff, expiry, policy): one place for every app. */
export const QUEUE_OPTIONS: Record<QueueName, Omit<Queue, 'name'>> = {
  [QueueName.healthCheck]: {
    // A missed check is not worth piling up: two retries, after 30–60 s then 60–120 s (pg-boss
    // backoff is retryDelay * 2^retryCount with up to 100% jitter), never later than the period.
    retryLimit: 2,
    retryDelay: 30,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds: 60,
    deleteAfterSeconds: 7 * DAY,
  },
  [QueueName.syncDispatch]: {
    policy: 'stately',
    retryLimit: 1,
    retryDelay: 10,
    expireInSeconds: 60,
    deleteAfterSeconds: DAY,
  },
  [QueueName.syncIntegration]: {
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 60,
    retryBackoff: true,
    retryDelayMax: 900,
    expireInSeconds: 4 * 60 * 60,
    heartbeatSeconds: 60,
    deleteAfterSeconds: 7 * DAY,
  },
  [QueueName.syncResource]: {
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: true,
    retryDelayMax: 600,
    expireInSeconds: 2 * 60 * 60,
    heartbeatSeconds: 60,
    deleteAfterSeconds: 7 * DAY,
  },
  [QueueName.syncRetry]: {
    policy: 'stately',
    retryLimit: 1,
    retryDelay: 10,
    expireInSeconds: 120,
    deleteAfterSeconds: DAY,
  },
  [QueueName.syncWebhook]: {
    policy: 'stately',
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 600,
    expireInSeconds: 15 * 60,
    deleteAfterSeconds: 7 * DAY,
  },
  [QueueName.cleanup]: {
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    retryDelayMax: 3600,
    expireInSeconds: 30 * 60,
    deleteAfterSeconds: 30 * DAY,
  },
};

/**
 * Creates every queue (idempotent). Any process that sends must do this first: pg-boss refuses a
 * send to a queue that does not exist yet, and the web server may start before any worker has.
 */
export async function createQueues(boss: Pick<PgBoss, 'createQueue'>): Promise<void> {
  for (const [name, options] of Object.entries(QUEUE_OPTIONS)) await boss.createQueue(name, options);
}
