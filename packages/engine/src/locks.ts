// "At most one active sync per (integration, resource)" across any number of worker processes:
// a session-level advisory lock held on a dedicated connection for the duration of the run.
// If the process dies, Postgres drops the connection and with it the lock.
import type pg from 'pg';

export interface HeldLock {
  release(): Promise<void>;
}

export async function tryLock(pool: pg.Pool, name: string): Promise<HeldLock | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 11)) as ok', [name]);
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
