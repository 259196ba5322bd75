import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restWebhookHeaders, signRestWebhook } from '@syncbridge/connectors';
import { createDatabase } from '@syncbridge/db';
import { findFreePort } from '@syncbridge/db/embedded';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createLogger, generateKey, parseKeyRing, QueueName, type JobSender } from '@syncbridge/engine';
import { PgBoss } from 'pg-boss';
import { createWebServer } from '../server/app.ts';
import {
  createJobSender,
  createWebhookRouter,
  DATABASE_RETRY_AFTER_SECONDS,
  type JobSenderHandle,
} from '../server/webhooks.ts';
import { createIngressIntegrations } from '../server/webhook-integrations.ts';
import { listen } from './helpers.ts';

const db = useTestDatabase();
const keyRing = parseKeyRing(`k1:${generateKey()}`);
const WEBHOOK_SECRET = 'whsec-rest-integration-secret-0123456789';
const ASANA_SECRET = 'asana-hook-secret-abcdef0123456789';
const ROTATED_SECRET = 'whsec-rotated-secret-9876543210fedcba';

// Everything the ingress logs, to check that no secret or signature reaches a log line.
const logLines: string[] = [];
const logger = createLogger({
  name: 'web-test',
  level: 'debug',
  destination: { write: (line: string) => logLines.push(line) },
});

let http: Awaited<ReturnType<typeof listen>>;
let jobs: JobSenderHandle;
let boss: PgBoss;
let restId: string;
let pausedId: string;
let disabledId: string;
let smartsheetId: string;
let asanaId: string;
/** Signatures sent during the tests; none may appear in the logs. */
const sentSignatures: string[] = [];

const receiveUrl = (id: string) => `${http.url}/api/webhooks/integrations/${id}/receive`;

async function deliver(id: string, body: string, headers: Record<string, string>) {
  if (headers['x-webhook-signature']) sentSignatures.push(headers['x-webhook-signature']);
  return fetch(receiveUrl(id), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

function signed(body: string, deliveryId = randomUUID(), now?: Date) {
  return restWebhookHeaders({ secret: WEBHOOK_SECRET, deliveryId, rawBody: body, now, eventType: 'task.updated' });
}

async function jobRows(): Promise<{ id: string; data: { eventId: string } }[]> {
  const { rows } = await db.pool.query<{ id: string; data: { eventId: string } }>(
    `select id, data from pgboss.job where name = $1`,
    [QueueName.syncWebhook],
  );
  return rows;
}

beforeAll(async () => {
  const secret = keyRing.encrypt(WEBHOOK_SECRET);
  const rest = { type: 'GENERIC_REST' as const, baseUrl: 'http://127.0.0.1:9/api' };
  const withSecret = { webhookSecretEnc: secret.ciphertext, webhookSecretKeyId: secret.keyId };
  [restId, pausedId, disabledId, smartsheetId, asanaId] = await Promise.all([
    db.prisma.integration.create({ data: { name: 'REST', ...rest, ...withSecret } }).then((i) => i.id),
    db.prisma.integration
      .create({ data: { name: 'Paused', ...rest, ...withSecret, status: 'PAUSED' } })
      .then((i) => i.id),
    db.prisma.integration
      .create({ data: { name: 'Off', ...rest, ...withSecret, status: 'DISABLED' } })
      .then((i) => i.id),
    db.prisma.integration.create({ data: { name: 'Sheet', type: 'SMARTSHEET' } }).then((i) => i.id),
    db.prisma.integration.create({ data: { name: 'Asana', type: 'ASANA' } }).then((i) => i.id),
  ]);

  jobs = createJobSender({ connectionString: db.url, logger, retryMs: 200 });
  await jobs.ready;
  const webhooks = createWebhookRouter({ db, logger, keyRing, sendJob: jobs.sender });
  const web = await createWebServer({ db, logger, mode: 'api-only', webhooks });
  http = await listen(web.app);
  // A second PgBoss, as the worker would be, to read the queued jobs back.
  boss = new PgBoss({ connectionString: db.url, supervise: false, schedule: false, migrate: false });
  boss.on('error', () => undefined);
  await boss.start();
});

afterAll(async () => {
  await http?.close();
  await boss?.stop({ graceful: false });
  await jobs?.stop();
});

describe('webhook ingress', () => {
  it('accepts a signed delivery: stores it (without signature headers), queues one job, answers 200', async () => {
    const body = JSON.stringify({ id: 'evt-1', type: 'task.updated', data: { id: 't1', title: 'Hello' } });
    const headers = signed(body);
    const response = await deliver(restId, body, headers);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { status: string; eventId: string };
    expect(answer).toMatchObject({ status: 'accepted' });

    const event = await db.prisma.webhookEvent.findUniqueOrThrow({ where: { id: answer.eventId } });
    expect(event).toMatchObject({
      integrationId: restId,
      dedupeKey: headers['x-webhook-id'],
      eventType: 'task.updated',
      rawBody: body,
      status: 'RECEIVED',
    });
    const stored = event.headers as Record<string, string>;
    expect(stored['x-webhook-id']).toBe(headers['x-webhook-id']);
    expect(stored).not.toHaveProperty('x-webhook-signature');

    const queued = (await jobRows()).filter((job) => job.data.eventId === answer.eventId);
    expect(queued).toHaveLength(1);
    const job = await boss.getJobById<{ eventId: string }>(QueueName.syncWebhook, queued[0]!.id);
    expect(job?.data).toEqual({ eventId: answer.eventId });
    expect(job?.state).toBe('created');
  });

  it('answers a replayed delivery (same X-Webhook-Id, re-signed) with 200 duplicate: one event, one job', async () => {
    const deliveryId = randomUUID();
    const body = JSON.stringify({ id: deliveryId, type: 'task.created', data: { id: 't2' } });
    const first = await deliver(restId, body, signed(body, deliveryId));
    expect(first.status).toBe(200);
    const { eventId } = (await first.json()) as { eventId: string };
    // The sender's retry a moment later: new timestamp and signature, same delivery id.
    const retry = await deliver(restId, body, signed(body, deliveryId, new Date(Date.now() + 2000)));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ status: 'duplicate' });

    expect(await db.prisma.webhookEvent.count({ where: { integrationId: restId, dedupeKey: deliveryId } })).toBe(1);
    expect((await jobRows()).filter((job) => job.data.eventId === eventId)).toHaveLength(1);
  });

  it('dedupes on X-Idempotency-Key, else on the body, when the scheme gives no delivery id', async () => {
    const body = JSON.stringify({ id: 'no-id', data: {} });
    const unsigned = (extra: Record<string, string>) => {
      const h = signed(body);
      delete h['x-webhook-id'];
      return { ...h, ...extra };
    };
    const a = await deliver(restId, body, unsigned({ 'x-idempotency-key': 'idem-1' }));
    const b = await deliver(restId, body, unsigned({ 'x-idempotency-key': 'idem-1' }));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await b.json()).toEqual({ status: 'duplicate' });
    const c = await deliver(restId, body, unsigned({}));
    const d = await deliver(restId, body, unsigned({}));
    expect((await c.json()) as object).toMatchObject({ status: 'accepted' });
    expect(await d.json()).toEqual({ status: 'duplicate' });
    const keys = await db.prisma.webhookEvent.findMany({ where: { dedupeKey: { in: ['idem-1'] } } });
    expect(keys).toHaveLength(1);
    expect(
      await db.prisma.webhookEvent.count({
        where: { integrationId: restId, dedupeKey: { startsWith: 'body-sha256:' } },
      }),
    ).toBe(1);
  });

  it('401 on a bad or missing signature, 401 on a stale timestamp, 400 on malformed signature headers', async () => {
    const body = JSON.stringify({ id: 'evt-x' });
    const wrong = restWebhookHeaders({ secret: 'not-the-secret', deliveryId: randomUUID(), rawBody: body });
    const bad = await deliver(restId, body, wrong);
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });

    // A valid signature over a changed body is a bad signature too.
    const tampered = await deliver(restId, `${body} `, signed(body));
    expect(tampered.status).toBe(401);

    const missing = await deliver(restId, body, { 'x-webhook-id': randomUUID() });
    expect(missing.status).toBe(401);

    const stale = await deliver(restId, body, signed(body, randomUUID(), new Date(Date.now() - 10 * 60 * 1000)));
    expect(stale.status).toBe(401);
    const staleBody = (await stale.json()) as { error: { code: string; message: string } };
    expect(staleBody.error.code).toBe('UNAUTHORIZED');
    expect(staleBody.error.message).toMatch(/timestamp.*5 minutes/);

    const malformed = await deliver(restId, body, {
      'x-webhook-timestamp': 'yesterday',
      'x-webhook-signature': signRestWebhook(WEBHOOK_SECRET, 'yesterday', body),
      'x-webhook-id': randomUUID(),
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });

    expect(await db.prisma.webhookEvent.count({ where: { rawBody: body } })).toBe(0);
  });

  it('403 for a paused or disabled integration, 404 for an unknown or malformed id', async () => {
    const body = '{}';
    for (const id of [pausedId, disabledId]) {
      const response = await deliver(id, body, signed(body));
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    }
    for (const id of [randomUUID(), 'not-a-uuid', '%0d%0aforged']) {
      const response = await deliver(id, body, signed(body));
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  it('413 for a body one byte over 1 MB; 1 MB exactly is read', async () => {
    const over = 'x'.repeat(1024 * 1024 + 1);
    const response = await deliver(restId, over, signed(over));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });

    const limit = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 - 10) });
    expect(Buffer.byteLength(limit)).toBe(1024 * 1024);
    const atLimit = await deliver(restId, limit, signed(limit));
    expect(atLimit.status).toBe(200);
  });

  it('answers the Smartsheet verification challenge before any signature check, storing nothing', async () => {
    const challenge = randomUUID();
    const before = await db.prisma.webhookEvent.count();
    const response = await deliver(smartsheetId, JSON.stringify({ challenge, webhookId: 42 }), {
      'smartsheet-hook-challenge': challenge,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('smartsheet-hook-response')).toBe(challenge);
    expect(await response.json()).toEqual({ smartsheetHookResponse: challenge });

    // The body alone is enough too.
    const bodyOnly = await deliver(smartsheetId, JSON.stringify({ challenge: 'c-2', webhookId: 42 }), {});
    expect(await bodyOnly.json()).toEqual({ smartsheetHookResponse: 'c-2' });

    // Not a challenge, not signed: refused.
    const unsigned = await deliver(smartsheetId, JSON.stringify({ nonce: 'n1', events: [] }), {});
    expect(unsigned.status).toBe(401);
    expect(await db.prisma.webhookEvent.count()).toBe(before);
  });

  it('completes the Asana handshake: stores the secret encrypted, echoes it, then verifies deliveries with it', async () => {
    const handshake = await deliver(asanaId, '', { 'x-hook-secret': ASANA_SECRET });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('x-hook-secret')).toBe(ASANA_SECRET);

    const integration = await db.prisma.integration.findUniqueOrThrow({ where: { id: asanaId } });
    expect(integration.webhookSecretEnc).toBeTruthy();
    expect(integration.webhookSecretEnc).not.toContain(ASANA_SECRET);
    expect(keyRing.decrypt(integration.webhookSecretKeyId!, integration.webhookSecretEnc!)).toBe(ASANA_SECRET);

    // The same handshake again is answered; a different secret is not taken over.
    expect((await deliver(asanaId, '', { 'x-hook-secret': ASANA_SECRET })).status).toBe(200);
    const takeover = await deliver(asanaId, '', { 'x-hook-secret': 'attacker-secret' });
    expect(takeover.status).toBe(409);
    expect(takeover.headers.get('x-hook-secret')).toBeNull();

    const body = JSON.stringify({ events: [{ action: 'changed', resource: { gid: '1', resource_type: 'task' } }] });
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha256', ASANA_SECRET).update(body).digest('hex');
    sentSignatures.push(signature);
    const delivery = await deliver(asanaId, body, { 'x-hook-signature': signature });
    expect(delivery.status).toBe(200);
    expect(await delivery.json()).toMatchObject({ status: 'accepted' });
    const forged = await deliver(asanaId, body, { 'x-hook-signature': 'ab'.repeat(32) });
    expect(forged.status).toBe(401);
  });

  it('answers an accepted delivery in milliseconds (median reported, not asserted)', async () => {
    const samples: number[] = [];
    for (let i = 0; i < 40; i++) {
      const body = JSON.stringify({ id: `lat-${i}`, type: 'task.updated', data: { id: `t${i}`, n: i } });
      const headers = signed(body);
      const started = performance.now();
      const response = await deliver(restId, body, headers);
      await response.arrayBuffer();
      samples.push(performance.now() - started);
      expect(response.status).toBe(200);
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    console.log(
      `webhook ingress latency over ${samples.length} accepted deliveries: median ${median.toFixed(2)} ms, ` +
        `p90 ${samples[Math.floor(samples.length * 0.9)]!.toFixed(2)} ms`,
    );
  });

  it('takes a pause, a resume and a secret rotation into account at the very next delivery', async () => {
    // Rows remembered by this router never expire: only the store's re-check can see a change.
    const integrations = createIngressIntegrations({ pool: db.pool, now: () => 0 });
    const webhooks = createWebhookRouter({ db, logger, keyRing, sendJob: jobs.sender, integrations });
    const frozen = await listen((await createWebServer({ db, logger, mode: 'api-only', webhooks })).app);
    const sealed = keyRing.encrypt(WEBHOOK_SECRET);
    const { id } = await db.prisma.integration.create({
      data: {
        name: 'Changing',
        type: 'GENERIC_REST',
        baseUrl: 'http://127.0.0.1:9/api',
        webhookSecretEnc: sealed.ciphertext,
        webhookSecretKeyId: sealed.keyId,
      },
    });
    const send = async (secret: string) => {
      const body = JSON.stringify({ id: randomUUID(), type: 'task.updated' });
      const headers = restWebhookHeaders({ secret, deliveryId: randomUUID(), rawBody: body });
      sentSignatures.push(headers['x-webhook-signature']!);
      const response = await fetch(`${frozen.url}/api/webhooks/integrations/${id}/receive`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: response.status, answer: (await response.json()) as Record<string, unknown> };
    };
    const stored = () => db.prisma.webhookEvent.count({ where: { integrationId: id } });
    try {
      expect((await send(WEBHOOK_SECRET)).status).toBe(200); // the row is now remembered as ACTIVE

      // Paused as the API pauses (a Prisma update): refused at once, nothing stored.
      await db.prisma.integration.update({ where: { id }, data: { status: 'PAUSED' } });
      expect(await send(WEBHOOK_SECRET)).toMatchObject({ status: 403, answer: { error: { code: 'FORBIDDEN' } } });
      expect(await stored()).toBe(1);
      // Resumed: accepted at once, although the remembered row says PAUSED now.
      await db.prisma.integration.update({ where: { id }, data: { status: 'ACTIVE' } });
      expect(await send(WEBHOOK_SECRET)).toMatchObject({ status: 200, answer: { status: 'accepted' } });

      // Disabled by raw SQL that leaves updated_at alone: refused at once as well.
      await db.pool.query(`update integrations set status = 'DISABLED' where id = $1`, [id]);
      expect((await send(WEBHOOK_SECRET)).status).toBe(403);
      await db.pool.query(`update integrations set status = 'ACTIVE' where id = $1`, [id]);
      expect((await send(WEBHOOK_SECRET)).status).toBe(200);

      // Rotated as the API rotates: the old signature is refused at once, the new one accepted.
      const rotated = keyRing.encrypt(ROTATED_SECRET);
      await db.prisma.integration.update({
        where: { id },
        data: { webhookSecretEnc: rotated.ciphertext, webhookSecretKeyId: rotated.keyId },
      });
      expect(await send(WEBHOOK_SECRET)).toMatchObject({ status: 401, answer: { error: { code: 'UNAUTHORIZED' } } });
      expect(await send(ROTATED_SECRET)).toMatchObject({ status: 200, answer: { status: 'accepted' } });
      expect(await stored()).toBe(4);
    } finally {
      await frozen.close();
    }
  });

  it('stores concurrent deliveries once each with one job, a delivery sent twice at once included', async () => {
    const deliveries = Array.from({ length: 40 }, (_, i) => {
      const body = JSON.stringify({ id: `burst-${i}`, type: 'task.updated', data: { id: `t${i}` } });
      return { body, deliveryId: randomUUID() };
    });
    const burst = [...deliveries, ...deliveries.slice(0, 8)];
    const answers = await Promise.all(
      burst.map(async ({ body, deliveryId }) => {
        const response = await deliver(restId, body, signed(body, deliveryId));
        return { status: response.status, answer: (await response.json()) as { status: string; eventId?: string } };
      }),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const accepted = answers.filter((a) => a.answer.status === 'accepted');
    expect(accepted).toHaveLength(40);
    expect(answers.filter((a) => a.answer.status === 'duplicate')).toHaveLength(8);
    const events = await db.prisma.webhookEvent.findMany({
      where: { integrationId: restId, dedupeKey: { in: deliveries.map((d) => d.deliveryId) } },
    });
    expect(events.map((e) => e.id).sort()).toEqual(accepted.map((a) => a.answer.eventId).sort());
    const queued = (await jobRows()).filter((job) => events.some((e) => e.id === job.data.eventId));
    expect(queued).toHaveLength(40);
  });

  it('logs no secret and no signature', () => {
    const text = logLines.join('');
    expect(text).toContain('webhook accepted');
    expect(text).toContain('webhook refused');
    // Refusals are warnings; nothing above failed unexpectedly.
    expect(text).not.toContain('"level":"error"');
    for (const secret of [WEBHOOK_SECRET, ROTATED_SECRET, ASANA_SECRET, 'attacker-secret', ...sentSignatures]) {
      expect(text).not.toContain(secret);
    }
    // The CR/LF in a malformed id never reached a log line unescaped.
    expect(text).not.toMatch(/\r|[^\n]\nforged/);
  });
});

describe('webhook ingress without a database', () => {
  let down: ReturnType<typeof createDatabase>;
  let server: Awaited<ReturnType<typeof listen>>;
  const neverSends: JobSender = { send: () => Promise.reject(new Error('must not be reached')) };

  beforeAll(async () => {
    // A port nothing listens on: every connection attempt is refused at once.
    down = createDatabase({ connectionString: `postgres://nobody:secret-pw@127.0.0.1:${await findFreePort()}/none` });
    const webhooks = createWebhookRouter({ db: down, logger, keyRing, sendJob: neverSends });
    server = await listen((await createWebServer({ db: down, logger, mode: 'api-only', webhooks })).app);
  });
  afterAll(async () => {
    await server?.close();
    await down?.close();
  });

  it('answers 503 with Retry-After so the sender retries, without driver details', async () => {
    const body = '{}';
    const response = await fetch(`${server.url}/api/webhooks/integrations/${randomUUID()}/receive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed(body) },
      body,
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    expect(text).not.toContain('secret-pw');
    expect(text).not.toContain('ECONNREFUSED');
  });

  it('answers 503 while the job queue has not started yet', async () => {
    const pending = createJobSender({
      connectionString: `postgres://nobody:pw@127.0.0.1:${await findFreePort()}/none`,
      logger,
      retryMs: 60_000,
    });
    try {
      await expect(pending.sender.send(QueueName.syncWebhook, {})).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    } finally {
      await pending.stop();
    }
  });
});
