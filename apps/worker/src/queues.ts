// Every queue the worker owns, with its retry and expiry policy, and every recurring schedule.
// New work (push, pull, webhook, retry, cleanup) is one entry in QueueName and QUEUE_DEFINITIONS
// plus a handler in handlers.ts; the compiler refuses a queue without a handler.
import type { PgBoss, Queue, ScheduleOptions } from 'pg-boss';

export const QueueName = {
  healthCheck: 'maintenance.health-check',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

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
    options: {
      // A missed check is not worth piling up: two retries, after 30–60 s then 60–120 s (pg-boss
      // backoff is retryDelay * 2^retryCount with up to 100% jitter), never later than the period.
      retryLimit: 2,
      retryDelay: 30,
      retryBackoff: true,
      retryDelayMax: 300,
      expireInSeconds: 60,
      deleteAfterSeconds: 7 * 24 * 60 * 60,
    },
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

export const SCHEDULES: readonly ScheduleDefinition[] = [
  { queue: QueueName.healthCheck, cron: '*/5 * * * *', data: { trigger: 'schedule' }, options: { tz: 'UTC' } },
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
