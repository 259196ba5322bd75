import { describe, expect, it, vi } from 'vitest';
import { createDatabase } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createPostgresRateLimiter } from './rate-limiter.ts';

const db = useTestDatabase();

/** Most recorded slots inside any window (t - W, t]. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function slotTimes(key: string): Promise<number[]> {
  const { rows } = await db.pool.query<{ ms: number }>(
    'select (extract(epoch from at) * 1000)::float8 as ms from rate_limit_events where key = $1',
    [key],
  );
  return rows.map((r) => r.ms);
}

describe('createPostgresRateLimiter', () => {
  it('never admits more than the limit in any window, for concurrent callers in two processes', async () => {
    // A second pool stands for a second worker process: the limit holds across both.
    const other = createDatabase({ connectionString: db.url, max: 4 });
    try {
      const limit = { key: 'test:concurrent', limit: 4, windowMs: 300 };
      const limiters = [createPostgresRateLimiter(db.pool), createPostgresRateLimiter(other.pool)];
      const started = Date.now();
      await Promise.all(Array.from({ length: 13 }, (_, i) => limiters[i % 2]!.acquire(limit)));
      const elapsed = Date.now() - started;
      const times = await slotTimes(limit.key);
      expect(times).toHaveLength(13);
      // Slots are held 1% + 250 ms longer than the window, so even that longer window holds ≤ 4.
      expect(maxInWindow(times, 300 * 1.01 + 250)).toBe(4);
      // 13 slots at 4 per window: the last three wait for three windows to pass.
      expect(elapsed).toBeGreaterThanOrEqual(3 * 300);
    } finally {
      await other.close();
    }
  });

  it('keeps keys apart and leaves no advisory lock behind', async () => {
    const limiter = createPostgresRateLimiter(db.pool);
    const slow = { key: 'test:full', limit: 1, windowMs: 60_000 };
    await limiter.acquire(slow);
    const started = Date.now();
    // The first key is full for a minute; another key is not held up by it.
    await limiter.acquire({ key: 'test:other', limit: 1, windowMs: 60_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from pg_locks
        where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`);
    expect(rows[0]!.n).toBe(0);
  });

  it('counts a sent request until its answer is back, however long it was in flight', async () => {
    const limiter = createPostgresRateLimiter(db.pool);
    const limit = { key: 'test:send', limit: 1, windowMs: 200 };
    let answer: (() => void) | undefined;
    const first = limiter.send(limit, () => new Promise<string>((resolve) => (answer = () => resolve('first'))));
    await vi.waitFor(() => expect(answer).toBeDefined());
    let secondSentAt = 0;
    const second = limiter.send(limit, async () => {
      secondSentAt = Date.now();
      return 'second';
    });
    // The first request stays in flight for three windows (a slow upstream): the second waits, where
    // a slot counted from the decision (acquire) would have let it go after 200 ms · 1.01 + 250 ms.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(secondSentAt).toBe(0);
    const answeredAt = Date.now();
    answer!();
    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe('second');
    expect(secondSentAt - answeredAt).toBeGreaterThanOrEqual(200);

    // A request that fails may still have arrived: its slot is counted from the failure, and the
    // error reaches the caller unchanged.
    await expect(
      limiter.send(limit, async () => {
        throw new Error('upstream said 503');
      }),
    ).rejects.toThrow('upstream said 503');
    const { rows } = await db.pool.query<{ inFlight: number }>(
      `select count(*)::int as "inFlight" from rate_limit_events where key = $1 and at > clock_timestamp()`,
      [limit.key],
    );
    expect(rows[0]!.inFlight).toBe(0);
  });

  it('gives up waiting when its signal is aborted', async () => {
    const limiter = createPostgresRateLimiter(db.pool);
    const limit = { key: 'test:abort', limit: 1, windowMs: 60_000 };
    await limiter.acquire(limit);
    const controller = new AbortController();
    const waiting = limiter.acquire(limit, controller.signal);
    setTimeout(() => controller.abort(new Error('stopped')), 50);
    await expect(waiting).rejects.toThrow('stopped');
    expect(await slotTimes(limit.key)).toHaveLength(1);
  });
});
