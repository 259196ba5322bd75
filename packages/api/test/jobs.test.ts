// jobs.*: run history with live progress, cancelling (queued and running), retrying failed records
// of a run, and answering a pull paused by the mass-delete guard. Real Postgres, real pg-boss and
// real runs of the engine against the REST sandbox over HTTP.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBoss } from 'pg-boss';
import type { SyncDirection, UserRole } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import {
  createQueues,
  drainOutbox,
  enqueueResourceSync,
  pullResource,
  pushAll,
  QueueName,
  restTasksResource,
  saveResource,
  type EngineContext,
} from '@syncbridge/engine';
// The sandbox is test tooling of the connectors package (not an api dependency): reached by path.
import { createRestSandbox, type FieldValidator, type RestSandbox } from '../../connectors/src/rest/sandbox/index.ts';
import { startSandbox, type SandboxServer } from '../../connectors/src/sandbox-kit/server.ts';
import type { SessionUser } from '../src/index.ts';
import { listJobs } from '../src/services/jobs.ts';
import { engineContextFor } from '../src/services/syncs.ts';
import { callerFor, createResource, createRoleUsers, fakeSender, keyRingWith, silentLogger } from './helpers.ts';

const db = useTestDatabase();
const { ring } = keyRingWith('k1');
/** The engine as the worker would run it: connectors from the registry, credentials decrypted with the ring. */
let engine: EngineContext;
const TOKEN = 'jobs-test-token';
let users: Record<UserRole, SessionUser>;
let boss: PgBoss;

const as = (role: UserRole) => callerFor(db, users[role], { keyRing: ring, sendJob: boss });

beforeAll(async () => {
  users = await createRoleUsers(db);
  engine = engineContextFor({ prisma: db.prisma, pool: db.pool, logger: silentLogger, keyRing: ring });
  boss = new PgBoss({ connectionString: db.url, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  await createQueues(boss);
});
afterAll(async () => {
  await boss?.stop({ graceful: false });
});

interface RestSetup {
  sandbox: RestSandbox;
  server: SandboxServer;
  integrationId: string;
  resourceId: string;
  externalCount(): number;
  close(): Promise<void>;
}

/**
 * A REST integration (credentials encrypted, connector built by the engine's registry) with a tasks
 * resource, served by a sandbox behind a front that can run `hook` before a request is handled.
 */
async function restSetup(
  direction: SyncDirection,
  options: { validate?: FieldValidator; hook?: (req: IncomingMessage) => Promise<void>; maxBatchSize?: number } = {},
): Promise<RestSetup> {
  const sandbox = createRestSandbox({ token: TOKEN, validate: options.validate });
  const server = await startSandbox((req, res) => {
    void (options.hook?.(req) ?? Promise.resolve()).then(
      () => sandbox.app(req, res),
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  });
  const sealed = ring.encrypt(JSON.stringify({ token: TOKEN }));
  const integration = await db.prisma.integration.create({
    data: {
      name: `Tasks ${direction}`,
      type: 'GENERIC_REST',
      baseUrl: server.url,
      direction,
      credentialsEnc: sealed.ciphertext,
      credentialsKeyId: sealed.keyId,
      settings: { maxBatchSize: options.maxBatchSize ?? 100 },
    },
  });
  const resource = await saveResource(engine, { ...restTasksResource(integration.id), direction });
  return {
    sandbox,
    server,
    integrationId: integration.id,
    resourceId: resource.id,
    externalCount: () => sandbox.store.count('tasks'),
    async close() {
      await server.close();
      // The next setup uses the same local table.
      await db.prisma.integration.delete({ where: { id: integration.id } });
      await db.pool.query('delete from change_outbox');
      await db.pool.query('delete from tasks');
    },
  };
}

const isBatch = (req: IncomingMessage) => req.method === 'POST' && (req.url ?? '').includes('/records/batch');

describe('jobs.list and jobs.get', () => {
  const T0 = new Date('2030-01-01T00:00:00.000Z');
  const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
  const ids: Record<string, string> = {};
  let alpha: { integrationId: string; resourceId: string };
  let beta: { integrationId: string; resourceId: string };

  beforeAll(async () => {
    const a = await db.prisma.integration.create({ data: { name: 'Alpha', type: 'SMARTSHEET' } });
    const b = await db.prisma.integration.create({ data: { name: 'Beta', type: 'ASANA' } });
    alpha = { integrationId: a.id, resourceId: (await createResource(db, a.id)).id };
    beta = { integrationId: b.id, resourceId: (await createResource(db, b.id)).id };
    const rows = {
      // 50 of 200 after 10 s: 25%, 5 records/s, 30 s to go.
      pushing: {
        ...alpha,
        jobType: 'MANUAL_SYNC',
        direction: 'PUSH',
        status: 'RUNNING',
        total: 200,
        processed: 50,
        succeeded: 45,
        failed: 5,
        startedAt: at(0),
        trigger: 'manual:someone',
        createdAt: at(0),
      },
      // A pull learns its total page by page: no percent, no ETA while it runs.
      pulling: {
        ...alpha,
        jobType: 'SCHEDULED_SYNC',
        direction: 'PULL',
        status: 'RUNNING',
        total: 120,
        processed: 120,
        succeeded: 120,
        startedAt: at(0),
        createdAt: at(1),
      },
      // 100 in 4 s: 25 records/s.
      done: {
        ...beta,
        jobType: 'CHANGE_PUSH',
        direction: 'PUSH',
        status: 'COMPLETED',
        total: 100,
        processed: 100,
        succeeded: 100,
        added: 60,
        changed: 40,
        startedAt: at(-10),
        completedAt: at(-6),
        durationMs: 4000,
        createdAt: at(2),
      },
      queued: { ...beta, jobType: 'MANUAL_SYNC', direction: 'PUSH', status: 'PENDING', createdAt: at(3) },
      // Running but nothing counted yet.
      starting: {
        ...alpha,
        jobType: 'MANUAL_SYNC',
        direction: 'PUSH',
        status: 'RUNNING',
        startedAt: at(9),
        createdAt: at(3),
      },
      empty: {
        ...beta,
        jobType: 'SCHEDULED_SYNC',
        direction: 'PULL',
        status: 'COMPLETED',
        startedAt: at(-5),
        completedAt: at(-5),
        durationMs: 0,
        createdAt: at(3),
      },
      broken: {
        ...alpha,
        jobType: 'MANUAL_SYNC',
        direction: 'PUSH',
        status: 'FAILED',
        total: 10,
        processed: 4,
        failed: 4,
        startedAt: at(-3),
        completedAt: at(-1),
        durationMs: 2000,
        errorMessage: 'Upstream said no',
        createdAt: at(4),
      },
    } as const;
    for (const [name, data] of Object.entries(rows)) ids[name] = (await db.prisma.jobExecution.create({ data })).id;
  });

  it('computes progress, rate and ETA from the counters', async () => {
    const { items } = await listJobs(db, { limit: 200 }, at(10));
    const byId = new Map(items.map((item) => [item.id, item]));
    expect(byId.get(ids.pushing!)).toMatchObject({ percent: 25, rate: 5, etaSeconds: 30, durationMs: 10_000 });
    expect(byId.get(ids.pulling!)).toMatchObject({ percent: null, rate: 12, etaSeconds: null, durationMs: 10_000 });
    expect(byId.get(ids.done!)).toMatchObject({ percent: 100, rate: 25, etaSeconds: null, durationMs: 4000 });
    expect(byId.get(ids.queued!)).toMatchObject({ percent: null, rate: null, etaSeconds: null, durationMs: null });
    expect(byId.get(ids.starting!)).toMatchObject({ percent: null, rate: 0, etaSeconds: null, durationMs: 1000 });
    expect(byId.get(ids.empty!)).toMatchObject({ percent: 100, rate: null, etaSeconds: null, durationMs: 0 });
    expect(byId.get(ids.broken!)).toMatchObject({ percent: 40, rate: 2, etaSeconds: null, durationMs: 2000 });
    // Later, the same running push has moved on at the same rate: 150 of 200 after 30 s.
    await db.prisma.jobExecution.update({ where: { id: ids.pushing! }, data: { processed: 150 } });
    const later = (await listJobs(db, { resourceId: alpha.resourceId, status: 'RUNNING' }, at(30))).items;
    expect(later.find((item) => item.id === ids.pushing)).toMatchObject({ percent: 75, rate: 5, etaSeconds: 10 });
    await db.prisma.jobExecution.update({ where: { id: ids.pushing! }, data: { processed: 50 } });
  });

  it('lists with names and every progress field, newest first, filtered', async () => {
    const viewer = as('VIEWER');
    const { items, nextCursor } = await viewer.jobs.list({ integrationId: alpha.integrationId });
    expect(nextCursor).toBeNull();
    expect(items.map((item) => item.id)).toEqual([ids.broken, ids.starting, ids.pulling, ids.pushing]);
    expect(items.at(-1)).toEqual({
      id: ids.pushing,
      integrationId: alpha.integrationId,
      integrationName: 'Alpha',
      resourceId: alpha.resourceId,
      resourceName: expect.stringMatching(/^tasks-/),
      jobType: 'MANUAL_SYNC',
      status: 'RUNNING',
      direction: 'PUSH',
      trigger: 'manual:someone',
      total: 200,
      processed: 50,
      succeeded: 45,
      failed: 5,
      conflicts: 0,
      added: 0,
      changed: 0,
      removed: 0,
      skipped: 0,
      percent: 25,
      // Started "in 2030": nothing has elapsed yet by the real clock.
      rate: null,
      etaSeconds: null,
      cancelRequested: false,
      errorMessage: null,
      startedAt: at(0),
      completedAt: null,
      durationMs: 0,
      createdAt: at(0),
    });
    const idsOf = async (input: Parameters<typeof viewer.jobs.list>[0]) =>
      (await viewer.jobs.list(input)).items.map((item) => item.id).sort();
    expect(await idsOf({ resourceId: beta.resourceId })).toEqual([ids.done, ids.queued, ids.empty].sort());
    expect(await idsOf({ status: 'RUNNING' })).toEqual([ids.pushing, ids.pulling, ids.starting].sort());
    expect(await idsOf({ status: ['PENDING', 'FAILED'] })).toEqual([ids.queued, ids.broken].sort());
    expect(await idsOf({ jobType: 'CHANGE_PUSH' })).toEqual([ids.done]);
    expect(await idsOf({ integrationId: beta.integrationId, status: 'COMPLETED', jobType: 'SCHEDULED_SYNC' })).toEqual([
      ids.empty,
    ]);
  });

  it('pages with a keyset cursor: every run once, in order, ties broken by id', async () => {
    const viewer = as('VIEWER');
    const all = (await viewer.jobs.list({ limit: 200 })).items;
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await viewer.jobs.list({ limit: 2, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen).toEqual(all.map((item) => item.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(all.length / 2));
    // Three runs share created_at at(3): newest-first order puts the larger id first.
    const tied = all.filter((item) => item.createdAt.getTime() === at(3).getTime()).map((item) => item.id);
    expect(tied).toEqual([ids.queued!, ids.starting!, ids.empty!].sort().reverse());
    await expect(viewer.jobs.list({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.jobs.list({ limit: 201 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('gets one run with the same summary and its failed items; NOT_FOUND for an unknown id', async () => {
    const viewer = as('VIEWER');
    const listed = (await viewer.jobs.list({ jobType: 'CHANGE_PUSH' })).items[0];
    const got = await viewer.jobs.get({ id: ids.done! });
    expect(got).toEqual({ ...listed, failedItems: [], failedItemsTotal: 0 });
    await expect(viewer.jobs.get({ id: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('jobs.cancel', () => {
  it('cancels a queued run at once and withdraws its pg-boss job', async () => {
    const integration = await db.prisma.integration.create({ data: { name: 'Queued', type: 'SMARTSHEET' } });
    const resource = await createResource(db, integration.id);
    const queued = await enqueueResourceSync(boss, { resourceId: resource.id, direction: 'push', trigger: 'test' });
    if (!queued.queued) throw new Error('not queued');
    const run = await db.prisma.jobExecution.create({
      data: {
        integrationId: integration.id,
        resourceId: resource.id,
        jobType: 'MANUAL_SYNC',
        queueJobId: queued.jobId,
      },
    });
    expect(run.status).toBe('PENDING');

    const result = await as('STAFF').jobs.cancel({ id: run.id });
    expect(result).toEqual({ id: run.id, status: 'CANCELLED', cancelRequested: true, queueCancelled: true });
    const after = await db.prisma.jobExecution.findUniqueOrThrow({ where: { id: run.id } });
    expect(after).toMatchObject({ status: 'CANCELLED', cancelRequested: true });
    expect(after.completedAt).toBeInstanceOf(Date);
    const [job] = await boss.findJobs(QueueName.syncResource, { id: queued.jobId });
    expect(job?.state).toBe('cancelled');
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'job.cancel', entityId: run.id } });
    expect(audit).toMatchObject({ actorId: users.STAFF.id, entityType: 'job_execution', ip: '203.0.113.7' });
    expect(audit.before).toEqual({ status: 'PENDING' });
    expect(audit.after).toMatchObject({ status: 'CANCELLED', queueCancelled: true });

    await expect(as('STAFF').jobs.cancel({ id: run.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(as('STAFF').jobs.cancel({ id: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A sender that cannot cancel still cancels the run; it says the queued job was left.
    const other = await db.prisma.jobExecution.create({
      data: { integrationId: integration.id, jobType: 'MANUAL_SYNC', queueJobId: randomUUID() },
    });
    const staff = callerFor(db, users.STAFF, { sendJob: fakeSender() });
    expect(await staff.jobs.cancel({ id: other.id })).toMatchObject({ status: 'CANCELLED', queueCancelled: false });
  });

  it('stops a running push of 300 rows after the page in flight, through the API', async () => {
    let cancelled: unknown = null;
    let setup: RestSetup | null = null;
    setup = await restSetup('PUSH', {
      maxBatchSize: 50,
      hook: async (req) => {
        if (!isBatch(req) || cancelled) return;
        const running = await db.prisma.jobExecution.findFirstOrThrow({
          where: { resourceId: setup!.resourceId, status: 'RUNNING' },
        });
        cancelled = await as('STAFF').jobs.cancel({ id: running.id });
      },
    });
    try {
      await db.prisma.tasks.createMany({
        data: Array.from({ length: 300 }, (_, i) => ({ title: `Row ${i}`, status: 'todo' })),
      });
      const outcome = await pushAll(engine, setup.resourceId, { pageSize: 100 });
      expect(cancelled).toMatchObject({ id: outcome.jobId, status: 'RUNNING', cancelRequested: true });
      expect(outcome).toMatchObject({ cancelled: true, created: 100 });
      expect(setup.externalCount()).toBe(100);
      const run = await as('VIEWER').jobs.get({ id: outcome.jobId });
      expect(run).toMatchObject({
        status: 'CANCELLED',
        cancelRequested: true,
        total: 300,
        processed: 100,
        percent: 33.3,
        etaSeconds: null,
      });
      expect(run.completedAt).toBeInstanceOf(Date);
      expect(run.errorMessage).toMatch(/cancelled/i);
      // Asking again once it ended is a conflict.
      await expect(as('STAFF').jobs.cancel({ id: outcome.jobId })).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      await setup.close();
    }
  });
});

describe('jobs.retryItem and jobs.retryRun', () => {
  let setup: RestSetup;
  let rejecting = true;
  const taskIds: Record<string, string> = {};

  beforeAll(async () => {
    setup = await restSetup('PUSH', {
      validate: (fields) =>
        rejecting && String(fields.title).startsWith('reject') ? 'title is on the blocked list' : null,
    });
    for (const title of ['keep 1', 'reject 1', 'reject 2', 'keep 2'])
      taskIds[title] = (await db.prisma.tasks.create({ data: { title, status: 'todo' } })).id;
  });
  afterAll(async () => {
    await setup?.close();
  });

  const mappingOf = (title: string) =>
    db.prisma.integrationMapping.findFirstOrThrow({
      where: { resourceId: setup.resourceId, internalId: taskIds[title] },
    });

  it('a run lists its failed records with what it takes to retry each', async () => {
    const outcome = await drainOutbox(engine, setup.resourceId);
    expect(outcome).toMatchObject({ created: 2, failed: 2 });
    const run = await db.prisma.jobExecution.findFirstOrThrow({ where: { resourceId: setup.resourceId } });
    const got = await as('VIEWER').jobs.get({ id: run.id });
    expect(got).toMatchObject({ status: 'PARTIAL', failed: 2, failedItemsTotal: 2 });
    const failed = [await mappingOf('reject 1'), await mappingOf('reject 2')];
    expect(got.failedItems.map((item) => item.mappingId).sort()).toEqual(failed.map((m) => m.id).sort());
    for (const item of got.failedItems) {
      expect(item).toMatchObject({
        logStatus: 'FAILED',
        errorCode: 'invalid',
        mappingStatus: 'FAILED',
        retryable: true,
        externalId: null,
      });
      expect(item.errorMessage).toMatch(/blocked list/);
    }
    // failedLimit caps the list, not the total.
    const capped = await as('VIEWER').jobs.get({ id: run.id, failedLimit: 1 });
    expect(capped.failedItems).toHaveLength(1);
    expect(capped.failedItemsTotal).toBe(2);
  });

  it('retryItem puts one record back in the outbox; the next drain pushes it', async () => {
    rejecting = false; // the cause is fixed on the other side
    const failed = await mappingOf('reject 1');
    expect(await as('STAFF').jobs.retryItem({ mappingId: failed.id })).toEqual({ requeued: 1 });
    expect(await mappingOf('reject 1')).toMatchObject({ status: 'PENDING_SYNC', attempts: 0 });
    expect(await mappingOf('reject 2')).toMatchObject({ status: 'FAILED' });
    const queued = await db.prisma.changeOutbox.findMany({ where: { resourceId: setup.resourceId } });
    expect(queued.map((row) => row.rowKey)).toEqual([taskIds['reject 1']]);

    expect(await drainOutbox(engine, setup.resourceId)).toMatchObject({ created: 1, failed: 0 });
    expect(await mappingOf('reject 1')).toMatchObject({ status: 'SYNCED' });
    expect(setup.externalCount()).toBe(3);

    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'job.retry_item', entityId: failed.id },
    });
    expect(audit).toMatchObject({ actorId: users.STAFF.id, entityType: 'integration_mapping' });
    expect(audit.before).toMatchObject({ status: 'FAILED', attempts: 1 });

    await expect(as('STAFF').jobs.retryItem({ mappingId: failed.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(as('STAFF').jobs.retryItem({ mappingId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('retryRun requeues every record the run logged as failed and not synced since', async () => {
    const run = await db.prisma.jobExecution.findFirstOrThrow({
      where: { resourceId: setup.resourceId },
      orderBy: { createdAt: 'asc' },
    });
    const before = await as('VIEWER').jobs.get({ id: run.id });
    const retried = before.failedItems.find((item) => item.recordId === taskIds['reject 1']);
    expect(retried).toMatchObject({ mappingStatus: 'SYNCED', retryable: false });

    expect(await as('STAFF').jobs.retryRun({ jobId: run.id })).toEqual({ items: 2, requeued: 1 });
    expect(await mappingOf('reject 2')).toMatchObject({ status: 'PENDING_SYNC', attempts: 0 });
    expect(await drainOutbox(engine, setup.resourceId)).toMatchObject({ created: 1, failed: 0 });
    expect(await mappingOf('reject 2')).toMatchObject({ status: 'SYNCED' });
    // Every local row exactly once on the other side.
    const keys = setup.sandbox.store.list('tasks', { limit: 500 }).records.map((r) => r.key);
    expect(keys.sort()).toEqual(Object.values(taskIds).sort());

    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'job.retry_run', entityId: run.id } });
    expect(audit).toMatchObject({ actorId: users.STAFF.id, after: { items: 2, requeued: 1 } });
    await expect(as('STAFF').jobs.retryRun({ jobId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('mass-delete confirmation', () => {
  let setup: RestSetup;
  const externalIds: string[] = [];

  beforeAll(async () => {
    setup = await restSetup('PULL');
    for (let i = 1; i <= 10; i++)
      externalIds.push(setup.sandbox.store.create('tasks', { fields: { title: `Row ${i}`, status: 'todo' } }).id);
    expect(await pullResource(engine, setup.resourceId, { full: true })).toMatchObject({ added: 10 });
  });
  afterAll(async () => {
    await setup?.close();
  });

  const tasks = () => db.prisma.tasks.count();

  it('lists the paused pull and applies the deletes once an admin confirms', async () => {
    for (const id of externalIds.slice(0, 3)) setup.sandbox.store.delete('tasks', id);
    const paused = await pullResource(engine, setup.resourceId, { full: true });
    expect(paused.pendingDeletes).toBe(3);

    const { items } = await as('VIEWER').jobs.pendingMassDeletes();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      jobId: paused.jobId,
      integrationId: setup.integrationId,
      integrationName: 'Tasks PULL',
      resourceId: setup.resourceId,
      resourceName: 'tasks',
      pendingDeletes: 3,
      mapped: 10,
    });
    expect(items[0]!.sampleExternalIds.sort()).toEqual(externalIds.slice(0, 3).sort());
    expect((await as('VIEWER').jobs.get({ id: paused.jobId })).status).toBe('PENDING_CONFIRMATION');

    const confirm = { resourceId: setup.resourceId, confirm: true };
    await expect(as('STAFF').jobs.confirmMassDelete(confirm)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('ADMIN').jobs.confirmMassDelete({ ...confirm, jobId: randomUUID() })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await tasks()).toBe(10);

    expect(await as('ADMIN').jobs.confirmMassDelete({ ...confirm, jobId: paused.jobId })).toEqual({
      jobId: paused.jobId,
      removed: 3,
      status: 'COMPLETED',
    });
    expect(await tasks()).toBe(7);
    expect(await as('VIEWER').jobs.get({ id: paused.jobId })).toMatchObject({ status: 'COMPLETED', removed: 3 });
    expect((await as('VIEWER').jobs.pendingMassDeletes()).items).toEqual([]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'job.mass_delete.confirm', entityId: paused.jobId },
    });
    expect(audit).toMatchObject({ actorId: users.ADMIN.id, after: { status: 'COMPLETED', removed: 3 } });
    expect(audit.before).toMatchObject({ status: 'PENDING_CONFIRMATION', pendingDeletes: 3 });

    await expect(as('ADMIN').jobs.confirmMassDelete(confirm)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(as('ADMIN').jobs.confirmMassDelete({ resourceId: randomUUID(), confirm: true })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
  });

  it('a rejection deletes nothing and closes the run', async () => {
    for (const id of externalIds.slice(3, 6)) setup.sandbox.store.delete('tasks', id);
    const paused = await pullResource(engine, setup.resourceId, { full: true });
    expect(paused.pendingDeletes).toBe(3);
    expect(await as('ADMIN').jobs.confirmMassDelete({ resourceId: setup.resourceId, confirm: false })).toEqual({
      jobId: paused.jobId,
      removed: 0,
      status: 'CANCELLED',
    });
    expect(await tasks()).toBe(7);
    expect((await as('VIEWER').jobs.get({ id: paused.jobId })).status).toBe('CANCELLED');
    expect((await as('VIEWER').jobs.pendingMassDeletes()).items).toEqual([]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'job.mass_delete.reject', entityId: paused.jobId },
    });
    expect(audit).toMatchObject({ actorId: users.ADMIN.id, after: { status: 'CANCELLED', removed: 0 } });
  });
});
