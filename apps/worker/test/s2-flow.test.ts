// Flow S2 end to end, through the real pieces: SmartSuite changes (sandbox) are delivered as signed
// webhooks — some twice, all shuffled — to the real web ingress (apps/web's webhook router: verify,
// dedupe, store, enqueue in one transaction); the real worker (pg-boss sync.webhook jobs, the
// LISTEN/NOTIFY outbox drainer) fetches each record from SmartSuite with the real connector, stages
// it, and pushes it to the Webflow sandbox with the official SDK, in bulk, published, under the
// Webflow integration's write cap. Both connectors come from the engine's registry, with encrypted
// credentials. The cap is shortened for speed (4 writes per 2 s window) and checked with the Webflow
// sandbox's own per-window counter.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createWebflowSandbox,
  startSandbox,
  startSmartSuite,
  SMARTSUITE_ACCOUNT_ID,
  SMARTSUITE_API_KEY,
  type SandboxServer,
  type SmartSuiteHarness,
  type WebflowSandbox,
} from '@syncbridge/connectors/sandboxes';
import { smartsuiteWebhookHeaders } from '@syncbridge/connectors';
import { useTestDatabase } from '@syncbridge/db/testing';
import {
  ensureS2StagingTable,
  generateKey,
  parseKeyRing,
  s2Resources,
  saveResource,
  S2_STAGING_TABLE,
  S2_WEBFLOW_FIELDS,
} from '@syncbridge/engine';
import { createJobSender, createWebhookRouter, type JobSenderHandle } from '../../web/server/webhooks.ts';
import { createWorker, type Worker } from '../src/worker.ts';
import { captureLogger, testEngineContext } from './support.ts';

const db = useTestDatabase();
const keyRing = parseKeyRing(`k1:${generateKey()}`);
const WEBHOOK_SECRET = 'whsec-s2-smartsuite-0123456789';
const WEBFLOW_TOKEN = 'wf-s2-e2e-token';
const CAP = 4;
const CAP_WINDOW_MS = 2000;
const NEVER_IN_THIS_TEST = '0 0 1 1 *';

let ss: SmartSuiteHarness;
let webflow: WebflowSandbox;
let webflowServer: SandboxServer;
let ingress: SandboxServer;
let jobs: JobSenderHandle;
let worker: Worker;
let tableId: string;
let collectionId: string;
let smartsuiteId: string;
let webflowId: string;
let pushId: string;

const encrypt = (value: string) => {
  const { keyId, ciphertext } = keyRing.encrypt(value);
  return { ciphertext, keyId };
};
const receiveUrl = () => `${ingress.url}/api/webhooks/integrations/${smartsuiteId}/receive`;

beforeAll(async () => {
  // SmartSuite allows 5 requests/s per key; raised here (sandbox and integration alike) so 200
  // single-record fetches take ~2 s instead of 40: this test is about the Webflow side's cap.
  ss = await startSmartSuite({ requestsPerWindow: 100, windowMs: 1000, penaltyMs: 1000 });
  webflow = createWebflowSandbox({ accessToken: WEBFLOW_TOKEN, requestsPerWindow: 1000 });
  webflowServer = await webflow.start();
  tableId = ss.sandbox.tables.createTable({
    name: 'Products',
    fields: [
      { slug: 'description', field_type: 'textareafield' },
      { slug: 'price', field_type: 'numberfield' },
    ],
  }).id;
  collectionId = webflow.collections.createCollection({ displayName: 'Products', fields: [...S2_WEBFLOW_FIELDS] }).id;

  const credentials = (value: unknown) => {
    const { ciphertext, keyId } = encrypt(JSON.stringify(value));
    return { credentialsEnc: ciphertext, credentialsKeyId: keyId };
  };
  const secret = encrypt(WEBHOOK_SECRET);
  smartsuiteId = (
    await db.prisma.integration.create({
      data: {
        name: 'SmartSuite products',
        type: 'SMARTSUITE',
        direction: 'PULL',
        frequency: 'MANUAL',
        baseUrl: ss.baseUrl,
        settings: { accountId: SMARTSUITE_ACCOUNT_ID, requestsPerWindow: 100, windowMs: 1000 },
        webhookSecretEnc: secret.ciphertext,
        webhookSecretKeyId: secret.keyId,
        ...credentials({ apiKey: SMARTSUITE_API_KEY }),
      },
    })
  ).id;
  webflowId = (
    await db.prisma.integration.create({
      data: {
        name: 'Webflow products',
        type: 'WEBFLOW',
        direction: 'PUSH',
        frequency: 'MANUAL',
        baseUrl: `${webflowServer.url}/v2`,
        settings: { writeCapPerMinute: CAP, writeCapWindowMs: CAP_WINDOW_MS },
        ...credentials({ accessToken: WEBFLOW_TOKEN }),
      },
    })
  ).id;
  await ensureS2StagingTable(db.pool);
  const { pull, push } = s2Resources({
    smartsuiteIntegrationId: smartsuiteId,
    webflowIntegrationId: webflowId,
    tableId,
    collectionId,
  });
  const setup = testEngineContext(db);
  await saveResource(setup, pull);
  pushId = (await saveResource(setup, push)).id;

  const { logger } = captureLogger();
  worker = createWorker({
    databaseUrl: db.url,
    logger,
    port: 0,
    host: '127.0.0.1',
    // Webhook jobs are fetched one at a time per slot, every polling interval: more slots, more throughput.
    concurrency: 8,
    keyRing,
    timing: {
      pollingIntervalSeconds: 0.5,
      outboxSweepIntervalMs: 1000,
      dispatchCron: NEVER_IN_THIS_TEST,
      retryCron: NEVER_IN_THIS_TEST,
    },
  });
  await worker.start();
  jobs = createJobSender({ connectionString: db.url, logger, retryMs: 200 });
  await jobs.ready;
  const app = express();
  app.use(createWebhookRouter({ db, logger, keyRing, sendJob: jobs.sender }));
  ingress = await startSandbox(app);
  ss.sandbox.webhooks.configure({ url: receiveUrl(), secret: WEBHOOK_SECRET, hold: true });
}, 60_000);

afterAll(async () => {
  await ingress?.close();
  await jobs?.stop();
  await worker?.stop();
  await ss?.close();
  await webflowServer?.close();
});

const slugOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What the Webflow collection must hold: one published item per live SmartSuite record. */
async function expectedItems() {
  const { rows } = await db.pool.query<{ id: string; smartsuite_id: string }>(
    `select id, smartsuite_id from ${S2_STAGING_TABLE}`,
  );
  const keyOf = new Map(rows.map((r) => [r.smartsuite_id, r.id]));
  return ss.sandbox.tables.records(tableId).map((record) => ({
    name: record.title as string,
    slug: slugOf(record.title as string),
    body: `<h2>${html(record.title as string)}</h2><p>${html((record.description as string | undefined) ?? '')}</p>`,
    price: (record.price as number | undefined) ?? null,
    'syncbridge-id': keyOf.get(record.id as string) ?? `(not staged: ${record.id as string})`,
  }));
}

const byKey = <T extends Record<string, unknown>>(items: T[]) =>
  [...items].sort((a, b) => String(a['syncbridge-id']).localeCompare(String(b['syncbridge-id'])));

describe('S2 end to end: SmartSuite webhooks → ingress → worker → Webflow', () => {
  it('200 changes, some delivered twice, all out of order, leave exactly the expected published items, never above the cap', async () => {
    const started = Date.now();
    // 120 creates, 60 updates (50 prices, 10 renames), 20 deletes: 200 record events.
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      const n = String(i).padStart(3, '0');
      const record = ss.sandbox.tables.create(tableId, {
        title: `Product ${n}`,
        description: i % 7 === 0 ? `Special <${n}> & "quoted"` : `Description ${n}`,
        price: i,
      });
      ids.push(record.id as string);
    }
    for (let i = 0; i < 50; i++) ss.sandbox.tables.update(tableId, ids[i]!, { price: 1000 + i });
    for (let i = 0; i < 10; i++) ss.sandbox.tables.update(tableId, ids[i]!, { title: `Renamed ${i}` });
    for (let i = 100; i < 120; i++) ss.sandbox.tables.remove(tableId, ids[i]!);
    expect(ss.sandbox.webhooks.pending).toHaveLength(200);

    const deliveries = await ss.sandbox.webhooks.flush({ duplicate: 0.2, reorder: true });
    expect(deliveries.length).toBeGreaterThan(220);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    // Duplicates were stored once: one event per SmartSuite change.
    expect(await db.prisma.webhookEvent.count({ where: { integrationId: smartsuiteId } })).toBe(200);

    await vi.waitFor(
      async () => {
        const pending = await db.prisma.webhookEvent.count({
          where: { integrationId: smartsuiteId, status: { notIn: ['PROCESSED', 'IGNORED'] } },
        });
        expect(pending).toBe(0);
        expect(await db.prisma.changeOutbox.count({ where: { resourceId: pushId } })).toBe(0);
        const live = webflow.collections.liveItems(collectionId).map((item) => item.fieldData);
        expect(byKey(live)).toEqual(byKey(await expectedItems()));
      },
      { timeout: 120_000, interval: 250 },
    );
    const elapsedMs = Date.now() - started;

    // Exactly the expected items, each published as staged; none for the 20 deleted records.
    const staged = webflow.collections.items(collectionId);
    expect(staged).toHaveLength(100);
    for (const item of staged) {
      expect(webflow.collections.liveItem(collectionId, item.id)?.fieldData).toEqual(item.fieldData);
    }
    const names = new Set(staged.map((item) => item.fieldData.name));
    for (let i = 100; i < 120; i++) expect(names.has(`Product ${i}`)).toBe(false);
    expect(names.has('Renamed 3')).toBe(true);
    expect(await db.prisma.integrationMapping.count({ where: { status: { not: 'SYNCED' } } })).toBe(0);

    // The cap held in every window the Webflow sandbox saw, and it mattered (more writes than one window allows).
    const writes = webflow.writes.total;
    const busiest = webflow.writes.maxRequestsInWindow(CAP_WINDOW_MS);
    expect(busiest).toBeLessThanOrEqual(CAP);
    expect(writes).toBeGreaterThan(CAP);
    expect(webflow.limiter.rejected).toBe(0);
    expect(ss.sandbox.limiter.rejected).toBe(0);
    console.info(
      `S2 e2e: ${deliveries.length} deliveries for 200 changes, ${writes} Webflow write requests ` +
        `(${webflow.writtenItems.total} items), busiest ${CAP_WINDOW_MS} ms window ${busiest}/${CAP}, ` +
        `${ss.sandbox.counters.total} SmartSuite requests, converged in ${elapsedMs} ms`,
    );
  }, 150_000);

  it('the ingress refuses a bad signature and a stale timestamp, and stores a replayed idempotency key once', async () => {
    const body = JSON.stringify({
      kind: 'RECORD_UPDATED',
      event_id: 'replayed-event',
      record_event_data: { record_id: 'r', locator: { application_id: tableId } },
    });
    const post = (headers: Record<string, string>) =>
      fetch(receiveUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const signed = (now = new Date()) =>
      smartsuiteWebhookHeaders({ secret: WEBHOOK_SECRET, rawBody: body, now, idempotencyKey: 'replayed-event' });

    const wrong = await post(
      smartsuiteWebhookHeaders({ secret: 'not-the-secret', rawBody: body, idempotencyKey: 'x' }),
    );
    expect(wrong.status).toBe(401);
    const stale = await post(signed(new Date(Date.now() - 6 * 60_000)));
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/5 minutes/);

    const first = await post(signed());
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'accepted' });
    const replay = await post(signed(new Date(Date.now() + 1000))); // re-signed, same key
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    expect(
      await db.prisma.webhookEvent.count({ where: { integrationId: smartsuiteId, dedupeKey: 'replayed-event' } }),
    ).toBe(1);
  });
});
