// Stored webhook deliveries are applied like pull pages: records carried in the payload are used,
// deliveries out of order never regress a record, duplicates change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { pullResource } from '../src/pull.ts';
import { processWebhookEvent } from '../src/webhooks.ts';
import { restWorld, type RestWorld } from './rest-harness.ts';

const db = useTestDatabase();
let world: RestWorld;

beforeAll(async () => {
  world = await restWorld(db, { direction: 'PULL' });
  world.sandbox.webhooks.configure({ url: 'http://127.0.0.1:9/unused', secret: 'whsec_test' });
  world.sandbox.webhooks.pause(); // events are captured, not sent: the test plays the ingress
});
afterAll(async () => {
  await world?.close();
});

async function store(event: unknown, key: string) {
  const row = await db.prisma.webhookEvent.create({
    data: { integrationId: world.integrationId, dedupeKey: key, rawBody: JSON.stringify(event), headers: {} },
  });
  return row.id;
}

describe('webhook processing', () => {
  it('applies records carried by deliveries, in event time order, whatever the arrival order', async () => {
    const record = world.sandbox.store.create('tasks', { fields: { title: 'v1', status: 'todo' } });
    await pullResource(world.ctx, world.resourceId);
    world.sandbox.store.update('tasks', record.id, { fields: { title: 'v2' } });
    world.sandbox.store.update('tasks', record.id, { fields: { title: 'v3' } });
    const [, second, third] = world.sandbox.webhooks.events.filter((e) => e.record.id === record.id);
    expect(third?.record.fields.title).toBe('v3');

    const newest = await store(third, 'evt-3');
    await expect(processWebhookEvent(world.ctx, newest)).resolves.toMatchObject({ status: 'PROCESSED', applied: 1 });
    const older = await store(second, 'evt-2');
    await processWebhookEvent(world.ctx, older);
    const local = await db.prisma.tasks.findFirstOrThrow({ where: { title: { startsWith: 'v' } } });
    expect(local.title).toBe('v3');

    // A repeated delivery of an event already processed does nothing.
    await expect(processWebhookEvent(world.ctx, newest)).resolves.toMatchObject({ status: 'PROCESSED', applied: 0 });
    expect((await db.prisma.webhookEvent.findUniqueOrThrow({ where: { id: older } })).status).toBe('PROCESSED');
  });

  it('applies a deletion delivered by webhook per the delete policy', async () => {
    const record = world.sandbox.store.create('tasks', { fields: { title: 'short-lived', status: 'todo' } });
    await pullResource(world.ctx, world.resourceId);
    expect(await db.prisma.tasks.count({ where: { title: 'short-lived' } })).toBe(1);
    world.sandbox.store.delete('tasks', record.id);
    const deleted = world.sandbox.webhooks.events.findLast((e) => e.type === 'record.deleted');
    await processWebhookEvent(world.ctx, await store(deleted, 'evt-del'));
    expect(await db.prisma.tasks.count({ where: { title: 'short-lived' } })).toBe(0);
  });

  it('marks an unparseable delivery FAILED with its error (the queue retries it)', async () => {
    const id = await db.prisma.webhookEvent.create({ data: { integrationId: world.integrationId, dedupeKey: 'bad', rawBody: '{not json', headers: {} } });
    await expect(processWebhookEvent(world.ctx, id.id)).rejects.toThrow(/not JSON/);
    expect(await db.prisma.webhookEvent.findUniqueOrThrow({ where: { id: id.id } })).toMatchObject({ status: 'FAILED', attempts: 1 });
  });
});
