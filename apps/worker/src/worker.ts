// The worker process: pg-boss on the application database (in its own schema), one handler per
// queue, the recurring schedules, the realtime outbox drainer, and a /healthz endpoint.
import { createDatabase, pingDatabase, type Database } from '@syncbridge/db';
import {
  createConnectorProvider,
  createOutboxDrainer,
  createPostgresRateLimiter,
  failAbandonedRuns,
  scrapeMetrics,
  type AlertChannelsConfig,
  type ConnectorProvider,
  type EngineContext,
  type KeyRing,
  type Logger,
  type OutboxDrainer,
} from '@syncbridge/engine';
import { PgBoss, type ConstructorOptions, type Job, type WorkOptions } from 'pg-boss';
import { HANDLERS } from './handlers.ts';
import { createHealthServer } from './health-server.ts';
import type { JobHandler } from './jobs/context.ts';
import {
  QUEUE_DEFINITIONS,
  QueueName,
  SCHEDULES,
  ensureQueues,
  ensureSchedules,
  type QueueDefinition,
  type ScheduleDefinition,
} from './queues.ts';

/** A queue and the handler that works it. */
export interface QueueRegistration {
  definition: QueueDefinition;
  handler: JobHandler;
}

/**
 * pg-boss timing, for tests that need a schedule to fire or a retry to run within seconds.
 * Production leaves all of it unset.
 */
export interface WorkerTiming {
  /** Replaces the health check's cron (`*\/5 * * * *`), e.g. `* * * * *` to be due at once. */
  healthCheckCron?: string;
  /** Replaces the dispatcher's cron (`* * * * *`); a far-off one keeps it out of a test's way. */
  dispatchCron?: string;
  /** Replaces the retry promotion's cron (`* * * * *`); likewise. */
  retryCron?: string;
  /** pg-boss `cronMonitorIntervalSeconds`: how often a cron pass looks for due schedules (1–45, default 30). */
  cronMonitorIntervalSeconds?: number;
  /** pg-boss `cronWorkerIntervalSeconds`: how often due occurrences are turned into jobs (1–45, default 5). */
  cronWorkerIntervalSeconds?: number;
  /** pg-boss `pollingIntervalSeconds` for this worker's queues (>= 0.5, default 2). */
  pollingIntervalSeconds?: number;
  /**
   * How often the outbox drainer sweeps for changes whose NOTIFY it missed (default 5 s). A long
   * one in a test proves that LISTEN/NOTIFY alone delivers a change.
   */
  outboxSweepIntervalMs?: number;
}

export interface CreateWorkerOptions {
  databaseUrl: string;
  logger: Logger;
  /** /healthz port; 0 binds a free one and start() reports it. */
  port: number;
  host: string;
  /** Jobs of one queue run at once in this process, unless the queue sets its own. */
  concurrency: number;
  /** Postgres schema pg-boss keeps its tables in. */
  queueSchema?: string;
  /** How long stop() lets running handlers finish before failing them (they are then retried). */
  stopTimeoutMs?: number;
  /** More queues, created and worked exactly like the built-in ones (tests, embedded demo). */
  extraQueues?: readonly QueueRegistration[];
  timing?: WorkerTiming;
  /** Decrypts integration credentials (ENCRYPTION_KEYS); without it only credential-less integrations run. */
  keyRing?: KeyRing | null;
  /** Replaces the connector registry (tests, the embedded demo pointing at sandboxes). */
  connectors?: ConnectorProvider;
  /** Where the health check sends alerts besides the dashboard (ALERT_* variables); null: nowhere. */
  alertChannels?: AlertChannelsConfig | null;
  /** METRICS_TOKEN: GET /metrics on the health port then asks for it as a bearer token. */
  metricsToken?: string | null;
}

export interface Worker {
  /**
   * Starts pg-boss, creates the queues, registers handlers and schedules, starts the outbox
   * drainer, then opens /healthz.
   */
  start(): Promise<{ port: number }>;
  /**
   * Stops the drainer, stops taking jobs, lets running ones finish (bounded), closes /healthz and
   * the database. Idempotent.
   */
  stop(): Promise<void>;
  readonly boss: PgBoss;
}

const DEFAULT_QUEUE_SCHEMA = 'pgboss';
// Under the usual 30 s a container gets between SIGTERM and SIGKILL.
const DEFAULT_STOP_TIMEOUT_MS = 25_000;
// pg-boss still gets this long when the drainer used up the budget.
const MIN_BOSS_STOP_MS = 1_000;

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

export function createWorker(options: CreateWorkerOptions): Worker {
  const { logger, timing = {} } = options;
  const registrations = queueRegistrations(options.extraQueues ?? []);
  const cronOverrides: Partial<Record<QueueName, string | undefined>> = {
    [QueueName.healthCheck]: timing.healthCheckCron,
    [QueueName.syncDispatch]: timing.dispatchCron,
    [QueueName.syncRetry]: timing.retryCron,
  };
  const schedules = SCHEDULES.map((schedule): ScheduleDefinition => {
    const cron = cronOverrides[schedule.queue];
    return cron ? { ...schedule, cron } : schedule;
  });

  const boss = new PgBoss(bossOptions(options));
  // Without an `error` listener a dropped connection crashes the process (pg-boss #365, #381).
  boss.on('error', (error) => logger.error({ err: error }, 'pg-boss error'));
  boss.on('warning', (warning) => logger.warn({ warning: warning.data }, warning.message));

  let state: State = 'idle';
  let queueRunning = false;
  let drainerRunning = false;
  let db: Database | undefined;
  let drainer: OutboxDrainer | undefined;
  let startPromise: Promise<{ port: number }> | undefined;
  let stopPromise: Promise<void> | undefined;
  boss.on('stopped', () => {
    queueRunning = false;
  });

  const health = createHealthServer(
    async () => ({
      database: db ? await pingDatabase(db.pool) : false,
      queue: state === 'running' && queueRunning,
      // Listening, not merely started: without LISTEN, pushes fall back to the sweep's pace.
      drainer: state === 'running' && drainerRunning && (drainer?.status().listening ?? false),
    }),
    {
      // The health port opens after boot(), so the database is there by the first scrape.
      scrape: () => scrapeMetrics({ pool: db!.pool, queueSchema: options.queueSchema ?? DEFAULT_QUEUE_SCHEMA }),
      token: options.metricsToken,
    },
  );

  async function boot(): Promise<{ port: number }> {
    db = createDatabase({
      connectionString: options.databaseUrl,
      max: poolSize(options.concurrency),
      applicationName: 'syncbridge-worker',
    });
    const database = db;
    const engine: EngineContext = {
      pool: database.pool,
      prisma: database.prisma,
      logger,
      limiter: createPostgresRateLimiter(database.pool),
      connectors: options.connectors ?? createConnectorProvider({ pool: database.pool, keyRing: options.keyRing }),
    };
    const outboxDrainer = createOutboxDrainer(engine, {
      connectionString: options.databaseUrl,
      sweepIntervalMs: timing.outboxSweepIntervalMs,
    });
    const kickOutbox = (resourceId: string) => outboxDrainer.kick(resourceId);
    // Runs a killed worker left RUNNING end here (the retry pass repeats this every minute).
    await failAbandonedRuns(engine);
    await boss.start();
    queueRunning = true;
    await ensureQueues(
      boss,
      registrations.map((r) => r.definition),
    );
    for (const { definition, handler } of registrations) {
      const workOptions: WorkOptions = {
        batchSize: 1,
        localConcurrency: definition.localConcurrency ?? options.concurrency,
        ...(timing.pollingIntervalSeconds !== undefined && { pollingIntervalSeconds: timing.pollingIntervalSeconds }),
      };
      await boss.work<unknown>(definition.name, workOptions, async (jobs) => {
        for (const job of jobs) await runJob(definition.name, job, handler, { database, engine, kickOutbox });
      });
    }
    await ensureSchedules(
      boss,
      schedules,
      registrations.map((r) => r.definition.name),
    );
    // In after pg-boss and out before it (teardown), so no drain outlives the database it writes to.
    drainer = outboxDrainer;
    await outboxDrainer.start();
    drainerRunning = true;
    const port = await health.listen(options.port, options.host);
    logger.info(
      { queues: registrations.map((r) => r.definition.name), schedules: schedules.map((s) => `${s.queue} ${s.cron}`) },
      'worker ready',
    );
    return { port };
  }

  async function runJob(
    queue: string,
    job: Job<unknown>,
    handler: JobHandler,
    services: { database: Database; engine: EngineContext; kickOutbox: (resourceId: string) => void },
  ): Promise<void> {
    const jobLogger = logger.child({ queue, jobId: job.id, attempt: job.retryCount + 1 });
    const startedAt = performance.now();
    try {
      await handler(job, {
        db: services.database,
        logger: jobLogger,
        engine: { ...services.engine, logger: jobLogger },
        queue: boss,
        kickOutbox: services.kickOutbox,
        alertChannels: options.alertChannels ?? null,
      });
      jobLogger.debug({ durationMs: Math.round(performance.now() - startedAt) }, 'job completed');
    } catch (error) {
      // Rethrown: pg-boss records the error on the job and retries it per the queue's policy.
      jobLogger.warn({ err: error, durationMs: Math.round(performance.now() - startedAt) }, 'job attempt failed');
      throw error;
    }
  }

  /** Releases whatever boot() got to, in dependency order; keeps going past a failing step. */
  async function teardown(): Promise<void> {
    queueRunning = false;
    drainerRunning = false;
    const failures: unknown[] = [];
    const attempt = async (step: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (error) {
        logger.error({ err: error }, `worker shutdown: ${step} failed`);
        failures.push(error);
      }
    };
    const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    const deadline = Date.now() + stopTimeoutMs;
    // First, so that no drain is still writing when the database closes: stops listening and
    // sweeping, then waits for the drains under way. Bounded by the same budget as the handlers;
    // a drain cut short leaves its outbox rows for the next worker, and replaying them is harmless.
    await attempt('stopping the outbox drainer', async () => {
      if (drainer && !(await settlesWithin(drainer.stop(), stopTimeoutMs))) {
        logger.warn({ timeoutMs: stopTimeoutMs }, 'outbox drains still running at the stop timeout');
      }
    });
    // Stops fetching at once, waits for running handlers up to the timeout, then fails the rest
    // (they are retried) and closes pg-boss's own pool.
    await attempt('stopping pg-boss', () =>
      boss.stop({ graceful: true, timeout: Math.max(MIN_BOSS_STOP_MS, deadline - Date.now()) }),
    );
    await attempt('closing /healthz', () => health.close());
    // Last: handlers still finishing inside the graceful window use it.
    await attempt('closing the database', async () => db?.close());
    if (failures.length > 0) throw failures[0];
  }

  return {
    boss,
    start() {
      if (startPromise) return startPromise;
      if (state !== 'idle') return Promise.reject(new Error('a stopped worker cannot be started again'));
      state = 'starting';
      startPromise = boot().then(
        (result) => {
          state = 'running';
          return result;
        },
        async (error: unknown) => {
          await teardown().catch(() => undefined);
          state = 'stopped';
          throw error;
        },
      );
      return startPromise;
    },
    stop() {
      stopPromise ??= (async () => {
        // A stop during start waits for it: tearing down half-started pg-boss races its own start.
        if (startPromise) await startPromise.catch(() => undefined);
        if (state !== 'running') {
          state = 'stopped'; // never started, or a failed start already tore down
          return;
        }
        state = 'stopping';
        logger.info('worker stopping');
        try {
          await teardown();
        } finally {
          state = 'stopped';
        }
        logger.info('worker stopped');
      })();
      return stopPromise;
    },
  };
}

function queueRegistrations(extra: readonly QueueRegistration[]): QueueRegistration[] {
  const builtIn = QUEUE_DEFINITIONS.map((definition) => ({ definition, handler: HANDLERS[definition.name] }));
  const all = [...builtIn, ...extra];
  const names = all.map((r) => r.definition.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`queue ${duplicate} is registered twice`);
  return all;
}

function bossOptions(options: CreateWorkerOptions): ConstructorOptions {
  const { timing = {} } = options;
  // pg-boss validates any option key that is present, even when its value is undefined.
  return {
    connectionString: options.databaseUrl,
    schema: options.queueSchema ?? DEFAULT_QUEUE_SCHEMA,
    application_name: 'syncbridge-worker-queue',
    ...(timing.cronMonitorIntervalSeconds !== undefined && {
      cronMonitorIntervalSeconds: timing.cronMonitorIntervalSeconds,
    }),
    ...(timing.cronWorkerIntervalSeconds !== undefined && {
      cronWorkerIntervalSeconds: timing.cronWorkerIntervalSeconds,
    }),
  };
}

/**
 * A sync holds its resource's advisory lock on a pooled connection while it queries on others, so
 * the pool must outlast every lock holder at once, or all of them wait for a connection forever:
 * sync.integration and sync.resource (`concurrency` each, a lock plus a working connection), the
 * outbox drains (the same, a few resources at once), and the short jobs and /healthz.
 */
function poolSize(concurrency: number): number {
  return concurrency * 4 + 10;
}

/** Waits for `promise` up to `ms`; true when it settled in time (its outcome is the caller's). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
