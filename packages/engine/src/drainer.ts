// Realtime pushes: the worker LISTENs for the capture trigger's NOTIFY and drains the changed
// resource at once (a commit reaches the connector in milliseconds, not at the next poll). A
// periodic sweep catches anything a dropped connection missed. Each drain holds the resource's
// advisory lock, so across all worker processes one resource drains in one place at a time.
import pg from 'pg';
import { OUTBOX_CHANNEL } from './capture.ts';
import type { EngineContext } from './context.ts';
import { tryLock, resourceLockName } from './locks.ts';
import { drainOutbox } from './push.ts';

export interface OutboxDrainerOptions {
  /** Connection string for the dedicated LISTEN connection. */
  connectionString: string;
  /** Safety-net sweep of the outbox (default 5 s). */
  sweepIntervalMs?: number;
}

export interface OutboxDrainer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Drains a resource now (or marks it to run again if it is draining here already). */
  kick(resourceId: string): void;
  /** Resolves when no drain is running in this process. */
  idle(): Promise<void>;
}

export function createOutboxDrainer(ctx: EngineContext, options: OutboxDrainerOptions): OutboxDrainer {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let listener: pg.Client | null = null;
  let sweepTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tableResources = new Map<string, { ids: string[]; at: number }>();

  async function resourcesFor(table: string): Promise<string[]> {
    const cached = tableResources.get(table);
    if (cached && Date.now() - cached.at < 5000) return cached.ids;
    const { rows } = await ctx.pool.query<{ id: string }>(
      `select id from sync_resources where local_schema || '.' || local_table = $1 and enabled and direction <> 'PULL'`,
      [table],
    );
    const ids = rows.map((r) => r.id);
    tableResources.set(table, { ids, at: Date.now() });
    return ids;
  }

  async function drain(resourceId: string): Promise<void> {
    const lock = await tryLock(ctx.pool, resourceLockName(resourceId));
    if (!lock) return; // draining in another process, which re-checks after releasing
    try {
      do {
        again.delete(resourceId);
        await drainOutbox(ctx, resourceId);
      } while (again.has(resourceId) && !stopped);
    } finally {
      await lock.release();
    }
    // A change committed while we held the lock may have been refused by another process's
    // tryLock: look once more now that the lock is free.
    const { rowCount } = await ctx.pool.query('select 1 from change_outbox where resource_id = $1 limit 1', [resourceId]);
    if (rowCount && !stopped) again.add(resourceId);
  }

  function kick(resourceId: string): void {
    if (stopped) return;
    if (running.has(resourceId)) {
      again.add(resourceId);
      return;
    }
    const run = drain(resourceId)
      .catch((error: unknown) => ctx.logger.error({ err: error, resourceId }, 'outbox drain failed'))
      .finally(() => {
        running.delete(resourceId);
        if (again.has(resourceId)) kick(resourceId);
      });
    running.set(resourceId, run);
  }

  async function sweep(): Promise<void> {
    try {
      const { rows } = await ctx.pool.query<{ resource_id: string }>('select distinct resource_id from change_outbox');
      for (const row of rows) kick(row.resource_id);
    } catch (error) {
      ctx.logger.warn({ err: error }, 'outbox sweep failed');
    }
  }

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: options.connectionString, application_name: 'syncbridge-outbox-listener' });
    client.on('notification', (message) => {
      if (!message.payload) return;
      void resourcesFor(message.payload).then((ids) => ids.forEach(kick), (error: unknown) => ctx.logger.warn({ err: error }, 'resource lookup failed'));
    });
    client.on('error', (error) => {
      ctx.logger.warn({ err: error }, 'outbox listener lost its connection; reconnecting');
      listener = null;
      client.end().catch(() => undefined);
      if (!stopped) setTimeout(() => void listen().catch(() => undefined), 1000).unref();
    });
    await client.connect();
    await client.query(`listen ${OUTBOX_CHANNEL}`);
    listener = client;
    void sweep(); // anything committed while we were not listening
  }

  return {
    kick,
    async start() {
      await listen();
      sweepTimer = setInterval(() => void sweep(), options.sweepIntervalMs ?? 5000);
      sweepTimer.unref();
    },
    async stop() {
      stopped = true;
      if (sweepTimer) clearInterval(sweepTimer);
      await listener?.end().catch(() => undefined);
      listener = null;
      await Promise.allSettled(running.values());
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled(running.values());
    },
  };
}
