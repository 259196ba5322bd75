// Failure handling on the push side: transient errors retried with backoff, Retry-After honoured,
// a bad record failing alone and not retried, items FAILED after their last attempt with an
// alert, the integration DEGRADED and back to ACTIVE after a clean run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { drainOutbox } from '../src/push.ts';
import { retryFailedItems } from '../src/retry.ts';
import { promoteDueRetries } from '../src/schedule.ts';
import { externalByKey, restWorld, type RestWorld } from './rest-harness.ts';

const db = useTestDatabase();
let world: RestWorld;

beforeAll(async () => {
  world = await restWorld(db, { direction: 'PUSH' });
  await db.prisma.syncResource.update({ where: { id: world.resourceId }, data: { options: { maxAttempts: 2 } } });
});
afterAll(async () => {
  await world?.close();
});
beforeEach(() => world.sandbox.faults.clear());

async function tasks(titles: string[]) {
  const created = await db.prisma.tasks.createManyAndReturn({ data: titles.map((title) => ({ title, status: 'todo' })) });
  return created.map((t) => t.id);
}
const mapping = (internalId: string) => db.prisma.integrationMapping.findFirstOrThrow({ where: { resourceId: world.resourceId, internalId } });

describe('push failure handling', () => {
  it('retries transient 5xx within the run and lands everything', async () => {
    const ids = await tasks(['a', 'b', 'c']);
    world.sandbox.faults.failNext(2, 'error', { status: 503 });
    const outcome = await drainOutbox(world.ctx, world.resourceId);
    expect(outcome).toMatchObject({ created: 3, failed: 0 });
    expect(outcome.requests).toBe(3); // two refused, the third landed
    expect(world.sandbox.faults.injected.error).toBe(2);
    for (const id of ids) expect(externalByKey(world.sandbox).has(id)).toBe(true);
  });

  it('fails one bad record alone, without retrying it, and lands the rest of its batch', async () => {
    const [good1, bad, good2] = await tasks(['fine', '__invalid__', 'also fine']);
    const outcome = await drainOutbox(world.ctx, world.resourceId);
    expect(outcome).toMatchObject({ created: 2, failed: 1 });
    expect(externalByKey(world.sandbox).has(good1!)).toBe(true);
    expect(externalByKey(world.sandbox).has(good2!)).toBe(true);
    expect(await mapping(bad!)).toMatchObject({ status: 'FAILED', attempts: 1, nextRetryAt: null });
    const log = await db.prisma.syncLog.findFirstOrThrow({ where: { recordId: bad, status: 'FAILED' } });
    expect(log.errorCode).toBe('invalid');
    expect(log.errorMessage).toBeTruthy();
  });

  it('splits a batch the API refuses as a whole and sends its items one by one', async () => {
    const ids = await tasks(['x', 'y']);
    world.sandbox.faults.failNext(1, 'error', { status: 400 });
    const outcome = await drainOutbox(world.ctx, world.resourceId);
    expect(outcome).toMatchObject({ created: 2, failed: 0, requests: 3 });
    for (const id of ids) expect(externalByKey(world.sandbox).has(id)).toBe(true);
  });

  it('schedules a retry no sooner than Retry-After when the wait is too long to hold the run', async () => {
    const [id] = await tasks(['rate limited']);
    world.sandbox.faults.failNext(1, 'rate_limit');
    const before = Date.now();
    await drainOutbox(world.ctx, world.resourceId);
    const m = await mapping(id!);
    expect(m.status).toBe('PENDING_SYNC');
    expect(m.lastError).toMatch(/429/);
    expect(m.nextRetryAt!.getTime() - before).toBeGreaterThanOrEqual(55_000); // the sandbox asks for a full window (60 s)
  });

  it('marks records FAILED after their last attempt, alerts, degrades, and recovers after a retry', async () => {
    const ids = await tasks(['down 1', 'down 2']);
    world.sandbox.faults.set({ errorRate: 1 });
    await drainOutbox(world.ctx, world.resourceId);
    for (const id of ids) expect(await mapping(id)).toMatchObject({ status: 'PENDING_SYNC', attempts: 1 });
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: world.integrationId } })).status).toBe('DEGRADED');
    expect(await db.prisma.alert.count({ where: { integrationId: world.integrationId, rule: 'HIGH_ERROR_RATE' } })).toBe(1);

    // Time passes: the retry is due. Its attempt fails too, and it was the last.
    await db.prisma.integrationMapping.updateMany({ where: { internalId: { in: ids } }, data: { nextRetryAt: new Date(Date.now() - 1000) } });
    expect(await promoteDueRetries(world.ctx)).toBeGreaterThanOrEqual(2);
    await drainOutbox(world.ctx, world.resourceId);
    for (const id of ids) expect(await mapping(id)).toMatchObject({ status: 'FAILED', attempts: 2, nextRetryAt: null });
    expect(await db.prisma.alert.count({ where: { integrationId: world.integrationId, rule: 'RECORDS_FAILED' } })).toBeGreaterThanOrEqual(1);

    // The API is back; an admin retries the failed records.
    world.sandbox.faults.clear();
    expect(await retryFailedItems(world.ctx, world.resourceId, ids)).toBe(2);
    const outcome = await drainOutbox(world.ctx, world.resourceId);
    expect(outcome).toMatchObject({ created: 2, failed: 0 });
    for (const id of ids) expect(await mapping(id)).toMatchObject({ status: 'SYNCED', attempts: 0 });
    expect((await db.prisma.integration.findUniqueOrThrow({ where: { id: world.integrationId } })).status).toBe('ACTIVE');
  });
});
