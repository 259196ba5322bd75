// Flow S2 through the engine: SmartSuite (sandbox, over HTTP, with the real connector) → staging
// table → Webflow (sandbox, official SDK), both connectors built by the engine's registry from
// encrypted credentials, on a real Postgres. Webhook deliveries are stored as the ingress stores
// them and processed with processWebhookEvent; pushes drain the capture outbox. The end-to-end run
// through the real ingress and worker (200 changes, duplicates, reordering, the cap) is
// apps/worker/test/s2-flow.test.ts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWebflowSandbox,
  startSmartSuite,
  SMARTSUITE_ACCOUNT_ID,
  SMARTSUITE_API_KEY,
  type SandboxServer,
  type SmartSuiteHarness,
  type WebflowSandbox,
} from '@syncbridge/connectors/sandboxes';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createConnectorProvider } from '../src/connector-registry.ts';
import type { EngineContext } from '../src/context.ts';
import { generateKey, parseKeyRing } from '../src/crypto.ts';
import {
  ensureS2StagingTable,
  s2Resources,
  S2_STAGING_TABLE,
  S2_WEBFLOW_FIELDS,
} from '../src/presets/s2-smartsuite-webflow.ts';
import { drainOutbox } from '../src/push.ts';
import { saveResource } from '../src/resources.ts';
import { processWebhookEvent } from '../src/webhooks.ts';
import { engineContext } from './support.ts';

const db = useTestDatabase();
const keyRing = parseKeyRing(`k1:${generateKey()}`);
const WEBFLOW_TOKEN = 'wf-s2-token';
let ss: SmartSuiteHarness;
let webflow: WebflowSandbox;
let webflowServer: SandboxServer;
let ctx: EngineContext;
let tableId: string;
let collectionId: string;
let smartsuiteId: string;
let webflowId: string;
let pullId: string;
let pushId: string;

const encrypted = (value: unknown) => {
  const { keyId, ciphertext } = keyRing.encrypt(JSON.stringify(value));
  return { credentialsEnc: ciphertext, credentialsKeyId: keyId };
};

beforeAll(async () => {
  ss = await startSmartSuite({ requestsPerWindow: 1000 });
  webflow = createWebflowSandbox({ accessToken: WEBFLOW_TOKEN, requestsPerWindow: 1000 });
  webflowServer = await webflow.start();
  tableId = ss.sandbox.tables.createTable({
    name: 'Products',
    fields: [
      { slug: 'description', field_type: 'textareafield' },
      { slug: 'price', field_type: 'numberfield' },
      { slug: 'status', field_type: 'singleselectfield', choices: ['Draft', 'Live'] },
    ],
  }).id;
  collectionId = webflow.collections.createCollection({ displayName: 'Products', fields: [...S2_WEBFLOW_FIELDS] }).id;

  smartsuiteId = (
    await db.prisma.integration.create({
      data: {
        name: 'SmartSuite products',
        type: 'SMARTSUITE',
        direction: 'PULL',
        baseUrl: ss.baseUrl,
        settings: { accountId: SMARTSUITE_ACCOUNT_ID, requestsPerWindow: 1000 },
        ...encrypted({ apiKey: SMARTSUITE_API_KEY }),
      },
    })
  ).id;
  webflowId = (
    await db.prisma.integration.create({
      data: {
        name: 'Webflow products',
        type: 'WEBFLOW',
        direction: 'PUSH',
        baseUrl: `${webflowServer.url}/v2`,
        settings: { requestsPerWindow: 1000 },
        ...encrypted({ accessToken: WEBFLOW_TOKEN }),
      },
    })
  ).id;
  ctx = engineContext(db, { connectors: createConnectorProvider({ pool: db.pool, keyRing }) });
  await ensureS2StagingTable(db.pool);
  await ensureS2StagingTable(db.pool); // idempotent
  const { pull, push } = s2Resources({
    smartsuiteIntegrationId: smartsuiteId,
    webflowIntegrationId: webflowId,
    tableId,
    collectionId,
  });
  pullId = (await saveResource(ctx, pull)).id;
  pushId = (await saveResource(ctx, push)).id;
});
afterAll(async () => {
  await ss?.close();
  await webflowServer?.close();
});

/** Stores a SmartSuite event as the ingress would, then processes it as the worker would. */
async function deliver(kind: 'RECORD_CREATED' | 'RECORD_UPDATED' | 'RECORD_DELETED', recordId: string) {
  const body = {
    webhook_id: 'hook',
    event_id: randomUUID(),
    kind,
    event_at: new Date().toISOString(),
    record_event_data: { record_id: recordId, locator: { application_id: tableId } },
  };
  const event = await db.prisma.webhookEvent.create({
    data: { integrationId: smartsuiteId, dedupeKey: body.event_id, eventType: kind, rawBody: JSON.stringify(body) },
  });
  return processWebhookEvent(ctx, event.id);
}

const staging = async (smartsuiteRecordId: string) =>
  (
    await db.pool.query<{ id: string; record: Record<string, unknown>; smartsuite_updated_at: Date }>(
      `select id, record, smartsuite_updated_at from ${S2_STAGING_TABLE} where smartsuite_id = $1`,
      [smartsuiteRecordId],
    )
  ).rows[0];
const itemByKey = (key: string) =>
  webflow.collections.items(collectionId).find((i) => i.fieldData['syncbridge-id'] === key);
const writes = () => webflow.writes.total;

describe('S2: SmartSuite → staging → Webflow', () => {
  it('a created record is fetched, staged, mapped (name, slug, escaped rich text, price), created and published', async () => {
    const record = ss.sandbox.tables.create(tableId, {
      title: 'Oak Desk <XL> & more',
      description: 'Solid "oak"',
      price: '420.5',
    });
    const processed = await deliver('RECORD_CREATED', record.id as string);
    expect(processed).toMatchObject({ status: 'PROCESSED', applied: 1 });
    const row = await staging(record.id as string);
    expect(row?.record).toMatchObject({ id: record.id, title: 'Oak Desk <XL> & more', price: 420.5 });
    expect(row?.smartsuite_updated_at.toISOString()).toBe(
      new Date((record.last_updated as { on: string }).on).toISOString(),
    );

    const pushed = await drainOutbox(ctx, pushId);
    expect(pushed).toMatchObject({ created: 1, failed: 0 });
    const item = itemByKey(row!.id)!;
    expect(item.fieldData).toEqual({
      name: 'Oak Desk <XL> & more',
      slug: 'oak-desk-xl-more',
      body: '<h2>Oak Desk &lt;XL&gt; &amp; more</h2><p>Solid &quot;oak&quot;</p>',
      price: 420.5,
      'syncbridge-id': row!.id,
    });
    expect(webflow.collections.liveItem(collectionId, item.id)?.fieldData).toEqual(item.fieldData);
    // One bulk create and one publish.
    expect(webflow.writes.byEndpoint()).toEqual({
      'POST /v2/collections/:collectionId/items': 1,
      'POST /v2/collections/:collectionId/items/publish': 1,
    });
  });

  it('an update is applied and republished; a change to an unmapped field costs Webflow nothing', async () => {
    const record = ss.sandbox.tables.create(tableId, { title: 'Lamp', price: 15 });
    await deliver('RECORD_CREATED', record.id as string);
    await drainOutbox(ctx, pushId);
    const key = (await staging(record.id as string))!.id;

    ss.sandbox.tables.update(tableId, record.id as string, { title: 'Desk Lamp', price: 18 });
    await deliver('RECORD_UPDATED', record.id as string);
    expect(await drainOutbox(ctx, pushId)).toMatchObject({ updated: 1, created: 0 });
    const item = itemByKey(key)!;
    expect(item.fieldData).toMatchObject({ name: 'Desk Lamp', slug: 'desk-lamp', price: 18 });
    expect(webflow.collections.liveItem(collectionId, item.id)?.fieldData).toMatchObject({
      name: 'Desk Lamp',
      price: 18,
    });

    const before = writes();
    ss.sandbox.tables.update(tableId, record.id as string, { status: 'Live' }); // not mapped to Webflow
    await deliver('RECORD_UPDATED', record.id as string);
    expect((await staging(record.id as string))!.record).toMatchObject({ status: 'status_2' });
    expect(await drainOutbox(ctx, pushId)).toMatchObject({ skipped: 1, updated: 0 });
    expect(writes()).toBe(before);
  });

  it('a delete removes the staging row and the Webflow item; a stale event afterwards brings nothing back', async () => {
    const record = ss.sandbox.tables.create(tableId, { title: 'Stool' });
    await deliver('RECORD_CREATED', record.id as string);
    await drainOutbox(ctx, pushId);
    const key = (await staging(record.id as string))!.id;
    const itemId = itemByKey(key)!.id;

    ss.sandbox.tables.remove(tableId, record.id as string);
    await deliver('RECORD_DELETED', record.id as string);
    expect(await staging(record.id as string)).toBeUndefined();
    expect(await drainOutbox(ctx, pushId)).toMatchObject({ deleted: 1 });
    expect(webflow.collections.item(collectionId, itemId)).toBeUndefined();
    expect(webflow.collections.liveItem(collectionId, itemId)).toBeUndefined();

    // The "created" delivery arriving late: the record is fetched, found gone, nothing is staged.
    await deliver('RECORD_CREATED', record.id as string);
    expect(await staging(record.id as string)).toBeUndefined();
    expect(await db.prisma.changeOutbox.count({ where: { resourceId: pushId } })).toBe(0);
    expect(
      await db.prisma.integrationMapping.count({ where: { resourceId: pullId, externalId: record.id as string } }),
    ).toBe(0);
  });

  it('the write cap counts every Webflow write request, publish included, across one call', async () => {
    // One call creating one item and updating another makes three writes: create, update, publish.
    const existing = ss.sandbox.tables.create(tableId, { title: 'Capped one' });
    await deliver('RECORD_CREATED', existing.id as string);
    await drainOutbox(ctx, pushId);
    await db.prisma.integration.update({
      where: { id: webflowId },
      data: { settings: { requestsPerWindow: 1000, writeCapPerMinute: 2, writeCapWindowMs: 1500 } },
    });
    webflow.writes.reset();
    ss.sandbox.tables.update(tableId, existing.id as string, { price: 7 });
    const fresh = ss.sandbox.tables.create(tableId, { title: 'Capped two' });
    await deliver('RECORD_UPDATED', existing.id as string);
    await deliver('RECORD_CREATED', fresh.id as string);
    const started = Date.now();
    expect(await drainOutbox(ctx, pushId)).toMatchObject({ created: 1, updated: 1, failed: 0 });
    expect(webflow.writes.total).toBe(4); // create, publish, update, publish (creates and updates travel apart)
    expect(webflow.writes.maxRequestsInWindow(1500)).toBeLessThanOrEqual(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    const live = webflow.collections.liveItems(collectionId).map((i) => i.fieldData.name);
    expect(live).toEqual(expect.arrayContaining(['Capped one', 'Capped two']));
  });
});
