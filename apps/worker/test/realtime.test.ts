// The push pipeline driven by the worker: a committed change reaches the connector through
// LISTEN/NOTIFY within a second, and a record whose retry is due is pushed after a sync.retry run.
// The S4 preset (interaction → calendar_events, in the same database) is the connector.
import { useTestDatabase } from '@syncbridge/db/testing';
import { s4CalendarResource, saveResource } from '@syncbridge/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QueueName } from '../src/queues.ts';
import { createWorker, type Worker } from '../src/worker.ts';
import { captureLogger, daysFromNow, eventFor, insertInteraction, testEngineContext } from './support.ts';

const db = useTestDatabase();
let worker: Worker;
let integrationId: string;
let resourceId: string;

// Nothing but a NOTIFY can wake the drainer within a test: its sweep waits a minute and the
// recurring jobs that could push (dispatch, retry promotion) are scheduled once a year.
const NEVER_IN_THIS_TEST = '0 0 1 1 *';

beforeAll(async () => {
  const integration = await db.prisma.integration.create({
    data: { name: 'CRM → calendar', type: 'IN_DATABASE', direction: 'PUSH' },
  });
  integrationId = integration.id;
  resourceId = (await saveResource(testEngineContext(db), s4CalendarResource(integrationId))).id;
  worker = createWorker({
    databaseUrl: db.url,
    logger: captureLogger().logger,
    port: 0,
    host: '127.0.0.1',
    concurrency: 2,
    timing: {
      outboxSweepIntervalMs: 60_000,
      dispatchCron: NEVER_IN_THIS_TEST,
      retryCron: NEVER_IN_THIS_TEST,
      pollingIntervalSeconds: 0.5,
    },
  });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
});

/** Milliseconds from now until `present()` holds, checked every few milliseconds. */
async function millisecondsUntil(present: () => Promise<boolean>): Promise<number> {
  const from = performance.now();
  await vi.waitFor(
    async () => {
      if (!(await present())) throw new Error('not there yet');
    },
    { timeout: 10_000, interval: 5 },
  );
  return performance.now() - from;
}

describe('realtime push through the worker', () => {
  it('creates the calendar event of a committed interaction within a second', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      // create() resolves once the insert has committed: the clock starts at the commit.
      const id = await insertInteraction(db, { subject: `Call ${i}`, interaction_date: daysFromNow(1 + i, 9 + i) });
      latencies.push(await millisecondsUntil(async () => (await eventFor(db, id)) !== null));
      const event = await eventFor(db, id);
      expect(event).toMatchObject({ title: `Call ${i}`, event_status: 'scheduled', synced_from: 'interaction' });
    }
    expect(Math.max(...latencies), `commit → event latencies: ${latencies.map(Math.round).join(', ')} ms`).toBeLessThan(
      1000,
    );

    // The bookkeeping follows the connector's write by a few statements.
    await vi.waitFor(async () => {
      expect(await db.prisma.integrationMapping.count({ where: { resourceId, status: 'SYNCED' } })).toBe(5);
      expect(await db.prisma.changeOutbox.count()).toBe(0);
      const pushes = await db.prisma.jobExecution.findMany({ where: { resourceId, jobType: 'CHANGE_PUSH' } });
      expect(pushes).toHaveLength(1); // realtime pushes roll up into one execution
      expect(pushes[0]).toMatchObject({ trigger: 'change', added: 5 });
    });
  });

  it('carries updates and deletes across the same way', async () => {
    const id = await insertInteraction(db, { subject: 'Kickoff' });
    await millisecondsUntil(async () => (await eventFor(db, id)) !== null);

    await db.prisma.interaction.update({ where: { interaction_id: id }, data: { subject: 'Kickoff (moved)' } });
    const updated = await millisecondsUntil(async () => (await eventFor(db, id))?.title === 'Kickoff (moved)');
    expect(updated).toBeLessThan(1000);

    await db.prisma.interaction.delete({ where: { interaction_id: id } });
    const deleted = await millisecondsUntil(async () => (await eventFor(db, id)) === null);
    expect(deleted).toBeLessThan(1000);
    // The outbox rows go once the connector has the change.
    await vi.waitFor(async () => expect(await db.prisma.changeOutbox.count()).toBe(0));
  });

  it('reports the drainer on /healthz', async () => {
    const { port } = await worker.start(); // start() again returns the first start's result
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok', database: true, queue: true, drainer: true });
  });
});

describe('retry promotion', () => {
  it('pushes a record whose retry is due after a sync.retry run', async () => {
    // An interaction whose create failed earlier: written without an outbox row (as if by this
    // integration itself, so the capture trigger skips it), with a mapping reserved for the create
    // and a retry scheduled an hour from now.
    const client = await db.pool.connect();
    let interactionId: string;
    try {
      await client.query('begin');
      await client.query(`select set_config('syncbridge.origin', $1, true)`, [integrationId]);
      const { rows } = await client.query<{ interaction_id: string }>(
        `insert into interaction (interaction_type, created_by, subject, interaction_date, duration_minutes)
         values ('phone', '00000000-0000-4000-8000-000000000001', 'Follow-up call', $1, 15)
         returning interaction_id`,
        [daysFromNow(4)],
      );
      interactionId = rows[0]!.interaction_id;
      await client.query('commit');
    } finally {
      client.release();
    }
    const mapping = await db.prisma.integrationMapping.create({
      data: {
        integrationId,
        resourceId,
        internalId: interactionId,
        externalId: null,
        status: 'PENDING_SYNC',
        attempts: 1,
        lastError: 'connection reset by peer',
        nextRetryAt: new Date(Date.now() + 60 * 60_000),
      },
    });
    expect(await db.prisma.changeOutbox.count({ where: { rowKey: interactionId } })).toBe(0);

    // Not due: a promotion pass leaves it alone.
    const early = (await worker.boss.send(QueueName.syncRetry, { trigger: 'test' }))!;
    await vi.waitFor(
      async () => expect((await worker.boss.findJobs(QueueName.syncRetry, { id: early }))[0]?.state).toBe('completed'),
      { timeout: 15_000, interval: 100 },
    );
    expect(await db.prisma.integrationMapping.findUniqueOrThrow({ where: { id: mapping.id } })).toMatchObject({
      status: 'PENDING_SYNC',
      externalId: null,
    });
    expect(await eventFor(db, interactionId)).toBeNull();

    // Due: the next pass moves it to the outbox and the drainer pushes it.
    await db.prisma.integrationMapping.update({
      where: { id: mapping.id },
      data: { nextRetryAt: new Date(Date.now() - 1000) },
    });
    const due = (await worker.boss.send(QueueName.syncRetry, { trigger: 'test' }))!;
    expect(due).toBeTruthy();
    const event = await vi.waitFor(
      async () => {
        const row = await eventFor(db, interactionId);
        if (!row) throw new Error('no event yet');
        return row;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(event).toMatchObject({ title: 'Follow-up call', event_status: 'scheduled' });
    await vi.waitFor(async () => {
      expect(await db.prisma.integrationMapping.findUniqueOrThrow({ where: { id: mapping.id } })).toMatchObject({
        status: 'SYNCED',
        externalId: event.event_id,
        attempts: 0,
        lastError: null,
        nextRetryAt: null,
      });
    });
    const [job] = await worker.boss.findJobs(QueueName.syncRetry, { id: due });
    expect(job?.state).toBe('completed');
  });
});
