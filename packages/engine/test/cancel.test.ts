// Cancelling a run: the push and pull loops check the execution's cancel flag between batches/pages
// and stop cleanly (CANCELLED, completed_at set). What was written stays consistent: unsent outbox
// rows stay queued, a pull keeps the cursor of its last committed page and infers no deletes from
// an incomplete read, and a later run finishes the work without duplicates.
//
// The cancel is requested deterministically from an HTTP front in the path to the REST sandbox:
// when the n-th batch (or page) request arrives, the flag is set before the sandbox answers it.
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestConnector } from '@syncbridge/connectors';
import { startSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import { useTestDatabase } from '@syncbridge/db/testing';
import { CANCELLED_MESSAGE } from '../src/jobs.ts';
import { drainOutbox, pushAll } from '../src/push.ts';
import { pullResource } from '../src/pull.ts';
import { externalRecords, restWorld, TOKEN, type RestWorld } from './rest-harness.ts';

const db = useTestDatabase();

interface Front {
  server: SandboxServer;
  /** Requests per kind seen so far. */
  seen: { batch: number; list: number };
  /** Sets the running execution's cancel flag when the `nth` request of `kind` arrives. */
  cancelOn(kind: 'batch' | 'list', nth: number): void;
  /** Executions flagged by the front so far. */
  flagged: number;
}

function kindOf(req: IncomingMessage): 'batch' | 'list' | null {
  const path = new URL(req.url ?? '/', 'http://front').pathname;
  if (req.method === 'POST' && path.endsWith('/records/batch')) return 'batch';
  if (req.method === 'GET' && path.endsWith('/records')) return 'list';
  return null;
}

/** An HTTP front for the world's sandbox that can request a cancel while a given request is in flight. */
async function frontFor(world: RestWorld): Promise<Front> {
  let trigger: { kind: 'batch' | 'list'; nth: number } | null = null;
  const front: Front = {
    server: undefined as unknown as SandboxServer,
    seen: { batch: 0, list: 0 },
    flagged: 0,
    cancelOn(kind, nth) {
      trigger = { kind, nth: front.seen[kind] + nth };
    },
  };
  const requestCancel = async () => {
    const { count } = await db.prisma.jobExecution.updateMany({
      where: { resourceId: world.resourceId, status: 'RUNNING' },
      data: { cancelRequested: true },
    });
    front.flagged += count;
  };
  front.server = await startSandbox((req, res) => {
    const kind = kindOf(req);
    if (kind) front.seen[kind]++;
    const fire = trigger && kind === trigger.kind && front.seen[kind] === trigger.nth;
    if (fire) trigger = null;
    void (fire ? requestCancel() : Promise.resolve()).then(
      () => world.sandbox.app(req, res),
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  });
  return front;
}

const job = (id: string) => db.prisma.jobExecution.findUniqueOrThrow({ where: { id } });

async function expectCancelled(id: string) {
  const run = await job(id);
  expect(run).toMatchObject({ status: 'CANCELLED', cancelRequested: true, errorMessage: CANCELLED_MESSAGE });
  expect(run.completedAt).toBeInstanceOf(Date);
  expect(run.durationMs).toBeGreaterThanOrEqual(0);
  return run;
}

describe('cancelling a push', () => {
  let world: RestWorld;
  let front: Front;

  beforeAll(async () => {
    world = await restWorld(db, { direction: 'PUSH' });
    front = await frontFor(world);
    const connector = createRestConnector({
      baseUrl: front.server.url,
      token: TOKEN,
      timeoutMs: 5000,
      maxBatchSize: 100,
    });
    world.ctx.connectors = () => connector;
    await db.prisma.tasks.createMany({
      data: Array.from({ length: 2000 }, (_, i) => ({ title: `Task ${i}`, status: 'todo' })),
    });
  });
  afterAll(async () => {
    await front?.server.close();
    await world?.close();
    // The pull tests below use the same local table.
    await db.prisma.integration.delete({ where: { id: world.integrationId } });
    await db.pool.query('delete from change_outbox');
    await db.pool.query('delete from tasks');
  });

  it('a full push of 2,000 rows stops after the page in flight; the next run pushes the rest once', async () => {
    front.cancelOn('batch', 1);
    const cancelled = await pushAll(world.ctx, world.resourceId, { pageSize: 100 });
    expect(front.flagged).toBe(1);
    expect(cancelled).toMatchObject({ cancelled: true, created: 100, processed: 100 });
    const run = await expectCancelled(cancelled.jobId);
    expect(run).toMatchObject({ total: 2000, processed: 100, succeeded: 100, added: 100 });
    expect(front.seen.batch).toBe(1);
    expect(externalRecords(world.sandbox)).toHaveLength(100);
    expect(
      await db.prisma.integrationMapping.count({ where: { resourceId: world.resourceId, status: 'SYNCED' } }),
    ).toBe(100);

    const rest = await pushAll(world.ctx, world.resourceId, { pageSize: 500 });
    expect(rest).toMatchObject({ created: 1900, skipped: 100, failed: 0 });
    expect(rest.cancelled).toBeUndefined();
    expect((await job(rest.jobId)).status).toBe('COMPLETED');
    const external = externalRecords(world.sandbox);
    expect(external).toHaveLength(2000);
    expect(new Set(external.map((r) => r.key)).size).toBe(2000);
  });

  it('an outbox drain stops between batches and leaves the unsent rows queued; the next drain finishes', async () => {
    await db.pool.query('delete from change_outbox'); // the inserts above were pushed by pushAll
    await db.pool.query(`update tasks set status = 'done'`);
    expect(await db.prisma.changeOutbox.count({ where: { resourceId: world.resourceId } })).toBe(2000);
    const batchesBefore = front.seen.batch;

    front.cancelOn('batch', 1);
    const cancelled = await drainOutbox(world.ctx, world.resourceId, { batchSize: 100 });
    expect(front.flagged).toBe(2);
    expect(cancelled).toMatchObject({ cancelled: true, updated: 100, processed: 100 });
    expect(front.seen.batch - batchesBefore).toBe(1);
    expect(await db.prisma.changeOutbox.count({ where: { resourceId: world.resourceId } })).toBe(1900);
    const rolling = await db.prisma.jobExecution.findFirstOrThrow({
      where: { resourceId: world.resourceId, jobType: 'CHANGE_PUSH' },
    });
    await expectCancelled(rolling.id);
    expect(externalRecords(world.sandbox).filter((r) => r.fields.status === 'done')).toHaveLength(100);

    // A later drain opens a new execution (the cancelled one is not reopened) and finishes.
    const rest = await drainOutbox(world.ctx, world.resourceId, { batchSize: 500 });
    expect(rest).toMatchObject({ updated: 1900, failed: 0 });
    expect(rest.cancelled).toBeUndefined();
    expect(await db.prisma.changeOutbox.count({ where: { resourceId: world.resourceId } })).toBe(0);
    const runs = await db.prisma.jobExecution.findMany({
      where: { resourceId: world.resourceId, jobType: 'CHANGE_PUSH' },
      orderBy: { createdAt: 'asc' },
    });
    expect(runs.map((r) => r.status)).toEqual(['CANCELLED', 'COMPLETED']);
    const external = externalRecords(world.sandbox);
    expect(external).toHaveLength(2000);
    expect(external.every((r) => r.fields.status === 'done')).toBe(true);
  });
});

describe('cancelling a pull', () => {
  let world: RestWorld;
  let front: Front;
  const externalIds: string[] = [];

  beforeAll(async () => {
    world = await restWorld(db, { direction: 'PULL' });
    front = await frontFor(world);
    const connector = createRestConnector({ baseUrl: front.server.url, token: TOKEN, timeoutMs: 5000, pageSize: 100 });
    world.ctx.connectors = () => connector;
    for (let i = 0; i < 1000; i++) {
      externalIds.push(world.sandbox.store.create('tasks', { fields: { title: `Remote ${i}`, status: 'todo' } }).id);
    }
    const first = await pullResource(world.ctx, world.resourceId, { full: true });
    expect(first).toMatchObject({ added: 1000, failed: 0 });
  });
  afterAll(async () => {
    await front?.server.close();
    await world?.close();
  });

  const tasks = () => db.prisma.tasks.count();
  const cursorOf = async () =>
    (await db.prisma.syncResource.findUniqueOrThrow({ where: { id: world.resourceId } })).cursor;

  it('stops after the first committed page: no deletes inferred, the cursor at that page; a resumed pull reads the rest', async () => {
    // 50 records vanish (5%: a completed full read would delete them at once) and 100 are new.
    for (const id of externalIds.slice(0, 50)) world.sandbox.store.delete('tasks', id);
    for (let i = 0; i < 100; i++)
      world.sandbox.store.create('tasks', { fields: { title: `New ${i}`, status: 'todo' } });

    front.cancelOn('list', 1);
    const listsBefore = front.seen.list;
    const cancelled = await pullResource(world.ctx, world.resourceId, { full: true });
    expect(front.flagged).toBe(1);
    expect(cancelled).toMatchObject({ cancelled: true, processed: 100, removed: 0, pendingDeletes: 0 });
    expect(front.seen.list - listsBefore).toBe(1); // page 2 was never asked for
    await expectCancelled(cancelled.jobId);
    expect(await tasks()).toBe(1000);
    // The cursor is page 1's: mid-way through the full read, not past it.
    const cursor = JSON.parse((await cursorOf()) ?? '{}') as { since: string | null; page: string | null };
    expect(cursor.since).toBeNull();
    expect(cursor.page).not.toBeNull();

    // An incremental pull resumes from that cursor: the remaining 950 records, the new ones added once.
    const resumed = await pullResource(world.ctx, world.resourceId);
    expect(resumed).toMatchObject({ processed: 950, added: 100, removed: 0 });
    expect(resumed.cancelled).toBeUndefined();
    expect(await tasks()).toBe(1100);
  });

  it('cancelled on its last page, a full read still infers no deletes; the next full read applies them', async () => {
    // 1,050 live records: 11 pages of 100; the cancel arrives with the last one.
    front.cancelOn('list', 11);
    const cancelled = await pullResource(world.ctx, world.resourceId, { full: true });
    expect(front.flagged).toBe(2);
    expect(cancelled).toMatchObject({ cancelled: true, processed: 1050, removed: 0, pendingDeletes: 0 });
    await expectCancelled(cancelled.jobId);
    expect(await tasks()).toBe(1100);

    const complete = await pullResource(world.ctx, world.resourceId, { full: true });
    expect(complete).toMatchObject({ processed: 1050, added: 0, removed: 50, pendingDeletes: 0 });
    expect((await job(complete.jobId)).status).toBe('COMPLETED');
    // Every live external record maps to exactly one local row: nothing duplicated by the stops.
    const live = externalRecords(world.sandbox);
    expect(live).toHaveLength(1050);
    expect(await tasks()).toBe(1050);
    const mappings = await db.prisma.integrationMapping.findMany({ where: { resourceId: world.resourceId } });
    expect(new Set(mappings.map((m) => m.externalId))).toEqual(new Set(live.map((r) => r.id)));
    expect(new Set(mappings.map((m) => m.internalId)).size).toBe(1050);
  });
});
