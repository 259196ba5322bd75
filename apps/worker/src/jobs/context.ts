import type { Database } from '@syncbridge/db';
import type { Logger } from '@syncbridge/engine';
import type { Job } from 'pg-boss';

/** What a job handler gets besides its job: the process's database and a logger for the job. */
export interface JobContext {
  db: Database;
  logger: Logger;
}

/**
 * Handles one job. Throwing fails the attempt and pg-boss retries it per the queue's policy, so
 * a handler must be idempotent (delivery is at least once) and should honour `job.signal`.
 */
export type JobHandler = (job: Job<unknown>, context: JobContext) => Promise<void>;
