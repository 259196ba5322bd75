// Hooks for an external scheduler (a platform cron, Kubernetes CronJob, GitHub Actions…) on hosts
// where the worker's own schedules are not enough:
//   POST /api/cron/sync-integrations   → sync.dispatch       (due integrations are synced)
//   POST /api/cron/retry-failed-syncs  → sync.retry          (failed records due for a retry)
//   POST /api/cron/cleanup-old-logs    → maintenance.cleanup (logs and events past retention)
// Each only queues the job the worker's schedule would queue, and answers 202 { queued, jobId }:
// queued is false (jobId null) when a run was already waiting and absorbed this one (the queues are
// stately). `Authorization: Bearer <CRON_SECRET>` is required (401 otherwise); without CRON_SECRET
// the endpoints do not exist (404).
import express, { type RequestHandler, type Router } from 'express';
import {
  bearerTokenMatches,
  enqueueScheduledJob,
  QueueName,
  type JobSender,
  type Logger,
  type ScheduledQueueName,
} from '@syncbridge/engine';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './webhooks.ts';

export const CRON_PATH = '/api/cron/:job';

/** Endpoint name → the queue it sends to. */
export const CRON_JOBS: Readonly<Record<string, ScheduledQueueName>> = {
  'sync-integrations': QueueName.syncDispatch,
  'retry-failed-syncs': QueueName.syncRetry,
  'cleanup-old-logs': QueueName.cleanup,
};

export interface CronRouterOptions {
  /** CRON_SECRET; null or undefined turns the endpoints off. */
  secret: string | null | undefined;
  /** Sends the jobs (the web's createJobSender); null answers 503. */
  sendJob: JobSender | null;
  logger: Logger;
}

function error(res: express.Response, status: number, code: string, message: string): void {
  res
    .status(status)
    .set('cache-control', 'no-store')
    .json({ error: { code, message, requestId: res.locals.requestId } });
}

export function createCronRouter(options: CronRouterOptions): Router {
  const { secret, sendJob } = options;
  const router = express.Router();

  const handle: RequestHandler = (req, res) => {
    const log: Logger = res.locals.log ?? options.logger;
    const job = req.params.job ?? '';
    // Feature off: indistinguishable from a path that does not exist.
    if (!secret) return error(res, 404, 'NOT_FOUND', 'Not found');
    if (!bearerTokenMatches(req.get('authorization'), secret)) {
      log.warn({ job: job.slice(0, 64) }, 'cron call refused: missing or wrong token');
      res.set('www-authenticate', 'Bearer');
      return error(res, 401, 'UNAUTHORIZED', 'A valid cron token is required.');
    }
    const queue = Object.hasOwn(CRON_JOBS, job) ? CRON_JOBS[job] : undefined;
    if (!queue) return error(res, 404, 'NOT_FOUND', 'Not found');
    if (!sendJob) return error(res, 503, 'UNAVAILABLE', 'The job queue is not configured.');
    enqueueScheduledJob(sendJob, queue, { trigger: 'cron' }).then(
      (result) => {
        log.info({ job, queue, ...result }, result.queued ? 'cron job queued' : 'cron job already waiting');
        res.status(202).set('cache-control', 'no-store').json(result);
      },
      (failure: unknown) => {
        if (isDatabaseUnavailable(failure)) {
          log.warn({ job, code: (failure as { code?: unknown }).code }, 'cron job not queued: queue unavailable');
          res.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
          return error(res, 503, 'UNAVAILABLE', 'Temporarily unavailable; retry later.');
        }
        log.error({ err: failure, job }, 'cron job could not be queued');
        error(res, 500, 'INTERNAL', 'Internal server error');
      },
    );
  };

  router.post(CRON_PATH, handle);
  return router;
}
