import type { Database } from '@syncbridge/db';
import type { AlertChannelsConfig, EngineContext, Logger } from '@syncbridge/engine';
import type { Job } from 'pg-boss';
import type { JobSender } from '@syncbridge/engine';

/** What a job handler gets besides its job. */
export interface JobContext {
  db: Database;
  logger: Logger;
  /** The process's engine context, logging through this job's logger. */
  engine: EngineContext;
  /** For handlers that fan out work (the dispatcher). */
  queue: JobSender;
  /**
   * Asks the realtime drainer to look at a resource's outbox now. A handler that held a resource's
   * lock calls it afterwards: changes committed meanwhile found the lock taken and would otherwise
   * wait for the next sweep. A no-op while the drainer is stopped.
   */
  kickOutbox(resourceId: string): void;
  /** Alert channels from the environment, for the health check; absent or null: the dashboard only. */
  alertChannels?: AlertChannelsConfig | null;
}

/**
 * Handles one job. Throwing fails the attempt and pg-boss retries it per the queue's policy, so
 * a handler must be idempotent (delivery is at least once) and should honour `job.signal`.
 */
export type JobHandler = (job: Job<unknown>, context: JobContext) => Promise<void>;
