// A worker SIGKILLed in the middle of a 5,000-row push, then a fresh one: every row ends up in the
// external system exactly once — no duplicate records, none missing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import express from 'express';
import { createRestSandbox, startSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import { pushResource, restIntegration, startWorkerProcess, testKeyRing, TOKEN, type WorkerProcess } from './processes.ts';

const ROWS = 5000;
const db = useTestDatabase();
const sandbox = createRestSandbox({ token: TOKEN, requestsPerWindow: 100_000, maxBatch: 100, faults: { latencyMs: 40 } });
let server: SandboxServer;
const workers: WorkerProcess[] = [];
const keys = testKeyRing();

// Once armed, the next batch write is carried out by the sandbox but its response is held back:
// the records exist, the worker never learns their ids — the worst moment to die.
let armed = false;
let heldResponse: (() => void) | null = null;
let onHeld: () => void = () => undefined;
const held = new Promise<void>((resolve) => (onHeld = resolve));
const front = express();
front.use((req, res, next) => {
  if (armed && req.method === 'POST' && req.path.endsWith('/records/batch')) {
    armed = false;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      heldResponse = () => end(...args);
      onHeld();
      return res;
    }) as typeof res.end;
  }
  next();
});
front.use(sandbox.app);

beforeAll(async () => {
  server = await startSandbox(front);
});
afterAll(async () => {
  for (const worker of workers) await worker.kill('SIGKILL');
  await server?.close();
});

function allRecords() {
  const records = [];
  let cursor: string | null = null;
  do {
    const page = sandbox.store.list('tasks', { limit: 500, cursor });
    records.push(...page.records.filter((r) => !r.deleted));
    cursor = page.next_cursor;
  } while (cursor);
  return records;
}

describe('crash in the middle of a push', () => {
  it('leaves every row synced exactly once after SIGKILL and restart', { timeout: 180_000 }, async () => {
    const integration = await restIntegration(db, keys.ring, server.url, { requestsPerWindow: 100_000, windowMs: 60_000, maxBatchSize: 100 });
    await pushResource(db, integration.id, 'tasks');
    const env = { DATABASE_URL: db.url, ENCRYPTION_KEYS: keys.spec };

    const first = startWorkerProcess(env);
    workers.push(first);
    await first.ready;
    await db.pool.query(`insert into tasks (title, status) select 'Row ' || g, 'todo' from generate_series(1, $1) as g`, [ROWS]);

    // Kill it while the push is well under way, with a created batch whose response is in flight.
    await vi.waitFor(() => expect(sandbox.store.count('tasks')).toBeGreaterThanOrEqual(1500), { timeout: 60_000, interval: 5 });
    armed = true;
    await held;
    await first.kill('SIGKILL');
    heldResponse?.();
    const atKill = sandbox.store.count('tasks');
    expect(atKill).toBeLessThan(ROWS);
    const lookupsBefore = sandbox.counters.count('GET /v1/collections/:c/records');

    const second = startWorkerProcess(env);
    workers.push(second);
    await second.ready;
    await vi.waitFor(
      async () => {
        const { rows } = await db.pool.query<{ synced: number; pending: number }>(
          `select count(*) filter (where status = 'SYNCED' and external_id is not null)::int as synced,
                  (select count(*)::int from change_outbox) as pending
             from integration_mappings`,
        );
        expect(rows[0]).toEqual({ synced: ROWS, pending: 0 });
      },
      { timeout: 120_000, interval: 200 },
    );

    const records = allRecords();
    const { rows: tasks } = await db.pool.query<{ id: string }>('select id::text as id from tasks');
    expect(records).toHaveLength(ROWS); // no duplicates, none missing
    expect(new Set(records.map((r) => r.key))).toEqual(new Set(tasks.map((t) => t.id)));
    const { rows: mapped } = await db.pool.query<{ external_id: string }>('select external_id from integration_mappings');
    expect(new Set(mapped.map((m) => m.external_id))).toEqual(new Set(records.map((r) => r.id)));
    // The lost batch was recovered by looking its keys up, not by creating it again.
    expect(sandbox.counters.count('GET /v1/collections/:c/records')).toBeGreaterThan(lookupsBefore);
    await second.kill('SIGTERM');
  });
});
