// Flow S5 end to end with the generic REST API: `participation_logs` ↔ a collection of the F025
// records API through the declarative connector (shipped `generic` definition, chosen by the
// integration's settings.definition and built by the real connector registry from encrypted
// credentials) against the generic REST sandbox over HTTP, on a real Postgres. Pushes come from
// the change-capture outbox; API changes arrive by signed webhooks (X-Webhook-Signature +
// X-Webhook-Timestamp, verified by the connector, stored once per X-Webhook-Id, processed like the
// worker does) and by the hourly incremental pull; each conflict strategy meets a simultaneous edit.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRestWebhook, type Connector } from '@syncbridge/connectors';
import {
  createRestSandbox,
  startSandbox,
  type RestSandbox,
  type SandboxServer,
} from '@syncbridge/connectors/sandboxes';
import type { ConflictStrategy } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createConnectorProvider } from '../src/connector-registry.ts';
import type { EngineContext } from '../src/context.ts';
import { createKeyRing } from '../src/crypto.ts';
import { S5_REST_INTEGRATION, s5RestParticipationResource } from '../src/presets/s5-rest-participation.ts';
import { pullResource } from '../src/pull.ts';
import { drainOutbox } from '../src/push.ts';
import { applyConflictResolution } from '../src/resolve.ts';
import { saveResource } from '../src/resources.ts';
import { processWebhookEvent } from '../src/webhooks.ts';
import { engineContext } from './support.ts';

const db = useTestDatabase();
const TOKEN = 'participation-api-token';
const WEBHOOK_SECRET = 'whsec_participation_secret';
const COLLECTION = 'participation_logs';
const BATCH = 'POST /v1/collections/:c/records/batch';
const LIST = 'GET /v1/collections/:c/records';

let sandbox: RestSandbox;
let api: SandboxServer;
let target: SandboxServer;
let ctx: EngineContext;
let integrationId: string;
let resourceId: string;
let memberId: string;

const received: { status: number; outcome: string }[] = [];
const stored: string[] = [];

async function connector(): Promise<Connector> {
  const integration = await db.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } });
  return ctx.connectors(integration);
}

/** The webhook ingress, as the web app does it: verify with the connector, store once, answer. */
async function ingress(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks);
  const verification = (await connector()).verifyWebhook(
    { method: 'POST', url: req.url ?? '', headers: req.headers, rawBody },
    WEBHOOK_SECRET,
  );
  if (!verification.ok) {
    received.push({ status: 401, outcome: verification.reason });
    res.writeHead(401).end();
    return;
  }
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into webhook_events (integration_id, dedupe_key, headers, raw_body) values ($1, $2, '{}'::jsonb, $3)
     on conflict (integration_id, dedupe_key) do nothing returning id`,
    [integrationId, verification.deliveryId, rawBody.toString('utf8')],
  );
  const id = rows[0]?.id;
  if (id) stored.push(id);
  received.push({ status: 200, outcome: id ? 'accepted' : 'duplicate' });
  res.writeHead(200).end();
}

beforeAll(async () => {
  sandbox = createRestSandbox({ token: TOKEN });
  api = await sandbox.start();
  const keyRing = createKeyRing(new Map([['k1', randomBytes(32)]]), 'k1');
  const credentials = keyRing.encrypt(JSON.stringify({ token: TOKEN }));
  ctx = engineContext(db, { connectors: createConnectorProvider({ pool: db.pool, keyRing }) });
  const integration = await db.prisma.integration.create({
    data: {
      ...S5_REST_INTEGRATION,
      name: 'Participation ↔ REST',
      baseUrl: api.url,
      credentialsEnc: credentials.ciphertext,
      credentialsKeyId: credentials.keyId,
    },
  });
  integrationId = integration.id;
  resourceId = (await saveResource(ctx, s5RestParticipationResource(integrationId))).id;
  memberId = (await db.prisma.members.create({ data: { first_name: 'Ada', email: 'ada@example.com' } })).id;
  target = await startSandbox((req, res) => {
    ingress(req, res).catch(() => res.writeHead(500).end());
  });
});
afterAll(async () => {
  await target?.close();
  await api?.close();
});

const record = (externalId: string) => {
  const found = sandbox.store.get(COLLECTION, externalId);
  if (!found) throw new Error(`no record ${externalId}`);
  return found;
};
const writes = () =>
  sandbox.counters.count(BATCH) + sandbox.counters.count('POST /v1/collections/:c/records/batch_delete');
const log = (id: string) => db.prisma.participation_logs.findUniqueOrThrow({ where: { id } });
const mappingOf = (internalId: string) =>
  db.prisma.integrationMapping.findFirstOrThrow({ where: { resourceId, internalId } });

let serial = 0;
async function newLog(extra: Partial<{ notes: string | null; hours: number }> = {}) {
  serial++;
  const created = await db.prisma.participation_logs.create({
    data: {
      member_id: memberId,
      activity: `Activity ${serial}`,
      hours: 2,
      occurred_on: new Date('2026-01-05T00:00:00Z'),
      notes: `Notes ${serial}`,
      ...extra,
    },
  });
  await drainOutbox(ctx, resourceId);
  const { externalId } = await mappingOf(created.id);
  if (!externalId) throw new Error('log was not pushed');
  return { id: created.id, externalId };
}

async function setStrategy(strategy: ConflictStrategy) {
  await db.prisma.integration.update({ where: { id: integrationId }, data: { conflictStrategy: strategy } });
}

async function syncBothWays() {
  await pullResource(ctx, resourceId);
  await drainOutbox(ctx, resourceId);
}

async function processDeliveries() {
  await sandbox.webhooks.idle();
  const results = [];
  while (stored.length > 0) results.push(await processWebhookEvent(ctx, stored.shift()!));
  return results;
}

describe('S5: participation_logs ↔ the generic REST API (declarative connector)', () => {
  it('is served by the declarative connector the settings name', async () => {
    const c = await connector();
    expect(c.type).toBe('GENERIC_REST');
    expect((c as Connector & { definition?: { id: string } }).definition?.id).toBe('generic');
    expect(c.limits).toMatchObject({ maxBatchSize: 100, requestsPerWindow: 600 });
  });

  it('pushes new logs in one batch request, keyed by the log id, and pulls no echo', async () => {
    await db.prisma.participation_logs.createMany({
      data: [
        {
          member_id: memberId,
          activity: 'Garden day',
          hours: 3.5,
          occurred_on: new Date('2026-01-03T00:00:00Z'),
          notes: 'Weeding',
        },
        { member_id: memberId, activity: 'Board meeting', hours: 1.25, occurred_on: new Date('2026-01-04T00:00:00Z') },
        {
          member_id: memberId,
          activity: 'Kitchen shift',
          hours: 4,
          occurred_on: new Date('2026-01-04T00:00:00Z'),
          notes: 'Lunch',
        },
      ],
    });
    const pushed = await drainOutbox(ctx, resourceId);
    expect(pushed).toMatchObject({ created: 3, failed: 0 });
    expect(sandbox.counters.count(BATCH)).toBe(1);
    const garden = await db.prisma.participation_logs.findFirstOrThrow({ where: { activity: 'Garden day' } });
    const { externalId, status } = await mappingOf(garden.id);
    expect(status).toBe('SYNCED');
    expect(record(externalId!)).toMatchObject({
      key: garden.id,
      fields: { member_id: memberId, activity: 'Garden day', hours: 3.5, occurred_on: '2026-01-03', notes: 'Weeding' },
    });
    const before = writes();
    const pulled = await pullResource(ctx, resourceId); // the first pull: a full read that sets the cursor
    expect(pulled).toMatchObject({ processed: 3, added: 0, changed: 0, unchanged: 3, failed: 0 });
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
  });

  it('takes API changes in real time from signed webhooks, stores each delivery once, refuses forged and stale ones', async () => {
    sandbox.webhooks.configure({
      url: `${target.url}/api/webhooks/integrations/${integrationId}/receive`,
      secret: WEBHOOK_SECRET,
      retryDelayMs: 0,
    });
    try {
      const { id, externalId } = await newLog();
      await processDeliveries(); // our own create comes back: nothing changes
      expect(await log(id)).toMatchObject({ activity: `Activity ${serial}` });

      const before = writes();
      sandbox.store.update(COLLECTION, externalId, { fields: { activity: 'Edited in the API', hours: 5 } });
      const made = sandbox.store.create(COLLECTION, {
        fields: {
          member_id: memberId,
          activity: 'Made in the API',
          hours: 1.5,
          occurred_on: '2026-01-06',
          notes: null,
        },
      });
      const results = await processDeliveries();
      expect(results).toEqual([
        { status: 'PROCESSED', applied: 1, resources: 1 },
        { status: 'PROCESSED', applied: 1, resources: 1 },
      ]);
      expect(await log(id)).toMatchObject({ activity: 'Edited in the API' });
      expect(Number((await log(id)).hours)).toBe(5);
      const adopted = await db.prisma.participation_logs.findFirstOrThrow({ where: { activity: 'Made in the API' } });
      expect(adopted).toMatchObject({
        member_id: memberId,
        occurred_on: new Date('2026-01-06T00:00:00Z'),
        notes: null,
      });
      expect((await mappingOf(adopted.id)).externalId).toBe(made.id);

      // A delivery sent twice (same X-Webhook-Id) is stored once.
      const last = sandbox.webhooks.deliveries.at(-1)!;
      const event = sandbox.webhooks.events.at(-1)!;
      const rawBody = JSON.stringify(event);
      const timestamp = Math.floor(Date.now() / 1000);
      const signed = {
        'x-webhook-timestamp': String(timestamp),
        'x-webhook-signature': signRestWebhook(WEBHOOK_SECRET, timestamp, rawBody),
        'x-webhook-id': last.id,
      };
      expect((await fetch(last.url, { method: 'POST', headers: signed, body: rawBody })).status).toBe(200);
      expect(received.at(-1)).toEqual({ status: 200, outcome: 'duplicate' });
      // Forged, and replayed after the 5-minute window: refused.
      const forged = await fetch(last.url, {
        method: 'POST',
        headers: { ...signed, 'x-webhook-signature': 'ab'.repeat(32) },
        body: rawBody,
      });
      expect(forged.status).toBe(401);
      expect(received.at(-1)).toEqual({ status: 401, outcome: 'bad_signature' });
      const old = timestamp - 10 * 60;
      const stale = await fetch(last.url, {
        method: 'POST',
        headers: {
          ...signed,
          'x-webhook-timestamp': String(old),
          'x-webhook-signature': signRestWebhook(WEBHOOK_SECRET, old, rawBody),
        },
        body: rawBody,
      });
      expect(stale.status).toBe(401);
      expect(received.at(-1)).toEqual({ status: 401, outcome: 'stale_timestamp' });
      expect(stored).toHaveLength(0);

      sandbox.store.delete(COLLECTION, made.id);
      await processDeliveries();
      expect(await db.prisma.participation_logs.count({ where: { id: adopted.id } })).toBe(0);
      await drainOutbox(ctx, resourceId);
      expect(writes()).toBe(before); // nothing went back to the API
    } finally {
      sandbox.webhooks.configure(null);
    }
  });

  it('picks up, on the hourly pull, a change no webhook announced (incremental by updated_since)', async () => {
    const { id, externalId } = await newLog();
    sandbox.store.update(COLLECTION, externalId, { fields: { notes: 'Changed while nobody listened' } });
    const lists = sandbox.counters.count(LIST);
    const pulled = await pullResource(ctx, resourceId);
    expect(sandbox.counters.count(LIST)).toBe(lists + 1); // one page: only what changed
    // Our own push (after the cursor) comes back once, recognised as unchanged.
    expect(pulled).toMatchObject({ processed: 2, changed: 1, unchanged: 1, conflicts: 0 });
    expect(await log(id)).toMatchObject({ notes: 'Changed while nobody listened' });
  });

  it('converges when each side edits a different field', async () => {
    const { id, externalId } = await newLog();
    await db.prisma.participation_logs.update({
      where: { id },
      data: { notes: 'Local notes', updated_at: new Date() },
    });
    sandbox.store.update(COLLECTION, externalId, { fields: { hours: 7.5 } });
    await syncBothWays();
    expect(await log(id)).toMatchObject({ notes: 'Local notes' });
    expect(Number((await log(id)).hours)).toBe(7.5);
    expect(record(externalId).fields).toMatchObject({ notes: 'Local notes', hours: 7.5 });
    const before = writes();
    expect(await pullResource(ctx, resourceId)).toMatchObject({ changed: 0, conflicts: 0 });
    await drainOutbox(ctx, resourceId);
    expect(writes()).toBe(before);
  });

  /** The activity edited on both sides; the local edit time set as the test needs it. */
  async function conflictOnActivity(strategy: ConflictStrategy, localUpdatedAt: Date) {
    await setStrategy(strategy);
    const l = await newLog();
    await db.prisma.participation_logs.update({
      where: { id: l.id },
      data: { activity: 'Local activity', updated_at: localUpdatedAt },
    });
    sandbox.store.update(COLLECTION, l.externalId, { fields: { activity: 'API activity' } });
    await syncBothWays();
    return { ...l, local: await log(l.id), external: record(l.externalId).fields };
  }

  it('LATEST_WINS takes the side edited last (updated_at against the record updated_at)', async () => {
    const newer = await conflictOnActivity('LATEST_WINS', new Date(Date.now() + 3_600_000));
    expect(newer.local.activity).toBe('Local activity');
    expect(newer.external.activity).toBe('Local activity');
    const older = await conflictOnActivity('LATEST_WINS', new Date(Date.now() - 3_600_000));
    expect(older.local.activity).toBe('API activity');
    expect(older.external.activity).toBe('API activity');
  });

  it('EXTERNAL_WINS and LOCAL_WINS follow the configured side whatever the times', async () => {
    const external = await conflictOnActivity('EXTERNAL_WINS', new Date(Date.now() + 3_600_000));
    expect([external.local.activity, external.external.activity]).toEqual(['API activity', 'API activity']);
    const local = await conflictOnActivity('LOCAL_WINS', new Date(Date.now() - 3_600_000));
    expect([local.local.activity, local.external.activity]).toEqual(['Local activity', 'Local activity']);
    expect(await db.prisma.conflictResolution.count({ where: { resourceId, status: 'PENDING' } })).toBe(0);
  });

  it('MANUAL_REVIEW leaves a conflict for an admin and overwrites neither side until it is resolved', async () => {
    await setStrategy('MANUAL_REVIEW');
    const { id, externalId } = await newLog();
    await db.prisma.participation_logs.update({
      where: { id },
      data: { activity: 'Local activity', notes: 'Local notes', updated_at: new Date() },
    });
    sandbox.store.update(COLLECTION, externalId, { fields: { activity: 'API activity', notes: 'API notes' } });
    const pulled = await pullResource(ctx, resourceId);
    expect(pulled.conflicts).toBe(1);
    const conflict = await db.prisma.conflictResolution.findFirstOrThrow({
      where: { internalId: id, status: 'PENDING' },
    });
    expect(conflict.conflictedFields).toEqual(['activity', 'notes']);
    expect(conflict.externalId).toBe(externalId);
    expect((await mappingOf(id)).status).toBe('CONFLICT');

    await syncBothWays();
    expect(await log(id)).toMatchObject({ activity: 'Local activity', notes: 'Local notes' });
    expect(record(externalId).fields).toMatchObject({ activity: 'API activity', notes: 'API notes' });

    const result = await applyConflictResolution(ctx, conflict.id, {
      choice: 'fields',
      fields: { activity: 'external', notes: 'local' },
    });
    expect(result).toMatchObject({ pushed: true, values: { activity: 'API activity', notes: 'Local notes' } });
    await drainOutbox(ctx, resourceId);
    expect(await log(id)).toMatchObject({ activity: 'API activity', notes: 'Local notes' });
    expect(record(externalId).fields).toMatchObject({ activity: 'API activity', notes: 'Local notes' });
    expect((await mappingOf(id)).status).toBe('SYNCED');
    expect(await pullResource(ctx, resourceId)).toMatchObject({ changed: 0, conflicts: 0 });
  });

  it('deletes both ways', async () => {
    await setStrategy('LATEST_WINS');
    const gone = await newLog();
    await db.prisma.participation_logs.delete({ where: { id: gone.id } });
    await drainOutbox(ctx, resourceId);
    expect(sandbox.store.get(COLLECTION, gone.externalId)).toBeUndefined();

    const removed = await newLog();
    sandbox.store.delete(COLLECTION, removed.externalId);
    await pullResource(ctx, resourceId); // the tombstone is in the incremental page
    expect(await db.prisma.participation_logs.count({ where: { id: removed.id } })).toBe(0);
  });
});
