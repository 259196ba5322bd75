// The push pipeline: outbox (or a full scan) → load rows → conditions → map → hash → skip
// unchanged → batch → rate limiter → connector → record ids, hashes and per-row results.
//
// Exactly-once effect: before a create is sent, its mapping row is reserved (external id null)
// and committed. A reserved mapping found by a later run means a create may have reached the
// external system before a crash; the connector's findByKeys recovers its id instead of creating
// the record again.
import type { Connector, DeleteItem, Fields, ItemResult, UpsertItem } from '@syncbridge/connectors';
import { getPath, hashablePayload, mapToExternal, setPath } from '@syncbridge/connectors';
import { backoffDelay } from './backoff.ts';
import { allHold } from './conditions.ts';
import type { EngineContext } from './context.ts';
import { nowOf } from './context.ts';
import {
  addProgress,
  cancelRequested,
  CANCELLED_MESSAGE,
  finishJob,
  rollingChangePushJob,
  setTotal,
  startResourceRun,
} from './jobs.ts';
import { loadResource, type LoadedResource } from './resource-config.ts';
import { quoteIdent, withTransaction } from './sql.ts';
import { canonicalJson, recordHash } from './hash.ts';
import { rateLimitOf, recordRunHealth, SyncAbort, sendWithRetry, type ItemFailure } from './delivery.ts';
import {
  comparableMappings,
  externalHash,
  lockLocalRows,
  microIso,
  projectExternal,
  projectLocal,
  reconcileRecord,
  type MappingState,
  type Row,
} from './reconcile.ts';
import { writeItemFailureLogs, writeBatchLog } from './sync-log.ts';

export interface PushOutcome {
  processed: number;
  created: number;
  updated: number;
  deleted: number;
  skipped: number;
  failed: number;
  /** Items that ran out of attempts (or cannot succeed) in this run: now FAILED. */
  exhausted: number;
  requests: number;
  /** The integration or resource is paused/disabled: its changes wait in the outbox. */
  held?: boolean;
  /** An admin cancelled the run: it stopped between batches (unsent outbox rows stay queued). */
  cancelled?: boolean;
}

interface MappingRow extends MappingState {
  attempts: number;
}

const emptyOutcome = (): PushOutcome => ({
  processed: 0,
  created: 0,
  updated: 0,
  deleted: 0,
  skipped: 0,
  failed: 0,
  exhausted: 0,
  requests: 0,
});

const COUNTS = ['processed', 'created', 'updated', 'deleted', 'skipped', 'failed', 'exhausted', 'requests'] as const;

function add(into: PushOutcome, from: PushOutcome): void {
  for (const key of COUNTS) into[key] += from[key];
}

async function loadRows(ctx: EngineContext, loaded: LoadedResource, keys: string[]): Promise<Map<string, Row>> {
  const key = quoteIdent(loaded.keyColumn);
  const { rows } = await ctx.pool.query<{ k: string; row: Row }>(
    `select (t.${key})::text as k, to_jsonb(t) as row from ${loaded.readRelation} t where (t.${key})::text = any($1::text[])`,
    [keys],
  );
  return new Map(rows.map((r) => [r.k, r.row]));
}

async function loadMappings(ctx: EngineContext, resourceId: string, keys: string[]): Promise<Map<string, MappingRow>> {
  const { rows } = await ctx.pool.query<MappingRow>(
    `select id, internal_id, external_id, status::text as status, last_local_hash, last_external_hash, base_data, attempts
       from integration_mappings where resource_id = $1 and internal_id = any($2::text[])`,
    [resourceId, keys],
  );
  return new Map(rows.map((r) => [r.internal_id, r]));
}

/**
 * Where a push's requests to the external system queue: one at a time, in the order asked (some
 * APIs refuse concurrent writes to one object, e.g. Smartsheet's sheet lock). Work around the
 * requests (reading, mapping, recording) is not queued, so two pages can overlap.
 */
export type SendLane = <T>(send: () => Promise<T>) => Promise<T>;

const direct: SendLane = (send) => send();

function sendLane(): SendLane {
  let tail: Promise<unknown> = Promise.resolve();
  return (send) => {
    const run = tail.then(send);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** A read-ahead page that found the run cancelled when its turn to send came; nothing of it was sent. */
class PageCancelled extends Error {}

async function settledPage(page: Promise<PushOutcome>): Promise<PushOutcome | 'cancelled'> {
  try {
    return await page;
  } catch (error) {
    if (error instanceof PageCancelled) return 'cancelled';
    throw error;
  }
}

function addUnlessCancelled(total: PushOutcome, page: PushOutcome | 'cancelled'): boolean {
  if (page === 'cancelled') {
    total.cancelled = true;
    return false;
  }
  add(total, page);
  return true;
}

/** Pushes the given local keys (rows: their current content, or absent when deleted). */
export async function pushKeys(
  ctx: EngineContext,
  loaded: LoadedResource,
  connector: Connector,
  keys: string[],
  rows: Map<string, Row>,
  jobId: string,
  lane: SendLane = direct,
): Promise<PushOutcome> {
  const outcome = emptyOutcome();
  const now = nowOf(ctx);
  const resourceId = loaded.resource.id;
  const mappings = await loadMappings(ctx, resourceId, keys);
  const creates: { key: string; fields: Fields; hash: string }[] = [];
  // `send`: what goes out (all of `fields`, or only what changed here: see fieldsToSend).
  const updates: { key: string; externalId: string; fields: Fields; hash: string; send?: Fields }[] = [];
  const recover: { key: string; fields: Fields; hash: string }[] = [];
  const deletes: DeleteItem[] = [];
  const orphans: string[] = [];
  const failures: ItemFailure[] = [];

  for (const key of keys) {
    const row = rows.get(key);
    const mapping = mappings.get(key);
    outcome.processed++;
    if (!row) {
      if (mapping?.external_id) deletes.push({ internalId: key, externalId: mapping.external_id });
      else if (mapping)
        orphans.push(key); // deleted while its create was reserved: it may have landed
      else outcome.skipped++;
      continue;
    }
    if (mapping?.status === 'CONFLICT') {
      outcome.skipped++;
      continue;
    }
    if (!allHold(row, loaded.conditions.all, now)) {
      // A row that stopped qualifying (e.g. a profile made private) leaves the external system
      // when the resource says so; otherwise it is simply no longer updated.
      if (loaded.options.removeWhenExcluded && mapping?.external_id)
        deletes.push({ internalId: key, externalId: mapping.external_id });
      // Excluded while its create was reserved (a crash lost the answer): it may have landed.
      else if (loaded.options.removeWhenExcluded && mapping) orphans.push(key);
      else outcome.skipped++;
      continue;
    }
    let fields: Fields;
    try {
      fields = await mapToExternal(row, loaded.mappings, loaded.mappingContext);
    } catch (error) {
      failures.push({
        key,
        error: { kind: 'invalid', message: error instanceof Error ? error.message : String(error) },
      });
      continue;
    }
    const hash = recordHash(hashablePayload(fields, loaded.mappings));
    if (mapping?.external_id) {
      if (mapping.status === 'SYNCED' && mapping.last_local_hash === hash) outcome.skipped++;
      else
        updates.push({
          key,
          externalId: mapping.external_id,
          fields,
          hash,
          send: await fieldsToSend(loaded, connector, row, fields, mapping),
        });
    } else if (mapping) {
      recover.push({ key, fields, hash }); // reserved by an earlier run: the create may have landed
    } else if (allHold(row, loaded.conditions.createOnly, now)) {
      creates.push({ key, fields, hash });
    } else {
      outcome.skipped++;
    }
  }

  if (recover.length > 0 || orphans.length > 0) {
    let found: Map<string, string> | null = new Map();
    if (connector.findByKeys) {
      try {
        found = await lane(async () => {
          outcome.requests++;
          return ctx.limiter.send(rateLimitOf(loaded, connector), () =>
            connector.findByKeys!(loaded.ref, [...recover.map((r) => r.key), ...orphans]),
          );
        });
      } catch (error) {
        const classified = connector.classifyError(error);
        if (classified.kind === 'auth') throw new SyncAbort(classified);
        // Without knowing whether they exist, creating them could duplicate: they wait for a retry.
        for (const item of recover) failures.push({ key: item.key, error: classified });
        for (const key of orphans) failures.push({ key, error: classified });
        found = null;
      }
    }
    for (const item of found ? recover : []) {
      const externalId = found!.get(item.key);
      if (externalId) updates.push({ ...item, externalId });
      else creates.push(item);
    }
    // A deleted row's create that landed is deleted too; one that never landed leaves nothing to do.
    const neverLanded = found ? orphans.filter((key) => !found.has(key)) : [];
    for (const key of found ? orphans : []) {
      const externalId = found!.get(key);
      if (externalId) deletes.push({ internalId: key, externalId });
    }
    if (neverLanded.length > 0) {
      await ctx.pool.query(
        'delete from integration_mappings where resource_id = $1 and internal_id = any($2::text[]) and external_id is null',
        [resourceId, neverLanded],
      );
      outcome.skipped += neverLanded.length;
    }
  }

  if (updates.length > 0 && loaded.resource.direction === 'BIDIRECTIONAL' && connector.getRecords) {
    const reconciled = await lane(() => reconcileChangedExternals(ctx, loaded, connector, updates, rows, mappings));
    outcome.requests += reconciled.requests;
    outcome.skipped += reconciled.keys.size;
    for (let i = updates.length - 1; i >= 0; i--) if (reconciled.keys.has(updates[i]!.key)) updates.splice(i, 1);
  }

  if (creates.length > 0) {
    await ctx.pool.query(
      `insert into integration_mappings (integration_id, resource_id, internal_id, external_id, status, updated_at)
       select $1, $2, k, null, 'PENDING_SYNC', now() from unnest($3::text[]) as k
       on conflict (resource_id, internal_id) do nothing`,
      [loaded.integration.id, resourceId, creates.map((c) => c.key)],
    );
  }

  const hashes = new Map<string, { hash: string; fields: Fields }>();
  for (const item of [...creates, ...updates]) hashes.set(item.key, item);
  const createdKeys = new Set(creates.map((c) => c.key));

  // Creates and updates travel in separate batches: many APIs take them on different endpoints,
  // and one batch must stay one request (one rate-limiter slot).
  const batchSize = Math.max(1, connector.limits.maxBatchSize);
  const chunks: UpsertItem[][] = [];
  for (const group of [
    creates.map((c): UpsertItem => ({ internalId: c.key, externalId: null, fields: c.fields })),
    updates.map((u): UpsertItem => ({ internalId: u.key, externalId: u.externalId, fields: u.send ?? u.fields })),
  ]) {
    for (let i = 0; i < group.length; i += batchSize) chunks.push(group.slice(i, i + batchSize));
  }
  // Chunk n + 1 is sent while chunk n's results are recorded (in order, one at a time): the
  // requests do not wait for the bookkeeping. A recording that fails fails the run below, like a
  // crash after the send (reserved creates are recovered by findByKeys on the next run).
  let recording: Promise<void> = Promise.resolve();
  try {
    for (const chunk of chunks) {
      const started = Date.now();
      const { results, requests } = await lane(() =>
        sendWithRetry(ctx, loaded, connector, (batch) => connector.upsertBatch(loaded.ref, batch), chunk),
      );
      const sentMs = Date.now() - started;
      outcome.requests += requests;
      recording = recording.then(async () => {
        const recordStarted = Date.now();
        const ok = results.filter((r): r is Extract<ItemResult, { ok: true }> => r.ok);
        await recordSuccesses(
          ctx,
          loaded,
          ok.map((r) => ({
            key: r.internalId,
            externalId: r.externalId,
            updatedAt: versionStamp(r.updatedAt),
            ...hashes.get(r.internalId)!,
          })),
        );
        for (const r of ok) {
          if (createdKeys.has(r.internalId)) outcome.created++;
          else outcome.updated++;
        }
        const chunkFailures = results
          .filter((r): r is Extract<ItemResult, { ok: false }> => !r.ok)
          .map((r) => ({ key: r.internalId, error: r.error }));
        failures.push(...chunkFailures);
        await writeBatchLog(ctx, loaded, jobId, {
          operation: 'BULK_SYNC',
          direction: 'PUSH',
          processed: chunk.length,
          succeeded: ok.length,
          failed: chunkFailures.length,
          durationMs: sentMs + (Date.now() - recordStarted),
        });
      });
      recording.catch(() => undefined); // awaited below
    }
  } finally {
    await recording.catch(() => undefined);
  }
  await recording;

  if (deletes.length > 0) {
    if (loaded.options.pushDeletes === 'ignore') {
      await ctx.pool.query(
        `update integration_mappings set status = 'DELETED', updated_at = now() where resource_id = $1 and internal_id = any($2::text[])`,
        [resourceId, deletes.map((d) => d.internalId)],
      );
      outcome.skipped += deletes.length;
    } else {
      const deleteSize = Math.max(1, Math.min(batchSize, connector.limits.maxDeleteBatchSize ?? batchSize));
      for (let i = 0; i < deletes.length; i += deleteSize) {
        const chunk = deletes.slice(i, i + deleteSize);
        const started = Date.now();
        const { results, requests } = await lane(() =>
          sendWithRetry(ctx, loaded, connector, (batch) => connector.deleteBatch(loaded.ref, batch), chunk),
        );
        outcome.requests += requests;
        // A record already gone on the other side is as deleted as it gets.
        const gone = results.filter((r) => r.ok || r.error.status === 404).map((r) => r.internalId);
        await ctx.pool.query(
          'delete from integration_mappings where resource_id = $1 and internal_id = any($2::text[])',
          [resourceId, gone],
        );
        outcome.deleted += gone.length;
        const chunkFailures = results
          .filter((r): r is Extract<ItemResult, { ok: false }> => !r.ok && r.error.status !== 404)
          .map((r) => ({ key: r.internalId, error: r.error }));
        failures.push(...chunkFailures);
        await writeBatchLog(ctx, loaded, jobId, {
          operation: 'DELETE',
          direction: 'PUSH',
          processed: chunk.length,
          succeeded: gone.length,
          failed: chunkFailures.length,
          durationMs: Date.now() - started,
        });
      }
    }
  }

  if (failures.length > 0) {
    outcome.exhausted += await recordFailures(ctx, loaded, failures, mappings);
    await writeItemFailureLogs(ctx, loaded, jobId, failures);
    outcome.failed += failures.length;
  }
  await addProgress(ctx, jobId, {
    processed: outcome.processed,
    succeeded: outcome.created + outcome.updated + outcome.deleted,
    failed: outcome.failed,
    added: outcome.created,
    changed: outcome.updated,
    removed: outcome.deleted,
    skipped: outcome.skipped,
  });
  return outcome;
}

/**
 * Two-way resources on APIs whose updates touch only the fields sent: only the fields that changed
 * here since the last sync (against the stored base) go out. Reading the record first catches
 * external edits made before the push, but not one made between that read and this write: sending
 * the whole record would overwrite it with our stale copy, losing an edit to a field we never
 * changed. What is recorded as synced stays the whole record; the next pull sees such an edit.
 */
async function fieldsToSend(
  loaded: LoadedResource,
  connector: Connector,
  row: Row,
  fields: Fields,
  mapping: MappingRow,
): Promise<Fields | undefined> {
  if (loaded.resource.direction !== 'BIDIRECTIONAL' || !connector.limits.partialUpdates || !mapping.base_data)
    return undefined;
  const base = mapping.base_data;
  const cmp = comparableMappings(loaded.mappings);
  const local = await projectLocal(row, cmp, loaded.mappingContext);
  const unchanged = new Set(
    cmp
      .filter((m) => canonicalJson(local[m.external] ?? null) === canonicalJson(base[m.external] ?? null))
      .map((m) => m.external),
  );
  const send: Fields = {};
  for (const m of loaded.mappings) {
    const value = getPath(fields, m.external);
    if (!unchanged.has(m.external) && value !== undefined) setPath(send, m.external, value);
  }
  return send;
}

/** The external version a write produced, when the API said so in a form Postgres reads. */
function versionStamp(value: string | null | undefined): string | null {
  if (!value) return null;
  const stamp = microIso(value);
  return Number.isNaN(Date.parse(stamp)) ? null : stamp;
}

async function recordSuccesses(
  ctx: EngineContext,
  loaded: LoadedResource,
  items: { key: string; externalId: string; updatedAt: string | null; hash: string; fields: Fields }[],
): Promise<void> {
  if (items.length === 0) return;
  const cmp = comparableMappings(loaded.mappings);
  const mc = loaded.mappingContext;
  const rows = await Promise.all(
    items.map(async (i) => ({
      internal_id: i.key,
      external_id: i.externalId,
      // The version our write created: a delayed delivery of an older one must not undo it.
      updated_at: i.updatedAt,
      hash: i.hash,
      // What the external side now holds, as a pull would see it: no echo on the next pull.
      ext_hash: await externalHash(i.fields, loaded.mappings, mc),
      base: await projectExternal(i.fields, cmp, mc),
    })),
  );
  await ctx.pool.query(
    `update integration_mappings m
        set external_id = v.external_id, status = 'SYNCED', last_local_hash = v.hash, last_external_hash = v.ext_hash,
            base_data = v.base, external_updated_at = coalesce(v.updated_at::timestamptz, m.external_updated_at),
            attempts = 0, last_error = null, next_retry_at = null, last_synced_at = now(), updated_at = now()
       from jsonb_to_recordset($2::jsonb) as v(internal_id text, external_id text, updated_at text, hash text, ext_hash text, base jsonb)
      where m.resource_id = $1 and m.internal_id = v.internal_id`,
    [loaded.resource.id, JSON.stringify(rows)],
  );
}

/**
 * Two-way resources: before overwriting external records, read them; those changed on the
 * external side since the last sync go through the three-way reconcile (strategy, conflicts)
 * instead of a blind update. Returns the keys handled that way.
 */
async function reconcileChangedExternals(
  ctx: EngineContext,
  loaded: LoadedResource,
  connector: Connector,
  updates: { key: string; externalId: string }[],
  rows: Map<string, Row>,
  mappings: Map<string, MappingRow>,
): Promise<{ keys: Set<string>; requests: number }> {
  const keys = new Set<string>();
  let requests = 0;
  const byExternal = new Map(updates.map((u) => [u.externalId, u.key]));
  const ids = [...byExternal.keys()];
  const size = Math.max(1, connector.limits.maxBatchSize);
  for (let i = 0; i < ids.length; i += size) {
    requests++;
    const current = await ctx.limiter.send(rateLimitOf(loaded, connector), () =>
      connector.getRecords!(loaded.ref, ids.slice(i, i + size)),
    );
    for (const record of current) {
      const key = byExternal.get(record.id);
      const mapping = key ? mappings.get(key) : undefined;
      const row = key ? rows.get(key) : undefined;
      if (!key || !mapping || !row || mapping.last_external_hash === null) continue;
      if ((await externalHash(record.fields, loaded.mappings, loaded.mappingContext)) === mapping.last_external_hash)
        continue;
      // The row as it is now, locked while it is reconciled: an app edit since this push read it
      // counts as local, and one committing meanwhile waits (see lockLocalRows).
      await withTransaction(
        ctx.pool,
        async (client) => {
          const current = (await lockLocalRows(client, loaded, [key])).get(key);
          if (!current) return; // deleted meanwhile: its delete is in the outbox
          await reconcileRecord(client, loaded, {
            record,
            mapping,
            localRow: current,
            strategy: loaded.integration.conflictStrategy,
          });
        },
        { origin: loaded.integration.id },
      );
      keys.add(key);
    }
  }
  return { keys, requests };
}

/**
 * Failed items: retryable ones get their next attempt scheduled (exponential backoff with jitter,
 * never before Retry-After); invalid ones, or those out of attempts, are FAILED with their error.
 */
async function recordFailures(
  ctx: EngineContext,
  loaded: LoadedResource,
  failures: ItemFailure[],
  mappings: Map<string, MappingRow>,
): Promise<number> {
  const now = nowOf(ctx).getTime();
  const max = loaded.options.maxAttempts;
  const rows = failures.map((f) => {
    const attempts = (mappings.get(f.key)?.attempts ?? 0) + 1;
    const final = f.error.kind === 'invalid' || f.error.kind === 'auth' || attempts >= max;
    const delay = backoffDelay(attempts, { baseMs: ctx.retry?.baseMs, maxMs: ctx.retry?.maxMs }, f.error.retryAfterMs);
    return {
      internal_id: f.key,
      status: final ? 'FAILED' : 'PENDING_SYNC',
      error: f.error.message.slice(0, 1000),
      next_retry_at: final ? null : new Date(now + delay).toISOString(),
    };
  });
  // Items never reserved (mapping errors before a create) get a mapping row to carry their state.
  await ctx.pool.query(
    `insert into integration_mappings (integration_id, resource_id, internal_id, external_id, status, attempts, last_error, next_retry_at, updated_at)
     select $1, $2, v.internal_id, null, v.status::"MappingStatus", 1, v.error, v.next_retry_at::timestamptz, now()
       from jsonb_to_recordset($3::jsonb) as v(internal_id text, status text, error text, next_retry_at text)
     on conflict (resource_id, internal_id) do update
        set status = excluded.status, attempts = integration_mappings.attempts + 1, last_error = excluded.last_error,
            next_retry_at = excluded.next_retry_at, updated_at = now()`,
    [loaded.integration.id, loaded.resource.id, JSON.stringify(rows)],
  );
  return rows.filter((r) => r.status === 'FAILED').length;
}

export interface DrainOptions {
  /** Outbox rows per iteration. */
  batchSize?: number;
  signal?: AbortSignal;
  jobId?: string;
}

/** Drains a resource's outbox until empty. Caller holds the resource lock. */
export async function drainOutbox(
  ctx: EngineContext,
  resourceId: string,
  options: DrainOptions = {},
): Promise<PushOutcome> {
  const total = emptyOutcome();
  const pending = await ctx.pool.query('select 1 from change_outbox where resource_id = $1 limit 1', [resourceId]);
  if (pending.rowCount === 0) return total;
  const loaded = await loadResource(ctx, resourceId);
  if (loaded.integration.status === 'PAUSED' || loaded.integration.status === 'DISABLED' || !loaded.resource.enabled)
    return { ...total, held: true };
  const connector = await ctx.connectors(loaded.integration);
  const rolling = !options.jobId;
  const jobId = options.jobId ?? (await rollingChangePushJob(ctx, loaded.integration.id, resourceId));
  const limit = options.batchSize ?? Math.max(500, connector.limits.maxBatchSize * 10);
  let error: unknown;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      // Cancel is checked once per outbox batch; rows of batches not started stay in the outbox.
      if (await cancelRequested(ctx, jobId)) {
        total.cancelled = true;
        break;
      }
      const { rows } = await ctx.pool.query<{ id: string; row_key: string | null }>(
        'select id::text as id, row_key from change_outbox where resource_id = $1 order by id limit $2',
        [resourceId, limit],
      );
      if (rows.length === 0) break;
      const keys = [...new Set(rows.map((r) => r.row_key).filter((k): k is string => k !== null))];
      await addProgress(ctx, jobId, { total: keys.length });
      const current = await loadRows(ctx, loaded, keys);
      add(total, await pushKeys(ctx, loaded, connector, keys, current, jobId));
      await ctx.pool.query('delete from change_outbox where id = any($1::bigint[])', [rows.map((r) => r.id)]);
    }
  } catch (e) {
    error = e;
  }
  // Stopped on purpose (shutdown): the rest waits in the outbox; nothing failed.
  if (options.signal?.aborted) {
    if (rolling) await finishJob(ctx, jobId, { status: 'COMPLETED' });
    return total;
  }
  await recordRunHealth(ctx, loaded, total, error);
  // The rolling execution reads "completed" between bursts (RUNNING only while draining).
  if (rolling)
    await finishJob(ctx, jobId, {
      status: error ? 'FAILED' : total.cancelled ? 'CANCELLED' : total.failed > 0 ? 'PARTIAL' : 'COMPLETED',
      errorMessage: error instanceof Error ? error.message : total.cancelled ? CANCELLED_MESSAGE : undefined,
    });
  if (error && !(error instanceof SyncAbort)) throw error;
  return total;
}

export interface FullPushOptions {
  jobType?: 'SCHEDULED_SYNC' | 'MANUAL_SYNC' | 'INITIAL_IMPORT' | 'RETRY';
  trigger?: string;
  pageSize?: number;
  signal?: AbortSignal;
  queueJobId?: string;
}

/**
 * Pushes every row of the resource (scheduled or manual "sync all"): unchanged rows cost no API
 * call, rows deleted locally since the last sync are deleted externally.
 */
export async function pushAll(
  ctx: EngineContext,
  resourceId: string,
  options: FullPushOptions = {},
): Promise<PushOutcome & { jobId: string }> {
  const { loaded, connector, jobId } = await startResourceRun(ctx, resourceId, 'PUSH', options);
  const total = emptyOutcome();
  const key = quoteIdent(loaded.keyColumn);
  const keyType = quoteIdent(loaded.tableColumns.get(loaded.keyColumn)?.udtName ?? 'text');
  const pageSize = options.pageSize ?? 2000;
  let error: unknown;
  try {
    const { rows: countRows } = await ctx.pool.query<{ n: number }>(
      `select count(*)::int as n from ${loaded.readRelation}`,
    );
    await setTotal(ctx, jobId, countRows[0]?.n ?? 0);
    let after: string | null = null;
    // Two pages in flight: page n + 1 is read, mapped and reserved while page n's requests go out
    // (through one lane, so the external system still sees one request at a time), and the first
    // request waits only for a small first page (two batches); pages then double up to pageSize.
    let size = Math.min(pageSize, 2 * Math.max(1, connector.limits.maxBatchSize));
    const lane = sendLane();
    // A page read ahead checks for a cancel again when its turn to send comes, so a cancel made
    // while the previous page was in flight stops the run at that page's end.
    // Pages queue their sends in page order: a read-ahead page waits until the page before it has
    // queued its first send, so its own check runs after that send has answered.
    let previousQueued: Promise<void> = Promise.resolve();
    const pageLane = (readAhead: boolean): { lane: SendLane; release: () => void } => {
      let check = readAhead;
      const after = previousQueued;
      let markQueued!: () => void;
      previousQueued = new Promise<void>((resolve) => (markQueued = resolve));
      const paged: SendLane = async (send) => {
        await after;
        const queued = lane(async () => {
          if (check) {
            check = false;
            if (await cancelRequested(ctx, jobId)) throw new PageCancelled();
          }
          return send();
        });
        markQueued();
        return queued;
      };
      // A page that sends nothing (all unchanged) must not hold the next one back.
      return { lane: paged, release: () => markQueued() };
    };
    let previous: Promise<PushOutcome> | null = null;
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        // Cancel is checked once per page: rows already pushed stay recorded, the rest wait.
        if (await cancelRequested(ctx, jobId)) {
          total.cancelled = true;
          break;
        }
        const page: { rows: { k: string; row: Row }[] } = await ctx.pool.query<{ k: string; row: Row }>(
          `select (t.${key})::text as k, to_jsonb(t) as row from ${loaded.readRelation} t
            where $1::text is null or t.${key} > ($1::text)::${keyType}
            order by t.${key} limit $2`,
          [after, size],
        );
        if (page.rows.length === 0) break;
        const rows = new Map(page.rows.map((r) => [r.k, r.row]));
        after = page.rows[page.rows.length - 1]!.k;
        size = Math.min(pageSize, size * 2);
        const earlier = previous;
        const paging = pageLane(earlier !== null);
        previous = pushKeys(ctx, loaded, connector, [...rows.keys()], rows, jobId, paging.lane);
        void previous.finally(paging.release).catch(() => undefined);
        previous.catch(() => undefined); // awaited below, or settled in finally
        if (earlier && !addUnlessCancelled(total, await settledPage(earlier))) break;
      }
      if (previous) {
        const last = previous;
        previous = null;
        addUnlessCancelled(total, await settledPage(last));
      }
    } finally {
      // A page still in flight when the run failed finishes before the run is recorded.
      await previous?.catch(() => undefined);
    }
    // Mapped rows that no longer exist locally were deleted since the last sync.
    const { rows: gone } = total.cancelled
      ? { rows: [] }
      : await ctx.pool.query<{ internal_id: string }>(
          `select m.internal_id from integration_mappings m
            where m.resource_id = $1 and m.external_id is not null and m.status <> 'DELETED'
              and not exists (select 1 from ${loaded.readRelation} t where (t.${key})::text = m.internal_id)`,
          [resourceId],
        );
    if (gone.length > 0)
      add(
        total,
        await pushKeys(
          ctx,
          loaded,
          connector,
          gone.map((g) => g.internal_id),
          new Map(),
          jobId,
        ),
      );
  } catch (e) {
    error = e;
  }
  await recordRunHealth(ctx, loaded, total, error);
  const status = error ? 'FAILED' : total.cancelled ? 'CANCELLED' : total.failed > 0 ? 'PARTIAL' : 'COMPLETED';
  await finishJob(ctx, jobId, {
    status,
    errorMessage: error instanceof Error ? error.message : total.cancelled ? CANCELLED_MESSAGE : undefined,
  });
  if (error && !(error instanceof SyncAbort)) throw error;
  return { ...total, jobId };
}
