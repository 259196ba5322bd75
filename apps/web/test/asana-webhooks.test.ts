// Asana → the real webhook ingress → the engine, end to end: registering a webhook through the Asana
// connector makes the Asana sandbox run the X-Hook-Secret handshake against the ingress (which
// stores the secret encrypted), task changes are delivered signed, stored once and queued, and
// processing them (as the worker's sync.webhook job does) updates the `tasks` table. A replayed
// delivery is a duplicate; a forged one is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAsanaWebhook } from '@syncbridge/connectors';
import { startAsana, type AsanaHarness, type AsanaStoredProject } from '@syncbridge/connectors/sandboxes';
import { useTestDatabase } from '@syncbridge/db/testing';
import {
  createLogger,
  createPostgresRateLimiter,
  generateKey,
  parseKeyRing,
  processWebhookEvent,
  QueueName,
  S5_ASANA_CUSTOM_FIELDS,
  S5_ASANA_INTEGRATION,
  s5AsanaTasksResource,
  saveResource,
  type EngineContext,
} from '@syncbridge/engine';
import { createWebServer } from '../server/app.ts';
import { createJobSender, createWebhookRouter, type JobSenderHandle } from '../server/webhooks.ts';
import { listen } from './helpers.ts';

const db = useTestDatabase();
const keyRing = parseKeyRing(`k1:${generateKey()}`);
const logger = createLogger({ name: 'web-test', level: 'silent' });

let h: AsanaHarness;
let project: AsanaStoredProject;
let http: Awaited<ReturnType<typeof listen>>;
let jobs: JobSenderHandle;
let ctx: EngineContext;
let integrationId: string;

const receiveUrl = () => `${http.url}/api/webhooks/integrations/${integrationId}/receive`;
const events = () => db.prisma.webhookEvent.findMany({ where: { integrationId }, orderBy: { receivedAt: 'asc' } });

beforeAll(async () => {
  h = await startAsana({ webhooks: { retryDelayMs: 0 } });
  const { store } = h.sandbox;
  project = store.addProject({
    name: 'BritePool tasks',
    customFields: S5_ASANA_CUSTOM_FIELDS.map((field) => store.addCustomField(field)),
  });
  jobs = createJobSender({ connectionString: db.url, logger, retryMs: 200 });
  await jobs.ready;
  const webhooks = createWebhookRouter({ db, logger, keyRing, sendJob: jobs.sender });
  http = await listen((await createWebServer({ db, logger, mode: 'api-only', webhooks })).app);
  ctx = {
    pool: db.pool,
    prisma: db.prisma,
    logger,
    connectors: () => h.connector,
    limiter: createPostgresRateLimiter(db.pool),
  };
  const integration = await db.prisma.integration.create({
    data: { ...S5_ASANA_INTEGRATION, name: 'Tasks ↔ Asana', baseUrl: h.basePath },
  });
  integrationId = integration.id;
  await saveResource(ctx, s5AsanaTasksResource(integrationId, project.gid));
});

afterAll(async () => {
  await http?.close();
  await jobs?.stop();
  await h?.close();
});

describe('Asana webhooks through the ingress', () => {
  it('registers (handshake answered by the ingress), then applies signed deliveries once each', async () => {
    const webhook = await h.connector.registerWebhook({ resource: project.gid, target: receiveUrl() });
    const secret = h.sandbox.webhooks.get(webhook.gid)!.secret;
    const integration = await db.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } });
    expect(keyRing.decrypt(integration.webhookSecretKeyId!, integration.webhookSecretEnc!)).toBe(secret);

    const made = h.sandbox.store.create({ name: 'Made in Asana', projects: [project.gid], due_on: '2026-06-01' });
    await h.sandbox.webhooks.idle();
    expect(h.sandbox.webhooks.deliveries.at(-1)).toMatchObject({ ok: true, status: 200 });
    const [first] = await events();
    expect(first).toMatchObject({ status: 'RECEIVED' });
    const { rows: queued } = await db.pool.query<{ data: { eventId: string } }>(
      'select data from pgboss.job where name = $1',
      [QueueName.syncWebhook],
    );
    expect(queued.map((job) => job.data.eventId)).toContain(first!.id);

    await expect(processWebhookEvent(ctx, first!.id)).resolves.toMatchObject({ status: 'PROCESSED', applied: 1 });
    const local = await db.prisma.tasks.findFirstOrThrow({ where: { title: 'Made in Asana' } });
    expect(local).toMatchObject({ status: 'todo', due_date: new Date('2026-06-01T00:00:00Z') });

    // The same bytes again (Asana re-sends what it saw unanswered): a duplicate, nothing stored.
    const replay = await fetch(receiveUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hook-signature': signAsanaWebhook(secret, first!.rawBody) },
      body: first!.rawBody,
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    // A forged signature is refused.
    const forged = await fetch(receiveUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hook-signature': signAsanaWebhook('not-the-secret', first!.rawBody),
      },
      body: first!.rawBody,
    });
    expect(forged.status).toBe(401);
    expect(await events()).toHaveLength(1);

    h.sandbox.store.update(made.gid, { name: 'Renamed in Asana', completed: true });
    await h.sandbox.webhooks.idle();
    const second = (await events())[1]!;
    await expect(processWebhookEvent(ctx, second.id)).resolves.toMatchObject({ status: 'PROCESSED', applied: 1 });
    expect(await db.prisma.tasks.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({
      title: 'Renamed in Asana',
      completed: true,
    });
    await h.connector.deleteWebhook(webhook.gid);
  });
});
