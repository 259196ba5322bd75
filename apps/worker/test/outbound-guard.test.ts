// The worker process installs the SSRF guard at start (src/main.ts): without OUTBOUND_ALLOWLIST, a
// push to a sandbox on 127.0.0.1 never reaches it — the sync fails with the refusal — while the
// worker's own database connection (also on 127.0.0.1) works. With the sandbox allowlisted, it syncs.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRestSandbox, type SandboxServer } from '@syncbridge/connectors/sandboxes';
import { useTestDatabase } from '@syncbridge/db/testing';
import {
  pushResource,
  restIntegration,
  startWorkerProcess,
  testKeyRing,
  TOKEN,
  type WorkerProcess,
} from './processes.ts';

const db = useTestDatabase();
const sandbox = createRestSandbox({ token: TOKEN });
const keys = testKeyRing();
let server: SandboxServer;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  server = await sandbox.start();
});
afterAll(async () => {
  for (const worker of workers) await worker.kill('SIGKILL');
  await server?.close();
});

describe('worker outbound guard', () => {
  it('refuses a loopback sandbox until OUTBOUND_ALLOWLIST names it', { timeout: 120_000 }, async () => {
    const integration = await restIntegration(db, keys.ring, server.url, {
      requestsPerWindow: 600,
      windowMs: 60_000,
      maxBatchSize: 50,
    });
    await pushResource(db, integration.id, 'tasks');
    const env = { DATABASE_URL: db.url, ENCRYPTION_KEYS: keys.spec };

    // An empty value means unset: no allowlist at all.
    const guarded = startWorkerProcess({ ...env, OUTBOUND_ALLOWLIST: '' });
    workers.push(guarded);
    await guarded.ready;
    await db.pool.query(`insert into tasks (title, status) values ('Guarded', 'todo')`);
    await vi.waitFor(
      async () => {
        const mappings = await db.prisma.integrationMapping.findMany({ where: { integrationId: integration.id } });
        expect(mappings.map((mapping) => mapping.lastError ?? '').join('\n')).toContain('refused: a loopback address');
      },
      { timeout: 60_000, interval: 200 },
    );
    expect(sandbox.counters.count('POST /v1/collections/:c/records/batch')).toBe(0);
    expect(sandbox.store.count('tasks')).toBe(0);
    await guarded.kill('SIGTERM');

    const allowed = startWorkerProcess({ ...env, OUTBOUND_ALLOWLIST: new URL(server.url).host });
    workers.push(allowed);
    await allowed.ready;
    await db.pool.query(`insert into tasks (title, status) values ('Allowed', 'todo')`);
    await vi.waitFor(() => expect(sandbox.store.count('tasks')).toBeGreaterThanOrEqual(1), {
      timeout: 60_000,
      interval: 200,
    });
    await allowed.kill('SIGTERM');
  });
});
