// GET /metrics on the web app: webhook deliveries by status after real signed deliveries, the queue
// depth they caused, and the outbox gauges while a captured change waits (no worker runs here).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { restWebhookHeaders } from '@syncbridge/connectors';
import { useTestDatabase } from '@syncbridge/db/testing';
import {
  createConnectorProvider,
  createLogger,
  createPostgresRateLimiter,
  generateKey,
  parseKeyRing,
  QueueName,
  saveResource,
  testSecret,
} from '@syncbridge/engine';
import { createWebServer } from '../server/app.ts';
import { createJobSender, createWebhookRouter, type JobSenderHandle } from '../server/webhooks.ts';
import { listen } from './helpers.ts';

const db = useTestDatabase();
const keyRing = parseKeyRing(`m1:${generateKey()}`);
const WEBHOOK_SECRET = testSecret();
const METRICS_TOKEN = testSecret();
const logger = createLogger({ name: 'web-test', level: 'silent' });

let jobs: JobSenderHandle;
let http: Awaited<ReturnType<typeof listen>>;
let open: Awaited<ReturnType<typeof listen>>;
let integrationId: string;

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

async function scrape(base = http.url, token: string | null = METRICS_TOKEN): Promise<Sample[]> {
  const response = await fetch(`${base}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await response.text());
}

function deliver(body: string, secret = WEBHOOK_SECRET, deliveryId: string = randomUUID()) {
  const headers = restWebhookHeaders({ secret, deliveryId, rawBody: body, eventType: 'task.updated' });
  return fetch(`${http.url}/api/webhooks/integrations/${integrationId}/receive`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

beforeAll(async () => {
  const secret = keyRing.encrypt(WEBHOOK_SECRET);
  const integration = await db.prisma.integration.create({
    data: {
      name: 'REST',
      type: 'GENERIC_REST',
      baseUrl: 'http://127.0.0.1:9/api',
      webhookSecretEnc: secret.ciphertext,
      webhookSecretKeyId: secret.keyId,
    },
  });
  integrationId = integration.id;
  // A push resource: its table gets the capture trigger, so a local write waits in the outbox.
  await saveResource(
    {
      pool: db.pool,
      prisma: db.prisma,
      logger,
      limiter: createPostgresRateLimiter(db.pool),
      connectors: createConnectorProvider({ pool: db.pool, keyRing }),
    },
    {
      integrationId,
      name: 'tasks',
      resourceType: 'TASK',
      localTable: 'tasks',
      localKeyColumn: 'id',
      externalObject: 'tasks',
      direction: 'PUSH',
      fieldMappings: [{ local: 'title', external: 'title' }],
    },
  );

  jobs = createJobSender({ connectionString: db.url, logger, retryMs: 200 });
  await jobs.ready;
  const webhooks = createWebhookRouter({ db, logger, keyRing, sendJob: jobs.sender });
  const api = { keyRing, sendJob: jobs.sender };
  http = await listen(
    (await createWebServer({ db, logger, mode: 'api-only', webhooks, api, metricsToken: METRICS_TOKEN })).app,
  );
  open = await listen((await createWebServer({ db, logger, mode: 'api-only', api })).app);
});

afterAll(async () => {
  await http?.close();
  await open?.close();
  await jobs?.stop();
});

describe('web /metrics', () => {
  it('asks for the bearer token when METRICS_TOKEN is set, and is open without it', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: `Bearer ${METRICS_TOKEN.slice(1)}` },
      { authorization: METRICS_TOKEN },
    ]) {
      const response = await fetch(`${http.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.text()).not.toContain('syncbridge_');
    }
    expect(valueOf(await scrape(open.url, null), 'syncbridge_metrics_database_up')).toBe(1);
  });

  it('counts webhook deliveries by status and shows the jobs they queued', async () => {
    const before = await scrape();
    const base200 = valueOf(before, 'syncbridge_webhook_deliveries_total', { status: '200' }) ?? 0;
    expect(valueOf(before, 'syncbridge_queue_depth', { queue: QueueName.syncWebhook })).toBe(0);

    const deliveryId = randomUUID();
    const body = JSON.stringify({ id: deliveryId, type: 'task.updated', data: { id: 't1', title: 'Hi' } });
    expect((await deliver(body, WEBHOOK_SECRET, deliveryId)).status).toBe(200);
    expect((await deliver(body, WEBHOOK_SECRET, deliveryId)).status).toBe(200); // duplicate
    const other = JSON.stringify({ id: 'evt-2', type: 'task.updated', data: { id: 't2' } });
    expect((await deliver(other)).status).toBe(200);
    expect((await deliver(other, 'not-the-secret')).status).toBe(401);
    expect((await deliver(other, 'not-the-secret')).status).toBe(401);

    const after = await scrape();
    expect(valueOf(after, 'syncbridge_webhook_deliveries_total', { status: '200' })).toBe(base200 + 3);
    expect(valueOf(after, 'syncbridge_webhook_deliveries_total', { status: '401' })).toBe(2);
    // Two new deliveries, two sync.webhook jobs waiting for a worker.
    expect(valueOf(after, 'syncbridge_queue_depth', { queue: QueueName.syncWebhook })).toBe(2);
    expect(valueOf(after, 'syncbridge_queue_active_jobs', { queue: QueueName.syncWebhook })).toBe(0);
  });

  it('shows the outbox backlog and its age while a change waits', async () => {
    const empty = await scrape();
    expect(valueOf(empty, 'syncbridge_outbox_pending')).toBe(0);
    expect(valueOf(empty, 'syncbridge_outbox_lag_seconds')).toBe(0);

    await db.pool.query(`insert into tasks (title, status) values ('waiting', 'todo'), ('also', 'todo')`);
    const waiting = await vi.waitFor(
      async () => {
        const samples = await scrape();
        expect(valueOf(samples, 'syncbridge_outbox_lag_seconds')).toBeGreaterThan(0.05);
        return samples;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(valueOf(waiting, 'syncbridge_outbox_pending')).toBe(2);
    const { rows } = await db.pool.query<{ age: number }>(
      `select extract(epoch from clock_timestamp() - min(created_at))::float8 as age from change_outbox`,
    );
    // The scrape came first, so its age is at most the one read now.
    expect(valueOf(waiting, 'syncbridge_outbox_lag_seconds')).toBeLessThanOrEqual(rows[0]!.age);
  });
});
