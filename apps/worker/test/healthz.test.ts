import { useTestDatabase } from '@syncbridge/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueName } from '../src/queues.ts';
import { createWorker, type Worker } from '../src/worker.ts';
import { captureLogger } from './support.ts';

const db = useTestDatabase();
const log = captureLogger();
let worker: Worker;
let base: string;

beforeAll(async () => {
  // Production settings: only the port is picked by the kernel.
  worker = createWorker({ databaseUrl: db.url, logger: log.logger, port: 0, host: '127.0.0.1', concurrency: 4 });
  const { port } = await worker.start();
  expect(port).toBeGreaterThan(0);
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await worker?.stop();
});

describe('/healthz', () => {
  it('answers 200 with database and queue up while running', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ status: 'ok', database: true, queue: true, drainer: true });
  });

  it('answers 404 to anything else', async () => {
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/healthz/extra`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(404);
  });

  it('registers the health check every five minutes in UTC', async () => {
    const schedule = await worker.boss.getSchedule(QueueName.healthCheck);
    expect(schedule).toMatchObject({ cron: '*/5 * * * *', timezone: 'UTC', data: { trigger: 'schedule' } });
    const [first, second] = worker.boss.previewSchedule('*/5 * * * *', { count: 2 });
    expect(second!.getTime() - first!.getTime()).toBe(5 * 60_000);
    expect(await worker.boss.getQueue(QueueName.healthCheck)).toMatchObject({ retryLimit: 2, retryBackoff: true });
  });

  it('creates the sync queues as stately and schedules dispatch, retries and cleanup in UTC', async () => {
    for (const name of [
      QueueName.syncDispatch,
      QueueName.syncIntegration,
      QueueName.syncResource,
      QueueName.syncRetry,
      QueueName.cleanup,
    ]) {
      expect(await worker.boss.getQueue(name), name).toMatchObject({ policy: 'stately' });
    }
    expect(await worker.boss.getQueue(QueueName.syncIntegration)).toMatchObject({
      retryLimit: 3,
      heartbeatSeconds: 60,
    });
    const schedules = Object.fromEntries((await worker.boss.getSchedules()).map((s) => [s.name, s]));
    expect(schedules).toMatchObject({
      [QueueName.syncDispatch]: { cron: '* * * * *', timezone: 'UTC' },
      [QueueName.syncRetry]: { cron: '* * * * *', timezone: 'UTC' },
      [QueueName.cleanup]: { cron: '0 3 * * *', timezone: 'UTC' },
    });
  });

  it('answers 503 with the same shape when pg-boss is no longer running', async () => {
    // pg-boss stopping underneath the worker (here by hand) must turn the probe red.
    await worker.boss.stop({ graceful: false, close: false });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', database: true, queue: false, drainer: true });
  });

  it('closes the port on stop(), and stop() is idempotent', async () => {
    await Promise.all([worker.stop(), worker.stop()]);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    await expect(worker.stop()).resolves.toBeUndefined();
  });

  it('never logs the database password', () => {
    const password = new URL(db.url).password;
    expect(password).not.toBe('');
    expect(log.lines.join('')).not.toContain(password);
  });
});
