// "At most one active sync per (integration, resource)" across any number of worker processes:
// a session-level advisory lock held on a dedicated connection for the duration of the run.
// If the process dies, Postgres drops the connection and with it the lock.
import type pg from 'pg';
import { OUTBOX_CHANNEL } from './capture.ts';

export interface HeldLock {
  release(): Promise<void>;
}

export async function tryLock(pool: pg.Pool, name: string): Promise<HeldLock | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>(
      'select pg_try_advisory_lock(hashtextextended($1, 11)) as ok',
      [name],
    );
    if (!rows[0]?.ok) {
      client.release();
      return null;
    }
  } catch (error) {
    client.release(true);
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 11))', [name]);
        client.release();
      } catch {
        client.release(true); // a broken connection releases the lock with it
      }
    },
  };
}

export function resourceLockName(resourceId: string): string {
  return `sync:resource:${resourceId}`;
}

/** Raised when a resource stayed locked for the whole wait; the caller retries later. */
export class ResourceBusyError extends Error {
  override name = 'ResourceBusyError';
}

/**
 * Runs `fn` holding the resource's lock, waiting up to `waitMs` for it. After releasing, changes
 * that arrived meanwhile (the realtime drainer skipped them because the lock was taken) get a
 * NOTIFY, so they are pushed at once rather than at the next sweep.
 */
export async function withResourceLock<T>(
  pool: pg.Pool,
  resourceId: string,
  fn: () => Promise<T>,
  options: { waitMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  for (;;) {
    options.signal?.throwIfAborted();
    const lock = await tryLock(pool, resourceLockName(resourceId));
    if (lock) {
      try {
        return await fn();
      } finally {
        await lock.release();
        await pool
          .query(
            `select pg_notify($2, r.local_schema || '.' || r.local_table) from sync_resources r
              where r.id = $1 and exists (select 1 from change_outbox o where o.resource_id = $1)`,
            [resourceId, OUTBOX_CHANNEL],
          )
          .catch(() => undefined);
      }
    }
    if (Date.now() >= deadline) throw new ResourceBusyError(`resource ${resourceId} stayed busy; will retry`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
