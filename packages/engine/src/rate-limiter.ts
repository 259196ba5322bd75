// A sliding-window rate limiter kept in Postgres, so a connector's limit holds across every worker
// process: never more than `limit` requests in any window of `windowMs`. Each acquire records one
// event; an advisory lock per key serialises the deciders.
import type pg from 'pg';

export interface RateLimit {
  /** e.g. `smartsheet:<integration id>` — one key per credential. */
  key: string;
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /** Waits until a request may be sent, then records it. Returns the time waited in ms. */
  acquire(limit: RateLimit, signal?: AbortSignal): Promise<number>;
}

/**
 * Requests arrive a little after we decide to send them (a busy event loop, TLS, the network), so
 * each slot is held a little longer than the window: the receiver must never count more. That
 * lag does not grow with the window, so the margin is mostly a fixed time.
 */
const SAFETY_FACTOR = 1.01;
const SAFETY_MS = 250;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createPostgresRateLimiter(pool: pg.Pool): RateLimiter {
  let acquired = 0;
  return {
    async acquire({ key, limit, windowMs }, signal) {
      if (limit <= 0 || !Number.isFinite(limit)) return 0;
      const windowSeconds = (windowMs * SAFETY_FACTOR + SAFETY_MS) / 1000;
      const lockKey = `ratelimit:${key}`;
      const started = Date.now();
      for (;;) {
        // Three round trips on every request's path: a session advisory lock, one autocommitted
        // statement that counts the window and records the slot when there is room, the unlock.
        // The statement's snapshot is taken after the lock is held, and the previous holder's
        // statement had committed before it unlocked, so every slot taken so far is counted.
        const client = await pool.connect();
        let waitMs = 0;
        let broken: unknown;
        try {
          await client.query('select pg_advisory_lock(hashtextextended($1, 7))', [lockKey]);
          try {
            const { rows } = await client.query<{ used: number; wait_ms: number | null }>(
              `with recent as (
                 select at from rate_limit_events
                  where key = $1 and at > clock_timestamp() - make_interval(secs => $2)
                  order by at desc limit $3),
               window_state as (
                 select count(*)::int as used,
                        (extract(epoch from (min(at) + make_interval(secs => $2) - clock_timestamp())) * 1000)::float8 as wait_ms
                   from recent),
               taken as (
                 insert into rate_limit_events (key, at)
                 select $1, clock_timestamp() from window_state where used < $3
                 returning 1)
               select used, wait_ms from window_state`,
              [key, windowSeconds, limit],
            );
            const used = rows[0]?.used ?? 0;
            if (used < limit) {
              if (++acquired % 200 === 0) {
                await client.query(
                  'delete from rate_limit_events where key = $1 and at < clock_timestamp() - make_interval(secs => $2)',
                  [key, windowSeconds * 2],
                );
              }
            } else {
              waitMs = Math.max(5, Math.ceil(rows[0]?.wait_ms ?? 50));
            }
          } finally {
            await client.query('select pg_advisory_unlock(hashtextextended($1, 7))', [lockKey]);
          }
        } catch (error) {
          broken = error;
          throw error;
        } finally {
          // A connection that failed mid-way may still hold the session lock: closing it frees it.
          client.release(broken instanceof Error ? broken : undefined);
        }
        if (waitMs === 0) return Date.now() - started;
        await sleep(waitMs, signal);
      }
    },
  };
}

/** For connectors with no limit worth enforcing (in-database). */
export const unlimited: RateLimiter = { acquire: async () => 0 };
