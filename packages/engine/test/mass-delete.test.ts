// Deletes inferred from full reads: only when the read completed, and a run that would delete
// more than 20% of the mapped records waits for an admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '@syncbridge/connectors';
import { useTestDatabase } from '@syncbridge/db/testing';
import { confirmPendingDeletes, pullResource } from '../src/pull.ts';
import { restWorld, type RestWorld } from './rest-harness.ts';

const db = useTestDatabase();
let world: RestWorld;
const ids: string[] = [];

beforeAll(async () => {
  world = await restWorld(db, { direction: 'PULL', connector: { maxBatchSize: 100 } });
  for (let i = 1; i <= 10; i++) ids.push(world.sandbox.store.create('tasks', { fields: { title: `Row ${i}`, status: 'todo' } }).id);
  const first = await pullResource(world.ctx, world.resourceId, { full: true });
  expect(first.added).toBe(10);
});
afterAll(async () => {
  await world?.close();
});

describe('deletes from full reads', () => {
  it('holds back a mass delete (3 of 10 = 30%) until an admin confirms', async () => {
    for (const id of ids.slice(0, 3)) world.sandbox.store.delete('tasks', id);
    const outcome = await pullResource(world.ctx, world.resourceId, { full: true });
    expect(outcome).toMatchObject({ pendingDeletes: 3, removed: 0 });
    expect(await db.prisma.tasks.count()).toBe(10);
    const job = await db.prisma.jobExecution.findUniqueOrThrow({ where: { id: outcome.jobId } });
    expect(job.status).toBe('PENDING_CONFIRMATION');
    expect(await db.prisma.alert.count({ where: { rule: 'MASS_DELETE', integrationId: world.integrationId } })).toBe(1);

    expect(await confirmPendingDeletes(world.ctx, outcome.jobId, true)).toBe(3);
    expect(await db.prisma.tasks.count()).toBe(7);
    expect((await db.prisma.jobExecution.findUniqueOrThrow({ where: { id: outcome.jobId } })).status).toBe('COMPLETED');
  });

  it('applies a small delete (1 of 7) at once', async () => {
    world.sandbox.store.delete('tasks', ids[3]!);
    const outcome = await pullResource(world.ctx, world.resourceId, { full: true });
    expect(outcome).toMatchObject({ pendingDeletes: 0, removed: 1 });
    expect(await db.prisma.tasks.count()).toBe(6);
  });

  it('a rejected confirmation deletes nothing', async () => {
    for (const id of ids.slice(4, 7)) world.sandbox.store.delete('tasks', id);
    const outcome = await pullResource(world.ctx, world.resourceId, { full: true });
    expect(outcome.pendingDeletes).toBe(3);
    expect(await confirmPendingDeletes(world.ctx, outcome.jobId, false)).toBe(0);
    expect(await db.prisma.tasks.count()).toBe(6);
    expect((await db.prisma.jobExecution.findUniqueOrThrow({ where: { id: outcome.jobId } })).status).toBe('CANCELLED');
  });

  it('infers nothing from a read that did not complete', async () => {
    world.sandbox.store.delete('tasks', ids[7]!);
    // A connector whose full read breaks after its first page.
    const broken: Connector = {
      ...world.connector,
      async *listChanges(ref, cursor, options) {
        for await (const page of world.connector.listChanges(ref, cursor, options)) {
          yield { ...page, fullReadComplete: false };
          throw new Error('connection reset while reading page 2');
        }
      },
    };
    const before = await db.prisma.tasks.count();
    world.ctx.connectors = () => broken;
    await expect(pullResource(world.ctx, world.resourceId, { full: true })).rejects.toThrow(/page 2/);
    world.ctx.connectors = () => world.connector;
    expect(await db.prisma.tasks.count()).toBe(before);
  });
});
