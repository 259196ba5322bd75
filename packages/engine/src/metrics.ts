// Prometheus metrics (prom-client): one registry per process, made on first use. The engine counts
// where things happen (runs in jobs.ts, connector calls in delivery.ts, webhook deliveries at the
// ingress); the gauges that describe the database (queue depth, outbox backlog) are read at scrape
// time. Web and worker each serve their own registry at GET /metrics.
import { timingSafeEqual, createHash } from 'node:crypto';
import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorKind } from '@syncbridge/connectors';
import { quoteIdent } from './sql.ts';
import { QueueName } from './queue.ts';

interface EngineMetrics {
  registry: Registry;
  syncRuns: Counter<'direction' | 'outcome'>;
  recordsSynced: Counter<'outcome'>;
  externalCalls: Counter<'connector' | 'outcome'>;
  rateLimited: Counter<'connector'>;
  externalDuration: Histogram<'connector'>;
  webhookDeliveries: Counter<'status'>;
  queueDepth: Gauge<'queue'>;
  queueActive: Gauge<'queue'>;
  outboxPending: Gauge;
  outboxLag: Gauge;
  scrapeDatabaseUp: Gauge;
}

let metrics: EngineMetrics | undefined;

function createMetrics(): EngineMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    syncRuns: new Counter({
      name: 'syncbridge_sync_runs_total',
      help: 'Finished sync runs (job executions) by direction and outcome.',
      labelNames: ['direction', 'outcome'],
      registers,
    }),
    recordsSynced: new Counter({
      name: 'syncbridge_records_synced_total',
      help: 'Records handled by sync runs, by outcome (succeeded, failed, conflict, skipped).',
      labelNames: ['outcome'],
      registers,
    }),
    externalCalls: new Counter({
      name: 'syncbridge_external_calls_total',
      help: 'Batch calls to external APIs by connector and outcome (ok or the error class).',
      labelNames: ['connector', 'outcome'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'syncbridge_external_rate_limited_total',
      help: 'External API calls answered with 429 / the vendor rate-limit error, by connector.',
      labelNames: ['connector'],
      registers,
    }),
    externalDuration: new Histogram({
      name: 'syncbridge_external_call_duration_seconds',
      help: 'Latency of external API batch calls by connector.',
      labelNames: ['connector'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'syncbridge_webhook_deliveries_total',
      help: 'Webhook deliveries received by the ingress, by HTTP status answered.',
      labelNames: ['status'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'syncbridge_queue_depth',
      help: 'Jobs waiting in each pg-boss queue (created or retry, deferred ones included).',
      labelNames: ['queue'],
      registers,
    }),
    queueActive: new Gauge({
      name: 'syncbridge_queue_active_jobs',
      help: 'Jobs running in each pg-boss queue.',
      labelNames: ['queue'],
      registers,
    }),
    outboxPending: new Gauge({
      name: 'syncbridge_outbox_pending',
      help: 'Captured local changes waiting in the outbox to be pushed.',
      registers,
    }),
    outboxLag: new Gauge({
      name: 'syncbridge_outbox_lag_seconds',
      help: 'Age of the oldest change waiting in the outbox (0 when it is empty).',
      registers,
    }),
    scrapeDatabaseUp: new Gauge({
      name: 'syncbridge_metrics_database_up',
      help: '1 when the scrape could read the queue and outbox gauges from the database, else 0.',
      registers,
    }),
  };
}

function engineMetrics(): EngineMetrics {
  metrics ??= createMetrics();
  return metrics;
}

/** A run's JobExecution got its final status (finishJob). */
export function countSyncRun(direction: string | null | undefined, status: string): void {
  engineMetrics().syncRuns.inc({ direction: (direction ?? 'none').toLowerCase(), outcome: status.toLowerCase() });
}

/** Records handled, from a run's progress delta. */
export function countRecords(delta: { succeeded?: number; failed?: number; conflicts?: number; skipped?: number }) {
  const { recordsSynced } = engineMetrics();
  if (delta.succeeded) recordsSynced.inc({ outcome: 'succeeded' }, delta.succeeded);
  if (delta.failed) recordsSynced.inc({ outcome: 'failed' }, delta.failed);
  if (delta.conflicts) recordsSynced.inc({ outcome: 'conflict' }, delta.conflicts);
  if (delta.skipped) recordsSynced.inc({ outcome: 'skipped' }, delta.skipped);
}

/** One call to an external API: `ok`, or how the connector classified its failure. */
export function observeExternalCall(connector: string, seconds: number, outcome: 'ok' | ErrorKind): void {
  const m = engineMetrics();
  m.externalCalls.inc({ connector, outcome });
  m.externalDuration.observe({ connector }, seconds);
  if (outcome === 'rate_limited') m.rateLimited.inc({ connector });
}

/** A webhook delivery was answered with `status`. */
export function countWebhookDelivery(status: number): void {
  engineMetrics().webhookDeliveries.inc({ status: String(status) });
}

export interface ScrapeOptions {
  pool: pg.Pool;
  /** pg-boss's schema (default 'pgboss'). */
  queueSchema?: string;
}

/** Postgres: the relation (pg-boss not installed yet) or schema does not exist. */
const MISSING = new Set(['42P01', '3F000']);

async function readQueueGauges(options: ScrapeOptions, m: EngineMetrics): Promise<void> {
  const names = Object.values(QueueName);
  const depth = new Map<string, { queued: number; active: number }>(names.map((n) => [n, { queued: 0, active: 0 }]));
  try {
    // Only unfinished jobs: pg-boss's job states order created < retry < active < completed < ….
    const { rows } = await options.pool.query<{ name: string; queued: number; active: number }>(
      `select name,
              (count(*) filter (where state < 'active'))::int as queued,
              (count(*) filter (where state = 'active'))::int as active
         from ${quoteIdent(options.queueSchema ?? 'pgboss')}.job
        where state < 'completed'
        group by name`,
    );
    for (const row of rows) depth.set(row.name, { queued: row.queued, active: row.active });
  } catch (error) {
    if (!MISSING.has((error as { code?: string }).code ?? '')) throw error;
  }
  m.queueDepth.reset();
  m.queueActive.reset();
  for (const [queue, { queued, active }] of depth) {
    m.queueDepth.set({ queue }, queued);
    m.queueActive.set({ queue }, active);
  }
}

async function readOutboxGauges(pool: pg.Pool, m: EngineMetrics): Promise<void> {
  const { rows } = await pool.query<{ pending: number; lag: number | null }>(
    `select count(*)::int as pending,
            extract(epoch from (clock_timestamp() - min(created_at)))::float8 as lag
       from change_outbox`,
  );
  m.outboxPending.set(rows[0]?.pending ?? 0);
  m.outboxLag.set(Math.max(0, rows[0]?.lag ?? 0));
}

/**
 * The text a Prometheus server scrapes (exposition format 0.0.4). The database gauges are read
 * now; when the database cannot be reached they are left out and syncbridge_metrics_database_up
 * says 0, and the counters are served all the same.
 */
export async function scrapeMetrics(options: ScrapeOptions): Promise<{ contentType: string; body: string }> {
  const m = engineMetrics();
  try {
    await Promise.all([readQueueGauges(options, m), readOutboxGauges(options.pool, m)]);
    m.scrapeDatabaseUp.set(1);
  } catch {
    for (const gauge of [m.queueDepth, m.queueActive, m.outboxPending, m.outboxLag]) gauge.reset();
    m.scrapeDatabaseUp.set(0);
  }
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}

/**
 * `Authorization: Bearer <token>` against the expected token, in constant time: both sides are
 * hashed first, so neither their contents nor their lengths show in the comparison's timing.
 */
export function bearerTokenMatches(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const wanted = createHash('sha256').update(expected).digest();
  return timingSafeEqual(given, wanted) && match !== null;
}
