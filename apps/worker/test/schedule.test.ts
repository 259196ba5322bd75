import { JobType } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { QueueName } from '../src/queues.ts';
import { createWorker, type Worker } from '../src/worker.ts';
import { captureLogger } from './support.ts';

const db = useTestDatabase();
let worker: Worker | undefined;

afterAll(async () => {
  await worker?.stop();
});

describe('health-check schedule', () => {
  it('fires through pg-boss scheduling and records a HEALTH_CHECK JobExecution', async () => {
    const { logger } = captureLogger();
    // `* * * * *` always has an occurrence inside pg-boss's 60-second due window, so the first
    // cron pass after the schedule is written sends it; 1-second passes make that pass prompt.
    worker = createWorker({
      databaseUrl: db.url,
      logger,
      port: 0,
      host: '127.0.0.1',
      concurrency: 2,
      timing: {
        healthCheckCron: '* * * * *',
        cronMonitorIntervalSeconds: 1,
        cronWorkerIntervalSeconds: 1,
        pollingIntervalSeconds: 0.5,
      },
    });
    await worker.start();
    const boss = worker.boss;
    expect(await boss.getSchedule(QueueName.healthCheck)).toMatchObject({ cron: '* * * * *', timezone: 'UTC' });

    // Nothing sends to the queue but pg-boss's own scheduler.
    const execution = await vi.waitFor(
      async () => {
        const row = await db.prisma.jobExecution.findFirst({ where: { jobType: JobType.HEALTH_CHECK } });
        if (!row) throw new Error('no HEALTH_CHECK execution yet');
        return row;
      },
      { timeout: 45_000, interval: 200 },
    );
    expect(execution).toMatchObject({ status: 'COMPLETED', trigger: 'schedule', retryCount: 0 });
    expect(execution.startedAt).toBeInstanceOf(Date);
    expect(execution.completedAt).toBeInstanceOf(Date);
    expect(execution.durationMs).toBeGreaterThanOrEqual(0);
    expect(execution.queueJobId).toBeTruthy();

    // The job is the one the schedule produced: pg-boss records it as the schedule's last job.
    await vi.waitFor(
      async () => {
        const schedule = await boss.getSchedule(QueueName.healthCheck);
        expect(schedule?.lastJobId).toBe(execution.queueJobId);
      },
      { timeout: 10_000, interval: 200 },
    );
    const job = await vi.waitFor(async () => {
      const [current] = await boss.findJobs(QueueName.healthCheck, { id: execution.queueJobId ?? '' });
      expect(current?.state).toBe('completed');
      return current;
    });
    expect(job?.data).toEqual({ trigger: 'schedule' });
  });
});
