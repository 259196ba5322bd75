// The webhook ingress's one-statement store (server/webhook-store.ts) against a real Postgres and a
// real pg-boss: the job it writes is the one pg-boss's send makes and pg-boss runs it, deliveries
// that arrive together share a statement and are each stored once with their job, and pg-boss's
// insert statement still has the shape the store extends.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Integration } from '@syncbridge/db';
import { useTestDatabase } from '@syncbridge/db/testing';
import { createLogger, QueueName } from '@syncbridge/engine';
import { PgBoss } from 'pg-boss';
import { createJobSender, type JobSenderHandle } from '../server/webhooks.ts';
import { createWebhookEventStore, webhookEventsInsert, type AcceptedDelivery } from '../server/webhook-store.ts';

const db = useTestDatabase();
const logger = createLogger({ name: 'web-test', level: 'silent' });

let jobs: JobSenderHandle;
let boss: PgBoss;
let integration: Integration;

function delivery(dedupeKey = randomUUID(), of: Integration = integration): AcceptedDelivery {
  return {
    integration: of,
    dedupeKey,
    eventType: 'task.updated',
    headers: JSON.stringify({ 'x-webhook-id': dedupeKey, 'content-type': 'application/json' }),
    body: JSON.stringify({ id: dedupeKey, type: 'task.updated', data: { title: 'Ünïcode "quoted" \\ back' } }),
  };
}

/** pg-boss's own statement for a sync.webhook send, as `send` hands it to a `db` option. */
async function sendStatement(): Promise<string> {
  let captured = '';
  const db = {
    executeSql: (sql: string) => {
      captured = sql;
      return Promise.resolve({ rows: [] });
    },
  };
  await jobs.sender.send(QueueName.syncWebhook, { eventId: randomUUID() }, { singletonKey: randomUUID(), db });
  return captured;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  integration = await db.prisma.integration.create({
    data: { name: 'REST', type: 'GENERIC_REST', webhookSecretEnc: 'sealed', webhookSecretKeyId: 'k1' },
  });
  jobs = createJobSender({ connectionString: db.url, logger, retryMs: 200 });
  await jobs.ready;
  boss = new PgBoss({ connectionString: db.url, supervise: false, schedule: false, migrate: false });
  boss.on('error', () => undefined);
  await boss.start();
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await jobs?.stop();
});

describe('webhook event store', () => {
  it('extends the insert statement of the installed pg-boss, and refuses one of another shape', async () => {
    const statement = await sendStatement();
    expect(statement).toContain('$1::text::json');
    const extended = webhookEventsInsert(statement);
    expect(extended).toMatch(/^with d as \(/);
    expect(extended).toContain('insert into webhook_events');
    expect(() => webhookEventsInsert(statement.replace('$1::text::json', '$1::jsonb'))).toThrow(/unexpected shape/);
    expect(() => webhookEventsInsert(`${statement} and $2`)).toThrow(/unexpected shape/);
    // pg-boss's variant for queues with `notify` starts with its own WITH: ours joins it.
    const notifying = `WITH ins AS (${statement}) SELECT id FROM ins`;
    expect(webhookEventsInsert(notifying)).toMatch(/^with d as \([\s\S]*\),\s*ev as \([\s\S]*\),\s*ins AS \(/);
  });

  it('writes the job pg-boss send would (same queue options), and pg-boss fetches and completes it', async () => {
    const store = createWebhookEventStore({ pool: db.pool, sendJob: jobs.sender });
    const outcome = await store.store(delivery());
    if (typeof outcome !== 'object') throw new Error(`not stored: ${outcome}`);
    const { eventId } = outcome;
    const reference = randomUUID();
    const referenceJobId = await boss.send(QueueName.syncWebhook, { eventId: reference }, { singletonKey: reference });

    // Every column but the ones that differ by nature (ids, payload, key, times) must be equal.
    const { rows } = await db.pool.query<{ which: string; job: Record<string, unknown>; keep_s: number }>(
      `select case when data ->> 'eventId' = $2 then 'ours' else 'send' end as which,
              to_jsonb(j) - 'id' - 'data' - 'singleton_key' - 'created_on' - 'start_after' - 'keep_until' as job,
              extract(epoch from keep_until - start_after)::float8 as keep_s
         from pgboss.job j where name = $1 and (data ->> 'eventId' = $2 or id = $3)`,
      [QueueName.syncWebhook, eventId, referenceJobId],
    );
    const ours = rows.find((row) => row.which === 'ours');
    const sent = rows.find((row) => row.which === 'send');
    expect(ours && sent).toBeTruthy();
    expect(ours!.job).toEqual(sent!.job);
    expect(ours!.keep_s).toBe(sent!.keep_s);
    expect(ours!.job).toMatchObject({ state: 'created', policy: 'stately', retry_limit: 5, expire_seconds: 900 });
    const { rows: keys } = await db.pool.query<{ singleton_key: string; data: unknown }>(
      `select singleton_key, data from pgboss.job where name = $1 and data ->> 'eventId' = $2`,
      [QueueName.syncWebhook, eventId],
    );
    expect(keys).toEqual([{ singleton_key: eventId, data: { eventId } }]);

    // A pg-boss worker takes it like any other job and completes it.
    const seen: string[] = [];
    await boss.work<{ eventId: string }>(
      QueueName.syncWebhook,
      { pollingIntervalSeconds: 0.5, batchSize: 20 },
      async (batch) => {
        for (const job of batch) seen.push(job.data.eventId);
      },
    );
    try {
      const ourJob = await waitFor(async () => {
        const { rows: found } = await db.pool.query<{ id: string; state: string }>(
          `select id, state from pgboss.job where name = $1 and data ->> 'eventId' = $2`,
          [QueueName.syncWebhook, eventId],
        );
        return found[0]?.state === 'completed' ? found[0] : undefined;
      }, 'the stored job to be completed');
      expect(seen).toContain(eventId);
      expect((await boss.getJobById(QueueName.syncWebhook, ourJob.id))?.state).toBe('completed');
    } finally {
      await boss.offWork(QueueName.syncWebhook);
    }
  });

  it('stores deliveries that arrive together in shared statements: each once, with exactly one job', async () => {
    // One statement at a time: everything handed over in the same turn waits for it and goes together.
    const store = createWebhookEventStore({ pool: db.pool, sendJob: jobs.sender, concurrency: 1 });
    const keys = Array.from({ length: 30 }, () => randomUUID());
    // Five keys twice in the same batch, and one key already stored before.
    const early = await store.store(delivery(keys[0]));
    expect(early).toMatchObject({ eventId: expect.any(String) });
    let statements = 0;
    const countStatement = () => (statements += 1);
    db.pool.on('acquire', countStatement);
    let outcomes;
    try {
      outcomes = await Promise.all([...keys, ...keys.slice(1, 6)].map((key) => store.store(delivery(key))));
    } finally {
      db.pool.off('acquire', countStatement);
    }
    const stored = outcomes.filter((o): o is { eventId: string } => typeof o === 'object');
    expect(stored).toHaveLength(29);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(6);
    // Far fewer statements than deliveries: the 35 went in a few, plus one check per duplicate.
    expect(statements).toBeLessThanOrEqual(6 + 3);

    const { rows } = await db.pool.query<{ dedupe_key: string; events: number; jobs: number }>(
      `select e.dedupe_key, count(distinct e.id)::int as events, count(j.id)::int as jobs
         from webhook_events e
         left join pgboss.job j on j.name = $2 and j.data ->> 'eventId' = e.id::text
        where e.dedupe_key = any($1::text[])
        group by e.dedupe_key`,
      [keys, QueueName.syncWebhook],
    );
    expect(rows).toHaveLength(30);
    for (const row of rows) expect(row).toMatchObject({ events: 1, jobs: 1 });
    const storedIds = new Set(stored.map((o) => o.eventId));
    const { rows: events } = await db.pool.query<{ id: string }>(
      `select id from webhook_events where dedupe_key = any($1::text[]) and dedupe_key <> $2`,
      [keys, keys[0]],
    );
    expect(new Set(events.map((e) => e.id))).toEqual(storedIds);
  });

  it('stores nothing, and says so, for an integration changed since its row was read', async () => {
    const store = createWebhookEventStore({ pool: db.pool, sendJob: jobs.sender });
    const before = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
    // A secret rotation by raw SQL, which leaves updated_at alone: the secret itself is compared.
    await db.pool.query(`update integrations set webhook_secret_enc = 'resealed' where id = $1`, [integration.id]);
    const key = randomUUID();
    expect(await store.store(delivery(key, before))).toBe('stale');
    expect(await db.prisma.webhookEvent.count({ where: { dedupeKey: key } })).toBe(0);
    const current = await db.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(current.updatedAt).toEqual(before.updatedAt);
    expect(await store.store(delivery(key, current))).toMatchObject({ eventId: expect.any(String) });
    // A retry of a stored delivery is a duplicate, not a change.
    expect(await store.store(delivery(key, current))).toBe('duplicate');
  });
});
