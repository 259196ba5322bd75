// Two worker processes on one database: a resource is never synced in both at once, and the
// connector's rate limit holds across them, counted where the requests arrive.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createRestSandbox, startSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import { pushResource, restIntegration, startWorkerProcess, testKeyRing, TOKEN, withOverlapProbe, type WorkerProcess } from './processes.ts';

const LIMIT = 20;
const WINDOW_MS = 2000;
const ROWS_PER_TABLE = 300;
const db = useTestDatabase();
// The sandbox enforces the same limit: any excess would show up as 429s.
const sandbox = createRestSandbox({ token: TOKEN, requestsPerWindow: LIMIT, windowMs: WINDOW_MS, maxBatch: 10, faults: { latencyMs: 25 } });
const probe = withOverlapProbe(sandbox);
let server: SandboxServer;
const workers: WorkerProcess[] = [];
const keys = testKeyRing();

beforeAll(async () => {
  server = await startSandbox(probe.app);
});
afterAll(async () => {
  for (const worker of workers) await worker.kill('SIGKILL');
  await server?.close();
});

describe('two worker processes', () => {
  it('never run one resource twice at once and never exceed the limit together', { timeout: 180_000 }, async () => {
    const integration = await restIntegration(db, keys.ring, server.url, { requestsPerWindow: LIMIT, windowMs: WINDOW_MS, maxBatchSize: 10 });
    await pushResource(db, integration.id, 'tasks');
    await pushResource(db, integration.id, 'members');
    const env = { DATABASE_URL: db.url, ENCRYPTION_KEYS: keys.spec };
    for (let i = 0; i < 2; i++) workers.push(startWorkerProcess(env));
    await Promise.all(workers.map((w) => w.ready));

    // Many small commits, so both workers are notified again and again for both resources.
    for (let i = 0; i < ROWS_PER_TABLE; i += 30) {
      await db.pool.query(`insert into tasks (title, status) select 'T' || g, 'todo' from generate_series($1::int, $1::int + 29) as g`, [i]);
      await db.pool.query(`insert into members (first_name, email) select 'M' || g, 'm' || g || '@two.test' from generate_series($1::int, $1::int + 29) as g`, [i]);
    }
    await vi.waitFor(
      async () => {
        const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from integration_mappings where status = 'SYNCED'`);
        expect(rows[0]?.n).toBe(2 * ROWS_PER_TABLE);
      },
      { timeout: 150_000, interval: 250 },
    );

    expect(sandbox.store.count('tasks')).toBe(ROWS_PER_TABLE);
    expect(sandbox.store.count('members')).toBe(ROWS_PER_TABLE);
    expect(probe.maxInFlight.get('tasks')).toBe(1);
    expect(probe.maxInFlight.get('members')).toBe(1);
    expect(sandbox.counters.maxRequestsInWindow(WINDOW_MS)).toBeLessThanOrEqual(LIMIT);
    expect(sandbox.limiter.rejected).toBe(0);
    expect(workers.every((w) => w.child.exitCode === null)).toBe(true); // both stayed up throughout
  });
});
