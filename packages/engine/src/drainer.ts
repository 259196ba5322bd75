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
  /**
   * Resources drained at once in this process (default 4). Each holds one pooled connection for
   * its lock while using others for its work, so this must stay well under the pool size.
   */
  maxConcurrentDrains?: number;
}

export interface DrainerStatus {
  started: boolean;
  /** The LISTEN connection is up (otherwise only the sweep delivers, every sweepIntervalMs). */
  listening: boolean;
  draining: number;
  queued: number;
}

export interface OutboxDrainer {
  start(): Promise<void>;
  /** Stops listening, aborts running drains (their rows stay in the outbox) and waits for them. */
  stop(): Promise<void>;
  /** Drains a resource now (or marks it to run again if it is draining here already). */
  kick(resourceId: string): void;
  /** Resolves when no drain is running or queued in this process. */
  idle(): Promise<void>;
  status(): DrainerStatus;
}

export function createOutboxDrainer(ctx: EngineContext, options: OutboxDrainerOptions): OutboxDrainer {
  const maxConcurrent = Math.max(1, options.maxConcurrentDrains ?? 4);
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const waiting: string[] = [];
  const abort = new AbortController();
  let listener: pg.Client | null = null;
  let sweepTimer: NodeJS.Timeout | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let started = false;
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
    if (!lock) return; // draining elsewhere; whoever holds the lock NOTIFYs after releasing it
    let held = false;
    try {
      do {
        again.delete(resourceId);
        const outcome = await drainOutbox(ctx, resourceId, { signal: abort.signal });
        held = outcome.held === true;
      } while (again.has(resourceId) && !held && !stopped);
    } finally {
      await lock.release();
    }
    if (held || stopped) return; // paused: its rows wait for the resume, not for a busy loop
    // A change committed while we held the lock may have been refused by another process's
    // tryLock: look once more now that the lock is free.
    const { rowCount } = await ctx.pool.query('select 1 from change_outbox where resource_id = $1 limit 1', [
      resourceId,
    ]);
    if (rowCount) again.add(resourceId);
  }

  function launch(resourceId: string): void {
    const run = drain(resourceId)
      .catch((error: unknown) => {
        if (!stopped) ctx.logger.error({ err: error, resourceId }, 'outbox drain failed');
      })
      .finally(() => {
        running.delete(resourceId);
        if (again.has(resourceId) && !stopped) kick(resourceId);
        const next = waiting.shift();
        if (next !== undefined && !stopped) kick(next);
      });
    running.set(resourceId, run);
  }

  function kick(resourceId: string): void {
    if (stopped) return;
    if (running.has(resourceId)) {
      again.add(resourceId);
      return;
    }
    if (running.size >= maxConcurrent) {
      if (!waiting.includes(resourceId)) waiting.push(resourceId);
      return;
    }
    launch(resourceId);
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
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: 'syncbridge-outbox-listener',
    });
    client.on('notification', (message) => {
      if (!message.payload) return;
      void resourcesFor(message.payload).then(
        (ids) => ids.forEach(kick),
        (error: unknown) => ctx.logger.warn({ err: error }, 'resource lookup failed'),
      );
    });
    client.on('error', (error) => {
      if (listener === client) listener = null;
      client.end().catch(() => undefined);
      if (stopped) return;
      ctx.logger.warn({ err: error }, 'outbox listener lost its connection; reconnecting');
      scheduleReconnect(1);
    });
    await client.connect();
    await client.query(`listen ${OUTBOX_CHANNEL}`);
    if (stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    listener = client;
    void sweep(); // anything committed while we were not listening
  }

  /** Reconnects with backoff (1 s, 2 s, 4 s … 30 s) until it works or the drainer stops. */
  function scheduleReconnect(attempt: number): void {
    if (stopped || reconnectTimer) return;
    const delay = Math.min(30_000, 1000 * 2 ** (attempt - 1));
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      listen().catch((error: unknown) => {
        ctx.logger.warn({ err: error, attempt }, 'outbox listener reconnect failed');
        scheduleReconnect(attempt + 1);
      });
    }, delay);
    reconnectTimer.unref();
  }

  return {
    kick,
    async start() {
      await listen();
      started = true;
      sweepTimer = setInterval(() => void sweep(), options.sweepIntervalMs ?? 5000);
      sweepTimer.unref();
    },
    async stop() {
      stopped = true;
      abort.abort(new Error('drainer stopping'));
      if (sweepTimer) clearInterval(sweepTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      waiting.length = 0;
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await Promise.allSettled(running.values());
    },
    async idle() {
      while (running.size > 0 || waiting.length > 0) await Promise.allSettled(running.values());
    },
    status: () => ({
      started: started && !stopped,
      listening: listener !== null,
      draining: running.size,
      queued: waiting.length,
    }),
  };
}
