// Every queue the worker owns, with its retry and expiry policy, and every recurring schedule.
// New work is one entry in QueueName (enqueue.ts, with its payload schema) and QUEUE_DEFINITIONS
// plus a handler in handlers.ts; the compiler refuses a queue without a handler.
import type { PgBoss, Queue, ScheduleOptions } from 'pg-boss';
import { QUEUE_OPTIONS, QueueName } from '@syncbridge/engine';

export { QueueName } from '@syncbridge/engine';

/** Queue options pg-boss stores on the queue row; every job sent to the queue inherits them. */
export type QueueOptions = Omit<Queue, 'name'>;

export interface QueueDefinition<Name extends string = string> {
  name: Name;
  options: QueueOptions;
  /** Jobs of this queue run at once in one process; defaults to WORKER_CONCURRENCY. */
  localConcurrency?: number;
}

export const QUEUE_DEFINITIONS: readonly QueueDefinition<QueueName>[] = [
  {
    name: QueueName.healthCheck,
    options: QUEUE_OPTIONS[QueueName.healthCheck],
    localConcurrency: 1,
  },
  {
    // Every minute: claims the integrations whose next sync is due and sends one sync.integration
    // each. `stately` without a key: one waiting and one running at most, so a slow pass never
    // piles up minutes behind it. A failed pass is retried once; the next minute covers the rest.
    name: QueueName.syncDispatch,
    options: QUEUE_OPTIONS[QueueName.syncDispatch],
    localConcurrency: 1,
  },
  {
    // One integration's run: pulls, then full pushes, resource by resource. Keyed by integration
    // id under `stately`: one run waits and one runs per integration, however often it is asked
    // for. A run that merely had failing records does not throw (the engine backs off through
    // next_sync_at and counts failures); only an unexpected error is retried here. Runs can be
    // long, so a crashed worker is noticed by its missing heartbeat rather than by the expiry.
    name: QueueName.syncIntegration,
    options: QUEUE_OPTIONS[QueueName.syncIntegration],
  },
  {
    // "Sync now" for one resource and direction; keyed `<resourceId>:<direction>` under `stately`.
    // Runs under the resource's advisory lock; a resource busy for too long is retried later.
    name: QueueName.syncResource,
    options: QUEUE_OPTIONS[QueueName.syncResource],
  },
  {
    // Every minute: moves failed records whose retry time has come back into the outbox; the
    // realtime drainer pushes them. One pass at a time is plenty.
    name: QueueName.syncRetry,
    options: QUEUE_OPTIONS[QueueName.syncRetry],
    localConcurrency: 1,
  },
  {
    // One job per stored webhook delivery (keyed by event id): applied like a pull page.
    name: QueueName.syncWebhook,
    options: QUEUE_OPTIONS[QueueName.syncWebhook],
  },
  {
    // Daily: sync logs, job history and handled webhook events past 90 days.
    name: QueueName.cleanup,
    options: QUEUE_OPTIONS[QueueName.cleanup],
    localConcurrency: 1,
  },
];

export interface ScheduleDefinition {
  queue: QueueName;
  /** Cron (UTC) or RFC 5545 rule. pg-boss sends one job per occurrence across all processes. */
  cron: string;
  data: object;
  options?: Pick<ScheduleOptions, 'tz' | 'missed'>;
}

const fromSchedule = { trigger: 'schedule' };

export const SCHEDULES: readonly ScheduleDefinition[] = [
  { queue: QueueName.healthCheck, cron: '*/5 * * * *', data: fromSchedule, options: { tz: 'UTC' } },
  { queue: QueueName.syncDispatch, cron: '* * * * *', data: fromSchedule, options: { tz: 'UTC' } },
  { queue: QueueName.syncRetry, cron: '* * * * *', data: fromSchedule, options: { tz: 'UTC' } },
  { queue: QueueName.cleanup, cron: '0 3 * * *', data: fromSchedule, options: { tz: 'UTC' } },
];

/**
 * Creates each queue, or brings an existing one's options in line with the code. Must run before
 * anything sends: since pg-boss v10 a send to a queue that does not exist is dropped silently.
 * createQueue() alone would not do — it is INSERT … ON CONFLICT DO NOTHING, so a changed
 * retryLimit would never reach a queue created by an earlier release.
 */
export async function ensureQueues(boss: PgBoss, definitions: readonly QueueDefinition[]): Promise<void> {
  for (const { name, options } of definitions) {
    await boss.createQueue(name, options);
    // policy and partition are fixed at creation; pg-boss refuses to update them.
    const { policy: _policy, partition: _partition, ...updatable } = options;
    if (Object.keys(updatable).length > 0) await boss.updateQueue(name, updatable);
  }
}

/**
 * Upserts the schedules and removes the code-owned ones (key '') left on the given queues that the
 * code no longer lists, so deleting a schedule here stops it everywhere. Keyed schedules belong to
 * data (for example one per integration) and are left alone.
 */
export async function ensureSchedules(
  boss: PgBoss,
  schedules: readonly ScheduleDefinition[],
  ownedQueues: readonly string[],
): Promise<void> {
  for (const { queue, cron, data, options } of schedules) {
    await boss.schedule(queue, cron, data, options);
  }
  const wanted = new Set<string>(schedules.map((s) => s.queue));
  for (const existing of await boss.getSchedules()) {
    if (existing.key === '' && ownedQueues.includes(existing.name) && !wanted.has(existing.name)) {
      await boss.unschedule(existing.name, existing.key);
    }
  }
}
