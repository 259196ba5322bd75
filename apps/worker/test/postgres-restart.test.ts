// Postgres stopped in the middle of a push and started again: the web app answers 503 on /healthz
// while it is gone and 200 once it is back, the worker neither exits nor needs a restart (pg-boss,
// the pool and the outbox drainer's LISTEN connection reconnect on their own), and the push
// finishes with every row in the external system exactly once.
// This file runs its own embedded Postgres (a server it can stop), not the shared test server.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabase, type Database } from '@syncbridge/db';
import { findFreePort, startEmbeddedPostgres, type RunningPostgres } from '@syncbridge/db/embedded';
import { migrateDatabase } from '@syncbridge/db/migrate';
import { createRestSandbox, startSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import { enqueueResourceSync } from '@syncbridge/engine';
import {
  pushResource,
  restIntegration,
  runningExecutions,
  startWebProcess,
  startWorkerProcess,
  testKeyRing,
  testQueue,
  TOKEN,
  workerHealthUrl,
  type WebProcess,
  type WorkerProcess,
} from './processes.ts';

const ROWS = 3000;
const sandbox = createRestSandbox({
  token: TOKEN,
  requestsPerWindow: 100_000,
  maxBatch: 50,
  faults: { latencyMs: 30 },
});
const keys = testKeyRing();
let dir: string;
let port: number;
let postgres: RunningPostgres | undefined;
let url: string;
let db: Database;
let server: SandboxServer;
let web: WebProcess | undefined;
let worker: WorkerProcess | undefined;
let queue: Awaited<ReturnType<typeof testQueue>> | undefined;

const startPostgres = () =>
  startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port, persistent: true, fast: true });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'syncbridge-pg-restart-'));
  port = await findFreePort();
  postgres = await startPostgres();
  await postgres.createDatabase('syncbridge');
  url = postgres.urlFor('syncbridge');
  await migrateDatabase(url);
  db = createDatabase({ connectionString: url, max: 4 });
  server = await startSandbox(sandbox.app);
}, 120_000);

afterAll(async () => {
  await queue?.stop();
  await worker?.kill('SIGKILL');
  await web?.kill('SIGKILL');
  await db?.close();
  await postgres?.stop();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The status /healthz answers with, or the reason it did not answer. */
const status = (target: string) =>
  fetch(target, { signal: AbortSignal.timeout(8000) }).then(
    (response) => response.status,
    (error: unknown) => `no answer (${String((error as { cause?: unknown }).cause ?? error)})`,
  );
const alive = (p: { child: { exitCode: number | null; signalCode: NodeJS.Signals | null } }) =>
  p.child.exitCode === null && p.child.signalCode === null;
/** Waits for a /healthz status; the failure message carries both processes' output. */
async function healthBecomes(target: string, expected: number, timeout: number) {
  await vi
    .waitFor(async () => expect(await status(target)).toBe(expected), { timeout, interval: 100 })
    .catch((error: unknown) => {
      throw new Error(
        `${target} never answered ${expected}: ${String(error)}\n── web ──\n${web?.output.join('').slice(-4000)}\n── worker ──\n${worker?.output.join('').slice(-6000)}`,
      );
    });
}

describe('Postgres restarted under a running web app and worker', () => {
  it(
    'answers 503 while it is down, recovers on its own and finishes the push exactly once',
    { timeout: 150_000 },
    async () => {
      const started = Date.now();
      const integration = await restIntegration(db, keys.ring, server.url, {
        requestsPerWindow: 100_000,
        windowMs: 60_000,
        maxBatchSize: 50,
      });
      const resource = await pushResource(db, integration.id, 'tasks');
      web = startWebProcess({ DATABASE_URL: url, ENCRYPTION_KEYS: keys.spec });
      worker = startWorkerProcess({ DATABASE_URL: url, ENCRYPTION_KEYS: keys.spec });
      const webUrl = await web.ready;
      await worker.ready;
      const workerHealth = workerHealthUrl(worker);
      await healthBecomes(`${webUrl}/healthz`, 200, 10_000);
      await healthBecomes(workerHealth, 200, 10_000);

      await db.pool.query(
        `insert into tasks (title, status) select 'Task ' || g, 'todo' from generate_series(1, $1) as g`,
        [ROWS],
      );
      await vi.waitFor(() => expect(sandbox.store.count('tasks')).toBeGreaterThanOrEqual(ROWS / 4), {
        timeout: 60_000,
        interval: 5,
      });

      // Down in the middle of the push (fast shutdown: sessions are cut at once).
      const stoppedAt = Date.now();
      await postgres!.stop();
      postgres = undefined;
      const atStop = sandbox.store.count('tasks');
      expect(atStop).toBeLessThan(ROWS);
      await healthBecomes(`${webUrl}/healthz`, 503, 20_000);
      await healthBecomes(workerHealth, 503, 20_000);
      // Down for as long as it takes the drainer to fail two reconnect attempts (1 s, then 2 s apart):
      // both processes ride it out.
      const failedReconnects = () => worker!.output.join('').split('outbox listener reconnect failed').length - 1;
      await vi.waitFor(() => expect(failedReconnects()).toBeGreaterThanOrEqual(2), { timeout: 30_000, interval: 100 });
      expect(await status(`${webUrl}/healthz`)).toBe(503);
      expect(alive(web)).toBe(true);
      expect(alive(worker)).toBe(true);
      const downMs = Date.now() - stoppedAt;

      // Back on the same port and data directory; nobody restarts the apps.
      postgres = await startPostgres();
      const restartedAt = Date.now();
      await healthBecomes(`${webUrl}/healthz`, 200, 30_000);
      const webBackMs = Date.now() - restartedAt;
      // The worker's /healthz wants the pool, pg-boss and the drainer's LISTEN connection back.
      await healthBecomes(workerHealth, 200, 60_000);
      const workerBackMs = Date.now() - restartedAt;
      await vi
        .waitFor(
          async () => {
            const { rows } = await db.pool.query<{ synced: number; pending: number }>(
              `select count(*) filter (where status = 'SYNCED' and external_id is not null)::int as synced,
                  (select count(*)::int from change_outbox) as pending
             from integration_mappings`,
            );
            expect(rows[0]).toEqual({ synced: ROWS, pending: 0 });
            expect(await runningExecutions(db)).toEqual([]);
          },
          { timeout: 60_000, interval: 250 },
        )
        .catch((error: unknown) => {
          throw new Error(`the push did not finish: ${String(error)}\n${worker!.output.join('').slice(-6000)}`);
        });

      // pg-boss took work again: a "sync all" asked for now runs to completion (nothing to send).
      queue = await testQueue(db, url);
      const syncAll = await enqueueResourceSync(queue.sender, {
        resourceId: resource.id,
        direction: 'push',
        trigger: 'manual:test',
      });
      await vi.waitFor(
        async () => expect(await queue!.states([syncAll.jobId!])).toEqual({ [syncAll.jobId!]: 'completed' }),
        {
          timeout: 30_000,
          interval: 100,
        },
      );

      const records = [];
      let cursor: string | null = null;
      do {
        const page = sandbox.store.list('tasks', { limit: 500, cursor });
        records.push(...page.records.filter((r) => !r.deleted));
        cursor = page.next_cursor;
      } while (cursor);
      const { rows: tasks } = await db.pool.query<{ id: string }>('select id::text as id from tasks');
      expect(records).toHaveLength(ROWS); // no duplicates, none missing
      expect(new Set(records.map((r) => r.key))).toEqual(new Set(tasks.map((t) => t.id)));
      expect(alive(web)).toBe(true);
      expect(alive(worker)).toBe(true);
      console.info(
        `postgres-restart: ${ROWS} rows, ${atStop} pushed when Postgres stopped, down ${downMs} ms, ` +
          `web 200 again after ${webBackMs} ms, worker after ${workerBackMs} ms, total ${Date.now() - started} ms`,
      );
    },
  );
});
