import { JobStatus, JobType } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createWorker, type CreateWorkerOptions, type QueueRegistration, type Worker } from '../src/worker.ts';
import { captureLogger } from './support.ts';

const db = useTestDatabase();
const workers: Worker[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

async function startWorker(queue: QueueRegistration, extra: Partial<CreateWorkerOptions> = {}) {
  const worker = createWorker({
    databaseUrl: db.url,
    logger: captureLogger().logger,
    port: 0,
    host: '127.0.0.1',
    concurrency: 1,
    extraQueues: [queue],
    timing: { pollingIntervalSeconds: 0.5 },
    ...extra,
  });
  workers.push(worker);
  const { port } = await worker.start();
  return { worker, port };
}

/** The job row as pg-boss left it; read with plain SQL since the worker's pg-boss is stopped. */
async function jobRow(id: string) {
  const { rows } = await db.pool.query<{ state: string; output: unknown }>(
    'select state, output from pgboss.job where id = $1',
    [id],
  );
  return rows[0];
}

describe('graceful stop', () => {
  it('stops taking work, lets the running handler finish and write, then closes', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const { worker, port } = await startWorker({
      definition: { name: 'test.slow', options: { retryLimit: 0, expireInSeconds: 60 } },
      handler: async (job, context) => {
        started = true;
        await released;
        // The database is still open while pg-boss drains.
        await context.db.prisma.jobExecution.create({
          data: { jobType: JobType.CLEANUP, status: JobStatus.COMPLETED, trigger: 'test', queueJobId: job.id },
        });
      },
    });
    const id = (await worker.boss.send('test.slow', {}))!;
    await vi.waitFor(() => expect(started).toBe(true), { timeout: 15_000 });

    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await vi.waitFor(() =>
      expect(worker.boss.getWipData().find((w) => w.name === 'test.slow')?.state).toBe('stopping'),
    );
    // Draining: no longer ready, still answering, stop() still waiting on the handler.
    const probe = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(probe.status).toBe(503);
    expect(await probe.json()).toEqual({ status: 'unavailable', database: true, queue: false, drainer: false });
    expect(stopped).toBe(false);

    release();
    await stopping;
    expect(await jobRow(id)).toMatchObject({ state: 'completed' });
    expect(await db.prisma.jobExecution.count({ where: { queueJobId: id } })).toBe(1);
  });

  it('gives up on a handler that outlives the timeout: aborts it and fails the job', async () => {
    let started = false;
    let aborted = false;
    const { worker } = await startWorker(
      {
        definition: { name: 'test.stuck', options: { retryLimit: 0, expireInSeconds: 60 } },
        handler: (job) =>
          new Promise<void>((_, reject) => {
            started = true;
            job.signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            });
          }),
      },
      { stopTimeoutMs: 1_000 },
    );
    const id = (await worker.boss.send('test.stuck', {}))!;
    await vi.waitFor(() => expect(started).toBe(true), { timeout: 15_000 });

    const before = Date.now();
    await worker.stop();
    expect(Date.now() - before).toBeLessThan(10_000);
    expect(aborted).toBe(true);
    const row = await jobRow(id);
    expect(row?.state).toBe('failed');
    expect(JSON.stringify(row?.output)).toContain('pg-boss shut down while active');
  });
});
