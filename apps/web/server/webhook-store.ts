// Stores accepted webhook deliveries: each delivery's event row and its sync.webhook job are written
// by one statement, so both or neither exist (one statement is one transaction: no BEGIN/COMMIT
// round trips). The job is the one pg-boss's `send` makes: every delivery goes through `send`, whose
// `db` option hands us its insert statement and job instead of running them.
//
// Deliveries that become ready while `concurrency` statements are already running wait and are then
// written together by the next statement (group commit): under load a statement carries many
// deliveries, which costs Postgres and this process far less per delivery than one statement each
// (bench/webhooks.ts); alone, a delivery goes at once in a statement of its own.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { SendOptions } from 'pg-boss';
import type { Integration } from '@syncbridge/db';
import { enqueueWebhookProcessing, type JobSender } from '@syncbridge/engine';
import { integrationVersionGuard, integrationVersionValues, prepared } from './webhook-integrations.ts';

/** Statements writing deliveries at once; the web pool (WEB_DATABASE_POOL_SIZE) must be larger. */
export const WEBHOOK_STORE_CONCURRENCY = 4;
/** Deliveries and body bytes per statement at most (a larger single delivery still goes alone). */
const MAX_BATCH = 50;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export interface AcceptedDelivery {
  /** The integration row the delivery was accepted on; the statement re-checks it is still current. */
  integration: Integration;
  dedupeKey: string;
  eventType: string | null;
  /** Stored headers as JSON text. */
  headers: string;
  body: string;
}

/** Stored (with its job); the dedupe key was already stored; the integration row changed since. */
export type StoreOutcome = { eventId: string } | 'duplicate' | 'stale';

export interface WebhookEventStore {
  store(delivery: AcceptedDelivery): Promise<StoreOutcome>;
}

export interface WebhookEventStoreOptions {
  pool: pg.Pool;
  /** Sends the sync.webhook job (only to build it: the statement here inserts it). */
  sendJob: JobSender;
  concurrency?: number;
}

/**
 * pg-boss's job insert (what `send` would run, its JSON job list as $1) turned into one statement
 * that first stores the deliveries ($2…$10, one array each, same order), then queues the jobs of
 * those stored only: the event insert is a data-modifying CTE (`ev`) and the job list is filtered
 * through it, so no event row means no job row. A delivery is stored only while its integration row
 * is still the version it was accepted on, and not when its dedupe key is (ON CONFLICT DO NOTHING,
 * which also drops the second of two deliveries with one key in the same statement). Returns the
 * ids of the jobs inserted. Throws when pg-boss's statement no longer has the shape this relies on:
 * a pg-boss upgrade must be looked at (the webhook tests fail).
 */
export function webhookEventsInsert(jobSql: string): string {
  const jobList = '$1::text::json';
  if (jobSql.split(jobList).length !== 2 || /\$(?:[2-9]|1\d)/.test(jobSql) || !/\breturning\s+id\b/i.test(jobSql)) {
    throw new Error("pg-boss's job insert has an unexpected shape; the webhook ingress cannot extend it");
  }
  const deliveries = `d as (
    select * from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                         $8::text[], $9::timestamptz[], $10::text[])
      as d (id, integration_id, dedupe_key, event_type, headers, raw_body, status, updated_at, webhook_secret_enc)
  ),
  ev as (
    insert into webhook_events (id, integration_id, dedupe_key, event_type, headers, raw_body)
    select d.id, d.integration_id, d.dedupe_key, d.event_type, d.headers::jsonb, d.raw_body
      from d join integrations i on i.id = d.integration_id
       and ${integrationVersionGuard('i', { status: 'd.status', updatedAt: 'd.updated_at', secret: 'd.webhook_secret_enc' })}
    on conflict (integration_id, dedupe_key) do nothing
    returning id
  )`;
  const storedJobs = `(select coalesce(json_agg(j), '[]'::json) from json_array_elements($1::text::json) j
     where (j -> 'data' ->> 'eventId')::uuid in (select id from ev))`;
  const gated = jobSql.replace(jobList, () => storedJobs);
  const leadingWith = /^\s*with\s/i;
  return leadingWith.test(gated)
    ? gated.replace(leadingWith, () => `with ${deliveries},\n`)
    : `with ${deliveries}\n${gated}`;
}

interface Waiting {
  eventId: string;
  jobId: string;
  job: unknown;
  delivery: AcceptedDelivery;
  bytes: number;
  resolve(result: { rows: { id: string }[] }): void;
  reject(error: unknown): void;
}

export function createWebhookEventStore(options: WebhookEventStoreOptions): WebhookEventStore {
  const { pool, sendJob } = options;
  const concurrency = Math.max(1, options.concurrency ?? WEBHOOK_STORE_CONCURRENCY);
  const statements = new Map<string, string>();
  /** Deliveries waiting for a statement, by statement text (one per queue table and notify mode). */
  const waiting = new Map<string, Waiting[]>();
  let running = 0;
  let flushing = false;

  function statementFor(jobSql: string): string {
    let text = statements.get(jobSql);
    if (text === undefined) {
      text = webhookEventsInsert(jobSql);
      statements.set(jobSql, text);
    }
    return text;
  }

  async function write(text: string, batch: Waiting[]): Promise<void> {
    const rows = batch.map(({ eventId, delivery }) => [
      eventId,
      delivery.integration.id,
      delivery.dedupeKey,
      delivery.eventType,
      delivery.headers,
      delivery.body,
      ...integrationVersionValues(delivery.integration),
    ]);
    // $1 the job list, then one array per column ($2…$10).
    const values = [JSON.stringify(batch.map((w) => w.job)), ...rows[0]!.map((_, i) => rows.map((row) => row[i]))];
    try {
      const { rows: inserted } = await pool.query<{ id: string }>(prepared(text, values));
      const jobIds = new Set(inserted.map((row) => row.id));
      for (const w of batch) w.resolve({ rows: jobIds.has(w.jobId) ? [{ id: w.jobId }] : [] });
    } catch (error) {
      // The statement wrote nothing (it is atomic). The deliveries of a failed group are tried again
      // one by one, so that one that cannot be written fails alone; a lone delivery's error is its
      // answer (a database outage fails each of them: 503).
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const w of batch) await write(text, [w]);
    }
  }

  function flush(): void {
    flushing = false;
    while (running < concurrency && waiting.size > 0) {
      const [text, queue] = waiting.entries().next().value!;
      let bytes = 0;
      let count = 0;
      while (
        count < queue.length &&
        count < MAX_BATCH &&
        (count === 0 || bytes + queue[count]!.bytes <= MAX_BATCH_BYTES)
      )
        bytes += queue[count++]!.bytes;
      const batch = queue.splice(0, count);
      if (queue.length === 0) waiting.delete(text);
      running += 1;
      void write(text, batch).finally(() => {
        running -= 1;
        schedule();
      });
    }
  }

  /** Deliveries that become ready in the same turn of the event loop share a statement. */
  function schedule(): void {
    if (flushing || running >= concurrency || waiting.size === 0) return;
    flushing = true;
    setImmediate(flush);
  }

  /** `send`'s `db`: takes its statement and single job, answers with the job's id once written. */
  function writer(eventId: string, jobId: string, delivery: AcceptedDelivery) {
    return {
      executeSql(jobSql: string, values: unknown[] = []): Promise<{ rows: { id: string }[] }> {
        const jobs: unknown = values.length === 1 ? JSON.parse(String(values[0])) : null;
        if (!Array.isArray(jobs) || jobs.length !== 1) {
          return Promise.reject(new Error("pg-boss's send passed an unexpected job list to the webhook ingress"));
        }
        const text = statementFor(jobSql);
        return new Promise((resolve, reject) => {
          const bytes = delivery.body.length + delivery.headers.length;
          const queue = waiting.get(text) ?? [];
          queue.push({ eventId, jobId, job: jobs[0], delivery, bytes, resolve, reject });
          waiting.set(text, queue);
          schedule();
        });
      },
    };
  }

  return {
    async store(delivery) {
      const eventId = randomUUID();
      const jobId = randomUUID();
      const db = writer(eventId, jobId, delivery);
      // The job's id is chosen here (pg-boss would draw the same kind of random UUID) so that the
      // statement's answer can be matched to the delivery.
      const send = (name: string, data?: object | null, sendOptions?: SendOptions | null) =>
        sendJob.send(name, data, { ...sendOptions, id: jobId, db });
      const queued = await enqueueWebhookProcessing({ send: send as JobSender['send'] }, { eventId });
      if (queued.queued) return { eventId };
      // Nothing was queued: the event was not stored either (a duplicate, or a changed integration),
      // unless pg-boss skipped the job itself, which a fresh id and singleton key rule out; an event
      // left without its job is withdrawn rather than kept unprocessed, and the sender retries.
      const { integration } = delivery;
      const { rows } = await pool.query<{ orphan: boolean; current: boolean }>(
        prepared(
          `with orphan as (delete from webhook_events where id = $1 returning id)
           select exists (select 1 from orphan) as orphan,
                  exists (select 1 from integrations i where i.id = $2
                          and ${integrationVersionGuard('i', { status: '$3', updatedAt: '$4', secret: '$5' })}) as current`,
          [eventId, integration.id, ...integrationVersionValues(integration)],
        ),
      );
      if (rows[0]?.orphan) throw new Error('a stored webhook delivery got no job; it was withdrawn');
      return rows[0]?.current ? 'duplicate' : 'stale';
    },
  };
}
