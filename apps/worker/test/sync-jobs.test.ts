// Scheduled and manual syncs through the queues: the dispatcher turns a due integration into a
// sync.integration job (a SCHEDULED_SYNC run), and "sync now" runs one resource.
import { JobType } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { s4CalendarResource, saveResource } from '@syncbridge/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enqueueIntegrationSync, enqueueResourceSync, resourceSyncKey } from '@syncbridge/engine';
import { QueueName } from '../src/queues.ts';
import { createWorker, type Worker } from '../src/worker.ts';
import { captureLogger, eventFor, insertInteraction, testEngineContext } from './support.ts';

const db = useTestDatabase();
const QUARTER_HOUR = 15 * 60_000;
let worker: Worker;
let integrationId: string;
let resourceId: string;
let interactionId: string;
let startedAt: Date;

beforeAll(async () => {
  const integration = await db.prisma.integration.create({
    data: {
      name: 'CRM → calendar (every 15 min)',
      type: 'IN_DATABASE',
      direction: 'PUSH',
      frequency: 'EVERY_15_MIN',
      nextSyncAt: new Date(Date.now() - 60_000),
    },
  });
  integrationId = integration.id;
  // Written before the resource exists, so no capture trigger saw it: only a full push carries it.
  interactionId = await insertInteraction(db, { subject: 'Board meeting' });
  resourceId = (await saveResource(testEngineContext(db), s4CalendarResource(integrationId))).id;

  startedAt = new Date();
  // The dispatcher's `* * * * *` always has an occurrence in pg-boss's due window, so the first
  // one-second cron pass sends it (as in schedule.test.ts).
  worker = createWorker({
    databaseUrl: db.url,
    logger: captureLogger().logger,
    port: 0,
    host: '127.0.0.1',
    concurrency: 2,
    timing: {
      dispatchCron: '* * * * *',
      cronMonitorIntervalSeconds: 1,
      cronWorkerIntervalSeconds: 1,
      pollingIntervalSeconds: 0.5,
      outboxSweepIntervalMs: 60_000,
    },
  });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
});

async function settled(queue: string, id: string, state: 'completed' | 'failed' = 'completed') {
  return vi.waitFor(
    async () => {
      const [job] = await worker.boss.findJobs(queue, { id });
      expect(job?.state).toBe(state);
      return job!;
    },
    { timeout: 30_000, interval: 100 },
  );
}

describe('scheduled sync', () => {
  it('dispatches a due integration to sync.integration and runs a SCHEDULED_SYNC full push', async () => {
    // Nothing sends to the queues but pg-boss's scheduler and the dispatcher.
    const execution = await vi.waitFor(
      async () => {
        const row = await db.prisma.jobExecution.findFirst({
          where: { integrationId, jobType: JobType.SCHEDULED_SYNC, status: { not: 'RUNNING' } },
        });
        if (!row) throw new Error('no finished SCHEDULED_SYNC execution yet');
        return row;
      },
      { timeout: 45_000, interval: 200 },
    );
    expect(execution).toMatchObject({
      status: 'COMPLETED',
      trigger: 'schedule',
      resourceId,
      direction: 'PUSH',
      added: 1,
      failed: 0,
    });
    expect(await eventFor(db, interactionId)).toMatchObject({ title: 'Board meeting' });

    // One sync.integration job, keyed by the integration, completed.
    const jobs = await worker.boss.findJobs(QueueName.syncIntegration, { key: integrationId });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ data: { integrationId, trigger: 'schedule' } });
    await settled(QueueName.syncIntegration, jobs[0]!.id);

    // The claim moved next_sync_at to the next quarter hour; the run recorded its success.
    const integration = await db.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } });
    const next = integration.nextSyncAt!;
    expect(next.getTime() % QUARTER_HOUR).toBe(0);
    expect(next.getTime()).toBeGreaterThan(startedAt.getTime());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(QUARTER_HOUR);
    expect(integration).toMatchObject({ consecutiveFailures: 0, pollingEnabled: true, status: 'ACTIVE' });
    expect(integration.lastSuccessAt).toBeInstanceOf(Date);
  });

  it('does not dispatch an integration again before its next slot', async () => {
    // A dispatcher pass of our own (sent again if a scheduled one is waiting: the queue holds one).
    const pass = await vi.waitFor(async () => {
      const id = await worker.boss.send(QueueName.syncDispatch, { trigger: 'test' });
      if (!id) throw new Error('a dispatcher pass is already waiting');
      return id;
    });
    await settled(QueueName.syncDispatch, pass);
    expect(await worker.boss.findJobs(QueueName.syncIntegration, { key: integrationId })).toHaveLength(1);
  });
});

describe('sync now', () => {
  it('runs a full push of one resource as a MANUAL_SYNC traced to its job', async () => {
    const sent = await enqueueResourceSync(worker.boss, { resourceId, direction: 'push', trigger: 'manual:test' });
    if (!sent.queued) throw new Error('the resource sync was not queued');
    const job = await settled(QueueName.syncResource, sent.jobId);
    expect(job.singletonKey).toBe(resourceSyncKey({ resourceId, direction: 'push' }));

    const execution = await db.prisma.jobExecution.findFirstOrThrow({ where: { queueJobId: sent.jobId } });
    // The event exists already: a full push compares every row and sends nothing unchanged.
    expect(execution).toMatchObject({
      jobType: 'MANUAL_SYNC',
      status: 'COMPLETED',
      trigger: 'manual:test',
      resourceId,
      total: 1,
      skipped: 1,
    });
  });

  it('runs an integration on request as a MANUAL_SYNC', async () => {
    const sent = await enqueueIntegrationSync(worker.boss, { integrationId, trigger: 'manual:test' });
    if (!sent.queued) throw new Error('the integration sync was not queued');
    await settled(QueueName.syncIntegration, sent.jobId);
    const runs = await db.prisma.jobExecution.findMany({
      where: { integrationId, jobType: 'MANUAL_SYNC', trigger: 'manual:test' },
    });
    expect(
      runs.filter((run) => run.resourceId === resourceId && run.status === 'COMPLETED').length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('folds a second request into the one already waiting, per resource and direction', async () => {
    const later = { startAfter: 3600 };
    const first = await enqueueResourceSync(worker.boss, { resourceId, direction: 'push', trigger: 'manual:a' }, later);
    const second = await enqueueResourceSync(worker.boss, { resourceId, direction: 'push', trigger: 'manual:b' });
    const pull = await enqueueResourceSync(worker.boss, { resourceId, direction: 'pull', trigger: 'manual:c' }, later);
    expect(first.queued).toBe(true);
    expect(second).toEqual({ queued: false, jobId: null });
    expect(pull.queued).toBe(true); // another key
    await worker.boss.cancel(QueueName.syncResource, [first.jobId!, pull.jobId!]);
  });

  it('refuses a payload that does not match the schema before it reaches the queue', async () => {
    await expect(
      enqueueResourceSync(worker.boss, { resourceId: 'not-a-uuid', direction: 'push', trigger: 'manual:test' }),
    ).rejects.toThrow();
  });
});

describe('cleanup', () => {
  it('removes sync logs past 90 days, keeps newer ones and records a CLEANUP run', async () => {
    const log = {
      integrationId,
      resourceId,
      operation: 'CREATE',
      direction: 'PUSH',
      resourceType: 'CALENDAR_EVENT',
      status: 'SUCCESS',
    } as const;
    const day = 86_400_000;
    const old = await db.prisma.syncLog.create({ data: { ...log, createdAt: new Date(Date.now() - 91 * day) } });
    const recent = await db.prisma.syncLog.create({ data: { ...log, createdAt: new Date(Date.now() - 89 * day) } });

    const id = (await worker.boss.send(QueueName.cleanup, { trigger: 'test' }))!;
    await settled(QueueName.cleanup, id);

    expect(await db.prisma.syncLog.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db.prisma.syncLog.findUnique({ where: { id: recent.id } })).not.toBeNull();
    expect(await db.prisma.jobExecution.findFirst({ where: { queueJobId: id } })).toMatchObject({
      jobType: 'CLEANUP',
      status: 'COMPLETED',
      trigger: 'test',
      removed: 1,
    });
  });
});
