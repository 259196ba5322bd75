// A sliding-window rate limiter kept in Postgres, so a connector's limit holds across every worker
// process: never more than `limit` requests in any window of `windowMs`. Each slot is a row; an
// advisory lock per key serialises the deciders.
import type pg from 'pg';

export interface RateLimit {
  /** e.g. `smartsheet:<integration id>` — one key per credential. */
  key: string;
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /**
   * Waits until a request may be sent, then records it. Returns the time waited in ms. The slot
   * counts from now plus a fixed allowance for the request's way to the receiver (see SAFETY_MS):
   * for callers that cannot say when their request was answered.
   */
  acquire(limit: RateLimit, signal?: AbortSignal): Promise<number>;
  /**
   * Takes a slot, sends `request`, and counts the slot until its answer is back. The receiver saw
   * the request arrive between the two, so no window of theirs can hold more than `limit` of
   * these, however slow the network or a busy event loop made it.
   */
  send<T>(limit: RateLimit, request: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * A slot taken by acquire() counts from the decision plus SAFETY_MS: requests arrive a little
 * after we decide to send them (a busy event loop, TLS, the network), and the receiver must never
 * count more. A slot taken by send() counts as "now" while its request is in flight (for at most
 * IN_FLIGHT_LEASE_MS, should the process die meanwhile) and from its answer once that is back.
 * Either way the window itself is stretched by SAFETY_FACTOR against clock drift.
 */
const SAFETY_FACTOR = 1.01;
const SAFETY_MS = 250;
const IN_FLIGHT_LEASE_MS = 120_000;

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

  /** Waits for room, then records a slot counted until `heldMs` from now; returns its id and the wait. */
  async function take(
    { key, limit, windowMs }: RateLimit,
    heldMs: number,
    signal?: AbortSignal,
  ): Promise<{ id: string | null; waitedMs: number }> {
    if (limit <= 0 || !Number.isFinite(limit)) return { id: null, waitedMs: 0 };
    const windowSeconds = (windowMs * SAFETY_FACTOR) / 1000;
    const lockKey = `ratelimit:${key}`;
    const started = Date.now();
    for (;;) {
      // Three round trips on every request's path: a session advisory lock, one autocommitted
      // statement that counts the window and records the slot when there is room, the unlock.
      // The statement's snapshot is taken after the lock is held, and the previous holder's
      // statement had committed before it unlocked, so every slot taken so far is counted.
      const client = await pool.connect();
      let waitMs = 0;
      let id: string | null = null;
      let broken: unknown;
      try {
        await client.query('select pg_advisory_lock(hashtextextended($1, 7))', [lockKey]);
        try {
          const { rows } = await client.query<{ used: number; wait_ms: number | null; id: string | null }>(
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
               select $1, clock_timestamp() + make_interval(secs => $4) from window_state where used < $3
               returning id::text)
             select used, wait_ms, (select id from taken) as id from window_state`,
            [key, windowSeconds, limit, heldMs / 1000],
          );
          const used = rows[0]?.used ?? 0;
          if (used < limit) {
            id = rows[0]?.id ?? null;
            if (++acquired % 200 === 0) {
              await client.query(
                'delete from rate_limit_events where key = $1 and at < clock_timestamp() - make_interval(secs => $2)',
                [key, windowSeconds * 2],
              );
            }
          } else {
            // A full window of requests still in flight frees nothing before the first answer
            // plus a window: look again after a window rather than after the lease.
            waitMs = Math.max(5, Math.ceil(Math.min(rows[0]?.wait_ms ?? 50, windowSeconds * 1000)));
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
      if (waitMs === 0) return { id, waitedMs: Date.now() - started };
      await sleep(waitMs, signal);
    }
  }

  return {
    async acquire(limit, signal) {
      return (await take(limit, SAFETY_MS, signal)).waitedMs;
    },
    async send(limit, request, signal) {
      const { id } = await take(limit, IN_FLIGHT_LEASE_MS, signal);
      try {
        return await request();
      } finally {
        // Answered (or failed: it may still have arrived): the slot now counts from here. Should
        // this not get through, the lease ends the slot instead.
        if (id !== null) {
          await pool
            .query('update rate_limit_events set at = clock_timestamp() where id = $1::bigint', [id])
            .catch(() => undefined);
        }
      }
    },
  };
}

/** For connectors with no limit worth enforcing (in-database). */
export const unlimited: RateLimiter = { acquire: async () => 0, send: (_limit, request) => request() };
