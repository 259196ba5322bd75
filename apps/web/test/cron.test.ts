// POST /api/cron/*: bearer CRON_SECRET (constant time), 404 when the feature is off, and a real
// pg-boss job queued for the worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createLogger, QueueName, testSecret } from '@syncbridge/engine';
import { parseEnv } from '../app/env.server.ts';
import { createWebServer } from '../server/app.ts';
import { createJobSender, type JobSenderHandle } from '../server/webhooks.ts';
import { listen } from './helpers.ts';

const db = useTestDatabase();
const CRON_SECRET = testSecret();
const logLines: string[] = [];
const logger = createLogger({
  name: 'web-test',
  level: 'debug',
  destination: { write: (line: string) => logLines.push(line) },
});

let jobs: JobSenderHandle;
let on: Awaited<ReturnType<typeof listen>>;
let off: Awaited<ReturnType<typeof listen>>;

const ENDPOINTS = {
  'sync-integrations': QueueName.syncDispatch,
  'retry-failed-syncs': QueueName.syncRetry,
  'cleanup-old-logs': QueueName.cleanup,
} as const;

function call(base: string, endpoint: string, authorization?: string) {
  return fetch(`${base}/api/cron/${endpoint}`, {
    method: 'POST',
    headers: authorization === undefined ? {} : { authorization },
  });
}

beforeAll(async () => {
  jobs = createJobSender({ connectionString: db.url, logger, retryMs: 200 });
  await jobs.ready;
  const api = { sendJob: jobs.sender };
  on = await listen((await createWebServer({ db, logger, mode: 'api-only', api, cronSecret: CRON_SECRET })).app);
  off = await listen((await createWebServer({ db, logger, mode: 'api-only', api })).app);
});

afterAll(async () => {
  await on?.close();
  await off?.close();
  await jobs?.stop();
});

describe('cron endpoints', () => {
  it('401 without the token, with a wrong one, or with another scheme; nothing is queued', async () => {
    for (const endpoint of Object.keys(ENDPOINTS)) {
      for (const authorization of [
        undefined,
        '',
        'Bearer',
        `Bearer ${CRON_SECRET.slice(0, -1)}`,
        `Bearer ${CRON_SECRET}0`,
        `Bearer ${'x'.repeat(CRON_SECRET.length)}`,
        `Basic ${Buffer.from(`cron:${CRON_SECRET}`).toString('base64')}`,
        CRON_SECRET,
      ]) {
        const response = await call(on.url, endpoint, authorization);
        expect(response.status, `${endpoint} with ${authorization?.slice(0, 8)}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      }
    }
    const { rows } = await db.pool.query(`select 1 from pgboss.job where data->>'trigger' = 'cron'`);
    expect(rows).toHaveLength(0);
  });

  it('404 for every endpoint when CRON_SECRET is unset, the right token included', async () => {
    for (const endpoint of Object.keys(ENDPOINTS)) {
      const response = await call(off.url, endpoint, `Bearer ${CRON_SECRET}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    // And an unknown job with the right token, or another method, on the enabled server.
    expect((await call(on.url, 'drop-database', `Bearer ${CRON_SECRET}`)).status).toBe(404);
    expect((await call(on.url, 'constructor', `Bearer ${CRON_SECRET}`)).status).toBe(404);
    const get = await fetch(`${on.url}/api/cron/sync-integrations`, {
      headers: { authorization: `Bearer ${CRON_SECRET}` },
    });
    expect(get.status).toBe(404);
  });

  it('202 { queued, jobId } and the job is in pg-boss, on the matching queue, for the worker', async () => {
    for (const [endpoint, queue] of Object.entries(ENDPOINTS)) {
      const response = await call(on.url, endpoint, `Bearer ${CRON_SECRET}`);
      expect(response.status).toBe(202);
      const body = (await response.json()) as { queued: boolean; jobId: string };
      expect(body).toEqual({ queued: true, jobId: expect.any(String) });
      const { rows } = await db.pool.query<{ name: string; state: string; data: unknown }>(
        'select name, state, data from pgboss.job where id = $1',
        [body.jobId],
      );
      expect(rows).toEqual([{ name: queue, state: 'created', data: { trigger: 'cron' } }]);
    }
  });

  it('a second call while the first run waits is absorbed by it (stately queues)', async () => {
    const again = await call(on.url, 'cleanup-old-logs', `bearer ${CRON_SECRET}`);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ queued: false, jobId: null });
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from pgboss.job where name = $1 and state = 'created'`,
      [QueueName.cleanup],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('never logs the token', () => {
    expect(logLines.join('')).toContain('cron job queued');
    expect(logLines.join('')).toContain('cron call refused');
    expect(logLines.join('')).not.toContain(CRON_SECRET);
  });
});

describe('CRON_SECRET', () => {
  const base = { DATABASE_URL: 'postgres://u@localhost:5432/app' };
  it('is optional and must have at least 32 characters', () => {
    expect(parseEnv(base).CRON_SECRET).toBeUndefined();
    expect(parseEnv({ ...base, CRON_SECRET }).CRON_SECRET).toBe(CRON_SECRET);
    expect(() => parseEnv({ ...base, CRON_SECRET: 'x'.repeat(31) })).toThrow(/CRON_SECRET: must have at least 32/);
  });
});
