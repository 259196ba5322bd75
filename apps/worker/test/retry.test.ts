import { useTestDatabase } from '@syncbridge/db/testing';
import type { Job } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureQueues } from '../src/queues.ts';
import { createWorker, type QueueRegistration, type Worker } from '../src/worker.ts';
import { captureLogger } from './support.ts';

const db = useTestDatabase();

/** Every attempt a handler saw, per job id: the retryCount pg-boss handed it and when it started. */
const attempts = new Map<string, { retryCount: number; at: number }[]>();
function recordAttempt(job: Job<unknown>): number {
  const seen = attempts.get(job.id) ?? [];
  seen.push({ retryCount: job.retryCount, at: Date.now() });
  attempts.set(job.id, seen);
  return seen.length;
}

// Retries one second apart, without backoff, so three attempts take seconds.
const fastRetries = { retryDelay: 1, retryBackoff: false, expireInSeconds: 30 } as const;

const flaky: QueueRegistration = {
  definition: { name: 'test.flaky', options: { ...fastRetries, retryLimit: 4 } },
  handler: async (job) => {
    const attempt = recordAttempt(job);
    if (attempt <= 2) throw new Error(`flaky attempt ${attempt} failed`);
  },
};

const broken: QueueRegistration = {
  definition: { name: 'test.broken', options: { ...fastRetries, retryLimit: 2 } },
  handler: async (job) => {
    const attempt = recordAttempt(job);
    throw new Error(`broken attempt ${attempt} failed`);
  },
};

let worker: Worker;

beforeAll(async () => {
  worker = createWorker({
    databaseUrl: db.url,
    logger: captureLogger().logger,
    port: 0,
    host: '127.0.0.1',
    concurrency: 2,
    extraQueues: [flaky, broken],
    timing: { pollingIntervalSeconds: 0.5 },
  });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
});

async function settled(queue: string, id: string, state: 'completed' | 'failed') {
  return vi.waitFor(
    async () => {
      const [job] = await worker.boss.findJobs(queue, { id });
      expect(job?.state).toBe(state);
      return job!;
    },
    { timeout: 30_000, interval: 200 },
  );
}

describe('job retries', () => {
  it('creates the extra queues with their retry policy', async () => {
    expect(await worker.boss.getQueue('test.flaky')).toMatchObject({
      retryLimit: 4,
      retryDelay: 1,
      retryBackoff: false,
      expireInSeconds: 30,
    });
  });

  it('retries a job that fails twice and completes it on the third attempt', async () => {
    const id = await worker.boss.send('test.flaky', { n: 1 });
    expect(id).toBeTruthy();
    const job = await settled('test.flaky', id!, 'completed');

    const seen = attempts.get(id!) ?? [];
    expect(seen.map((a) => a.retryCount)).toEqual([0, 1, 2]);
    expect(job.retryCount).toBe(2);
    // retryDelay is honoured between attempts.
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.at - seen[i - 1]!.at).toBeGreaterThanOrEqual(950);
    }
  });

  it('fails a job that always fails after retryLimit + 1 attempts and records its error', async () => {
    const id = await worker.boss.send('test.broken', { n: 2 });
    const job = await settled('test.broken', id!, 'failed');

    expect(attempts.get(id!)?.map((a) => a.retryCount)).toEqual([0, 1, 2]);
    expect(job.retryCount).toBe(2);
    expect(job.retryLimit).toBe(2);
    expect(job.output).toMatchObject({ message: 'broken attempt 3 failed' });
    expect(job.completedOn).toBeInstanceOf(Date);
  });

  it('brings an existing queue in line with changed options in code', async () => {
    await ensureQueues(worker.boss, [
      { name: 'test.flaky', options: { ...fastRetries, retryLimit: 7, retryBackoff: true, retryDelayMax: 10 } },
    ]);
    expect(await worker.boss.getQueue('test.flaky')).toMatchObject({
      retryLimit: 7,
      retryBackoff: true,
      retryDelayMax: 10,
    });
  });
});
