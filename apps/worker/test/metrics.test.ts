// GET /metrics on the worker's health port, after a real realtime push to the REST sandbox through
// the worker (outbox drainer → engine → REST connector over HTTP), one batch answered 429.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRestSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import { useTestDatabase } from '@syncbridge/db/testing';
import { testSecret } from '@syncbridge/engine';
import { QueueName } from '../src/queues.ts';
import { createWorker, type Worker } from '../src/worker.ts';
import { pushResource, restIntegration, testKeyRing, TOKEN } from './processes.ts';
import { captureLogger } from './support.ts';

const ROWS = 25;
const BATCH = 10;
const db = useTestDatabase();
const keys = testKeyRing();
const metricsToken = testSecret();
// Retry-After of an injected 429 is one window: 1 s here.
const sandbox = createRestSandbox({ token: TOKEN, requestsPerWindow: 600, windowMs: 1000 });
const log = captureLogger();
let server: SandboxServer;
let worker: Worker;
let base: string;

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Exposition format 0.0.4: `name{a="x",b="y"} value` per sample, comments skipped. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await response.text());
}

beforeAll(async () => {
  server = await sandbox.start();
  const integration = await restIntegration(db, keys.ring, server.url, {
    requestsPerWindow: 1000,
    windowMs: 1000,
    maxBatchSize: BATCH,
  });
  await pushResource(db, integration.id, 'tasks');
  worker = createWorker({
    databaseUrl: db.url,
    logger: log.logger,
    port: 0,
    host: '127.0.0.1',
    concurrency: 2,
    keyRing: keys.ring,
    metricsToken,
    // Only the NOTIFY drives the push: no sweep and no schedules in the way.
    timing: { outboxSweepIntervalMs: 60_000, dispatchCron: '0 0 1 1 *', retryCron: '0 0 1 1 *' },
  });
  base = `http://127.0.0.1:${(await worker.start()).port}`;
});

afterAll(async () => {
  await worker?.stop();
  await server?.close();
});

describe('worker /metrics', () => {
  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const missing = await fetch(`${base}/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('syncbridge_');
  });

  it('counts the run, the records, the batch calls with their latency, and the 429', async () => {
    sandbox.faults.failNext(1, 'rate_limit');
    await db.pool.query(
      `insert into tasks (title, status) select 'Task ' || g, 'todo' from generate_series(1, $1::int) as g`,
      [ROWS],
    );
    await vi.waitFor(
      async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          `select count(*)::int as n from integration_mappings where status = 'SYNCED'`,
        );
        expect(rows[0]?.n).toBe(ROWS);
        const { rows: runs } = await db.pool.query<{ n: number }>(
          `select count(*)::int as n from job_executions where status = 'COMPLETED'`,
        );
        expect(runs[0]?.n).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(sandbox.faults.injected.rate_limit).toBe(1);
    expect(sandbox.store.count('tasks')).toBe(ROWS);

    const samples = await scrape();
    // 25 rows in batches of 10: three batch calls answered, one more answered 429 and retried.
    const calls = Math.ceil(ROWS / BATCH);
    expect(valueOf(samples, 'syncbridge_external_calls_total', { connector: 'GENERIC_REST', outcome: 'ok' })).toBe(
      calls,
    );
    expect(
      valueOf(samples, 'syncbridge_external_calls_total', { connector: 'GENERIC_REST', outcome: 'rate_limited' }),
    ).toBe(1);
    expect(valueOf(samples, 'syncbridge_external_rate_limited_total', { connector: 'GENERIC_REST' })).toBe(1);
    expect(valueOf(samples, 'syncbridge_external_call_duration_seconds_count', { connector: 'GENERIC_REST' })).toBe(
      calls + 1,
    );
    const latency = valueOf(samples, 'syncbridge_external_call_duration_seconds_sum', { connector: 'GENERIC_REST' });
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(30);

    expect(valueOf(samples, 'syncbridge_records_synced_total', { outcome: 'succeeded' })).toBe(ROWS);
    expect(valueOf(samples, 'syncbridge_records_synced_total', { outcome: 'failed' })).toBeUndefined();
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from job_executions`);
    // The realtime push rolls into one CHANGE_PUSH execution, finished once per drain.
    expect(rows[0]?.n).toBe(1);
    expect(valueOf(samples, 'syncbridge_sync_runs_total', { direction: 'push', outcome: 'completed' })).toBeGreaterThan(
      0,
    );
    expect(valueOf(samples, 'syncbridge_sync_runs_total', { outcome: 'failed' })).toBeUndefined();

    // Scrape-time gauges: the outbox is drained, every queue has a depth.
    expect(valueOf(samples, 'syncbridge_outbox_pending')).toBe(0);
    expect(valueOf(samples, 'syncbridge_outbox_lag_seconds')).toBe(0);
    expect(valueOf(samples, 'syncbridge_metrics_database_up')).toBe(1);
    for (const queue of Object.values(QueueName)) {
      expect(valueOf(samples, 'syncbridge_queue_depth', { queue }), queue).toBeGreaterThanOrEqual(0);
    }
    // Process metrics come along (prom-client defaults).
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('reports the queue depth from pg-boss', async () => {
    // A far-off job waits in the cleanup queue (stately: one waiting at a time).
    await worker.boss.send(QueueName.cleanup, { trigger: 'test' }, { startAfter: 3600 });
    const samples = await scrape();
    expect(valueOf(samples, 'syncbridge_queue_depth', { queue: QueueName.cleanup })).toBe(1);
  });
});
